"""Keyboard-only use, phone width (360 px), 200 % text and print of the pages members need most.

Screenshots of the member's invitation page and the council's request page at 360 and 1280 px
are written to ``LEVBIB_SCREENSHOT_DIR`` when set (``make screenshots`` → docs/screenshots/).
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from sqlmodel import Session, select

from app.db import make_engine
from app.models import (
    Assignment,
    BookingRequest,
    Invitation,
    Member,
    RequestSession,
    User,
    WeeklyWindow,
)
from app.models.enums import Role
from app.services.demo.data import DEMO_LOGINS, DEMO_PASSWORD
from tests.clock_support import at_local, local_today
from tests.factories import Factory

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("live_app", ["sqlite"], indirect=True)]

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def booking(live_app):
    """An approved request of the demo orderer with the demo member invited and booked."""
    engine = make_engine(live_app[1])
    with Session(engine, expire_on_commit=False) as session:
        factory = Factory(session)
        orderer = session.exec(select(User).where(User.email == DEMO_LOGINS[Role.ORDERER])).one()
        member_user = session.exec(select(User).where(User.email == DEMO_LOGINS[Role.MEMBER])).one()
        member = session.exec(select(Member).where(Member.user_id == member_user.id)).one()
        booked = factory.booking_request(
            orderer, status="approved", people_count=2, title="Utbildning för läkare"
        )
        invited = factory.booking_request(
            orderer, status="approved", people_count=1, title="Samtal om vården"
        )
        shown = factory.booking_request(
            orderer, status="approved", people_count=1, title="Patientens väg genom vården"
        )
        assignment = factory.assignment(member, booked)
        # A long one-word title on the coming Sunday: the month view's rightmost column.
        sunday = local_today() + timedelta(days=(6 - local_today().weekday()) or 7)
        on_sunday = factory.booking_request(
            orderer, status="booked", people_count=1, title="Patientsäkerhetsutbildningsdag"
        )
        for item in session.exec(
            select(RequestSession).where(RequestSession.request_id == on_sunday.id)
        ):
            item.starts_at, item.ends_at = at_local(sunday, 13), at_local(sunday, 15)
            session.add(item)
        factory.assignment(member, on_sunday)
        for item in session.exec(
            select(RequestSession).where(RequestSession.request_id == booked.id)
        ):
            item.starts_at, item.ends_at = (
                moment - timedelta(days=3) for moment in (item.starts_at, item.ends_at)
            )
            session.add(item)
        invitation, pending = (
            Invitation(
                request_id=item.id,
                member_id=member.id,
                token=f"{prefix}-invitation-" + "x" * 30,
                reply_deadline_at=datetime.now(UTC) + timedelta(days=5),
            )
            for item, prefix in ((invited, "keyboard"), (shown, "shown"))
        )
        session.add_all([invitation, pending])
        session.commit()
        ids = {
            "member_id": member.id,
            "assignment_id": assignment.id,
            "booked_request_id": booked.id,
            "token": invitation.token,
            "sunday": sunday.isoformat(),
            "invitation_id": invitation.id,
            "shown_token": pending.token,
            "demo_request_id": session.exec(
                select(BookingRequest.id)
                .where(BookingRequest.status == "submitted")
                .order_by(BookingRequest.id)
            ).first(),
        }
    yield engine, ids
    engine.dispose()


def sign_in(page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def focused_id(page) -> str:
    return page.evaluate("() => document.activeElement && document.activeElement.id")


def tab_to(page, element_id: str, limit: int = 120) -> None:
    """Press Tab until the element with the id has focus (fails if it never gets it)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if focused_id(page) == element_id:
            return
    pytest.fail(f"#{element_id} never received focus with Tab")


def no_sideways_scroll(page) -> bool:
    return page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def wider_than_the_screen(page) -> list[str]:
    """The innermost elements that stick out, or whose text sticks out, past the right edge."""
    return page.evaluate(
        """() => {
            const edge = document.documentElement.clientWidth + 1;
            const out = [...document.querySelectorAll('main *')].filter(e => {
                const box = e.getBoundingClientRect();
                const clipped = getComputedStyle(e).overflowX !== 'visible';
                return (clipped ? box.right : box.left + Math.max(box.width, e.scrollWidth)) > edge;
            });
            return out.filter(e => !out.some(o => o !== e && e.contains(o)))
                .slice(0, 8)
                .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                     + (e.className && typeof e.className === 'string' ? '.' + e.className : '')
                     + ' ' + JSON.stringify(e.textContent.trim().slice(0, 40)));
        }"""
    )


def test_member_accepts_an_invitation_with_the_keyboard_only(page, live_app, booking):
    engine, ids = booking
    page.goto(f"{live_app[0]}/invitations/{ids['token']}")

    tab_to(page, "conflict_declaration")
    page.keyboard.type("Inga kopplingar")
    tab_to(page, "agrees")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent.trim()") in (
        "Tacka ja till uppdraget",
        "Accept the assignment",
    )
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert "Tackat ja" in page.locator("#invitation-status").inner_text(), page.locator(
        "main"
    ).inner_text()
    with Session(engine) as session:
        invitation = session.get(Invitation, ids["invitation_id"])
        assignment = session.exec(
            select(Assignment).where(Assignment.invitation_id == invitation.id)
        ).one()
    assert invitation.status == "accepted"
    assert assignment.conflict_declaration == "Inga kopplingar"


def test_member_adds_a_weekly_window_with_the_keyboard_only(page, live_app, booking):
    engine, ids = booking
    sign_in(page, live_app[0], DEMO_LOGINS[Role.MEMBER])
    page.goto(f"{live_app[0]}/me/calendar/")
    with Session(engine) as session:
        before = len(
            session.exec(
                select(WeeklyWindow).where(WeeklyWindow.member_id == ids["member_id"])
            ).all()
        )

    tab_to(page, "new-weekday")
    page.keyboard.press("End")  # Sunday: the last weekday in the list
    tab_to(page, "new-start_time")
    page.keyboard.type("0615")
    tab_to(page, "new-end_time")
    page.keyboard.type("0745")
    tab_to(page, "add-window")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    with Session(engine) as session:
        windows = session.exec(
            select(WeeklyWindow).where(WeeklyWindow.member_id == ids["member_id"])
        ).all()
    added = [w for w in windows if w.start_time.strftime("%H:%M") == "06:15"]
    assert len(windows) == before + 1
    assert [(w.weekday, w.end_time.strftime("%H:%M")) for w in added] == [(6, "07:45")]
    assert "06:15" in page.locator("#window-list").inner_text()


def test_council_swaps_a_person_with_the_keyboard_only(page, live_app, booking):
    base_url = live_app[0]
    engine, _ = booking
    with Session(engine, expire_on_commit=False) as session:
        factory = Factory(session)
        orderer = session.exec(select(User).where(User.email == DEMO_LOGINS[Role.ORDERER])).one()
        request = factory.booking_request(orderer, areas=("tangent",), people_count=1)
        for index in range(3):
            member = factory.member(first_name=f"Tangent{index}", experiences=(("tangent", "own"),))
            for weekday in range(7):
                factory.weekly_window(member, weekday=weekday, start=0, end=23)
        session.commit()
    sign_in(page, base_url, DEMO_LOGINS[Role.COUNCIL])
    page.goto(f"{base_url}/council/requests/{request.id}")
    group_before = page.locator("#approve-form input[name=member_ids]").get_attribute("value")

    tab_to(page, "in_id")
    page.keyboard.press("ArrowDown")
    chosen = page.locator("#in_id").input_value()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**group=**")

    group_after = page.locator("#approve-form input[name=member_ids]").get_attribute("value")
    assert group_after != group_before
    assert chosen in group_after.split(",")


@pytest.mark.parametrize(
    "path",
    [
        "/invitations/{shown_token}",
        "/me/",
        "/me/calendar/",
        "/me/calendar/?view=month",
        "/me/calendar/?view=month&date={sunday}",
        "/compensation/",
        "/compensation/assignments/{assignment_id}/claim",
        "/compensation/agreements/{assignment_id}",
    ],
)
def test_member_pages_fit_a_phone_without_sideways_scrolling(page, live_app, booking, path):
    _, ids = booking
    page.set_viewport_size(PHONE)
    sign_in(page, live_app[0], DEMO_LOGINS[Role.MEMBER])
    page.goto(live_app[0] + path.format(**ids))

    assert no_sideways_scroll(page), wider_than_the_screen(page)
    for button in page.locator("main button:visible").all():
        box = button.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], path
        assert box["height"] >= 24, path  # big enough to hit with a finger


@pytest.mark.parametrize("view", ["week", "month"])
def test_calendar_fits_a_phone_on_a_sunday(page, live_app, booking, view):
    """On a Sunday, today's hidden "(today)" text and the long booked title sit in the rightmost
    column, whatever day the suite runs on (the served app runs in this process, so it travels)."""
    _, ids = booking
    sunday = date.fromisoformat(ids["sunday"])
    with time_machine.travel(at_local(sunday, 12), tick=True):
        page.set_viewport_size(PHONE)
        sign_in(page, live_app[0], DEMO_LOGINS[Role.MEMBER])
        page.goto(f"{live_app[0]}/me/calendar/?view={view}")

        assert page.locator(f"#day-{sunday.isoformat()}.is-today").count() == 1
        assert (
            "Patientsäkerhetsutbildningsdag"
            in page.locator(f"#day-{sunday.isoformat()}").inner_text()
        )
        assert no_sideways_scroll(page), wider_than_the_screen(page)


@pytest.mark.parametrize("path", ["/council/requests/{demo_request_id}", "/orders/new"])
def test_text_at_200_percent_keeps_pages_usable(page, live_app, booking, path):
    """1280 px at 200 % zoom is a 640 px wide layout with twice the text size."""
    _, ids = booking
    page.set_viewport_size({"width": 640, "height": 900})
    email = DEMO_LOGINS[Role.COUNCIL] if path.startswith("/council") else DEMO_LOGINS[Role.ORDERER]
    sign_in(page, live_app[0], email)
    page.goto(live_app[0] + path.format(**ids))
    page.add_style_tag(content="html { font-size: 200% !important; }")

    assert no_sideways_scroll(page), wider_than_the_screen(page)
    assert page.locator("main h1").is_visible()


def test_agreement_prints_as_content_only(page, live_app, booking, tmp_path):
    _, ids = booking
    sign_in(page, live_app[0], DEMO_LOGINS[Role.MEMBER])
    page.goto(f"{live_app[0]}/compensation/agreements/{ids['assignment_id']}")
    page.emulate_media(media="print")

    assert page.locator("main h1").is_visible()
    assert not page.locator(".site-header nav").is_visible()
    assert not page.locator(".footer-links").is_visible()
    pdf = tmp_path / "agreement.pdf"
    page.pdf(path=str(pdf), format="A4")
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 1000


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["360", "1280"])
def test_screenshots_of_invitation_and_council_request_page(page, live_app, booking, size):
    _, ids = booking
    folder = Path(os.environ.get("LEVBIB_SCREENSHOT_DIR", "."))
    page.set_viewport_size(size)
    shots = {}
    page.goto(f"{live_app[0]}/invitations/{ids['shown_token']}")
    shots["invitation"] = page.screenshot(full_page=True)
    sign_in(page, live_app[0], DEMO_LOGINS[Role.COUNCIL])
    page.goto(f"{live_app[0]}/council/requests/{ids['demo_request_id']}")
    assert no_sideways_scroll(page), wider_than_the_screen(page)
    shots["council-request"] = page.screenshot(full_page=True)

    for name, png in shots.items():
        assert png.startswith(b"\x89PNG")
        if os.environ.get("LEVBIB_SCREENSHOT_DIR"):
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{name}-{size['width']}.png").write_bytes(png)
