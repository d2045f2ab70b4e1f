"""The council's worklist: each section provider lists an item while its condition holds and
drops it once the work is done (README, "The council's worklist")."""

from __future__ import annotations

import secrets
from datetime import timedelta

import pytest
import time_machine

from app import clock
from app.mail.context import MailContext
from app.models import CompensationClaim, Invitation, Organisation, Proposal, ProposalEntry
from app.models.enums import Role
from app.models.outbox import OutboxMessage
from app.services.booking.decisions import answer_question, ask_orderer, decline_request
from app.services.worklist.registry import PROVIDERS, build_worklist, worklist_counts
from app.services.worklist.sections import Moment

CTX = MailContext(council_mailbox="samordning@region.example", base_url="https://levbib.example")


def _now_moment() -> Moment:
    return Moment(now=clock.now(), today=clock.today())


def listed(session, key: str) -> list:
    """Return the items of one section as (key, facts) pairs, and check the count agrees."""
    moment = _now_moment()
    provider = next(p for p in PROVIDERS if p.key == key)
    items, total = provider.page(session=session, moment=moment, limit=20)
    assert provider.count(session=session, moment=moment) == total == len(items)
    return items


@pytest.fixture
def orderer(factory):
    return factory.user(Role.ORDERER)


@pytest.fixture
def council(factory):
    return factory.user(Role.COUNCIL)


def _invite(db_session, request, member, *, status="pending", deadline=None, interest=False):
    invitation = Invitation(
        request_id=request.id,
        member_id=member.id,
        status=status,
        token=secrets.token_urlsafe(16),
        reply_deadline_at=deadline,
        is_interest_check=interest,
    )
    db_session.add(invitation)
    db_session.flush()
    return invitation


def _approve(db_session, request, members):
    proposal = Proposal(request_id=request.id, status="approved")
    db_session.add(proposal)
    db_session.flush()
    for rank, member in enumerate(members, 1):
        db_session.add(
            ProposalEntry(
                proposal_id=proposal.id, member_id=member.id, rank=rank, score=1.0, is_in_group=True
            )
        )
    db_session.flush()


def test_the_sections_come_in_order_of_urgency():
    assert [p.key for p in PROVIDERS] == [
        "decision",
        "short",
        "expiring",
        "conflicts",
        "debriefs",
        "orderer_changes",
        "claims",
        "failed_mail",
    ]


def test_a_submitted_request_waits_for_a_decision_until_declined(
    db_session, factory, orderer, council
):
    request = factory.booking_request(orderer, title="Samtal om cancer", people_count=3)
    factory.booking_request(orderer, title="Redan bokad", status="booked")

    before = listed(db_session, "decision")
    decline_request(
        session=db_session, booking_request=request, reason="Fel pool", actor=council, ctx=CTX
    )
    after = listed(db_session, "decision")

    assert [(i.request_id, i.title) for i in before] == [(request.id, "Samtal om cancer")]
    assert before[0].facts == {
        "status": "submitted",
        "people": 3,
        "organisation": db_session.get(Organisation, orderer.organisation_id).name,
        "days": 14,
    }
    assert after == []


def test_an_interest_round_waits_for_a_decision_once_nobody_is_left_to_answer(
    db_session, factory, orderer
):
    request = factory.booking_request(orderer, title="Intresse", status="interest")
    invitation = _invite(db_session, request, factory.member(), interest=True)

    while_open = listed(db_session, "decision")
    invitation.status = "declined"
    db_session.flush()

    assert while_open == []
    assert [i.request_id for i in listed(db_session, "decision")] == [request.id]


def test_a_group_with_a_dropout_is_short_until_a_replacement_is_invited(
    db_session, factory, orderer
):
    request = factory.booking_request(
        orderer, title="Kort grupp", status="approved", people_count=2
    )
    stays, leaves, reserve = factory.member(), factory.member(), factory.member()
    _approve(db_session, request, [stays, leaves])
    _invite(db_session, request, stays, status="accepted")
    factory.assignment(stays, request)
    _invite(db_session, request, leaves, status="declined")

    short = listed(db_session, "short")
    _invite(db_session, request, reserve)

    assert [(i.request_id, i.facts) for i in short] == [
        (request.id, {"missing": 1, "people": 2, "days": 14, "needs_replacement": True})
    ]
    assert listed(db_session, "short") == []


def test_a_smaller_approved_group_stays_short_without_a_replacement_to_invite(
    db_session, factory, orderer
):
    request = factory.booking_request(orderer, status="booked", people_count=3)
    member = factory.member()
    _approve(db_session, request, [member])
    factory.assignment(member, request)
    full = factory.booking_request(orderer, status="booked", people_count=1)
    factory.assignment(factory.member(), full)

    assert [
        (i.request_id, i.facts["missing"], i.facts["needs_replacement"])
        for i in listed(db_session, "short")
    ] == [(request.id, 2, False)]


def test_a_group_whose_first_session_is_over_is_no_longer_short(db_session, factory, orderer):
    request = factory.booking_request(orderer, status="approved", people_count=2)
    with time_machine.travel(clock.now() + timedelta(days=15), tick=False):
        assert listed(db_session, "short") == []
    assert [i.request_id for i in listed(db_session, "short")] == [request.id]


def test_an_invitation_is_about_to_expire_within_two_days_until_answered(
    db_session, factory, orderer
):
    request = factory.booking_request(orderer, title="Svar snart", status="approved")
    soon = _invite(
        db_session,
        request,
        factory.member(first_name="Sara", last_name="Snart"),
        deadline=clock.now() + timedelta(days=1),
    )
    _invite(db_session, request, factory.member(), deadline=clock.now() + timedelta(days=3))
    _invite(db_session, request, factory.member(), deadline=clock.now() - timedelta(hours=1))

    before = listed(db_session, "expiring")
    soon.status = "accepted"
    db_session.flush()

    assert [(i.key, i.title, i.facts) for i in before] == [
        (soon.id, "Svar snart", {"member": "Sara Snart", "is_interest_check": False})
    ]
    assert listed(db_session, "expiring") == []


def test_a_declared_conflict_is_listed_while_the_booking_holds(db_session, factory, orderer):
    request = factory.booking_request(orderer, title="Jävsfrågan", status="booked")
    declared = factory.assignment(factory.member(first_name="Jan", last_name="Jäv"), request)
    declared.conflict_declaration = "Jag arbetar på kliniken som beställer."
    declared.conflict_declared_at = clock.now()
    factory.assignment(factory.member(), request).conflict_declared_at = clock.now()
    db_session.flush()

    before = listed(db_session, "conflicts")
    declared.status = "withdrawn"
    db_session.flush()

    assert [(i.key, i.title, i.facts) for i in before] == [
        (declared.id, "Jävsfrågan", {"member": "Jan Jäv"})
    ]
    assert listed(db_session, "conflicts") == []


def test_an_orderers_answer_is_listed_until_the_council_acts_on_the_request(
    db_session, factory, orderer, council
):
    request = factory.booking_request(orderer, title="Frågan")
    start = clock.now()
    with time_machine.travel(start - timedelta(hours=3), tick=False):
        ask_orderer(
            session=db_session,
            booking_request=request,
            message="Vilken dag?",
            actor=council,
            ctx=CTX,
        )
    with time_machine.travel(start - timedelta(hours=2), tick=False):
        answer_question(
            session=db_session, booking_request=request, message="Tisdag.", actor=orderer, ctx=CTX
        )
    answered = listed(db_session, "orderer_changes")
    with time_machine.travel(start - timedelta(hours=1), tick=False):
        decline_request(
            session=db_session, booking_request=request, reason="Nej", actor=council, ctx=CTX
        )

    assert [(i.request_id, i.facts) for i in answered] == [(request.id, {"action": "answered"})]
    assert listed(db_session, "orderer_changes") == []


def test_an_old_answer_leaves_the_list_after_two_weeks(db_session, factory, orderer, council):
    request = factory.booking_request(orderer)
    ask_orderer(session=db_session, booking_request=request, message="Vem?", actor=council, ctx=CTX)
    answer_question(
        session=db_session, booking_request=request, message="Jag.", actor=orderer, ctx=CTX
    )

    assert len(listed(db_session, "orderer_changes")) == 1
    with time_machine.travel(clock.now() + timedelta(days=15), tick=False):
        assert listed(db_session, "orderer_changes") == []


def test_a_sent_claim_waits_for_attestation_until_attested(db_session, factory, orderer):
    request = factory.booking_request(orderer, title="Föreläsning", status="completed")
    member = factory.member(first_name="Kim", last_name="Kvitto")
    claim = CompensationClaim(
        assignment_id=factory.assignment(member, request, status="completed").id,
        member_id=member.id,
        status="submitted",
        submitted_at=clock.now(),
    )
    db_session.add(claim)
    db_session.flush()

    before = listed(db_session, "claims")
    claim.status = "attested"
    db_session.flush()

    assert [(i.key, i.title, i.facts) for i in before] == [
        (claim.id, "Föreläsning", {"member": "Kim Kvitto"})
    ]
    assert listed(db_session, "claims") == []


def test_failed_mail_is_listed_until_sent(db_session):
    failed = OutboxMessage(subject="Inbjudan", kind="mail", status="failed", last_error="550")
    db_session.add_all([failed, OutboxMessage(subject="Skickad", status="sent")])
    db_session.flush()

    before = listed(db_session, "failed_mail")
    failed.status = "sent"
    db_session.flush()

    assert [(i.key, i.title, i.facts) for i in before] == [
        (failed.id, "Inbjudan", {"kind": "mail"})
    ]
    assert listed(db_session, "failed_mail") == []


def test_a_section_shows_twenty_items_and_counts_them_all(db_session, factory, orderer):
    for index in range(23):
        factory.booking_request(orderer, title=f"Förfrågan {index}")

    sections = {s.key: s for s in build_worklist(session=db_session, moment=_now_moment())}

    assert (sections["decision"].total, len(sections["decision"].items)) == (23, 20)
    assert worklist_counts(session=db_session, moment=_now_moment())["decision"] == 23
