"""Replacing people who drop out: the council confirms (default) or reserves are invited at once."""

from datetime import timedelta

import pytest
from sqlmodel import select

from app.mail.context import MailContext
from app.models import Assignment, AuditEvent, AvailabilityException, RequestEvent
from app.models.enums import RequestStatus
from app.services.booking.changes import expire_invitations
from app.services.booking.decisions import cancel_request
from app.services.booking.invitations import accept_invitation, decline_invitation
from app.services.booking.replacements import (
    open_places,
    replace_from_reserves,
    replacement_candidates,
    set_replacement_mode,
)
from app.services.booking.withdrawals import withdraw_from_assignment
from app.services.errors import Conflict, InvalidInput
from tests.booking_support import approve, booking_setting, queued, request_invitations

CTX = MailContext(council_mailbox="radet@region.example", base_url="https://levbib.example")


@pytest.fixture
def setting(factory, db_session):
    return booking_setting(factory, db_session)


def _approve(db_session, request, members, council, count=2, mode=None):
    return approve(db_session, request, members, council, CTX, count=count, mode=mode)


def _invitations(db_session, request):
    return request_invitations(db_session, request)


def _events(db_session, request):
    query = select(RequestEvent).where(RequestEvent.request_id == request.id)
    return list(db_session.exec(query.order_by(RequestEvent.id)))


def _reserves(db_session, request):
    return [m.id for m in replacement_candidates(session=db_session, booking_request=request)]


def test_council_confirms_is_the_default_mode(setting, db_session):
    request, *_ = setting

    assert request.replacement_mode == "council_confirms"


def test_a_decline_puts_the_next_reserve_in_the_councils_queue(setting, db_session):
    request, _, members, _, council = setting
    first, _ = _approve(db_session, request, members, council)
    db_session.info.clear()

    decline_invitation(session=db_session, token=first.token, ctx=CTX)

    assert [i.status for i in _invitations(db_session, request)] == ["declined", "pending"]
    event = _events(db_session, request)[-1]
    assert (event.action, event.detail["reason"]) == ("replacement_needed", "declined")
    assert event.detail["member_id"] == members[0].id
    assert event.detail["next_reserve_id"] == _reserves(db_session, request)[0]
    assert open_places(session=db_session, request_ids=[request.id]) == {request.id: 1}
    mail = queued(db_session)[-1]
    assert (mail["to"], mail["subject"]) == (
        "radet@region.example",
        "A replacement is needed: Test request",
    )
    assert f"https://levbib.example/council/requests/{request.id}" in mail["body"]
    audit = db_session.exec(
        select(AuditEvent).where(AuditEvent.action == "request.replacement_needed")
    ).all()
    assert [a.subject_id for a in audit] == [request.id]


def test_one_click_invites_the_next_reserve(setting, db_session):
    request, _, members, _, council = setting
    first, _ = _approve(db_session, request, members, council)
    decline_invitation(session=db_session, token=first.token, ctx=CTX)
    following = _reserves(db_session, request)[0]

    invitation = replace_from_reserves(
        session=db_session, booking_request=request, actor=council, ctx=CTX
    )

    assert invitation.member_id == following
    event = _events(db_session, request)[-1]
    assert (event.action, event.actor_id, event.detail) == (
        "reserve_invited",
        council.id,
        {"member_id": following},
    )
    assert open_places(session=db_session, request_ids=[request.id]) == {}
    assert queued(db_session)[-1]["to"] == _member(members, following).email


def _member(members, member_id):
    return next(m for m in members if m.id == member_id)


def test_the_council_may_choose_another_free_reserve(setting, db_session):
    request, _, members, _, council = setting
    first, _ = _approve(db_session, request, members, council)
    decline_invitation(session=db_session, token=first.token, ctx=CTX)
    other = _reserves(db_session, request)[1]

    invitation = replace_from_reserves(
        session=db_session, booking_request=request, actor=council, ctx=CTX, member_id=other
    )

    assert invitation.member_id == other


def test_choosing_someone_not_a_free_reserve_is_refused(setting, db_session):
    request, _, members, _, council = setting
    first, _ = _approve(db_session, request, members, council)
    decline_invitation(session=db_session, token=first.token, ctx=CTX)

    with pytest.raises(InvalidInput):
        replace_from_reserves(
            session=db_session,
            booking_request=request,
            actor=council,
            member_id=members[0].id,  # declined already
        )


def test_replacing_without_an_open_place_is_refused(setting, db_session):
    request, _, members, _, council = setting
    _approve(db_session, request, members, council)

    with pytest.raises(Conflict):
        replace_from_reserves(session=db_session, booking_request=request, actor=council)


def test_replacing_on_a_cancelled_request_is_refused(setting, db_session):
    request, _, members, _, council = setting
    first, _ = _approve(db_session, request, members, council)
    decline_invitation(session=db_session, token=first.token, ctx=CTX)
    cancel_request(session=db_session, booking_request=request, reason="Off", actor=council)

    with pytest.raises(Conflict):
        replace_from_reserves(session=db_session, booking_request=request, actor=council)


def test_a_reserve_no_longer_available_is_not_offered(setting, db_session):
    request, row, members, _, council = setting
    first, _ = _approve(db_session, request, members, council)
    decline_invitation(session=db_session, token=first.token, ctx=CTX)
    before = _reserves(db_session, request)
    blocked = _member(members, before[0])
    day = row.starts_at.date()
    db_session.add(
        AvailabilityException(
            member_id=blocked.id, start_date=day - timedelta(days=1), end_date=day + timedelta(1)
        )
    )
    db_session.flush()

    assert _reserves(db_session, request) == before[1:]


def test_an_expired_invitation_waits_for_the_council(setting, db_session):
    request, _, members, _, council = setting
    first, _ = _approve(db_session, request, members, council)

    expire_invitations(
        session=db_session, ctx=CTX, now=first.reply_deadline_at + timedelta(seconds=1)
    )

    actions = [e.action for e in _events(db_session, request)]
    assert actions[-4:] == [
        "invitation_expired",
        "replacement_needed",
        "invitation_expired",
        "replacement_needed",
    ]
    assert [i.status for i in _invitations(db_session, request)] == ["expired", "expired"]
    assert open_places(session=db_session, request_ids=[request.id]) == {request.id: 2}


def test_a_withdrawal_reopens_the_request_and_waits_for_the_council(setting, db_session):
    request, _, members, _, council = setting
    for invitation in _approve(db_session, request, members, council):
        accept_invitation(session=db_session, token=invitation.token)
    assignment = db_session.exec(
        select(Assignment).where(Assignment.member_id == members[0].id)
    ).one()
    db_session.info.clear()

    withdraw_from_assignment(
        session=db_session,
        assignment=assignment,
        member=members[0],
        actor_id=None,
        council_mailbox="radet@region.example",
        translate=CTX.translate,
    )

    assert request.status == RequestStatus.APPROVED
    event = _events(db_session, request)[-1]
    assert (event.action, event.detail["reason"]) == ("replacement_needed", "withdrew")
    assert len(_invitations(db_session, request)) == 2  # nobody invited without the council
    assert [m["subject"] for m in queued(db_session)] == ["A member withdrew from an assignment"]


def test_switching_to_auto_fills_the_open_places_at_once(setting, db_session):
    request, _, members, _, council = setting
    first, _ = _approve(db_session, request, members, council)
    decline_invitation(session=db_session, token=first.token, ctx=CTX)

    invited = set_replacement_mode(
        session=db_session, booking_request=request, mode="auto", actor=council, ctx=CTX
    )

    assert request.replacement_mode == "auto"
    assert len(invited) == 1
    actions = [e.action for e in _events(db_session, request)]
    assert actions[-2:] == ["replacement_mode_changed", "reserve_invited"]


def test_an_unknown_mode_is_refused(setting, db_session):
    request, _, _, _, council = setting

    with pytest.raises(InvalidInput):
        set_replacement_mode(session=db_session, booking_request=request, mode="x", actor=council)


def test_changing_the_mode_of_a_cancelled_request_is_refused(setting, db_session):
    request, _, _, _, council = setting
    request.status = RequestStatus.CANCELLED

    with pytest.raises(Conflict):
        set_replacement_mode(
            session=db_session, booking_request=request, mode="auto", actor=council
        )


def test_a_smaller_approved_group_is_booked_when_all_of_it_accepted(setting, db_session):
    request, _, members, _, council = setting

    (only,) = _approve(db_session, request, members, council, count=1)
    accept_invitation(session=db_session, token=only.token, ctx=CTX)

    assert request.status == RequestStatus.BOOKED
    assert open_places(session=db_session, request_ids=[request.id]) == {}
