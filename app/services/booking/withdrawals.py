"""Blocking a period that covers bookings: the member confirms, withdraws, the council is told."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from app.mail.context import MailContext
from app.mail.outbox import queue_mail
from app.models import Assignment, AvailabilityException, BookingRequest, Invitation, Member
from app.models.base import utcnow
from app.models.enums import AssignmentStatus, RequestAction
from app.services.booking.member_bookings import BookedSession, booked_sessions
from app.services.booking.replacements import start_replacement
from app.services.errors import Conflict
from app.services.messages import N_
from app.services.pool.availability import PeriodInput, check_period, store_period
from app.services.requests.history import log_event
from app.services.requests.states import move_assignment
from scheduling.availability import Period, period_covers

Translate = Callable[..., str]


class WithdrawalNeeded(Conflict):
    """The period covers bookings; the member must confirm withdrawing from them first."""

    def __init__(self, affected: list[BookedSession]):
        super().__init__(N_("The period covers assignments you are booked on."))
        self.affected = affected


def covered_bookings(
    *, session: Session, member: Member, data: PeriodInput, zone: ZoneInfo, now: datetime
) -> list[BookedSession]:
    """Return the member's coming booked sessions on any date of the period."""
    period = Period(data.start_date, data.end_date)
    coming = booked_sessions(session=session, member_id=member.id, ends_after=now)
    return [
        row for row in coming if period_covers(period, row.item.starts_at, row.item.ends_at, zone)
    ]


def block_period(
    *,
    session: Session,
    member: Member,
    data: PeriodInput,
    actor_id: int | None,
    zone: ZoneInfo,
    council_mailbox: str,
    translate: Translate = lambda message, **params: message % params if params else message,
    confirm_withdraw: bool = False,
    now: datetime | None = None,
) -> tuple[AvailabilityException, list[Assignment]]:
    """Block a period; bookings it covers are withdrawn only when the member has confirmed."""
    now = now or utcnow()
    check_period(session=session, member=member, data=data)
    affected = covered_bookings(session=session, member=member, data=data, zone=zone, now=now)
    if affected and not confirm_withdraw:
        raise WithdrawalNeeded(affected)
    period = store_period(session=session, member=member, data=data)
    assignments = list({row.assignment.id: row.assignment for row in affected}.values())
    for assignment in assignments:
        withdraw_from_assignment(
            session=session,
            assignment=assignment,
            member=member,
            actor_id=actor_id,
            council_mailbox=council_mailbox,
            translate=translate,
        )
    return period, assignments


def withdraw_from_assignment(
    *,
    session: Session,
    assignment: Assignment,
    member: Member,
    actor_id: int | None,
    council_mailbox: str,
    translate: Translate,
    reason: str | None = None,
) -> Assignment:
    """Withdraw a member from a booked assignment: history, audit, mail, replacement hook.

    ``reason`` is given when she said "I can't come" to the whole assignment (her words, kept in
    the history line's message, never in the audit's detail); None when a blocked period did it.
    """
    if assignment.status != AssignmentStatus.BOOKED or assignment.member_id != member.id:
        raise Conflict(N_("Only a booked assignment can be withdrawn from."))
    move_assignment(
        session=session, assignment=assignment, to=AssignmentStatus.WITHDRAWN, actor_id=actor_id
    )
    log_event(
        session,
        session.get(BookingRequest, assignment.request_id),
        actor_id,
        RequestAction.MEMBER_WITHDREW,
        reason or "",
        assignment_id=assignment.id,
        member_id=member.id,
    )
    queue_mail(
        session,
        to=council_mailbox,
        subject=translate(N_("A member withdrew from an assignment")),
        body=_withdrawal_text(translate, member, assignment, reason),
    )
    on_member_withdrew(
        session=session,
        assignment=assignment,
        ctx=MailContext(council_mailbox=council_mailbox, translate=translate),
    )
    return assignment


def _withdrawal_text(translate: Translate, member, assignment, reason: str | None) -> str:
    if reason is None:
        return translate(
            N_(
                "%(name)s has blocked a period in their calendar and withdrew from request "
                "no. %(request)s. A replacement is needed."
            ),
            name=member.display_name,
            request=assignment.request_id,
        )
    return translate(
        N_(
            "%(name)s cannot come and withdrew from request no. %(request)s. "
            "A replacement is needed. Their reason: %(reason)s"
        ),
        name=member.display_name,
        request=assignment.request_id,
        reason=reason,
    )


def on_member_withdrew(
    *, session: Session, assignment: Assignment, ctx: MailContext | None = None
) -> Invitation | None:
    """Start finding a replacement as the request's replacement mode says."""
    booking_request = session.get(BookingRequest, assignment.request_id)
    if booking_request is None:
        return None
    # The withdrawal mail has told the council already that a replacement is needed.
    return start_replacement(
        session=session,
        booking_request=booking_request,
        ctx=ctx or MailContext(),
        now=utcnow(),
        member_id=assignment.member_id,
        reason="withdrew",
        tell_council=False,
    )
