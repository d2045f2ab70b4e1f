"""Invitations to chosen members: send, accept, decline, and replace from the reserve list."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlmodel import Session, func, select

from app.models import (
    Assignment,
    BookingRequest,
    Invitation,
    Member,
    Proposal,
    ProposalEntry,
    RequestEvent,
)
from app.models.base import utcnow
from app.models.enums import (
    AssignmentStatus,
    InvitationStatus,
    MemberStatus,
    ProposalStatus,
    RequestStatus,
)
from app.services.audit import record_audit
from app.services.booking_guard import busy_member_ids, claim_members, lock_members
from app.services.errors import Conflict, NotFound
from app.services.invitation_mail import MailContext, queue_booked_mail, queue_invitation_mail
from app.services.messages import N_
from app.services.requests import request_sessions
from scheduling.outbox import queue_mail

#: Days a member has to answer, never past the day before the first session.
REPLY_DAYS = 7


def reply_deadline(*, first_start: datetime, now: datetime) -> datetime:
    """Return when an invitation sent now must be answered."""
    return max(now, min(now + timedelta(days=REPLY_DAYS), first_start - timedelta(days=1)))


def send_invitation(
    *,
    session: Session,
    booking_request: BookingRequest,
    member: Member,
    ctx: MailContext,
    now: datetime,
) -> Invitation:
    """Create an invitation with a secret token and reply deadline, and queue its mail."""
    items = request_sessions(session=session, request_id=booking_request.id)
    invitation = Invitation(
        request_id=booking_request.id,
        member_id=member.id,
        token=secrets.token_urlsafe(32),
        sent_at=now,
        reply_deadline_at=reply_deadline(first_start=items[0].starts_at, now=now),
    )
    session.add(invitation)
    session.flush()
    queue_invitation_mail(
        session=session,
        ctx=ctx,
        booking_request=booking_request,
        invitation=invitation,
        member=member,
        items=items,
        now=now,
    )
    return invitation


def invitation_by_token(*, session: Session, token: str) -> Invitation:
    """Return the invitation a secret link points to."""
    invitation = session.exec(select(Invitation).where(Invitation.token == token)).first()
    if invitation is None or not token:
        raise NotFound("No such invitation.")
    return invitation


def _check_answerable(session: Session, invitation: Invitation, now: datetime) -> BookingRequest:
    booking_request = session.get(BookingRequest, invitation.request_id)
    if invitation.status != InvitationStatus.PENDING:
        raise Conflict(N_("This invitation has already been answered."))
    if booking_request.status != RequestStatus.APPROVED:
        raise Conflict(N_("This request is no longer open for answers."))
    items = request_sessions(session=session, request_id=booking_request.id)
    if items and items[0].starts_at <= now:
        raise Conflict(N_("The assignment has already started."))
    if invitation.reply_deadline_at is not None and invitation.reply_deadline_at < now:
        raise Conflict(N_("The time to answer this invitation has run out."))
    return booking_request


def accept_invitation(
    *,
    session: Session,
    token: str,
    now: datetime | None = None,
    conflict_declaration: str = "",
    ctx: MailContext | None = None,
) -> Assignment:
    """Accept an invitation: book the member (no overlap) and sign the declaration."""
    now, ctx = now or utcnow(), ctx or MailContext()
    invitation = invitation_by_token(session=session, token=token)
    lock_members(session=session, member_ids=[invitation.member_id])
    session.refresh(invitation)
    booking_request = _check_answerable(session, invitation, now)
    if busy_member_ids(
        session=session,
        member_ids=[invitation.member_id],
        booking_request=booking_request,
        count_invitations=False,
    ):
        raise Conflict(N_("You are already booked at an overlapping time."))
    invitation.status = InvitationStatus.ACCEPTED
    invitation.responded_at = now
    assignment = Assignment(
        request_id=invitation.request_id,
        member_id=invitation.member_id,
        invitation_id=invitation.id,
        conflict_declared_at=now,
        conflict_declaration=(conflict_declaration or "").strip(),
    )
    session.add_all([invitation, assignment])
    log_event(session, booking_request, None, "invitation_accepted", member_id=invitation.member_id)
    session.flush()
    _book_when_complete(session, booking_request, ctx)
    return assignment


def _book_when_complete(session: Session, booking_request: BookingRequest, ctx) -> None:
    booked = session.exec(
        select(func.count(Assignment.id)).where(
            Assignment.request_id == booking_request.id,
            Assignment.status == AssignmentStatus.BOOKED,
        )
    ).one()
    if booked >= booking_request.people_count:
        booking_request.status = RequestStatus.BOOKED
        session.add(booking_request)
        log_event(session, booking_request, None, "booked", count=booked)
        queue_booked_mail(session=session, ctx=ctx, booking_request=booking_request)


def decline_invitation(
    *,
    session: Session,
    token: str,
    ctx: MailContext,
    message: str = "",
    now: datetime | None = None,
) -> Invitation:
    """Decline an invitation and invite the next person on the reserve list."""
    now = now or utcnow()
    invitation = invitation_by_token(session=session, token=token)
    booking_request = _check_answerable(session, invitation, now)
    invitation.status = InvitationStatus.DECLINED
    invitation.responded_at = now
    invitation.response_message = (message or "").strip()[:1000]
    session.add(invitation)
    log_event(session, booking_request, None, "invitation_declined", member_id=invitation.member_id)
    session.flush()
    invite_next_reserve(session=session, booking_request=booking_request, ctx=ctx, now=now)
    return invitation


def invite_next_reserve(
    *,
    session: Session,
    booking_request: BookingRequest,
    ctx: MailContext,
    now: datetime,
    tell_council: bool = True,
) -> Invitation | None:
    """Invite the best free reserve not asked before; tell the council when none is left."""
    for entry in _reserve_entries(session, booking_request.id):
        member = session.get(Member, entry.member_id)
        if member is None or member.status != MemberStatus.ACTIVE:
            continue
        try:
            claim_members(session=session, member_ids=[member.id], booking_request=booking_request)
        except Conflict:
            continue
        if _was_asked(session, booking_request.id, member.id):
            continue  # a concurrent replacement invited them while we waited for the lock
        invitation = send_invitation(
            session=session, booking_request=booking_request, member=member, ctx=ctx, now=now
        )
        log_event(session, booking_request, None, "reserve_invited", member_id=member.id)
        return invitation
    log_event(session, booking_request, None, "no_reserve_left")
    if not tell_council:
        return None
    queue_mail(
        session,
        to=ctx.council_mailbox,
        subject=ctx.translate(N_("No reserve left for a request")),
        body=ctx.translate(
            N_("Request no. %(request)s needs a replacement but no reserve is free."),
            request=booking_request.id,
        ),
    )
    return None


def _was_asked(session: Session, request_id: int, member_id: int) -> bool:
    query = select(Invitation.id).where(
        Invitation.request_id == request_id, Invitation.member_id == member_id
    )
    return session.exec(query).first() is not None


def _reserve_entries(session: Session, request_id: int) -> list[ProposalEntry]:
    asked = select(Invitation.member_id).where(Invitation.request_id == request_id)
    query = (
        select(ProposalEntry)
        .join(Proposal, Proposal.id == ProposalEntry.proposal_id)
        .where(
            Proposal.request_id == request_id,
            Proposal.status == ProposalStatus.APPROVED,
            ProposalEntry.reserve_position.is_not(None),
            ProposalEntry.member_id.not_in(asked),
        )
        .order_by(ProposalEntry.reserve_position)
    )
    return list(session.exec(query))


def log_event(session, booking_request, actor_id, action, message="", **detail) -> None:
    """Write one line of the request's history and the matching audit event."""
    session.add(
        RequestEvent(
            request_id=booking_request.id,
            actor_id=actor_id,
            action=action,
            message=message,
            detail=detail,
        )
    )
    record_audit(
        session=session,
        actor_id=actor_id,
        action=f"request.{action}",
        subject_type="booking_request",
        subject_id=booking_request.id,
        detail=detail,
    )
