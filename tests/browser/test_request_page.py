"""The council's request page in chromium: built around the decision, destructive actions ask
first with JavaScript (a dialog) and without it (a confirmation page), WCAG 2.1 AA at 1280 and
360 px with a proposal, candidates and history (issue 23, "must show")."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlmodel import Session, select

from app.db import make_engine
from app.models import BookingRequest, User
from app.models.enums import Role
from app.services.demo.data import DEMO_LOGINS, DEMO_PASSWORD
from tests.browser.test_accessibility import AXE, axe_violations
from tests.databases import missing_part
from tests.factories import Factory

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("live_app", ["sqlite"], indirect=True)]

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
APPROVE = "Godkänn gruppen och skicka inbjudningar"


@pytest.fixture(scope="module")
def requests(live_app):
    """Three submitted requests of the demo orderer, each with four eligible people for two places."""
    engine = make_engine(live_app[1])
    with Session(engine, expire_on_commit=False) as session:
        factory = Factory(session)
        orderer = session.exec(select(User).where(User.email == DEMO_LOGINS[Role.ORDERER])).one()
        ids = {}
        for name in ("shown", "declined", "cancelled"):
            request = factory.booking_request(
                orderer, areas=("sidvy",), people_count=2, title=f"Sidvy {name}"
            )
            ids[name] = request.id
        for index, gender in enumerate(("woman", "man", "woman", "man")):
            member = factory.member(
                first_name=f"Sidvy{index}", gender=gender, experiences=(("sidvy", "own"),)
            )
            for weekday in range(7):
                factory.weekly_window(member, weekday=weekday, start=0, end=23)
        session.commit()
    yield engine, ids
    engine.dispose()


def _status(engine, request_id: int) -> str:
    with Session(engine) as session:
        return session.get(BookingRequest, request_id).status


def _page(browser, **options):
    context = browser.new_context(locale="sv-SE", timezone_id="Europe/Stockholm", **options)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def _sign_in(page, base_url: str) -> None:
    page.goto(f"{base_url}/login")
    page.locator("#email").fill(DEMO_LOGINS[Role.COUNCIL])
    page.locator("#password").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def _save(page, name: str) -> None:
    """Write a full-page screenshot to LEVBIB_SCREENSHOT_DIR when set (make screenshots)."""
    folder = os.environ.get("LEVBIB_SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / name), full_page=True)


def _top(page, selector: str) -> float:
    return page.locator(selector).first.bounding_box()["y"]


def test_decline_asks_in_a_dialog_with_javascript(browser, live_app, requests):
    engine, ids = requests
    context, page = _page(browser)
    _sign_in(page, live_app[0])
    page.goto(f"{live_app[0]}/council/requests/{ids['declined']}")
    page.get_by_text("Fler åtgärder").click()
    page.locator("#decline-message").fill("Utanför vårt uppdrag.")

    page.get_by_role("button", name="Avslå förfrågan", exact=True).click()
    dialog = page.get_by_role("dialog", name="Avslå förfrågan?")
    shown = dialog.is_visible()
    dialog.get_by_role("button", name="Gå tillbaka utan att ändra något").click()
    closed = not dialog.is_visible()
    after_cancel = _status(engine, ids["declined"])

    page.get_by_role("button", name="Avslå förfrågan", exact=True).click()
    with page.expect_navigation():
        dialog.get_by_role("button", name="Ja, avslå förfrågan").click()
    flash = page.locator(".flashes").inner_text()
    context.close()

    assert (shown, closed, after_cancel) == (True, True, "submitted")
    assert _status(engine, ids["declined"]) == "declined"
    assert "Förfrågan är avslagen." in flash


def test_cancel_asks_on_a_page_without_javascript(browser, live_app, requests):
    engine, ids = requests
    context, page = _page(browser, java_script_enabled=False)
    _sign_in(page, live_app[0])
    page.goto(f"{live_app[0]}/council/requests/{ids['cancelled']}")
    page.get_by_text("Fler åtgärder").click()  # <details> opens without JavaScript
    page.locator("#cancel-message").fill("Mötet är inställt.")

    with page.expect_navigation():
        page.get_by_role("button", name="Ställ in förfrågan", exact=True).click()
    heading = page.locator("main h1").inner_text()
    effects = page.locator("#confirm-effects").inner_text()
    asked = _status(engine, ids["cancelled"])
    with page.expect_navigation():
        page.get_by_role("button", name="Ja, ställ in förfrågan").click()
    flash = page.locator(".flashes").inner_text()
    context.close()

    assert (heading, asked) == ("Ställa in förfrågan?", "submitted")
    assert "Alla som är inbjudna eller bokade får ett mejl" in effects
    assert _status(engine, ids["cancelled"]) == "cancelled"
    assert "Förfrågan är inställd." in flash


def test_going_back_from_the_confirmation_page_changes_nothing(browser, live_app, requests):
    engine, ids = requests
    context, page = _page(browser, java_script_enabled=False)
    _sign_in(page, live_app[0])
    page.goto(f"{live_app[0]}/council/requests/{ids['shown']}")
    page.get_by_text("Fler åtgärder").click()
    page.locator("#decline-message").fill("Nej.")
    with page.expect_navigation():
        page.get_by_role("button", name="Avslå förfrågan", exact=True).click()

    with page.expect_navigation():
        page.get_by_role("link", name="Gå tillbaka utan att ändra något").click()
    url = page.url
    context.close()

    assert url.endswith(f"/council/requests/{ids['shown']}")
    assert _status(engine, ids["shown"]) == "submitted"


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1280", "360"])
def test_request_page_has_no_axe_violations_and_keeps_its_order(browser, live_app, requests, size):
    if not AXE.exists():
        missing_part("axe-core is not installed: run `npm ci`")
    _, ids = requests
    context, page = _page(browser, bypass_csp=True)
    page.set_viewport_size(size)
    _sign_in(page, live_app[0])
    page.goto(f"{live_app[0]}/council/requests/{ids['shown']}")
    with page.expect_navigation():  # a swap from the candidate list: history, a new group
        page.locator("#ranked .row-swap button").first.click()
    approve_visible = page.get_by_role("button", name=APPROVE).is_visible()
    tops = [_top(page, s) for s in ("#facts", "#proposal", "#decision", "#more-actions")]
    history = _top(page, "#history")
    side_by_side = (
        page.locator("#decision").bounding_box()["x"]
        > page.locator("#proposal").bounding_box()["x"]
    )
    wide = page.evaluate("() => document.documentElement.scrollWidth")
    page_violations = axe_violations(page)
    _save(page, f"council-request-decision-{size['width']}.png")
    page.get_by_text("Fler åtgärder").click()
    menu_violations = axe_violations(page)
    context.close()

    assert approve_visible  # approving is never behind a menu or a confirmation
    assert history > max(tops)
    if size is PHONE:
        assert tops == sorted(tops) and not side_by_side and wide <= PHONE["width"]
    else:
        assert side_by_side and tops[2] < tops[1]  # the decision beside the proposal
    assert (page_violations, menu_violations) == ([], [])


def test_confirmation_page_has_no_axe_violations(browser, live_app, requests):
    _, ids = requests
    context, page = _page(browser, bypass_csp=True)
    _sign_in(page, live_app[0])
    page.goto(f"{live_app[0]}/council/requests/{ids['shown']}")
    page.get_by_text("Fler åtgärder").click()
    page.locator("#decline-message").fill("Nej.")
    with page.expect_navigation():  # posted as without JavaScript: the server asks
        page.evaluate("() => document.getElementById('decline-form').submit()")
    heading = page.locator("main h1").inner_text()
    violations = axe_violations(page)
    context.close()

    assert heading == "Avslå förfrågan?"
    assert violations == []
