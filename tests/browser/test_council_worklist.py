"""The council's worklist in chromium: a short group is approved from the home in at most three
actions, and the home, the pool and the calendar page have no WCAG 2.1 AA violations at 1280
and 360 px."""

from __future__ import annotations

import re

import pytest
from sqlmodel import Session, select

from app.db import make_engine
from app.models import BookingRequest, Invitation, User
from app.models.enums import Role
from app.services.demo.data import DEMO_LOGINS
from tests.browser.test_accessibility import AXE, axe_violations, sign_in
from tests.databases import missing_part
from tests.factories import Factory

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
TITLE = "Kortgruppen om hörsel"


@pytest.fixture
def page(browser):
    """A page that lets axe-core's script in despite the app's Content-Security-Policy."""
    context = browser.new_context(locale="sv-SE", timezone_id="Europe/Stockholm", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def short_request(live_app):
    """A request for four people where only two members qualify; yield (engine, request id)."""
    engine = make_engine(live_app[1])
    with Session(engine, expire_on_commit=False) as session:
        factory = Factory(session)
        factory.area("kortgrupp", name_sv="Kortgrupp")
        for index in range(2):
            member = factory.member(
                first_name=f"Hörsel{index}",
                last_name=f"Efternamn{index}",
                email=f"kort{index}@example.org",
                experiences=(("kortgrupp", "own"),),
            )
            for weekday in range(7):
                factory.weekly_window(member, weekday=weekday, start=0, end=23)
        orderer = session.exec(select(User).where(User.email == DEMO_LOGINS[Role.ORDERER])).one()
        request = factory.booking_request(
            orderer, areas=("kortgrupp",), title=TITLE, people_count=4
        )
        session.commit()
        request_id = request.id
    yield engine, request_id
    engine.dispose()


def _state(engine, request_id):
    with Session(engine) as session:
        status = session.get(BookingRequest, request_id).status
        invited = session.exec(
            select(Invitation.status).where(Invitation.request_id == request_id)
        ).all()
    return status, sorted(invited)


@pytest.mark.parametrize("live_app", ["sqlite"], indirect=True)
def test_a_short_group_is_approved_from_the_home_in_three_actions(page, live_app, short_request):
    base_url = live_app[0]
    engine, request_id = short_request
    sign_in(page, base_url, "council")
    page.goto(f"{base_url}/council/")
    actions = 0

    def confirm(dialog):  # a script's confirm() is one more action
        nonlocal actions
        actions += 1
        dialog.accept()

    page.on("dialog", confirm)

    with page.expect_navigation():
        page.locator("#worklist-decision").get_by_role("link", name=re.compile(f"{TITLE}$")).click()
        actions += 1
    with page.expect_navigation():
        page.get_by_role("button", name="Godkänn gruppen och skicka inbjudningar").click()
        actions += 1
    if f"/council/requests/{request_id}" not in page.url or not page.locator(".flashes").count():
        # A confirmation step (the request page may ask before approving): one more action.
        with page.expect_navigation():
            page.get_by_role("button", name=re.compile("Godkänn|Bekräfta")).last.click()
            actions += 1
    flash = page.locator(".flashes").inner_text()
    page.goto(f"{base_url}/council/")
    short = page.locator("#worklist-short").inner_text()

    assert actions <= 3
    assert "Gruppen är godkänd och inbjudningarna är skickade." in flash
    assert _state(engine, request_id) == ("approved", ["pending", "pending"])
    assert f"{TITLE}: 2 av 4 platser är inte tillsatta" in short
    assert TITLE not in page.locator("#worklist-decision").inner_text()


@pytest.mark.parametrize("live_app", ["sqlite"], indirect=True)
@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1280", "360"])
@pytest.mark.parametrize("path", ["/council/", "/council/pool", "/council/calendar"])
def test_the_council_pages_have_no_wcag_violations(page, live_app, size, path):
    if not AXE.exists():
        missing_part("axe-core is not installed: run `npm ci`")
    base_url = live_app[0]
    page.set_viewport_size(size)
    sign_in(page, base_url, "council")

    page.goto(base_url + path)
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")

    assert axe_violations(page) == []
    assert overflow is False
