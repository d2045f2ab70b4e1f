"""The council's decisions on a request: approve a group, swap a person, ask, decline, cancel.

One function per workflow: it checks the step is allowed in the request's state, takes it
through ``requests.states.move_request`` (status, who and when, history and audit trail), and
queues the mail. Nothing commits here.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

from sqlmodel import Session, select

from app.mail.context import MailContext
from app.mail.outbox import queue_mail
from app.models import BookingRequest, Invitation, Member, Proposal, ProposalEntry, User
from app.models.base import utcnow
from app.models.enums import (
    InvitationStatus,
    ProposalStatus,
    ReplacementMode,
    RequestAction,
    RequestStatus,
)
from app.services.booking.guard import claim_members
from app.services.booking.interest import pending_interest
from app.services.booking.invitations import check_answer_window, send_invitation
from app.services.errors import Conflict, InvalidInput
from app.services.journey.coordinator import default_coordinator
from app.services.journey.group_size import check_below_two
from app.services.journey.orderer_mail import orderer_recipient, with_greeting
from app.services.matchmaking.acceptance_model import model_record
from app.services.matchmaking.opportunities import record_opportunities
from app.services.matchmaking.proposals import decision_proposal, eligible_ids
from app.services.matchmaking.quotas import unmet_json
from app.services.messages import N_
from app.services.requests.history import log_event
from app.services.requests.states import check_request_step, move_request


def swap_member(
    *,
    session: Session,
    booking_request: BookingRequest,
    group: list[int],
    out_id: int,
    in_id: int,
    actor: User,
) -> list[int]:
    """Return the group with one person swapped for an eligible alternative; log the swap."""
    check_request_step(booking_request, RequestAction.APPROVED)
    view = decision_proposal(session=session, booking_request=booking_request)
    eligible = eligible_ids(view.proposal)
    if out_id not in group or in_id in group or in_id not in eligible:
        raise InvalidInput(N_("Choose a person in the group and an eligible alternative."))
    log_event(session, booking_request, actor.id, "swapped", out_id=out_id, in_id=in_id)
    return [in_id if member_id == out_id else member_id for member_id in group]


def approve_group(
    *,
    session: Session,
    booking_request: BookingRequest,
    member_ids: list[int],
    actor: User,
    ctx: MailContext | None = None,
    now: datetime | None = None,
    replacement_mode: str | None = None,
    below_two_reason: str = "",
) -> Proposal:
    """Approve a group: store the proposal, invite each member, and mark the request approved.

    While asking for interest, the group comes from the yes-sayers and only once the round is
    over. ``replacement_mode`` (default: keep the request's) says how drop-outs are replaced.
    A working or standing group of fewer than two needs ``below_two_reason`` (``group_size``);
    the approving user becomes the contact person unless one is named (``coordinator``).
    """
    now, ctx = now or utcnow(), ctx or MailContext()
    check_request_step(booking_request, RequestAction.APPROVED)
    if replacement_mode is not None and replacement_mode not in set(ReplacementMode):
        raise InvalidInput(N_("Choose one of the listed values."))
    interest = booking_request.status == RequestStatus.INTEREST
    if interest and pending_interest(session=session, request_id=booking_request.id, now=now):
        raise Conflict(N_("Wait until everyone has answered or the deadline has passed."))
    check_answer_window(
        session=session, booking_request=booking_request, now=now, minimum=ctx.min_answer_window
    )
    view = decision_proposal(session=session, booking_request=booking_request)
    eligible = eligible_ids(view.proposal)
    chosen = list(dict.fromkeys(int(member_id) for member_id in member_ids))
    if not chosen or len(chosen) > booking_request.people_count or set(chosen) - set(eligible):
        raise InvalidInput(N_("Choose up to the requested number of eligible people."))
    check_below_two(
        session=session,
        booking_request=booking_request,
        chosen=len(chosen),
        reason=below_two_reason,
        actor_id=actor.id,
    )
    claim_members(session=session, member_ids=chosen, booking_request=booking_request)
    proposal = _store_proposal(session, booking_request, view, chosen, actor, now)
    if interest:
        _expire_late_questions(session, booking_request)
    if replacement_mode is not None:
        booking_request.replacement_mode = replacement_mode
    move_request(
        session=session,
        booking_request=booking_request,
        action=RequestAction.APPROVED,
        actor_id=actor.id,
        now=now,
        member_ids=chosen,
        replacement_mode=booking_request.replacement_mode,
    )
    default_coordinator(session=session, booking_request=booking_request, actor=actor)
    for member in session.exec(select(Member).where(Member.id.in_(chosen)).order_by(Member.id)):
        send_invitation(
            session=session, booking_request=booking_request, member=member, ctx=ctx, now=now
        )
    session.flush()
    return proposal


def _expire_late_questions(session: Session, booking_request: BookingRequest) -> None:
    """Interest questions still open past their deadline count as no answer."""
    query = select(Invitation).where(
        Invitation.request_id == booking_request.id,
        Invitation.is_interest_check,
        Invitation.status == InvitationStatus.PENDING,
    )
    for invitation in session.exec(query):
        invitation.status = InvitationStatus.EXPIRED
        session.add(invitation)
        log_event(
            session, booking_request, None, "interest_expired", member_id=invitation.member_id
        )


def _store_proposal(session, booking_request, view, chosen, actor, now) -> Proposal:
    """Persist the proposal as approved; the rest of the ranking becomes the reserve list.

    The row records the weights in force and the acceptance model (version and figures).
    """
    result = view.proposal
    for old in session.exec(select(Proposal).where(Proposal.request_id == booking_request.id)):
        old.status = ProposalStatus.SUPERSEDED
        session.add(old)
    proposal = Proposal(
        request_id=booking_request.id,
        status=ProposalStatus.APPROVED,
        weights=asdict(view.weights),
        model_version=view.model.version,
        model_metrics=model_record(view.model),
        excluded={member_id: item.rule for member_id, item in result.excluded.items()},
        unmet_quotas=unmet_json(result),
        decided_at=now,
        decided_by_id=actor.id,
    )
    session.add(proposal)
    session.flush()
    record_opportunities(
        session=session,
        request_id=booking_request.id,
        request=view.request,
        eligible=result.eligible,
        whole_pool=view.whole_pool,
    )
    reserve_order = [int(m) for m in result.reserve] + eligible_ids(result)
    reserves = [m for m in dict.fromkeys(reserve_order) if m not in chosen]
    for rank, candidate in enumerate(result.ranked, start=1):
        member_id = int(candidate.member_id)
        position = reserves.index(member_id) + 1 if member_id in reserves else None
        session.add(
            ProposalEntry(
                proposal_id=proposal.id,
                member_id=member_id,
                rank=rank,
                score=candidate.score,
                parts=dict(candidate.parts),
                reasons=[reason.code for reason in candidate.reasons],
                is_in_group=member_id in chosen,
                reserve_position=position,
            )
        )
    return proposal


def ask_orderer(
    *,
    session: Session,
    booking_request: BookingRequest,
    message: str,
    actor: User,
    ctx: MailContext | None = None,
    now: datetime | None = None,
) -> BookingRequest:
    """Send the request back to the orderer with a question."""
    return _answer_orderer(session, booking_request, message, actor, ctx, now, RequestAction.ASKED)


def decline_request(
    *,
    session: Session,
    booking_request: BookingRequest,
    reason: str,
    actor: User,
    ctx: MailContext | None = None,
    now: datetime | None = None,
) -> BookingRequest:
    """Decline a request with a reason the orderer sees."""
    return _answer_orderer(
        session, booking_request, reason, actor, ctx, now, RequestAction.DECLINED
    )


def _answer_orderer(session, booking_request, message, actor, ctx, now, action):
    now, ctx = now or utcnow(), ctx or MailContext()
    check_request_step(booking_request, action)
    if not message.strip():
        raise InvalidInput(N_("Write a message to the orderer."), {"message": N_("Required.")})
    booking_request.status_message = message.strip()
    move_request(
        session=session,
        booking_request=booking_request,
        action=action,
        actor_id=actor.id,
        now=now,
        message=message.strip(),
    )
    address, name = orderer_recipient(session=session, booking_request=booking_request)
    if address:
        queue_mail(
            session,
            to=address,
            subject=ctx.translate(
                N_("News about your request: %(title)s"), title=booking_request.title
            ),
            body=with_greeting(ctx, name, message.strip()),
        )
    session.flush()
    return booking_request


def cancel_request(
    *,
    session: Session,
    booking_request: BookingRequest,
    reason: str,
    actor: User,
    ctx: MailContext | None = None,
    now: datetime | None = None,
) -> BookingRequest:
    """Cancel a request: withdraw invitations, cancel bookings, send METHOD:CANCEL."""
    from app.services.booking.cancellation import cancel_commitments

    now, ctx = now or utcnow(), ctx or MailContext()
    move_request(
        session=session,
        booking_request=booking_request,
        action=RequestAction.CANCELLED,
        actor_id=actor.id,
        now=now,
        message=reason.strip(),
    )
    booking_request.status_message = reason.strip()
    cancel_commitments(
        session=session, booking_request=booking_request, ctx=ctx, now=now, actor_id=actor.id
    )
    session.flush()
    return booking_request


def answer_question(
    *,
    session: Session,
    booking_request: BookingRequest,
    message: str,
    actor: User,
    ctx: MailContext | None = None,
) -> BookingRequest:
    """Let the orderer answer the council's question; the request goes back to the queue."""
    ctx = ctx or MailContext()
    check_request_step(booking_request, RequestAction.ANSWERED)
    if booking_request.orderer_id != actor.id and booking_request.organisation_id != (
        actor.organisation_id
    ):
        raise Conflict(N_("Only the ordering organisation can answer."))
    if not message.strip():
        raise InvalidInput(N_("Write a message to the council."), {"message": N_("Required.")})
    move_request(
        session=session,
        booking_request=booking_request,
        action=RequestAction.ANSWERED,
        actor_id=actor.id,
        message=message.strip(),
    )
    queue_mail(
        session,
        to=ctx.council_mailbox,
        subject=ctx.translate(
            N_("Answer about request no. %(request)s"), request=booking_request.id
        ),
        body=message.strip(),
    )
    session.flush()
    return booking_request
