"""The visual language's components in chromium (issue 23): the member's and the orderer's
homes have no WCAG 2.1 AA violations at 1280 and 360 px, and the sortable data table sorts by
click and by keyboard, and is whole without JavaScript."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from app.db import make_engine
from app.models import Invitation, Member, RequestSession, User
from app.models.enums import Role
from app.services.demo.data import DEMO_LOGINS
from tests.browser.test_accessibility import axe_violations, sign_in
from tests.factories import Factory

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("live_app", ["sqlite"], indirect=True)]

SIZES = [(1280, 900), (360, 740)]
#: Requests with the council, each with its first session so many days ahead.
WITH_THE_COUNCIL = {"Bröstcancer: samtal": 20, "Astma i skolan": 40, "Cancerrehabilitering": 10}


@pytest.fixture
def page(browser):
    """A page that lets axe-core's script in despite the app's Content-Security-Policy."""
    context = browser.new_context(locale="sv-SE", timezone_id="Europe/Stockholm", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture(scope="module")
def homes(live_app):
    """An open invitation for the demo member; three requests with the council for the orderer."""
    engine = make_engine(live_app[1])
    with Session(engine, expire_on_commit=False) as session:
        factory = Factory(session)
        orderer = session.exec(select(User).where(User.email == DEMO_LOGINS[Role.ORDERER])).one()
        user = session.exec(select(User).where(User.email == DEMO_LOGINS[Role.MEMBER])).one()
        member = session.exec(select(Member).where(Member.user_id == user.id)).one()
        invited = factory.booking_request(orderer, status="approved", title="Samtal om astma")
        session.add(
            Invitation(
                request_id=invited.id,
                member_id=member.id,
                token="components-invitation-" + "x" * 30,
                reply_deadline_at=datetime.now(UTC) + timedelta(days=4),
            )
        )
        for title, days in WITH_THE_COUNCIL.items():
            request = factory.booking_request(orderer, status="submitted", title=title)
            item = session.exec(
                select(RequestSession).where(RequestSession.request_id == request.id)
            ).one()
            item.starts_at = datetime.now(UTC).replace(microsecond=0) + timedelta(days=days)
            item.ends_at = item.starts_at + timedelta(hours=2)
            session.add(item)
        session.commit()
    engine.dispose()


@pytest.mark.parametrize(("role", "path"), [(Role.MEMBER, "/me/"), (Role.ORDERER, "/orders/")])
def test_the_homes_have_no_wcag_violations_on_wide_and_phone_screens(
    page, live_app, homes, role, path
):
    base_url = live_app[0]
    sign_in(page, base_url, str(role))
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.goto(base_url + path)
        assert page.locator("main h1").count() == 1
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width
        assert axe_violations(page) == [], (path, width)
    if role is Role.MEMBER:
        assert (
            page.locator("#waiting .waiting-invitation")
            .all_inner_texts()[0]
            .startswith("Samtal om astma")
        )
    else:
        assert page.locator("#group-council .waiting-for").first.inner_text() == (
            "Väntar på samordningens beslut"
        )


def _column(page, table: str, index: int, attribute: str | None = None) -> list[str]:
    cells = page.locator(f"{table} tbody tr td:nth-child({index})")
    if attribute:
        return [cells.nth(n).get_attribute(attribute) for n in range(cells.count())]
    return cells.all_inner_texts()


def test_the_data_table_sorts_by_click_and_by_keyboard(page, live_app, homes):
    base_url = live_app[0]
    sign_in(page, base_url, "orderer")
    page.goto(f"{base_url}/orders/")
    table = "#requests-council"
    titles = _column(page, table, 1)
    assert set(WITH_THE_COUNCIL) <= set(titles)
    header = page.locator(f"{table} thead th").first
    assert (
        page.evaluate("(th) => getComputedStyle(th).position", header.element_handle()) == "sticky"
    )

    header.locator("button.sort-button").click()
    assert header.get_attribute("aria-sort") == "ascending"
    assert _column(page, table, 1) == sorted(titles, key=str.casefold)

    page.keyboard.press("Tab")  # to the next sortable column's button: the first session
    first_session = page.locator(f"{table} thead th").nth(1)
    assert page.evaluate("() => document.activeElement.closest('th').cellIndex") == 1
    page.keyboard.press("Enter")
    starts = _column(page, table, 2, "data-sort-value")
    assert first_session.get_attribute("aria-sort") == "ascending"
    assert header.get_attribute("aria-sort") is None
    assert starts == sorted(starts)
    ours = [title for title in _column(page, table, 1) if title in WITH_THE_COUNCIL]
    assert ours == ["Cancerrehabilitering", "Bröstcancer: samtal", "Astma i skolan"]

    page.keyboard.press("Space")
    assert first_session.get_attribute("aria-sort") == "descending"
    assert _column(page, table, 2, "data-sort-value") == sorted(starts, reverse=True)


def test_the_data_table_is_whole_without_javascript(browser, live_app, homes):
    context = browser.new_context(locale="sv-SE", java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, live_app[0], "orderer")
        page.goto(f"{live_app[0]}/orders/")
        assert page.locator("#requests-council button.sort-button").count() == 0
        assert set(WITH_THE_COUNCIL) <= set(_column(page, "#requests-council", 1))
    finally:
        context.close()
