"""Cancelling a request's commitments: invitations, assignments, and METHOD:CANCEL mail."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from app.mail.context import MailContext
from app.models import Assignment, BookingRequest, Invitation, Member
from app.models.enums import AssignmentStatus, InvitationStatus
from app.services.booking.interest import queue_no_longer_needed
from app.services.booking.invitation_mail import queue_invitation_mail
from app.services.requests.states import HOLDING_ASSIGNMENTS, HOLDING_INVITATIONS, move_assignment
from app.services.requests.submission import request_sessions


def cancel_commitments(
    *,
    session: Session,
    booking_request: BookingRequest,
    ctx: MailContext,
    now: datetime,
    actor_id: int | None = None,
) -> list[Invitation]:
    """Cancel open invitations and bookings; raise each session's SEQUENCE; mail a CANCEL."""
    items = request_sessions(session=session, request_id=booking_request.id)
    for item in items:
        item.sequence += 1
        session.add(item)
    invitations = list(
        session.exec(
            select(Invitation)
            .where(
                Invitation.request_id == booking_request.id,
                Invitation.status.in_(HOLDING_INVITATIONS),
            )
            .order_by(Invitation.id)
        )
    )
    questions = [invitation for invitation in invitations if invitation.is_interest_check]
    invitations = [invitation for invitation in invitations if not invitation.is_interest_check]
    _close_questions(session, booking_request, questions, invitations, ctx)
    held = select(Assignment).where(
        Assignment.request_id == booking_request.id,
        Assignment.status.in_(HOLDING_ASSIGNMENTS),
    )
    for assignment in list(session.exec(held.order_by(Assignment.id))):
        move_assignment(
            session=session,
            assignment=assignment,
            to=AssignmentStatus.CANCELLED,
            actor_id=actor_id,
        )
    for invitation in invitations:
        invitation.status = InvitationStatus.CANCELLED
        session.add(invitation)
        queue_invitation_mail(
            session=session,
            ctx=ctx,
            booking_request=booking_request,
            invitation=invitation,
            member=session.get(Member, invitation.member_id),
            items=items,
            now=now,
            method="CANCEL",
        )
    return invitations


def _close_questions(session, booking_request, questions, invitations, ctx: MailContext) -> None:
    """Close open "are you interested?" questions; tell those not also getting a CANCEL."""
    invited = {invitation.member_id for invitation in invitations}
    for question in questions:
        question.status = InvitationStatus.CANCELLED
        session.add(question)
        if question.member_id not in invited:
            member = session.get(Member, question.member_id)
            queue_no_longer_needed(
                session=session, ctx=ctx, booking_request=booking_request, member=member
            )
