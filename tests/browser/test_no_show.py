"""In the browser: the council records a no-show on its request page, and the member's claim page
then leaves that session out (only the attended one can be claimed)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from app import clock
from app.db import make_engine
from app.models import Member, RequestSession, SessionAttendance, User
from app.models.enums import Role
from app.services.demo.data import DEMO_LOGINS, DEMO_PASSWORD
from tests.factories import Factory

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("live_app", ["sqlite"], indirect=True)]


@pytest.fixture(scope="module")
def two_sessions(live_app):
    """A booked request of the demo orderer with the demo member: two past afternoons."""
    engine = make_engine(live_app[1])
    with Session(engine, expire_on_commit=False) as session:
        factory = Factory(session)
        orderer = session.exec(select(User).where(User.email == DEMO_LOGINS[Role.ORDERER])).one()
        member_user = session.exec(select(User).where(User.email == DEMO_LOGINS[Role.MEMBER])).one()
        member = session.exec(select(Member).where(Member.user_id == member_user.id)).one()
        booking_request = factory.booking_request(
            orderer, status="booked", people_count=1, title="Två eftermiddagar om vården"
        )
        for old in session.exec(
            select(RequestSession).where(RequestSession.request_id == booking_request.id)
        ):
            session.delete(old)
        session.flush()
        now = clock.now().replace(second=0, microsecond=0)
        missed = factory.request_session(booking_request, now - timedelta(days=6), hours=3)
        attended = factory.request_session(booking_request, now - timedelta(days=3), hours=3)
        assignment = factory.assignment(member, booking_request, status="completed")
        session.commit()
        ids = {
            "request_id": booking_request.id,
            "assignment_id": assignment.id,
            "member_id": member.id,
            "missed": missed,
            "attended": attended,
        }
    yield engine, ids
    engine.dispose()


def sign_in(page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(DEMO_PASSWORD)
    with page.expect_navigation():  # the answer is stored before the next read
        page.locator("main form button[type=submit]").click()


def _day(moment) -> str:
    return clock.local(moment).date().isoformat()


def test_council_records_a_no_show_and_the_claim_leaves_it_out(page, live_app, two_sessions):
    base_url = live_app[0]
    engine, ids = two_sessions
    missed, attended, member_id = ids["missed"], ids["attended"], ids["member_id"]

    sign_in(page, base_url, DEMO_LOGINS[Role.COUNCIL])
    page.goto(f"{base_url}/council/requests/{ids['request_id']}")
    with page.expect_navigation():  # the answer is stored before the next read
        page.locator(f'#attendance-form-{missed.id} button[value="{member_id}:no_show"]').click()
    with page.expect_navigation():  # the answer is stored before the next read
        page.locator(f'#attendance-form-{attended.id} button[value="{member_id}:attended"]').click()
    marked = page.locator(f'#attendance-form-{missed.id} td[data-member="{member_id}"]')
    marked_text = marked.inner_text()
    page.wait_for_load_state("networkidle")  # no late answer may set the cookie again
    page.context.clear_cookies()

    sign_in(page, base_url, DEMO_LOGINS[Role.MEMBER])
    page.goto(f"{base_url}/compensation/assignments/{ids['assignment_id']}/claim")
    preview = page.locator("#preview-lines").inner_text()
    with page.expect_navigation():  # the answer is stored before the next read
        page.locator("#start-claim").click()
    lines = page.locator("#lines tbody tr").all_inner_texts()

    with Session(engine) as session:
        marks = {
            row.request_session_id: row.status
            for row in session.exec(
                select(SessionAttendance).where(SessionAttendance.member_id == member_id)
            )
        }
    assert marked_text == "Uteblev"
    assert marks == {missed.id: "no_show", attended.id: "attended"}
    assert _day(attended.starts_at) in preview
    assert _day(missed.starts_at) not in preview
    assert len(lines) == 1 and _day(attended.starts_at) in lines[0]
