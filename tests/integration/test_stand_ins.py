"""A stand-in for one meeting: someone booked cannot come, another person is asked for that one."""

import re
from datetime import timedelta

import pytest
from sqlmodel import select

from app.mail.context import MailContext
from app.models import Assignment, Invitation, RequestEvent, RequestSession, SessionAbsence
from app.models.base import utcnow
from app.models.enums import RequestStatus, Role
from app.services.booking.changes import expire_invitations
from app.services.booking.invitations import accept_invitation, decline_invitation
from app.services.booking.replacements import open_places
from app.services.errors import Conflict
from app.services.journey.stand_ins import invite_stand_in, on_absence, stand_in_candidates
from app.services.requests.coming import coming_by_meeting
from tests.booking_support import (
    STOCKHOLM,
    approve,
    booking_setting,
    course_request,
    local_time,
    queued,
)
from tests.conftest import login
from tests.icaljs import parse_with_icaljs

CTX = MailContext(council_mailbox="radet@region.example", base_url="https://levbib.example")


def _booked(factory, db_session, mode=None):
    """Return (request, [meeting 1, 2, 3], members, orderer, council); members 0 and 1 booked."""
    request, first, members, orderer, council = booking_setting(factory, db_session, people=6)
    day = first.starts_at.astimezone(STOCKHOLM).date()
    meetings = [first] + [
        factory.request_session(request, local_time(day + timedelta(days=7 * n), 10), hours=2)
        for n in (1, 2)
    ]
    for invitation in approve(db_session, request, members, council, CTX, mode=mode):
        accept_invitation(session=db_session, token=invitation.token, ctx=CTX)
    assert request.status == RequestStatus.BOOKED
    return request, meetings, members, orderer, council


def _absent(db_session, request, meeting, member):
    assignment = db_session.exec(
        select(Assignment).where(
            Assignment.request_id == request.id, Assignment.member_id == member.id
        )
    ).one()
    absence = SessionAbsence(
        request_session_id=meeting.id,
        assignment_id=assignment.id,
        member_id=member.id,
        reason="Sjuk",
    )
    db_session.add(absence)
    db_session.flush()
    return absence


def _busy_at(factory, db_session, orderer, member, meeting):
    """Book ``member`` on another request at the meeting's time."""
    other = factory.booking_request(orderer, status="booked", title="Annat")
    factory.request_session(other, meeting.starts_at, hours=2)
    db_session.add(Assignment(request_id=other.id, member_id=member.id))
    db_session.flush()


@pytest.fixture
def booked(factory, db_session):
    return _booked(factory, db_session)


def _ids(members):
    return [m.id for m in members]


def test_candidates_exclude_the_group_the_absent_and_people_busy_at_that_meeting(
    booked, factory, db_session
):
    request, meetings, members, orderer, _ = booked
    _absent(db_session, request, meetings[1], members[0])
    _busy_at(factory, db_session, orderer, members[2], meetings[1])
    _busy_at(factory, db_session, orderer, members[3], meetings[0])  # another meeting: free

    found = stand_in_candidates(
        session=db_session, booking_request=request, request_session=meetings[1]
    )

    assert sorted(_ids(found)) == sorted(m.id for m in members[3:])
    assert members[0].id not in _ids(found) and members[1].id not in _ids(found)


def test_inviting_sends_one_meeting_with_its_uid(booked, db_session):
    request, meetings, members, _, council = booked
    absence = _absent(db_session, request, meetings[1], members[0])
    db_session.info.clear()
    now = utcnow()

    invitation = invite_stand_in(
        session=db_session,
        booking_request=request,
        absence=absence,
        actor=council,
        ctx=CTX,
        now=now,
    )

    assert invitation.stand_in_session_id == meetings[1].id
    assert now < invitation.reply_deadline_at <= meetings[1].starts_at
    mail = queued(db_session)[-1]
    assert mail["to"] == db_session.get(type(members[0]), invitation.member_id).email
    assert mail["subject"].startswith("Stand-in for one meeting: Test request, ")
    assert "ONE meeting only" in mail["body"]
    read = parse_with_icaljs(mail["calendar"])
    assert read["method"] == "REQUEST"
    assert [event["uid"] for event in read["events"]] == [meetings[1].ical_uid]
    event = db_session.exec(select(RequestEvent).order_by(RequestEvent.id.desc())).first()
    assert (event.action, event.actor_id, event.detail) == (
        "stand_in_invited",
        council.id,
        {"member_id": invitation.member_id, "session_id": meetings[1].id},
    )


def test_accepting_books_that_meeting_only_and_keeps_the_request_booked(booked, db_session):
    request, meetings, members, _, council = booked
    absence = _absent(db_session, request, meetings[1], members[0])
    invitation = invite_stand_in(
        session=db_session, booking_request=request, absence=absence, ctx=CTX, now=utcnow()
    )

    assignment = accept_invitation(
        session=db_session, token=invitation.token, ctx=CTX, conflict_declaration="Inget"
    )

    assert assignment.stand_in_session_id == meetings[1].id
    assert assignment.conflict_declared_at is not None
    assert assignment.conflict_declaration == "Inget"
    assert request.status == RequestStatus.BOOKED
    stand_in = db_session.get(type(members[0]), invitation.member_id)
    rows = coming_by_meeting(session=db_session, booking_request=request)
    assert [(row.meeting.id, row.stand_ins) for row in rows] == [
        (meetings[0].id, ()),
        (meetings[1].id, (stand_in.first_name,)),
        (meetings[2].id, ()),
    ]
    assert [len(row.names) for row in rows] == [2, 1, 2]


def test_stand_in_not_counted_in_group(booked, db_session):
    """Counts belong to the memberlist part: a stand-in is not one of the group (may fail here)."""
    from app.services.booking.invitations import booked_count

    request, meetings, members, _, _ = booked
    absence = _absent(db_session, request, meetings[1], members[0])
    invitation = invite_stand_in(
        session=db_session, booking_request=request, absence=absence, ctx=CTX, now=utcnow()
    )
    accept_invitation(session=db_session, token=invitation.token, ctx=CTX)

    assert booked_count(session=db_session, request_id=request.id) == 2


def test_auto_mode_invites_the_best_candidate_when_an_absence_is_reported(factory, db_session):
    request, meetings, members, _, _ = _booked(factory, db_session, mode="auto")
    absence = _absent(db_session, request, meetings[1], members[0])
    best = stand_in_candidates(
        session=db_session, booking_request=request, request_session=meetings[1]
    )[0]

    invitation = on_absence(session=db_session, absence=absence, ctx=CTX, now=utcnow())

    assert (invitation.member_id, invitation.stand_in_session_id) == (best.id, meetings[1].id)


def test_council_mode_leaves_the_absence_to_the_council(booked, db_session):
    request, meetings, members, _, _ = booked
    absence = _absent(db_session, request, meetings[1], members[0])
    before = len(queued(db_session))

    assert on_absence(session=db_session, absence=absence, ctx=CTX, now=utcnow()) is None
    assert len(queued(db_session)) == before
    assert (
        db_session.exec(select(Invitation).where(Invitation.stand_in_session_id.is_not(None))).all()
        == []
    )


def test_a_decline_tells_the_council_and_leaves_the_request_booked(booked, db_session):
    request, meetings, members, _, _ = booked
    absence = _absent(db_session, request, meetings[1], members[0])
    invitation = invite_stand_in(
        session=db_session, booking_request=request, absence=absence, ctx=CTX, now=utcnow()
    )
    db_session.info.clear()

    decline_invitation(session=db_session, token=invitation.token, ctx=CTX)

    assert request.status == RequestStatus.BOOKED
    mail = queued(db_session)[-1]
    assert (mail["to"], mail["subject"]) == (
        "radet@region.example",
        "A stand-in is needed: Test request",
    )
    assert "cannot stand in" in mail["body"]
    assert f"https://levbib.example/council/requests/{request.id}" in mail["body"]
    pending = db_session.exec(
        select(Invitation).where(
            Invitation.status == "pending", Invitation.request_id == request.id
        )
    ).all()
    assert pending == []


def test_a_decline_in_auto_mode_invites_the_next_candidate(factory, db_session):
    request, meetings, members, _, _ = _booked(factory, db_session, mode="auto")
    absence = _absent(db_session, request, meetings[1], members[0])
    first = on_absence(session=db_session, absence=absence, ctx=CTX, now=utcnow())
    following = stand_in_candidates(
        session=db_session, booking_request=request, request_session=meetings[1]
    )[0]

    decline_invitation(session=db_session, token=first.token, ctx=CTX)

    invitations = db_session.exec(
        select(Invitation)
        .where(Invitation.stand_in_session_id == meetings[1].id)
        .order_by(Invitation.id)
    ).all()
    assert [(i.member_id, i.status) for i in invitations] == [
        (first.member_id, "declined"),
        (following.id, "pending"),
    ]
    assert request.status == RequestStatus.BOOKED
    assert open_places(session=db_session, request_ids=[request.id]) == {}


def test_an_unanswered_stand_in_invitation_expires_without_reopening(booked, db_session):
    request, meetings, members, _, _ = booked
    absence = _absent(db_session, request, meetings[1], members[0])
    invitation = invite_stand_in(
        session=db_session, booking_request=request, absence=absence, ctx=CTX, now=utcnow()
    )

    expire_invitations(
        session=db_session, ctx=CTX, now=invitation.reply_deadline_at + timedelta(minutes=1)
    )

    assert (invitation.status, request.status) == ("expired", RequestStatus.BOOKED)


def test_a_stand_in_cannot_accept_after_the_meeting_started(booked, db_session):
    request, meetings, members, _, _ = booked
    absence = _absent(db_session, request, meetings[1], members[0])
    invitation = invite_stand_in(
        session=db_session, booking_request=request, absence=absence, ctx=CTX, now=utcnow()
    )
    invitation.reply_deadline_at = None  # only the start stops her
    db_session.add(invitation)

    with pytest.raises(Conflict, match="The meeting has already started"):
        accept_invitation(
            session=db_session,
            token=invitation.token,
            ctx=CTX,
            now=meetings[1].starts_at + timedelta(minutes=1),
        )


def test_a_second_invitation_for_a_covered_absence_is_refused(booked, db_session):
    request, meetings, members, _, _ = booked
    absence = _absent(db_session, request, meetings[1], members[0])
    invite_stand_in(
        session=db_session, booking_request=request, absence=absence, ctx=CTX, now=utcnow()
    )

    with pytest.raises(Conflict, match="Nobody at this meeting is waiting"):
        invite_stand_in(
            session=db_session, booking_request=request, absence=absence, ctx=CTX, now=utcnow()
        )


def _council_client(app, council):
    client = app.test_client()
    login(client, council.email)
    with client.session_transaction() as session:
        session["lang"] = "en"
    return client


def test_the_council_invites_from_the_request_page(booked, csrf_free_app, db_session, tmp_path):
    csrf_free_app.config["MAIL_OUTBOX"] = str(tmp_path / "outbox")
    request, meetings, members, _, council = booked
    _absent(db_session, request, meetings[1], members[0])
    client = _council_client(csrf_free_app, council)

    page = client.get(f"/council/requests/{request.id}").get_data(as_text=True)
    form = page.split(f'id="stand-in-form-{meetings[1].id}"', 1)[1].split("</form>", 1)[0]
    chosen = int(form.split('selected value="', 1)[1].split('"', 1)[0])
    answer = client.post(
        f"/council/requests/{request.id}/stand-ins",
        data={"session_id": meetings[1].id, "member_id": chosen},
    )

    assert "Stand-ins for one meeting" in page and "Invite a stand-in for this meeting" in form
    assert answer.status_code == 302
    db_session.expire_all()
    invitation = db_session.exec(
        select(Invitation).where(Invitation.stand_in_session_id == meetings[1].id)
    ).one()
    assert invitation.member_id == chosen
    after = client.get(f"/council/requests/{request.id}").get_data(as_text=True)
    assert "Every absence at this meeting has a stand-in" in after


def test_the_council_route_refuses_a_meeting_of_another_request(
    booked, csrf_free_app, db_session, factory
):
    request, meetings, members, orderer, council = booked
    _absent(db_session, request, meetings[1], members[0])
    other = factory.booking_request(orderer)
    foreign = db_session.exec(
        select(RequestSession).where(RequestSession.request_id == other.id)
    ).one()
    client = _council_client(csrf_free_app, council)

    answer = client.post(
        f"/council/requests/{request.id}/stand-ins",
        data={"session_id": foreign.id, "member_id": members[3].id},
    )

    assert answer.status_code == 422


@pytest.mark.parametrize("role", [Role.ORDERER, Role.MEMBER])
def test_others_cannot_reach_the_council_route(booked, csrf_free_app, db_session, factory, role):
    request, meetings, members, orderer, _ = booked
    _absent(db_session, request, meetings[1], members[0])
    visitor = orderer if role == Role.ORDERER else factory.user(Role.MEMBER)
    client = csrf_free_app.test_client()
    login(client, visitor.email)

    answer = client.post(
        f"/council/requests/{request.id}/stand-ins",
        data={"session_id": meetings[1].id, "member_id": members[3].id},
    )

    assert answer.status_code == 403
    assert (
        db_session.exec(select(Invitation).where(Invitation.stand_in_session_id.is_not(None))).all()
        == []
    )


def test_the_orderer_sees_the_stand_in_by_first_name_only(
    booked, csrf_free_app, db_session, factory
):
    request, meetings, members, orderer, _ = booked
    absence = _absent(db_session, request, meetings[1], members[0])
    invitation = invite_stand_in(
        session=db_session, booking_request=request, absence=absence, ctx=CTX, now=utcnow()
    )
    accept_invitation(session=db_session, token=invitation.token, ctx=CTX)
    client = csrf_free_app.test_client()
    login(client, orderer.email)
    with client.session_transaction() as session:
        session["lang"] = "en"

    page = client.get(f"/orders/{request.id}").get_data(as_text=True)

    section = page.split('id="coming-by-meeting"', 1)[1].split("</ul>", 1)[0]
    rows = section.split("<li")[1:]
    assert len(rows) == 3
    assert "Test (stand-in for this meeting)" in rows[1]
    assert "stand-in" not in rows[0] and "stand-in" not in rows[2]
    assert "Person" not in section  # last names never reach the orderer


def test_a_stand_in_is_held_only_at_her_meeting(booked, factory, db_session):
    from app.services.booking.guard import busy_member_ids

    request, meetings, members, orderer, _ = booked
    absence = _absent(db_session, request, meetings[1], members[0])
    invitation = invite_stand_in(
        session=db_session, booking_request=request, absence=absence, ctx=CTX, now=utcnow()
    )
    accept_invitation(session=db_session, token=invitation.token, ctx=CTX)
    at_first = course_request(factory, orderer, [meetings[0].starts_at], hours=2)
    at_second = course_request(factory, orderer, [meetings[1].starts_at], hours=2)
    ids = [invitation.member_id, members[0].id]

    busy_first = busy_member_ids(session=db_session, member_ids=ids, booking_request=at_first)
    busy_second = busy_member_ids(session=db_session, member_ids=ids, booking_request=at_second)

    assert busy_first == {members[0].id}  # the stand-in is free at meeting 1
    assert busy_second == {invitation.member_id}  # the absent member is free at meeting 2


def test_the_stand_in_pages_read_as_swedish(booked, csrf_free_app, db_session):
    from tests.integration.test_swedish_pages import problems, visible_text

    request, meetings, members, orderer, council = booked
    request.title, request.purpose, request.expectations = "Arbetsgrupp", "Varför", "Vad"
    db_session.add(request)
    absence = _absent(db_session, request, meetings[1], members[0])
    _absent(db_session, request, meetings[2], members[1])
    invitation = invite_stand_in(
        session=db_session, booking_request=request, absence=absence, ctx=CTX, now=utcnow()
    )
    anonymous = csrf_free_app.test_client()
    invitation_page = anonymous.get(f"/invitations/{invitation.token}").get_data(as_text=True)
    accept_invitation(session=db_session, token=invitation.token, ctx=CTX)
    council_client = csrf_free_app.test_client()
    login(council_client, council.email)
    orderer_client = csrf_free_app.test_client()
    login(orderer_client, orderer.email)

    council_page = council_client.get(f"/council/requests/{request.id}").get_data(as_text=True)
    order_page = orderer_client.get(f"/orders/{request.id}").get_data(as_text=True)

    assert "Ersättare till enstaka möten" in council_page
    assert "Bjud in ersättare till detta möte" in council_page
    assert "du tillfrågas om att ersätta på ETT enda möte" in invitation_page
    assert "(ersättare på det här mötet)" in order_page
    found = [
        [
            line
            for line in problems(visible_text(page))
            if not re.search(r"Test (council|orderer)", line)
        ]
        for page in (council_page, invitation_page, order_page)
    ]  # the factory's account names are English test data
    assert found == [[], [], []]


def test_the_absences_the_page_read_give_the_same_panel_as_reading_them(booked, db_session):
    from app.services.journey.absences import absences_for_request
    from app.services.journey.stand_in_overview import meetings_with_absences

    request, meetings, members, _, _ = booked
    for meeting, member in [(meetings[2], members[1]), (meetings[1], members[0]),
                            (meetings[2], members[0]), (meetings[0], members[1])]:  # fmt: skip
        _absent(db_session, request, meeting, member)
    now = meetings[0].ends_at + timedelta(minutes=1)  # the first meeting is over
    sessions = sorted(meetings, key=lambda m: m.starts_at)
    args = dict(session=db_session, booking_request=request, now=now, minimum=timedelta(hours=1))

    read = meetings_with_absences(**args, sessions=sessions)
    given = meetings_with_absences(
        **args,
        sessions=sessions,
        reported=absences_for_request(session=db_session, request_id=request.id),
    )

    assert [row.meeting.id for row in read] == [meetings[1].id, meetings[2].id]
    assert given == read
    absent_at_last = [(a.member_id, m.id) for a, m in read[1].absent]
    assert absent_at_last == [(members[1].id, members[1].id), (members[0].id, members[0].id)]
