""" "I can't come": a booked person reports beforehand that she cannot come to one meeting, or
to the whole assignment.

One meeting: a ``SessionAbsence`` row makes the meeting no longer hers (``coverage.covers``), so
it leaves her calendar, feed, reminders, load and claim; she gets a calendar cancellation for
that meeting only (same UID, SEQUENCE + 1; the others keep theirs), the council mailbox is told
and the request page lists the absence. She stays booked on the rest. The whole assignment: the
withdrawal of ``booking/withdrawals.py`` (the council is told, replacement starts as for a
decline), with her reason, and a cancellation of her meetings ahead. docs/journey.md.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import bindparam
from sqlmodel import Session, select

from app.mail.context import MailContext
from app.mail.outbox import queue_mail
from app.models import Assignment, BookingRequest, Member, RequestSession, SessionAbsence, User
from app.models.enums import AssignmentStatus, RequestAction, Role
from app.services.booking.invitation_mail import calendar_events, member_address, member_calendar
from app.services.booking.reminders import local_when
from app.services.booking.withdrawals import withdraw_from_assignment
from app.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.services.journey.covered_sessions import covered_sessions
from app.services.journey.stand_ins import on_absence
from app.services.messages import N_
from app.services.requests.history import log_event

#: The longest reason kept (a few sentences).
MAX_REASON = 1000


def assignment_url(ctx: MailContext, assignment_id: int) -> str:
    """Return the member's page of one of her assignments."""
    return f"{ctx.base_url.rstrip('/')}/me/assignments/{assignment_id}"


def check_reporter(*, session: Session, assignment: Assignment, actor: User) -> Member:
    """Return the assignment's member when the actor is she herself or the council."""
    member = session.get(Member, assignment.member_id)
    if actor.role == Role.COUNCIL or (member is not None and member.user_id == actor.id):
        return member
    raise Forbidden(N_("Only the booked person or the council can report this."))


def clean_reason(reason: str | None) -> str:
    """Return the reason stripped; refuse an empty or an overlong one."""
    text = (reason or "").strip()
    if not text:
        raise InvalidInput(
            N_("Check the form."), fields={"reason": N_("Tell the council why you cannot come.")}
        )
    if len(text) > MAX_REASON:
        raise InvalidInput(
            N_("Check the form."),
            fields={"reason": N_("Write at most 1000 characters.")},
        )
    return text


def meetings_ahead(
    *, session: Session, assignment: Assignment, now: datetime
) -> list[RequestSession]:
    """Return the meetings of the assignment that have not started, earliest first."""
    items = covered_sessions(session=session, assignment=assignment)
    return [item for item in items if item.starts_at > now]


def report_absence(
    *,
    session: Session,
    assignment: Assignment,
    request_session_id: int,
    reason: str,
    actor: User,
    ctx: MailContext,
    now: datetime,
) -> SessionAbsence:
    """Record that she cannot come to one meeting ahead; cancel it for her; tell the council."""
    member = check_reporter(session=session, assignment=assignment, actor=actor)
    if assignment.status != AssignmentStatus.BOOKED:
        raise Conflict(N_("Only a booked assignment can be reported on."))
    text = clean_reason(reason)
    item = next(
        (
            meeting
            for meeting in meetings_ahead(session=session, assignment=assignment, now=now)
            if meeting.id == request_session_id
        ),
        None,
    )
    if item is None:
        raise NotFound(N_("No such meeting ahead in your assignment."))
    absence = SessionAbsence(
        request_session_id=item.id,
        assignment_id=assignment.id,
        member_id=member.id,
        reason=text,
        reported_at=now,
        reported_by_id=actor.id,
    )
    session.add(absence)
    session.flush()
    booking_request = session.get(BookingRequest, assignment.request_id)
    queue_meeting_cancellation(
        session=session,
        booking_request=booking_request,
        assignment=assignment,
        member=member,
        items=[item],
        ctx=ctx,
        now=now,
    )
    _tell_council_of_absence(session, booking_request, member, item, ctx)
    after_absence_reported(session=session, absence=absence, actor=actor, ctx=ctx, now=now)
    return absence


def after_absence_reported(
    *,
    session: Session,
    absence: SessionAbsence,
    actor: User,
    ctx: MailContext,
    now: datetime,
) -> None:
    """Write the history line of an absence, then start the stand-in flow for that meeting.

    ``stand_ins.on_absence`` invites the best stand-in at once when the request's replacement
    mode is automatic; otherwise the council chooses on the request page.
    """
    assignment = session.get(Assignment, absence.assignment_id)
    booking_request = session.get(BookingRequest, assignment.request_id)
    # The reason stays on the absence row: never in the history's or the audit's detail.
    log_event(
        session,
        booking_request,
        actor.id,
        RequestAction.ABSENCE_REPORTED,
        assignment_id=assignment.id,
        member_id=absence.member_id,
        session_id=absence.request_session_id,
    )
    on_absence(session=session, absence=absence, ctx=ctx, now=now)


def _tell_council_of_absence(session, booking_request, member, item, ctx: MailContext) -> None:
    t = ctx.translate
    queue_mail(
        session,
        to=ctx.council_mailbox,
        subject=t(N_("Cannot come to a meeting: %(title)s"), title=booking_request.title),
        body="\n\n".join(
            [
                t(
                    N_(
                        "%(name)s cannot come to the meeting on %(when)s of request "
                        "no. %(request)s and stays booked on the others."
                    ),
                    name=member.display_name,
                    when=local_when(item.starts_at),
                    request=booking_request.id,
                ),
                t(
                    N_("The reason is on the request page: %(url)s"),
                    url=ctx.request_url(booking_request.id),
                ),
            ]
        ),
    )


def queue_meeting_cancellation(
    *,
    session: Session,
    booking_request: BookingRequest,
    assignment: Assignment,
    member: Member,
    items: list[RequestSession],
    ctx: MailContext,
    now: datetime,
) -> dict | None:
    """Mail her a calendar CANCEL for these meetings only: same UID, SEQUENCE + 1.

    The meetings themselves are unchanged for everyone else, so their SEQUENCE is not raised.
    """
    address = member_address(session=session, member=member)
    if not address or not items:
        return None
    t = ctx.translate
    url = assignment_url(ctx, assignment.id)
    events = [
        dataclasses.replace(event, sequence=event.sequence + 1)
        for event in calendar_events(
            session=session, booking_request=booking_request, items=items, ctx=ctx, url=url
        )
    ]
    ics = member_calendar(ctx, events, address=address, member=member, now=now, method="CANCEL")
    when = ", ".join(local_when(item.starts_at) for item in items)
    body = "\n\n".join(
        [
            t(N_("Hello %(name)s,"), name=member.first_name),
            t(
                N_(
                    "You have said you cannot come to %(title)s on %(when)s. It is removed from your calendar."
                ),
                title=booking_request.title,
                when=when,
            ),
            t(N_("Your assignments: %(url)s"), url=url),
        ]
    )
    return queue_mail(
        session,
        to=address,
        subject=t(N_("Cancelled for you: %(title)s"), title=booking_request.title),
        body=body,
        calendar=ics.decode(),
        calendar_method="CANCEL",
    )


@dataclass(frozen=True)
class Withdrawal:
    """The whole assignment given up: the assignment and the meetings cancelled for her."""

    assignment: Assignment
    cancelled: list[RequestSession]


def cannot_come_at_all(
    *,
    session: Session,
    assignment: Assignment,
    reason: str,
    actor: User,
    ctx: MailContext,
    now: datetime,
) -> Withdrawal:
    """Withdraw her from the whole assignment with a reason: council told, replacement starts."""
    member = check_reporter(session=session, assignment=assignment, actor=actor)
    text = clean_reason(reason)
    ahead = meetings_ahead(session=session, assignment=assignment, now=now)
    if assignment.status != AssignmentStatus.BOOKED or not ahead:
        raise Conflict(N_("Only a booked assignment with meetings ahead can be given up."))
    withdraw_from_assignment(
        session=session,
        assignment=assignment,
        member=member,
        actor_id=actor.id,
        council_mailbox=ctx.council_mailbox,
        translate=ctx.translate,
        reason=text,
    )
    queue_meeting_cancellation(
        session=session,
        booking_request=session.get(BookingRequest, assignment.request_id),
        assignment=assignment,
        member=member,
        items=ahead,
        ctx=ctx,
        now=now,
    )
    return Withdrawal(assignment, ahead)


def absences_for_request(
    *, session: Session, request_id: int
) -> list[tuple[SessionAbsence, RequestSession, Member]]:
    """Return the absences reported on a request's meetings, by meeting time."""
    return list(session.exec(_request_absences(), params={"request_id": request_id}))


@cache
def _request_absences():
    return (
        select(SessionAbsence, RequestSession, Member)
        .join(RequestSession, RequestSession.id == SessionAbsence.request_session_id)
        .join(Member, Member.id == SessionAbsence.member_id)
        .where(RequestSession.request_id == bindparam("request_id"))
        .order_by(RequestSession.starts_at, RequestSession.id, SessionAbsence.id)
    )
