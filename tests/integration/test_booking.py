"""Council decisions and member answers: every transition, and the ones that are refused."""

from datetime import UTC, timedelta

import pytest
from icalendar import Calendar
from sqlmodel import select

from app.mail.context import MailContext
from app.models import Assignment, AuditEvent, Proposal, ProposalEntry, RequestEvent
from app.models.enums import RequestStatus
from app.services.booking.changes import change_session_time, expire_invitations
from app.services.booking.decisions import (
    approve_group,
    ask_orderer,
    cancel_request,
    decline_request,
    swap_member,
)
from app.services.booking.invitations import accept_invitation, decline_invitation
from app.services.booking.withdrawals import withdraw_from_assignment
from app.services.errors import Conflict, InvalidInput
from app.services.matchmaking.proposals import compute_proposal
from tests.booking_support import approve, booking_setting, queued, request_invitations
from tests.icaljs import parse_with_icaljs

CTX = MailContext(council_mailbox="radet@region.example", base_url="https://levbib.example")


@pytest.fixture
def setting(factory, db_session):
    return booking_setting(factory, db_session)


def _approve(db_session, request, members, council, count=2, mode=None):
    return approve(db_session, request, members, council, CTX, count=count, mode=mode)


def _invitations(db_session, request):
    return request_invitations(db_session, request)


def _actions(db_session, request):
    query = select(RequestEvent).where(RequestEvent.request_id == request.id)
    return [event.action for event in db_session.exec(query.order_by(RequestEvent.id))]


def test_approve_group_stores_proposal_invites_and_records_who(setting, db_session):
    request, row, members, _, council = setting

    invitations = _approve(db_session, request, members, council)

    proposal = db_session.exec(select(Proposal).where(Proposal.request_id == request.id)).one()
    entries = db_session.exec(
        select(ProposalEntry).where(ProposalEntry.proposal_id == proposal.id)
    ).all()
    assert (request.status, request.decided_by_id) == (RequestStatus.APPROVED, council.id)
    assert (proposal.status, proposal.decided_by_id) == ("approved", council.id)
    assert {e.member_id for e in entries if e.is_in_group} == {members[0].id, members[1].id}
    assert sorted(e.reserve_position for e in entries if not e.is_in_group) == [1, 2]
    assert [i.member_id for i in invitations] == [members[0].id, members[1].id]
    assert all(len(i.token) >= 40 and i.reply_deadline_at < row.starts_at for i in invitations)
    assert _actions(db_session, request) == ["approved"]
    mails = queued(db_session)
    assert [m["to"] for m in mails] == ["person0@example.org", "person1@example.org"]
    assert Calendar.from_ical(mails[0]["calendar"])["method"] == "REQUEST"


def test_approving_a_cancelled_request_is_refused(setting, db_session):
    request, _, members, _, council = setting
    request.status = RequestStatus.CANCELLED

    with pytest.raises(Conflict):
        _approve(db_session, request, members, council)


def test_approving_an_ineligible_person_is_refused(setting, factory, db_session):
    request, _, members, _, council = setting
    outsider = factory.member(experiences=(("psychiatry", "own"),))

    with pytest.raises(InvalidInput):
        approve_group(
            session=db_session,
            booking_request=request,
            member_ids=[members[0].id, outsider.id],
            actor=council,
        )


def test_swap_takes_only_an_eligible_alternative(setting, factory, db_session):
    request, _, members, _, council = setting
    group = [members[0].id, members[1].id]
    outsider = factory.member(experiences=(("psychiatry", "own"),))

    swapped = swap_member(
        session=db_session,
        booking_request=request,
        group=group,
        out_id=members[1].id,
        in_id=members[3].id,
        actor=council,
    )

    assert swapped == [members[0].id, members[3].id]
    assert _actions(db_session, request) == ["swapped"]
    with pytest.raises(InvalidInput):
        swap_member(
            session=db_session,
            booking_request=request,
            group=group,
            out_id=members[1].id,
            in_id=outsider.id,
            actor=council,
        )


def test_everyone_accepting_books_the_request(setting, db_session):
    request, _, members, _, council = setting
    first, second = _approve(db_session, request, members, council)

    accept_invitation(session=db_session, token=first.token, conflict_declaration="None")
    assert request.status == RequestStatus.APPROVED
    accept_invitation(session=db_session, token=second.token)

    assignments = db_session.exec(select(Assignment).where(Assignment.request_id == request.id))
    assert sorted(a.member_id for a in assignments) == [members[0].id, members[1].id]
    assert request.status == RequestStatus.BOOKED
    assert _actions(db_session, request)[-1] == "booked"


def test_accepting_twice_is_refused(setting, db_session):
    request, _, members, _, council = setting
    first, _ = _approve(db_session, request, members, council)
    accept_invitation(session=db_session, token=first.token)

    with pytest.raises(Conflict):
        accept_invitation(session=db_session, token=first.token)


def test_accepting_after_the_start_is_refused(setting, db_session):
    request, row, members, _, council = setting
    first, _ = _approve(db_session, request, members, council)

    with pytest.raises(Conflict):
        accept_invitation(session=db_session, token=first.token, now=row.starts_at)


def test_accepting_for_a_cancelled_request_is_refused(setting, db_session):
    request, _, members, _, council = setting
    first, _ = _approve(db_session, request, members, council)
    cancel_request(
        session=db_session, booking_request=request, reason="Moved", actor=council, ctx=CTX
    )

    with pytest.raises(Conflict):
        accept_invitation(session=db_session, token=first.token)


def test_decline_in_auto_mode_invites_the_next_reserve(setting, db_session):
    request, _, members, _, council = setting
    first, _ = _approve(db_session, request, members, council, mode="auto")

    decline_invitation(session=db_session, token=first.token, ctx=CTX, message="Busy")

    invitations = _invitations(db_session, request)
    assert [i.status for i in invitations] == ["declined", "pending", "pending"]
    assert invitations[2].member_id in {members[2].id, members[3].id}
    assert _actions(db_session, request)[-2:] == ["invitation_declined", "reserve_invited"]


def test_no_reserve_left_tells_the_council(factory, db_session):
    request, _, members, _, council = booking_setting(factory, db_session, people=2)
    first, _ = _approve(db_session, request, members, council, mode="auto")

    decline_invitation(session=db_session, token=first.token, ctx=CTX)

    assert _actions(db_session, request)[-1] == "no_reserve_left"
    assert queued(db_session)[-1]["to"] == "radet@region.example"


def test_a_withdrawal_in_auto_mode_reopens_the_request_and_invites_a_reserve(setting, db_session):
    request, _, members, _, council = setting
    for invitation in _approve(db_session, request, members, council, mode="auto"):
        accept_invitation(session=db_session, token=invitation.token)
    assignment = db_session.exec(
        select(Assignment).where(Assignment.member_id == members[0].id)
    ).one()

    withdraw_from_assignment(
        session=db_session,
        assignment=assignment,
        member=members[0],
        actor_id=None,
        council_mailbox="radet@region.example",
        translate=CTX.translate,
    )

    assert request.status == RequestStatus.APPROVED
    assert _actions(db_session, request)[-1] == "reserve_invited"


def test_ask_and_decline_go_back_to_the_orderer(setting, factory, db_session):
    request, _, _, orderer, council = setting
    other = factory.booking_request(orderer)

    ask_orderer(session=db_session, booking_request=request, message="Which ward?", actor=council)
    decline_request(session=db_session, booking_request=other, reason="Out of scope", actor=council)

    assert (request.status, request.status_message) == ("question", "Which ward?")
    assert (other.status, other.decided_by_id) == ("declined", council.id)
    # The named contact person gets the question; a request without one goes to the account.
    assert [m["to"] for m in queued(db_session)] == ["kim@region.example", orderer.email]
    with pytest.raises(Conflict):
        decline_request(session=db_session, booking_request=other, reason="x", actor=council)
    with pytest.raises(InvalidInput):
        ask_orderer(session=db_session, booking_request=request, message=" ", actor=council)


def test_overlapping_approval_for_an_invited_person_is_refused(setting, factory, db_session):
    request, row, members, orderer, council = setting
    _approve(db_session, request, members, council)
    other = factory.booking_request(orderer, areas=("cancer",), people_count=1)
    other_row = db_session.exec(select(type(row)).where(type(row).request_id == other.id)).one()
    other_row.starts_at, other_row.ends_at = row.starts_at + timedelta(hours=1), row.ends_at

    # The open invitation holds the time: the proposal names it, and approval is refused.
    view = compute_proposal(session=db_session, booking_request=other)
    with pytest.raises(InvalidInput):
        approve_group(
            session=db_session, booking_request=other, member_ids=[members[0].id], actor=council
        )
    assert view.proposal.excluded[str(members[0].id)].rule == "already_booked"


def test_cancel_sends_cancel_with_a_higher_sequence(setting, db_session):
    request, row, members, _, council = setting
    _approve(db_session, request, members, council)

    cancel_request(session=db_session, booking_request=request, reason="Off", actor=council)

    cancels = [m for m in queued(db_session) if m.get("calendar_method") == "CANCEL"]
    event = Calendar.from_ical(cancels[0]["calendar"]).walk("VEVENT")[0]
    assert (len(cancels), row.sequence, int(event["sequence"])) == (2, 1, 1)
    assert str(event["uid"]) == row.ical_uid


def test_changed_time_sends_an_update_with_the_same_uid_and_next_sequence(setting, db_session):
    request, row, members, _, council = setting
    _approve(db_session, request, members, council)
    db_session.info.clear()
    new_start = row.starts_at + timedelta(days=7)  # the same weekday: everyone can still come

    change_session_time(
        session=db_session,
        request_session=row,
        starts_at=new_start,
        ends_at=new_start + timedelta(hours=3),
        actor=council,
        ctx=CTX,
    )

    mails = queued(db_session)
    event = Calendar.from_ical(mails[0]["calendar"]).walk("VEVENT")[0]
    read = parse_with_icaljs(mails[0]["calendar"])["events"][0]
    assert [m["to"] for m in mails] == ["person0@example.org", "person1@example.org"]
    assert (str(event["uid"]), int(event["sequence"])) == (row.ical_uid, 1)
    assert (read["uid"], read["sequence"]) == (row.ical_uid, 1)
    assert event["dtstart"].dt.astimezone(UTC) == new_start
    assert _actions(db_session, request)[-1] == "time_changed"


def test_changed_time_onto_another_booking_is_refused(setting, factory, db_session):
    request, row, members, orderer, council = setting
    first, _ = _approve(db_session, request, members, council)
    accept_invitation(session=db_session, token=first.token)
    other = factory.booking_request(orderer, areas=("cancer",), people_count=1)
    other_row = db_session.exec(select(type(row)).where(type(row).request_id == other.id)).one()
    other_row.starts_at += timedelta(days=7)
    other_row.ends_at += timedelta(days=7)
    approve_group(
        session=db_session, booking_request=other, member_ids=[members[0].id], actor=council
    )

    with pytest.raises(Conflict):
        change_session_time(
            session=db_session,
            request_session=other_row,
            starts_at=row.starts_at,
            ends_at=row.ends_at,
            actor=council,
        )


def test_unanswered_invitations_in_auto_mode_expire_and_reserves_are_invited(setting, db_session):
    request, row, members, _, council = setting
    first, _ = _approve(db_session, request, members, council, mode="auto")

    expired = expire_invitations(
        session=db_session, ctx=CTX, now=first.reply_deadline_at + timedelta(seconds=1)
    )

    assert [i.member_id for i in expired] == [members[0].id, members[1].id]
    assert [i.status for i in _invitations(db_session, request)][:2] == ["expired", "expired"]
    assert _actions(db_session, request)[-1] == "reserve_invited"


def test_expire_command_runs(app):
    result = app.test_cli_runner().invoke(args=["expire-invitations"])

    assert (result.exit_code, result.output) == (0, "0 invitation(s) expired.\n")


def test_booking_tells_the_orderer_first_names_only(setting, db_session):
    request, _, members, orderer, council = setting
    for invitation in _approve(db_session, request, members, council):
        accept_invitation(session=db_session, token=invitation.token, ctx=CTX)

    mail = queued(db_session)[-1]

    # To the request's named contact person, greeted by name.
    assert (mail["to"], mail["subject"]) == ("kim@region.example", "Booked: Test request")
    assert mail["body"].startswith("Hello Kim Kontakt,\n\n")
    assert "- Test: Cancer (own experience)" in mail["body"]
    assert "Person0" not in mail["body"] and "radet@region.example" in mail["body"]
    # Their experience went to the orderer: one health-data read per person, on the log.
    reads = db_session.exec(
        select(AuditEvent).where(AuditEvent.action == "member.health_data.read")
    ).all()
    assert sorted((e.actor_id, e.subject_id, e.detail["via"]) for e in reads) == sorted(
        (orderer.id, member_id, "mail.booked")
        for member_id in db_session.exec(
            select(Assignment.member_id).where(
                Assignment.request_id == request.id, Assignment.status == "booked"
            )
        )
    )
    assert len(reads) == 2


def test_accepting_after_the_deadline_is_refused(setting, db_session):
    request, _, members, _, council = setting
    first, _ = _approve(db_session, request, members, council)

    with pytest.raises(Conflict):
        accept_invitation(
            session=db_session,
            token=first.token,
            now=first.reply_deadline_at + timedelta(minutes=1),
        )
