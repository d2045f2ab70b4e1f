"""Debriefs: after a meeting a member can ask for a talk with a coordinator (issue 19, support).

Telling one's own story of mental illness can stir things up; the member asks on her list,
the council is mailed (a name and the assignment, never what she wrote: that may be health
data, and it stays on the council's debrief list), the request waits on the worklist, and a
coordinator closes it with a note once they have talked. One open request per assignment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, func, select

from app.mail.context import MailContext
from app.mail.outbox import queue_mail
from app.models import Assignment, BookingRequest, DebriefRequest, Member, RequestSession, User
from app.models.enums import DebriefStatus, RequestAction
from app.services.errors import Conflict, Forbidden, InvalidInput
from app.services.journey.coverage import covers
from app.services.messages import N_
from app.services.requests.history import log_event
from app.services.requests.states import WORK_ASSIGNMENTS

#: How long after her last meeting a member may still ask for a debrief.
DEBRIEF_WINDOW = timedelta(days=90)
#: The longest message or note (plenty for "call me after four").
TEXT_LENGTH = 2000


@dataclass(frozen=True)
class DebriefState:
    """What the member's debrief button shows: may she ask, and her latest request."""

    can_ask: bool
    latest: DebriefRequest | None


def meeting_span(*, session: Session, assignment: Assignment) -> tuple[datetime, datetime] | None:
    """Return when the assignment's first meeting starts and its last one ends (None if none)."""
    query = select(func.min(RequestSession.starts_at), func.max(RequestSession.ends_at)).where(
        RequestSession.request_id == assignment.request_id,
        covers(Assignment, RequestSession),
        Assignment.id == assignment.id,
    )
    first, last = session.exec(query).one()
    return (first, last) if first is not None else None


def open_debrief(*, session: Session, assignment_id: int) -> DebriefRequest | None:
    """Return the assignment's open debrief request, if any."""
    query = select(DebriefRequest).where(
        DebriefRequest.assignment_id == assignment_id,
        DebriefRequest.status == DebriefStatus.OPEN,
    )
    return session.exec(query).first()


def debrief_state(*, session: Session, assignment: Assignment, now: datetime) -> DebriefState:
    """Return whether the member may ask now and her latest request on this assignment."""
    latest = session.exec(
        select(DebriefRequest)
        .where(DebriefRequest.assignment_id == assignment.id)
        .order_by(DebriefRequest.asked_at.desc(), DebriefRequest.id.desc())
    ).first()
    return DebriefState(
        can_ask=debrief_refusal(session, assignment, now) is None
        and not (latest and latest.status == DebriefStatus.OPEN),
        latest=latest,
    )


def debrief_refusal(session: Session, assignment: Assignment, now: datetime) -> str | None:
    """Return why a debrief cannot be asked for now (not counting an open one), or None."""
    if assignment.status not in WORK_ASSIGNMENTS:
        return N_("A debrief can be asked for on an assignment you were booked on.")
    span = meeting_span(session=session, assignment=assignment)
    if span is None or span[0] > now:
        return N_("You can ask for a debrief once your first meeting has started.")
    if now > span[1] + DEBRIEF_WINDOW:
        return N_("It is more than 90 days since the last meeting; contact the council directly.")
    return None


def ask_debrief(
    *,
    session: Session,
    assignment: Assignment,
    message: str,
    actor: User,
    ctx: MailContext,
    now: datetime,
) -> DebriefRequest:
    """Let the booked member ask for a talk after a meeting; the council is told."""
    member = session.get(Member, assignment.member_id)
    if member is None or member.user_id != actor.id:
        raise Forbidden(N_("Only the booked member can ask for a debrief."))
    message = (message or "").strip()
    if len(message) > TEXT_LENGTH:
        raise InvalidInput(
            N_("The message is too long."), {"message": N_("At most 2000 characters.")}
        )
    refusal = debrief_refusal(session, assignment, now)
    if refusal:
        raise Conflict(refusal)
    if open_debrief(session=session, assignment_id=assignment.id) is not None:
        raise Conflict(N_("You have already asked for a debrief; a coordinator will be in touch."))
    booking_request = session.get(BookingRequest, assignment.request_id)
    debrief = DebriefRequest(
        assignment_id=assignment.id,
        member_id=member.id,
        request_id=booking_request.id,
        message=message,
        asked_at=now,
    )
    session.add(debrief)
    session.flush()
    # What she wrote stays out of the history and the mail: it may be health data.
    log_event(
        session,
        booking_request,
        actor.id,
        RequestAction.DEBRIEF_ASKED,
        member_id=member.id,
        debrief_id=debrief.id,
    )
    _tell_council(session, booking_request, member, ctx)
    return debrief


def _tell_council(session, booking_request, member, ctx: MailContext) -> None:
    t = ctx.translate
    queue_mail(
        session,
        to=ctx.council_mailbox,
        subject=t(N_("A member asks for a debrief")),
        body="\n\n".join(
            [
                t(
                    N_("%(name)s asks for a talk after the assignment %(title)s."),
                    name=member.display_name,
                    title=booking_request.title,
                ),
                t(
                    N_("Open debrief requests: %(url)s"),
                    url=ctx.base_url.rstrip("/") + "/council/debriefs",
                ),
            ]
        ),
    )


def handle_debrief(
    *,
    session: Session,
    debrief: DebriefRequest,
    note: str,
    actor: User,
    now: datetime,
) -> DebriefRequest:
    """Close an open debrief request with the coordinator's note."""
    note = (note or "").strip()
    if debrief.status != DebriefStatus.OPEN:
        raise Conflict(N_("This debrief request is already handled."))
    if not note:
        raise InvalidInput(N_("Write a short note on the talk."), {"note": N_("Required.")})
    if len(note) > TEXT_LENGTH:
        raise InvalidInput(N_("The note is too long."), {"note": N_("At most 2000 characters.")})
    debrief.status = DebriefStatus.HANDLED
    debrief.handled_at = now
    debrief.handled_by_id = actor.id
    debrief.handled_note = note
    session.add(debrief)
    log_event(
        session,
        session.get(BookingRequest, debrief.request_id),
        actor.id,
        RequestAction.DEBRIEF_HANDLED,
        member_id=debrief.member_id,
        debrief_id=debrief.id,
    )
    session.flush()
    return debrief


def open_debriefs(*, session: Session) -> list[tuple[DebriefRequest, Member, BookingRequest]]:
    """Return the open debrief requests, oldest first, with member and request."""
    query = (
        select(DebriefRequest, Member, BookingRequest)
        .join(Member, Member.id == DebriefRequest.member_id)
        .join(BookingRequest, BookingRequest.id == DebriefRequest.request_id)
        .where(DebriefRequest.status == DebriefStatus.OPEN)
        .order_by(DebriefRequest.asked_at, DebriefRequest.id)
    )
    return list(session.exec(query))
