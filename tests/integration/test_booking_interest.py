"""Asking for interest first: questions, answers, closing the round, choosing among the yes-sayers."""

from datetime import timedelta

import pytest
from sqlmodel import select

from app.mail.context import MailContext
from app.models import Assignment, Invitation, RequestEvent
from app.models.enums import RequestStatus
from app.services.booking.changes import expire_invitations
from app.services.booking.decisions import approve_group, cancel_request
from app.services.booking.guard import busy_member_ids
from app.services.booking.interest import answer_interest, ask_for_interest, end_interest_round
from app.services.booking.invitations import accept_invitation
from app.services.errors import Conflict, InvalidInput
from app.services.matchmaking.matching_input import pool_for_matching
from app.services.matchmaking.proposals import compute_proposal, decision_proposal
from tests.booking_support import booking_setting, queued

CTX = MailContext(council_mailbox="radet@region.example", base_url="https://levbib.example")


@pytest.fixture
def setting(factory, db_session):
    """A request for two people and a pool of five eligible members."""
    return booking_setting(factory, db_session, people=5)


def _deadline(row):
    return row.starts_at - timedelta(days=3)


def _ask(db_session, setting, count=4, **kwargs):
    request, row, _, _, council = setting
    return ask_for_interest(
        session=db_session,
        booking_request=request,
        count=count,
        deadline=kwargs.pop("deadline", _deadline(row)),
        actor=council,
        ctx=CTX,
        **kwargs,
    )


def _answer(db_session, invitation, yes, **kwargs):
    return answer_interest(
        session=db_session, token=invitation.token, interested=yes, ctx=CTX, **kwargs
    )


def _actions(db_session, request):
    query = select(RequestEvent).where(RequestEvent.request_id == request.id)
    return [event.action for event in db_session.exec(query.order_by(RequestEvent.id))]


def test_asking_sends_the_top_ranked_a_question_and_books_nobody(setting, db_session):
    request, row, members, _, council = setting
    ranking = [
        int(c.member_id)
        for c in compute_proposal(session=db_session, booking_request=request).proposal.ranked
    ]

    asked = _ask(db_session, setting, count=3)

    assert [i.member_id for i in asked] == ranking[:3]
    assert all(i.is_interest_check and i.reply_deadline_at == _deadline(row) for i in asked)
    assert request.status == RequestStatus.INTEREST
    assert _actions(db_session, request) == ["interest_asked"]
    mails = queued(db_session)
    assert [m["subject"] for m in mails] == ["Are you interested? Test request"] * 3
    assert "calendar" not in mails[0]
    assert f"https://levbib.example/invitations/{asked[0].token}" in mails[0]["body"]
    ids = [i.member_id for i in asked]
    assert busy_member_ids(session=db_session, member_ids=ids, booking_request=request) == set()


@pytest.mark.parametrize(
    ("count", "shift", "field"),
    [(0, -3, "count"), (21, -3, "count"), (2, +1, "deadline")],
)
def test_a_bad_count_or_deadline_is_refused(setting, db_session, count, shift, field):
    _, row, *_ = setting

    with pytest.raises(InvalidInput) as refused:
        _ask(db_session, setting, count=count, deadline=row.starts_at + timedelta(days=shift))

    assert list(refused.value.fields) == [field]


def test_a_deadline_in_the_past_is_refused(setting, db_session):
    _, row, *_ = setting

    with pytest.raises(InvalidInput):
        _ask(db_session, setting, deadline=row.starts_at - timedelta(days=30))


def test_asking_about_an_approved_request_is_refused(setting, db_session):
    request, *_ = setting
    request.status = RequestStatus.APPROVED

    with pytest.raises(Conflict):
        _ask(db_session, setting)


def test_answers_are_recorded_and_the_last_one_closes_the_round(setting, db_session):
    request, *_ = setting
    asked = _ask(db_session, setting, count=3)
    db_session.info.clear()

    _answer(db_session, asked[0], True)
    _answer(db_session, asked[1], False)
    _answer(db_session, asked[2], True)

    assert [i.status for i in asked] == ["accepted", "declined", "accepted"]
    assert _actions(db_session, request)[1:] == [
        "interest_yes",
        "interest_no",
        "interest_yes",
        "interest_closed",
    ]
    mail = queued(db_session)[-1]
    assert (mail["to"], mail["subject"]) == (
        "radet@region.example",
        "Answers about interest: Test request",
    )
    assert mail["body"].startswith("2 said yes; 2 are needed.")
    assert db_session.exec(select(Assignment)).all() == []  # answers are not bookings


def test_answering_twice_is_refused(setting, db_session):
    asked = _ask(db_session, setting)
    _answer(db_session, asked[0], True)

    with pytest.raises(Conflict):
        _answer(db_session, asked[0], False)


def test_answering_after_the_deadline_is_refused(setting, db_session):
    asked = _ask(db_session, setting)

    with pytest.raises(Conflict):
        _answer(db_session, asked[0], True, now=asked[0].reply_deadline_at + timedelta(minutes=1))


def test_answering_about_a_cancelled_request_is_refused(setting, db_session):
    request, _, _, _, council = setting
    asked = _ask(db_session, setting)
    cancel_request(session=db_session, booking_request=request, reason="Off", actor=council)

    with pytest.raises(Conflict):
        _answer(db_session, asked[0], True)


def test_a_question_cannot_be_accepted_as_an_invitation(setting, db_session):
    asked = _ask(db_session, setting)

    with pytest.raises(Conflict):
        accept_invitation(session=db_session, token=asked[0].token)


def test_an_invitation_cannot_be_answered_as_a_question(setting, db_session):
    request, _, members, _, council = setting
    approve_group(
        session=db_session, booking_request=request, member_ids=[members[0].id], actor=council
    )
    invitation = db_session.exec(select(Invitation)).one()

    with pytest.raises(Conflict):
        _answer(db_session, invitation, True)


def test_the_deadline_job_closes_the_round(setting, db_session):
    request, *_ = setting
    asked = _ask(db_session, setting, count=2)
    _answer(db_session, asked[0], True)

    expired = expire_invitations(
        session=db_session, ctx=CTX, now=asked[1].reply_deadline_at + timedelta(seconds=1)
    )

    assert [i.id for i in expired] == [asked[1].id]
    assert _actions(db_session, request)[-2:] == ["interest_expired", "interest_closed"]
    assert request.status == RequestStatus.INTEREST
    assert "Too few said yes" in queued(db_session)[-1]["body"]


def test_the_group_is_chosen_by_the_ranking_among_the_yes_sayers(setting, db_session):
    request, _, members, _, council = setting
    asked = _ask(db_session, setting, count=4)
    for invitation, yes in zip(asked, (False, True, True, True), strict=True):
        _answer(db_session, invitation, yes)
    yes_ids = {i.member_id for i in asked[1:]}

    view = decision_proposal(session=db_session, booking_request=request)
    restricted = [int(m) for m in view.proposal.group]

    assert {int(c.member_id) for c in view.proposal.ranked} == yes_ids
    assert len(restricted) == 2 and set(restricted) <= yes_ids
    pool = pool_for_matching(session=db_session, member_ids=yes_ids)
    assert sorted(int(m.id) for m in pool) == sorted(yes_ids)


def test_approval_waits_for_the_round_and_then_invites_yes_sayers(setting, db_session):
    request, _, _, _, council = setting
    asked = _ask(db_session, setting, count=3)
    _answer(db_session, asked[0], True)
    _answer(db_session, asked[1], True)
    early = [asked[0].member_id, asked[1].member_id]

    with pytest.raises(Conflict):  # asked[2] may still answer
        approve_group(session=db_session, booking_request=request, member_ids=early, actor=council)
    _answer(db_session, asked[2], False)
    db_session.info.clear()
    approve_group(
        session=db_session, booking_request=request, member_ids=early, actor=council, ctx=CTX
    )

    invitations = db_session.exec(
        select(Invitation).where(~Invitation.is_interest_check).order_by(Invitation.id)
    ).all()
    assert [i.member_id for i in invitations] == early
    assert request.status == RequestStatus.APPROVED
    assert {m["subject"] for m in queued(db_session)} == {"Invitation: Test request"}


def test_a_person_who_said_no_cannot_be_approved(setting, db_session):
    request, _, _, _, council = setting
    asked = _ask(db_session, setting, count=2)
    _answer(db_session, asked[0], True)
    _answer(db_session, asked[1], False)

    with pytest.raises(InvalidInput):
        approve_group(
            session=db_session,
            booking_request=request,
            member_ids=[asked[0].member_id, asked[1].member_id],
            actor=council,
        )


def test_with_too_few_yes_the_council_approves_fewer(setting, db_session):
    request, _, _, _, council = setting
    asked = _ask(db_session, setting, count=2)
    _answer(db_session, asked[0], True)
    _answer(db_session, asked[1], False)

    approve_group(
        session=db_session,
        booking_request=request,
        member_ids=[asked[0].member_id],
        actor=council,
        ctx=CTX,
    )
    invitation = db_session.exec(select(Invitation).where(~Invitation.is_interest_check)).one()
    accept_invitation(session=db_session, token=invitation.token, ctx=CTX)

    assert request.status == RequestStatus.BOOKED


def test_asking_more_people_reopens_the_round_with_the_next_ranked(setting, db_session):
    request, *_ = setting
    first = _ask(db_session, setting, count=2)
    for invitation in first:
        _answer(db_session, invitation, False)

    more = _ask(db_session, setting, count=2)

    assert {i.member_id for i in more}.isdisjoint({i.member_id for i in first})
    assert request.status == RequestStatus.INTEREST
    assert _actions(db_session, request)[-1] == "interest_asked"


def test_asking_when_everyone_ranked_was_asked_is_refused(setting, db_session):
    _ask(db_session, setting, count=5)

    with pytest.raises(Conflict):
        _ask(db_session, setting, count=1)


def test_ending_the_round_goes_back_to_the_regular_proposal(setting, db_session):
    request, _, _, _, council = setting
    asked = _ask(db_session, setting, count=3)
    _answer(db_session, asked[0], True)

    end_interest_round(session=db_session, booking_request=request, actor=council)

    assert request.status == RequestStatus.SUBMITTED
    assert [i.status for i in asked] == ["accepted", "cancelled", "cancelled"]
    assert len(decision_proposal(session=db_session, booking_request=request).proposal.ranked) == 5
    with pytest.raises(Conflict):
        _answer(db_session, asked[1], True)
    with pytest.raises(Conflict):
        end_interest_round(session=db_session, booking_request=request, actor=council)


def test_cancelling_tells_the_people_asked(setting, db_session):
    request, _, _, _, council = setting
    asked = _ask(db_session, setting, count=2)
    _answer(db_session, asked[0], True)
    db_session.info.clear()

    cancel_request(
        session=db_session, booking_request=request, reason="Off", actor=council, ctx=CTX
    )

    assert [i.status for i in asked] == ["cancelled", "cancelled"]
    mails = queued(db_session)
    assert [m["subject"] for m in mails] == ["No longer needed: Test request"] * 2
    assert all("calendar" not in m for m in mails)


def test_a_no_is_not_a_decline_in_the_acceptance_history(setting, db_session):
    asked = _ask(db_session, setting, count=1)
    _answer(db_session, asked[0], False)

    pool = pool_for_matching(session=db_session, member_ids=[asked[0].member_id])

    assert pool[0].history == ()
