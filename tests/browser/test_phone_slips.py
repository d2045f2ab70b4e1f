"""At 360 px a long one-word title neither pushes the invitation page sideways nor is cut off in
the month calendar (issue 21's slips)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from app.db import make_engine
from app.models import Invitation, Member, RequestSession, User
from app.models.enums import Role
from app.services.demo.data import DEMO_LOGINS, DEMO_PASSWORD
from tests.clock_support import at_local, local_today
from tests.factories import Factory

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("live_app", ["sqlite"], indirect=True)]

PHONE = {"width": 360, "height": 740}
LONG_TITLE = "Patientsäkerhetsutbildningsdagsprogrammet"


@pytest.fixture(scope="module")
def long_titles(live_app):
    """An invitation and a booking of the demo member, both with a long one-word title."""
    engine = make_engine(live_app[1])
    with Session(engine, expire_on_commit=False) as session:
        factory = Factory(session)
        orderer = session.exec(select(User).where(User.email == DEMO_LOGINS[Role.ORDERER])).one()
        user = session.exec(select(User).where(User.email == DEMO_LOGINS[Role.MEMBER])).one()
        member = session.exec(select(Member).where(Member.user_id == user.id)).one()
        invited = factory.booking_request(
            orderer, status="approved", people_count=1, title=LONG_TITLE
        )
        booked = factory.booking_request(
            orderer, status="booked", people_count=1, title=LONG_TITLE + "Bokad"
        )
        # A Wednesday in the middle of the month view: a cell a seventh of the screen wide.
        day = local_today() + timedelta(days=7)
        day += timedelta(days=(2 - day.weekday()) % 7)
        for item in session.exec(
            select(RequestSession).where(RequestSession.request_id == booked.id)
        ):
            item.starts_at, item.ends_at = at_local(day, 13), at_local(day, 15)
            session.add(item)
        factory.assignment(member, booked)
        invitation = Invitation(
            request_id=invited.id,
            member_id=member.id,
            token="long-title-invitation-" + "y" * 30,
            reply_deadline_at=datetime.now(UTC) + timedelta(days=5),
        )
        session.add(invitation)
        session.commit()
        yield {"token": invitation.token, "day": day}
    engine.dispose()


def _sign_in(page, base_url: str) -> None:
    page.goto(f"{base_url}/login")
    page.locator("#email").fill(DEMO_LOGINS[Role.MEMBER])
    page.locator("#password").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def _page_width(page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth")


def test_invitation_with_a_long_word_in_the_title_fits_360_px(page, live_app, long_titles):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_app[0]}/invitations/{long_titles['token']}")

    heading = page.locator("main h1")
    assert LONG_TITLE in heading.inner_text().replace("\u00ad", "").replace("\n", "")
    assert _page_width(page) <= 360
    box = heading.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360


def test_month_calendar_shows_a_long_title_whole_at_360_px(page, live_app, long_titles):
    page.set_viewport_size(PHONE)
    _sign_in(page, live_app[0])
    day = long_titles["day"]
    page.goto(f"{live_app[0]}/me/calendar/?view=month&date={day.isoformat()}")

    cell = page.locator(f"#day-{day.isoformat()}")
    item = cell.locator(".cal-item", has_text=LONG_TITLE[:12])
    assert _page_width(page) <= 360
    # Nothing of the item's text is clipped: it wraps inside its cell, and the cell grows.
    clipped = item.evaluate(
        "e => e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1"
    )
    assert not clipped
    item_box, cell_box = item.bounding_box(), cell.bounding_box()
    assert cell_box["x"] <= item_box["x"]
    assert item_box["x"] + item_box["width"] <= cell_box["x"] + cell_box["width"] + 1
    assert item_box["y"] + item_box["height"] <= cell_box["y"] + cell_box["height"] + 1
    text = item.inner_text().replace("\u00ad", "").replace("\n", "")
    assert LONG_TITLE in text
    heads = page.locator(".cal-month-head span")
    assert heads.all_inner_texts() == ["Mån", "Tis", "Ons", "Tor", "Fre", "Lör", "Sön"]
    assert not any(span.evaluate("e => e.scrollWidth > e.clientWidth") for span in heads.all())
