"""The orderer cancels her request on the web, with a reason (issue 19, docs/journey.md).

The cancellation itself is the council's (``booking/decisions.py::cancel_request``): every
open invitation is withdrawn, every booking cancelled and everyone gets a calendar CANCEL.
Here the orderer's part is added: the reason is required, the council's mailbox is told, and
a cancellation close to the start is a **late cancellation** (docs/domain.md §6.2,
"Attendance"): the request is flagged, and each booked person's sessions inside the late
window are marked ``cancelled_late`` — no fee, but costs already paid are reimbursed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, select

from app.mail.context import MailContext
from app.mail.outbox import queue_mail
from app.models import Assignment, BookingRequest, RequestSession, SessionAttendance, User
from app.models.enums import AttendanceStatus, RequestAction
from app.services.booking.decisions import cancel_request
from app.services.errors import InvalidInput
from app.services.journey.request_changes import close_pending_change
from app.services.journey.request_edits import check_orderer
from app.services.messages import N_
from app.services.privacy.audit import record_audit
from app.services.requests.states import HOLDING_ASSIGNMENTS, check_request_step
from app.services.requests.submission import request_sessions

#: How close to a session a cancellation is late. docs/domain.md §6.2 says a session "called
#: off at short notice" pays no fee but its costs already paid are reimbursed, without a
#: number; a week is the notice a member needs to rebook travel and time off work.
LATE_WINDOW = timedelta(days=7)


@dataclass(frozen=True)
class Cancellation:
    """A cancelled request: whether it was late, and the sessions marked cancelled late."""

    booking_request: BookingRequest
    is_late: bool
    late_sessions: tuple[RequestSession, ...]


def late_sessions(items: list[RequestSession], now: datetime) -> list[RequestSession]:
    """Return the sessions ahead that start within the late window."""
    return [item for item in items if now < item.starts_at <= now + LATE_WINDOW]


def cancel_by_orderer(
    *,
    session: Session,
    booking_request: BookingRequest,
    reason: str,
    actor: User,
    ctx: MailContext,
    now: datetime,
) -> Cancellation:
    """Cancel the request for its orderer: tell everyone, flag and mark a late cancellation."""
    check_orderer(booking_request, actor)
    check_request_step(booking_request, RequestAction.CANCELLED)
    if not reason.strip():
        raise InvalidInput(N_("Say why the request is cancelled."), {"reason": N_("Required.")})
    late = late_sessions(request_sessions(session=session, request_id=booking_request.id), now)
    if late:
        booking_request.late_cancellation = True
        _mark_late(session, booking_request, late, actor, now)
    close_pending_change(session=session, booking_request=booking_request, actor=actor, now=now)
    cancel_request(
        session=session,
        booking_request=booking_request,
        reason=reason,
        actor=actor,
        ctx=ctx,
        now=now,
    )
    _tell_council(session, booking_request, reason.strip(), bool(late), ctx)
    session.flush()
    return Cancellation(booking_request, bool(late), tuple(late))


def _mark_late(session: Session, booking_request, items, actor: User, now: datetime) -> None:
    """Mark each booked person ``cancelled_late`` on the sessions inside the late window."""
    booked = session.exec(
        select(Assignment)
        .where(
            Assignment.request_id == booking_request.id,
            Assignment.status.in_(HOLDING_ASSIGNMENTS),
        )
        .order_by(Assignment.id)
    ).all()
    for assignment in booked:
        for item in items:
            session.add(
                SessionAttendance(
                    request_session_id=item.id,
                    assignment_id=assignment.id,
                    member_id=assignment.member_id,
                    status=AttendanceStatus.CANCELLED_LATE,
                    recorded_by_id=actor.id,
                    recorded_at=now,
                )
            )
            record_audit(
                session=session,
                actor_id=actor.id,
                action="attendance.recorded",
                subject_type="assignment",
                subject_id=assignment.id,
                detail={"session_id": item.id, "status": "cancelled_late", "before": ""},
            )
    session.flush()


def _tell_council(session, booking_request, reason: str, is_late: bool, ctx: MailContext) -> None:
    t = ctx.translate
    parts = [
        t(
            N_("The orderer has cancelled request no. %(request)s."),
            request=booking_request.id,
        ),
        t(N_("Reason: %(reason)s"), reason=reason),
    ]
    if is_late:
        parts.append(
            t(
                N_("Late cancellation: a session was due within %(days)s days."),
                days=LATE_WINDOW.days,
            )
        )
    parts.append(t(N_("The request: %(url)s"), url=ctx.request_url(booking_request.id)))
    queue_mail(
        session,
        to=ctx.council_mailbox,
        subject=t(N_("Cancelled by the orderer: %(title)s"), title=booking_request.title),
        body="\n\n".join(parts),
    )
