"""Issue 19's journey in the browser: a one-year working group from the orderer's form to the
term's evaluation.

The orderer asks for a standing group of two with six meetings over a year; the council
approves two people and both accept; a meeting is moved (both get an update that ical.js reads
as the same event with a higher SEQUENCE); one member says on her own list that she cannot come
to one meeting, and the council invites a stand-in for that meeting only; once the first meeting
has taken place its attendance is recorded, and the council evaluates the term.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from app.db import make_engine
from app.models import (
    Assignment,
    BookingRequest,
    Invitation,
    Member,
    OutboxMessage,
    RequestSession,
    SessionAbsence,
    SessionAttendance,
    TermEvaluation,
)
from app.models.enums import Role
from app.services.demo.data import DEMO_PASSWORD
from tests.clock_support import local_today
from tests.factories import PASSWORD, Factory
from tests.icaljs import parse_with_icaljs

pytestmark = pytest.mark.browser

TITLE = "Arbetsgrupp för vården vid långvarig smärta"
MEETING_OFFSETS = (21, 80, 140, 200, 260, 320)  # days from today: six meetings within a year


def sign_in(page, base_url: str, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(f"{base_url}/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def sign_out(page) -> None:
    page.wait_for_load_state("networkidle")
    page.context.clear_cookies()


@pytest.fixture
def pool(live_app):
    """Four people with experience of a new area, free every day, each with a sign-in."""
    engine = make_engine(live_app[1])
    with Session(engine, expire_on_commit=False) as session:
        factory = Factory(session)
        factory.area("smarta", name_sv="Långvarig smärta")
        for index in range(4):
            user = factory.user(Role.MEMBER, email=f"smarta{index}@example.org")
            member = factory.member(
                user=user,
                first_name=f"Smärta{index}",
                last_name=f"Efternamn{index}",
                email=f"smarta{index}@example.org",
                birth_year=1955 + 9 * index,
                experiences=(("smarta", "own"),),
            )
            for weekday in range(7):
                factory.weekly_window(member, weekday=weekday, start=0, end=23)
        session.commit()
    yield engine
    engine.dispose()


def _request(engine) -> BookingRequest:
    with Session(engine) as session:
        return session.exec(select(BookingRequest).where(BookingRequest.title == TITLE)).one()


def _meetings(engine, request_id: int) -> list[RequestSession]:
    with Session(engine) as session:
        return list(
            session.exec(
                select(RequestSession)
                .where(RequestSession.request_id == request_id)
                .order_by(RequestSession.starts_at)
            )
        )


def _invitations(engine, request_id: int) -> list[tuple[Invitation, Member]]:
    with Session(engine, expire_on_commit=False) as session:
        return list(
            session.exec(
                select(Invitation, Member)
                .join(Member, Member.id == Invitation.member_id)
                .where(Invitation.request_id == request_id)
                .order_by(Invitation.id)
            )
        )


def _calendars_to(engine, address: str) -> list[OutboxMessage]:
    with Session(engine) as session:
        return list(
            session.exec(
                select(OutboxMessage)
                .where(OutboxMessage.recipient == address, OutboxMessage.calendar != "")
                .order_by(OutboxMessage.id)
            )
        )


def _accept(page, base_url: str, token: str) -> None:
    page.goto(f"{base_url}/invitations/{token}")
    page.locator("#agrees").check()
    with page.expect_navigation():
        page.locator("#accept-form button").click()


def _submit_working_group(page, base_url: str) -> None:
    sign_in(page, base_url, "orderer@demo.test")
    page.goto(f"{base_url}/orders/new")
    page.locator("#title").fill(TITLE)
    page.locator("#purpose").fill("Patienters och närståendes perspektiv i vårdprogrammet")
    page.locator("#expectations").fill("Läs underlaget före varje möte")
    page.locator("#area_ids").select_option(label="Långvarig smärta")
    page.locator("#assignment_type").select_option("working_group")
    page.locator("#people_count").fill("2")
    today = local_today()
    page.locator("#is_standing").check()
    page.locator("#term_start").fill((today + timedelta(days=MEETING_OFFSETS[0])).isoformat())
    page.locator("#term_end").fill((today + timedelta(days=364)).isoformat())
    page.locator("#meetings_per_period").fill("6")
    page.locator("#period_months").fill("12")
    while page.locator("#sessions .session-row").count() < len(MEETING_OFFSETS):
        page.locator("[data-add-row]").click()  # "Lägg till möte": a new row in place
    for index, offset in enumerate(MEETING_OFFSETS):
        page.locator(f"#sessions-{index}-day").fill((today + timedelta(days=offset)).isoformat())
        page.locator(f"#sessions-{index}-start").fill("13:00")
        page.locator(f"#sessions-{index}-end").fill("15:00")
    page.locator("#format").select_option("digital")
    page.locator("#video_link").fill("https://meet.example/smarta")
    page.locator("#contact_name").fill("Kim Kontakt")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").last.click()
    sign_out(page)


def test_a_year_of_a_working_group(page, live_app, pool):
    base_url, _ = live_app
    _submit_working_group(page, base_url)
    booking_request = _request(pool)
    meetings = _meetings(pool, booking_request.id)

    # The council approves the proposed two; both accept.
    sign_in(page, base_url, "council@demo.test")
    page.goto(f"{base_url}/council/requests/{booking_request.id}")
    page.on("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.locator("#approve-form button").click()
    sign_out(page)
    invited = _invitations(pool, booking_request.id)
    for invitation, _member in invited:
        _accept(page, base_url, invitation.token)
    first, second = (member for _, member in invited)
    first_calendars = {
        address: len(_calendars_to(pool, address)) for address in (first.email, second.email)
    }

    # The council moves the second meeting; both booked people get an update.
    moved = meetings[1]
    new_day = local_today() + timedelta(days=MEETING_OFFSETS[1] + 3)
    sign_in(page, base_url, "council@demo.test")
    page.goto(f"{base_url}/council/requests/{booking_request.id}")
    page.locator("#more-actions summary").click()
    page.locator(f"#move{moved.id}-day").fill(new_day.isoformat())
    page.locator(f"#move{moved.id}-start").fill("09:00")
    page.locator(f"#move{moved.id}-end").fill("11:00")
    with page.expect_navigation():
        page.locator(f"#move-form-{moved.id} button").click()
    sign_out(page)
    updates = {}
    for person in (first, second):
        mails = _calendars_to(pool, person.email)[first_calendars[person.email] :]
        updates[person.email] = [parse_with_icaljs(mail.calendar) for mail in mails]

    # The first member cannot come to the third meeting: she says so on her own list.
    absent_meeting = meetings[2]
    sign_in(page, base_url, first.email, PASSWORD)
    page.goto(f"{base_url}/me/assignments")
    own_list = page.locator("main").inner_text()
    page.get_by_role("link", name=TITLE).first.click()
    page.locator("#absence-meeting").select_option(str(absent_meeting.id))
    page.locator("#absence-reason").fill("Jag är bortrest den veckan.")
    page.locator("#cannot-come-form button[type=submit]").click()
    with page.expect_navigation():
        page.locator("#cannot-come-confirm [data-confirm-yes]").click()
    sign_out(page)

    # The council invites a stand-in for that meeting only; she accepts.
    sign_in(page, base_url, "council@demo.test")
    page.goto(f"{base_url}/council/requests/{booking_request.id}")
    panel = page.locator("#stand-ins").inner_text()
    with page.expect_navigation():
        page.locator(f"#stand-in-form-{absent_meeting.id} button").click()
    sign_out(page)
    stand_in_invitation, stand_in = _invitations(pool, booking_request.id)[-1]
    stand_in_calendar = parse_with_icaljs(_calendars_to(pool, stand_in.email)[0].calendar)
    _accept(page, base_url, stand_in_invitation.token)

    # Time passes: the first meeting has taken place. The whole term is moved back by the same
    # span (the clock cannot be moved under a served app), so the term has begun and the first
    # meeting lies behind us. The council records its attendance.
    passed = timedelta(days=MEETING_OFFSETS[0] + 1)
    with Session(pool) as session:
        for item in session.exec(
            select(RequestSession).where(RequestSession.request_id == booking_request.id)
        ):
            item.starts_at, item.ends_at = item.starts_at - passed, item.ends_at - passed
            session.add(item)
        term = session.get(BookingRequest, booking_request.id)
        term.term_start, term.term_end = term.term_start - passed, term.term_end - passed
        session.add(term)
        session.commit()
    sign_in(page, base_url, "council@demo.test")
    page.goto(f"{base_url}/council/requests/{booking_request.id}")
    with page.expect_navigation():
        page.locator(f"#attendance-form-{meetings[0].id} button[value='all:attended']").click()

    # The council evaluates the term.
    page.goto(f"{base_url}/council/requests/{booking_request.id}/evaluation")
    bars = page.locator("#attendance-bars").inner_text()
    page.locator("#went_well").fill("Gruppen kom bra igång.")
    page.locator("#to_improve").fill("Skicka underlaget tidigare.")
    with page.expect_navigation():
        page.locator("#evaluation-form button[type=submit]").click()
    evaluations = page.locator("#evaluations").inner_text()
    sign_out(page)

    with Session(pool) as session:
        stored = session.exec(
            select(BookingRequest).where(BookingRequest.id == booking_request.id)
        ).one()
        assignments = session.exec(
            select(Assignment).where(Assignment.request_id == booking_request.id)
        ).all()
        absences = session.exec(
            select(SessionAbsence).where(SessionAbsence.request_session_id == absent_meeting.id)
        ).all()
        marks = session.exec(
            select(SessionAttendance).where(SessionAttendance.request_session_id == meetings[0].id)
        ).all()
        evaluation = session.exec(
            select(TermEvaluation).where(TermEvaluation.request_id == booking_request.id)
        ).one()

    # A standing group of a year with six meetings, for two people.
    assert stored.is_standing and stored.people_count == 2
    assert (stored.term_end - stored.term_start).days == 364 - MEETING_OFFSETS[0]
    assert len(meetings) == 6
    # The move: each booked person got one update of the same event with a higher SEQUENCE.
    for person in (first, second):
        (update,) = updates[person.email]
        (event,) = [e for e in update["events"] if e["uid"] == moved.ical_uid]
        assert event["sequence"] > moved.sequence
        assert event["start"].startswith(new_day.isoformat())
    # Her own list showed the assignment; the absence is for one meeting and she stays booked.
    assert TITLE in own_list
    assert [(a.member_id, a.reason) for a in absences] == [
        (first.id, "Jag är bortrest den veckan.")
    ]
    by_member = {a.member_id: a for a in assignments}
    assert (
        by_member[first.id].status == "booked" and by_member[first.id].stand_in_session_id is None
    )
    # The stand-in was asked for that meeting only, and her booking covers only that meeting.
    assert first.first_name in panel
    assert stand_in.id not in (first.id, second.id)
    assert stand_in_invitation.stand_in_session_id == absent_meeting.id
    assert [e["uid"] for e in stand_in_calendar["events"]] == [absent_meeting.ical_uid]
    assert by_member[stand_in.id].stand_in_session_id == absent_meeting.id
    assert stored.status == "booked"  # the stand-in did not change the group
    # Attendance on the meeting that took place: both booked people attended.
    assert sorted((m.member_id, m.status) for m in marks) == sorted(
        [(first.id, "attended"), (second.id, "attended")]
    )
    assert bars.strip()
    # The evaluation holds the attendance figures of the period.
    assert evaluation.went_well == "Gruppen kom bra igång."
    assert evaluation.figures.get("attended") == 2
    assert "Gruppen kom bra igång." in evaluations
