"""Changes after approval: a new session time (iCalendar update) and unanswered invitations."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from app.models import BookingRequest, Invitation, Member, RequestSession, User
from app.models.base import utcnow
from app.models.enums import InvitationStatus, RequestStatus
from app.services.booking_guard import claim_members
from app.services.errors import Conflict, InvalidInput
from app.services.invitation_mail import MailContext, queue_invitation_mail
from app.services.invitations import invite_next_reserve, log_event
from app.services.messages import N_
from app.services.requests import request_sessions

CHANGEABLE = (
    RequestStatus.SUBMITTED,
    RequestStatus.QUESTION,
    RequestStatus.APPROVED,
    RequestStatus.BOOKED,
)
HOLDING = (InvitationStatus.PENDING, InvitationStatus.ACCEPTED)


def change_session_time(
    *,
    session: Session,
    request_session: RequestSession,
    starts_at: datetime,
    ends_at: datetime,
    actor: User,
    ctx: MailContext | None = None,
    now: datetime | None = None,
) -> RequestSession:
    """Move a session: re-check double booking, raise SEQUENCE, send everyone an update."""
    now, ctx = now or utcnow(), ctx or MailContext()
    booking_request = session.get(BookingRequest, request_session.request_id)
    if booking_request.status not in {str(state) for state in CHANGEABLE}:
        raise Conflict(N_("This request cannot take that step in its current state."))
    if ends_at <= starts_at or starts_at <= now:
        raise InvalidInput(N_("A session must end after it starts and lie in the future."))
    old = (request_session.starts_at, request_session.ends_at)
    request_session.starts_at, request_session.ends_at = starts_at, ends_at
    request_session.sequence += 1
    session.add(request_session)
    session.flush()
    invitations = _holding_invitations(session, booking_request.id)
    claim_members(
        session=session,
        member_ids=[invitation.member_id for invitation in invitations],
        booking_request=booking_request,
    )
    items = request_sessions(session=session, request_id=booking_request.id)
    for invitation in invitations:
        queue_invitation_mail(
            session=session,
            ctx=ctx,
            booking_request=booking_request,
            invitation=invitation,
            member=session.get(Member, invitation.member_id),
            items=items,
            now=now,
        )
    log_event(
        session,
        booking_request,
        actor.id,
        "time_changed",
        session_id=request_session.id,
        before=[moment.isoformat() for moment in old],
        sequence=request_session.sequence,
    )
    return request_session


def _holding_invitations(session: Session, request_id: int) -> list[Invitation]:
    query = select(Invitation).where(
        Invitation.request_id == request_id,
        Invitation.status.in_([status.value for status in HOLDING]),
        ~Invitation.is_interest_check,
    )
    return list(session.exec(query.order_by(Invitation.id)))


def expire_invitations(
    *, session: Session, ctx: MailContext | None = None, now: datetime | None = None
) -> list[Invitation]:
    """Mark unanswered invitations past their deadline expired and invite the next reserves."""
    now, ctx = now or utcnow(), ctx or MailContext()
    overdue = list(
        session.exec(
            select(Invitation).where(
                Invitation.status == InvitationStatus.PENDING,
                Invitation.reply_deadline_at < now,
            )
        )
    )
    for invitation in overdue:
        invitation.status = InvitationStatus.EXPIRED
        session.add(invitation)
        booking_request = session.get(BookingRequest, invitation.request_id)
        log_event(
            session, booking_request, None, "invitation_expired", member_id=invitation.member_id
        )
        session.flush()
        if booking_request.status == RequestStatus.APPROVED:
            invite_next_reserve(session=session, booking_request=booking_request, ctx=ctx, now=now)
    return overdue
