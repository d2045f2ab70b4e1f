""" "I can't come": one meeting leaves her calendar, feed, reminders, load and claim; the whole
assignment is a withdrawal with replacement; stand-ins cover their one meeting only."""

from datetime import timedelta

import pytest
from sqlmodel import select

from app.mail.context import MailContext
from app.models import Assignment, Invitation, RequestEvent, SessionAbsence
from app.models.enums import (
    AssignmentStatus,
    AttendanceStatus,
    InvitationStatus,
    RequestAction,
    Role,
)
from app.services.booking.attendance import Mark, attendance_sheet, record_attendance
from app.services.booking.guard import busy_member_ids
from app.services.booking.invitations import accept_invitation, booked_count
from app.services.booking.member_bookings import booked_sessions
from app.services.booking.reminders import send_session_reminders
from app.services.booking.replacements import open_places, replacement_candidates
from app.services.booking.work_units import work_units
from app.services.compensation.claims import claimable_sessions
from app.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.services.journey.absences import cannot_come_at_all, report_absence
from tests.booking_support import approve, booking_setting, queued, request_invitations
from tests.conftest import login
from tests.html import csrf_token
from tests.icaljs import parse_with_icaljs

CTX = MailContext(council_mailbox="radet@region.example", base_url="https://levbib.example")
REASON = "Jag ska på en begravning den dagen."


@pytest.fixture
def booked(factory, db_session):
    """A request with two meetings a week apart, two people booked, AUTO replacement."""
    request, first, members, _orderer, council = booking_setting(factory, db_session)
    second = factory.request_session(request, first.starts_at + timedelta(days=7))
    for invitation in approve(db_session, request, members, council, CTX, mode="auto"):
        accept_invitation(session=db_session, token=invitation.token, ctx=CTX)
    her = members[0]
    user = factory.user(Role.MEMBER)
    her.user_id, her.calendar_token = user.id, "f" * 40
    db_session.add(her)
    db_session.flush()
    assignment = db_session.exec(
        select(Assignment).where(
            Assignment.member_id == her.id, Assignment.request_id == request.id
        )
    ).one()
    db_session.info.clear()
    return {
        "request": request,
        "first": first,
        "second": second,
        "members": members,
        "her": her,
        "user": user,
        "council": council,
        "assignment": assignment,
    }


def _report(db_session, b, meeting, now=None, **overrides):
    arguments = {
        "session": db_session,
        "assignment": b["assignment"],
        "request_session_id": meeting.id,
        "reason": REASON,
        "actor": b["user"],
        "ctx": CTX,
        "now": now or meeting.starts_at - timedelta(days=3),
    }
    return report_absence(**(arguments | overrides))


def test_one_meeting_absence_cancels_that_meeting_for_her_only(db_session, booked):
    second = booked["second"]
    sequence = second.sequence

    absence = _report(db_session, booked, second)

    mail = [m for m in queued(db_session) if m["to"] == booked["her"].email]
    assert [m["calendar_method"] for m in mail] == ["CANCEL"]
    parsed = parse_with_icaljs(mail[0]["calendar"])
    assert parsed["method"] == "CANCEL"
    assert [(e["uid"], e["sequence"]) for e in parsed["events"]] == [
        (second.ical_uid, sequence + 1)
    ]
    assert second.sequence == sequence  # the meeting itself is unchanged for the others
    assert booked["assignment"].status == AssignmentStatus.BOOKED
    assert (absence.member_id, absence.reason) == (booked["her"].id, REASON)
    council_mail = [m for m in queued(db_session) if m["to"] == "radet@region.example"]
    assert len(council_mail) == 1
    assert booked["her"].display_name in council_mail[0]["body"]
    assert REASON not in council_mail[0]["body"]  # her words stay on the request page
    event = db_session.exec(
        select(RequestEvent).where(RequestEvent.action == RequestAction.ABSENCE_REPORTED)
    ).one()
    assert event.detail == {
        "assignment_id": booked["assignment"].id,
        "member_id": booked["her"].id,
        "session_id": second.id,
    }


def test_absent_meeting_leaves_her_feed_but_the_others_stay(db_session, booked, app):
    _report(db_session, booked, booked["second"])

    response = app.test_client().get(f"/calendar/{booked['her'].calendar_token}.ics")

    uids = [e["uid"] for e in parse_with_icaljs(response.data)["events"]]
    assert uids == [booked["first"].ical_uid]
    rows = booked_sessions(session=db_session, member_id=booked["members"][1].id)
    assert [row.item.id for row in rows] == [booked["first"].id, booked["second"].id]


def test_absent_meeting_is_not_load_nor_busy_time(db_session, booked):
    _report(db_session, booked, booked["second"])

    units = work_units(session=db_session, member_ids=[booked["her"].id])

    assert [unit.sessions for unit in units] == [
        ((booked["first"].starts_at, booked["first"].ends_at),)
    ]
    assert units[0].request_id == booked["request"].id


def test_absent_meeting_does_not_hold_her_time(db_session, booked, factory):
    orderer = factory.user(Role.ORDERER)
    clash = factory.booking_request(orderer)
    clash_session = db_session.exec(
        select(type(booked["second"])).where(type(booked["second"]).request_id == clash.id)
    ).one()
    clash_session.starts_at, clash_session.ends_at = (
        booked["second"].starts_at,
        booked["second"].ends_at,
    )
    db_session.add(clash_session)
    db_session.flush()
    ids = [booked["her"].id, booked["members"][1].id]
    assert busy_member_ids(session=db_session, member_ids=ids, booking_request=clash) == set(ids)

    _report(db_session, booked, booked["second"])

    assert busy_member_ids(session=db_session, member_ids=ids, booking_request=clash) == {
        booked["members"][1].id
    }


def test_no_reminder_to_her_for_the_absent_meeting(db_session, booked):
    second = booked["second"]
    _report(db_session, booked, second)
    db_session.info.clear()

    send_session_reminders(session=db_session, now=second.starts_at - timedelta(hours=20), ctx=CTX)

    to = sorted(m["to"] for m in queued(db_session) if "Reminder" in m["subject"])
    other = booked["members"][1].email
    assert booked["her"].email not in to
    assert other in to


def test_claim_has_no_line_for_the_absent_meeting(db_session, booked):
    _report(db_session, booked, booked["second"])
    after = booked["second"].ends_at + timedelta(days=1)

    items = claimable_sessions(session=db_session, assignment=booked["assignment"], now=after)

    assert [item.id for item in items] == [booked["first"].id]


def test_attendance_sheet_shows_her_as_absent_and_refuses_a_mark(db_session, booked):
    second = booked["second"]
    _report(db_session, booked, second)
    after = second.starts_at + timedelta(hours=1)

    sheet = attendance_sheet(session=db_session, booking_request=booked["request"], now=after)

    rows = {row.member_id: row.is_absent for row in sheet[1].rows}
    assert rows == {booked["her"].id: True, booked["members"][1].id: False}
    with pytest.raises(InvalidInput):
        record_attendance(
            session=db_session,
            booking_request=booked["request"],
            session_id=second.id,
            marks=[Mark(booked["her"].id, AttendanceStatus.ATTENDED)],
            actor=booked["council"],
            now=after,
        )


def test_council_sees_the_absence_on_the_request_page(db_session, booked, app):
    _report(db_session, booked, booked["second"])
    client = app.test_client()
    assert login(client, booked["council"].email).status_code == 302

    page = client.get(f"/council/requests/{booked['request'].id}").get_data(as_text=True)

    section = page.split('id="absences"', 1)[1].split("</section>", 1)[0]
    assert REASON in section
    assert booked["her"].display_name in section


def test_a_meeting_that_has_started_or_is_not_hers_is_refused(db_session, booked, factory):
    first = booked["first"]
    with pytest.raises(NotFound):
        _report(db_session, booked, first, now=first.starts_at + timedelta(minutes=1))
    other = factory.booking_request(factory.user(Role.ORDERER))
    stray = factory.request_session(other, first.starts_at)
    with pytest.raises(NotFound):
        _report(db_session, booked, stray, now=first.starts_at - timedelta(days=1))
    with pytest.raises(InvalidInput):
        _report(db_session, booked, first, reason="   ")
    _report(db_session, booked, first)
    with pytest.raises(NotFound):  # the same meeting twice: it is no longer hers
        _report(db_session, booked, first)


def test_another_member_cannot_report_for_her(db_session, booked, factory):
    stranger = factory.user(Role.MEMBER)
    factory.member(user=stranger)

    with pytest.raises(Forbidden):
        _report(db_session, booked, booked["second"], actor=stranger)

    assert db_session.exec(select(SessionAbsence)).all() == []


def test_whole_assignment_withdraws_tells_the_council_and_invites_the_next_reserve(
    db_session, booked
):
    request = booked["request"]
    now = booked["first"].starts_at - timedelta(days=3)
    reserve = replacement_candidates(session=db_session, booking_request=request)[0]

    done = cannot_come_at_all(
        session=db_session,
        assignment=booked["assignment"],
        reason=REASON,
        actor=booked["user"],
        ctx=CTX,
        now=now,
    )

    assert booked["assignment"].status == AssignmentStatus.WITHDRAWN
    assert [item.id for item in done.cancelled] == [booked["first"].id, booked["second"].id]
    mail = queued(db_session)
    council = [m for m in mail if m["to"] == "radet@region.example"]
    assert [m["subject"] for m in council] == ["A member withdrew from an assignment"]
    assert REASON in council[0]["body"]
    mine = [m for m in mail if m["to"] == booked["her"].email]
    assert [m["calendar_method"] for m in mine] == ["CANCEL"]
    uids = [e["uid"] for e in parse_with_icaljs(mine[0]["calendar"])["events"]]
    assert uids == [booked["first"].ical_uid, booked["second"].ical_uid]
    newest = request_invitations(db_session, request)[-1]
    assert (newest.member_id, newest.status) == (reserve.id, InvitationStatus.PENDING)
    assert [m["to"] for m in mail if m["subject"].startswith("Invitation")] == [reserve.email]
    assert booked_sessions(session=db_session, member_id=booked["her"].id) == []


def test_whole_assignment_needs_a_booking_with_meetings_ahead(db_session, booked):
    after = booked["second"].ends_at + timedelta(hours=1)

    with pytest.raises(Conflict):
        cannot_come_at_all(
            session=db_session,
            assignment=booked["assignment"],
            reason=REASON,
            actor=booked["user"],
            ctx=CTX,
            now=after,
        )


def _stand_in(db_session, booked):
    """A stand-in for the second meeting, accepted (made directly, as the stand-in flow would)."""
    person, request, second = booked["members"][3], booked["request"], booked["second"]
    invitation = Invitation(
        request_id=request.id,
        member_id=person.id,
        token="stand-in-" + "s" * 30,
        status=InvitationStatus.ACCEPTED,
        stand_in_session_id=second.id,
    )
    db_session.add(invitation)
    db_session.flush()
    assignment = Assignment(
        request_id=request.id,
        member_id=person.id,
        invitation_id=invitation.id,
        stand_in_session_id=second.id,
    )
    db_session.add(assignment)
    db_session.flush()
    return person, assignment


def test_a_stand_in_covers_only_her_meeting(db_session, booked):
    _report(db_session, booked, booked["second"])
    person, assignment = _stand_in(db_session, booked)

    rows = booked_sessions(session=db_session, member_id=person.id)
    units = work_units(session=db_session, member_ids=[person.id])
    after = booked["second"].ends_at + timedelta(days=1)
    claimable = claimable_sessions(session=db_session, assignment=assignment, now=after)
    sheet = attendance_sheet(session=db_session, booking_request=booked["request"], now=after)

    assert [row.item.id for row in rows] == [booked["second"].id]
    assert [len(unit.sessions) for unit in units] == [1]
    assert [item.id for item in claimable] == [booked["second"].id]
    assert person.id not in [row.member_id for row in sheet[0].rows]
    assert person.id in [row.member_id for row in sheet[1].rows]


def test_a_stand_in_is_not_counted_as_a_group_member(db_session, booked):
    request = booked["request"]
    before = booked_count(session=db_session, request_id=request.id)

    _stand_in(db_session, booked)

    assert before == 2
    assert booked_count(session=db_session, request_id=request.id) == 2
    assert open_places(session=db_session, request_ids=[request.id]).get(request.id, 0) == 0


def test_she_reports_through_the_page_with_a_confirmation_step(db_session, booked, app):
    client = app.test_client()
    assert login(client, booked["user"].email).status_code == 302
    assignment, second = booked["assignment"], booked["second"]
    url = f"/me/assignments/{assignment.id}/cannot-come"
    page = client.get(f"/me/assignments/{assignment.id}")
    assert page.status_code == 200, page.get_data(as_text=True)[:3000]
    token = csrf_token(page.get_data(as_text=True))
    data = {"csrf_token": token, "absence-meeting": str(second.id), "absence-reason": REASON}

    empty = client.post(url, data=data | {"absence-reason": ""})
    asked = client.post(url, data=data)
    assert db_session.exec(select(SessionAbsence)).all() == []
    done = client.post(url, data=data | {"confirmed": "1"})

    assert empty.status_code == 422
    assert asked.status_code == 200 and 'name="confirmed" value="1"' in asked.get_data(as_text=True)
    assert done.status_code == 302
    absences = db_session.exec(select(SessionAbsence)).all()
    assert [(a.request_session_id, a.reason) for a in absences] == [(second.id, REASON)]
    assert assignment.status == AssignmentStatus.BOOKED


def test_another_member_gets_404_on_her_pages(db_session, booked, csrf_free_app, factory):
    stranger = factory.user(Role.MEMBER)
    factory.member(user=stranger)
    client = csrf_free_app.test_client()
    assert login(client, stranger.email).status_code == 302
    assignment = booked["assignment"]

    shown = client.get(f"/me/assignments/{assignment.id}")
    posted = client.post(
        f"/me/assignments/{assignment.id}/cannot-come",
        data={"absence-meeting": "all", "absence-reason": REASON, "confirmed": "1"},
    )

    assert (shown.status_code, posted.status_code) == (404, 404)
    assert db_session.exec(select(SessionAbsence)).all() == []
    assert assignment.status == AssignmentStatus.BOOKED


def test_a_withdrawn_assignment_offers_no_form_and_refuses_a_post(
    db_session, booked, csrf_free_app
):
    assignment = booked["assignment"]
    assignment.status = AssignmentStatus.WITHDRAWN
    db_session.add(assignment)
    db_session.flush()
    client = csrf_free_app.test_client()
    assert login(client, booked["user"].email).status_code == 302

    page = client.get(f"/me/assignments/{assignment.id}").get_data(as_text=True)
    posted = client.post(
        f"/me/assignments/{assignment.id}/cannot-come",
        data={"absence-meeting": "all", "absence-reason": REASON, "confirmed": "1"},
    )

    assert 'id="cannot-come-form"' not in page
    assert posted.status_code == 409
    assert db_session.exec(select(SessionAbsence)).all() == []


def test_absence_in_automatic_mode_invites_a_stand_in_for_that_meeting(db_session, booked):
    second = booked["second"]

    _report(db_session, booked, second)

    invited = db_session.exec(
        select(Invitation).where(
            Invitation.request_id == booked["request"].id,
            Invitation.stand_in_session_id.is_not(None),
        )
    ).all()
    group = {member.id for member in booked["members"][:2]}
    assert [(i.stand_in_session_id, i.status) for i in invited] == [
        (second.id, InvitationStatus.PENDING)
    ]
    assert invited[0].member_id not in group
    stand_in_mail = [
        m for m in queued(db_session) if m.get("calendar") and m["to"] != booked["her"].email
    ]
    uids = [e["uid"] for e in parse_with_icaljs(stand_in_mail[-1]["calendar"])["events"]]
    assert uids == [second.ical_uid]
