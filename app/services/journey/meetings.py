"""Meetings of a request added or cancelled after sending (standing groups, issue 19).

Adding a meeting re-checks the people holding the request with the time change's rules
(``booking/changes.py``). Someone who cannot come to the added meeting stays in the group:
a ``SessionAbsence`` makes that one meeting not hers, and she and the council are told.
Everyone else gets a calendar REQUEST for the new meeting (its own UID, SEQUENCE 0).

Cancelling a meeting withdraws any stand-in booked or invited for it, sends METHOD:CANCEL
with the meeting's UID and SEQUENCE + 1 to everyone who had it, and deletes the row. A
request keeps at least one meeting: cancelling the last one is cancelling the request.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, select

from app import clock, formatting
from app.mail.context import MailContext
from app.mail.outbox import queue_mail
from app.models import (
    Assignment,
    BookingRequest,
    Invitation,
    Member,
    RequestSession,
    SessionAbsence,
    SessionAttendance,
    User,
)
from app.models.base import utcnow
from app.models.enums import AssignmentStatus, InvitationStatus, RequestAction, Role
from app.services.booking.changes import HORIZON, cannot_come, request_holders
from app.services.booking.invitation_mail import member_address, queue_invitation_mail
from app.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.services.messages import N_
from app.services.requests.history import log_event
from app.services.requests.states import HOLDING_INVITATIONS, RUNNING_REQUEST_STATES
from app.services.requests.submission import (
    MAX_SESSION_LENGTH,
    MAX_SESSIONS,
    MAX_STANDING_SESSIONS,
    TOO_MANY_MEETINGS,
    request_sessions,
)

#: Why an absence was recorded for a person who cannot come to an added meeting.
NOT_AVAILABLE_REASON = "not available at the added time"


@dataclass
class MeetingAdded:
    """The new meeting, who was invited to it and who cannot come (absence recorded)."""

    request_session: RequestSession
    invited: list[Member] = field(default_factory=list)
    absent: list[Member] = field(default_factory=list)


def check_meeting_actor(booking_request: BookingRequest, actor: User) -> None:
    """Refuse anyone but the council and the orderer's organisation."""
    if actor.role == Role.COUNCIL:
        return
    if actor.role == Role.ORDERER and actor.organisation_id == booking_request.organisation_id:
        return
    raise Forbidden(N_("Only the council or the ordering organisation can change the meetings."))


def _check_live(booking_request: BookingRequest) -> None:
    if booking_request.status not in RUNNING_REQUEST_STATES:
        raise Conflict(N_("This request cannot take that step in its current state."))


def _check_new_time(session, booking_request, starts_at, ends_at, now) -> None:
    if ends_at <= starts_at or starts_at <= now:
        raise InvalidInput(N_("A session must end after it starts and lie in the future."))
    if ends_at - starts_at > MAX_SESSION_LENGTH:
        raise InvalidInput(N_("A session may last at most 12 hours."))
    if ends_at > now + HORIZON:
        raise InvalidInput(N_("Choose a time within the next five years."))
    day = starts_at.astimezone(clock.zone()).date()
    start, end = booking_request.term_start, booking_request.term_end
    if (start and day < start) or (end and day > end):
        raise InvalidInput(N_("The meetings must lie inside the term."))
    items = request_sessions(session=session, request_id=booking_request.id)
    limit = MAX_STANDING_SESSIONS if booking_request.is_standing else MAX_SESSIONS
    if len(items) >= limit:
        raise InvalidInput(TOO_MANY_MEETINGS)
    if any(item.starts_at < ends_at and starts_at < item.ends_at for item in items):
        raise InvalidInput(N_("Sessions must not overlap or repeat one another."))


def add_meeting(
    *,
    session: Session,
    booking_request: BookingRequest,
    starts_at: datetime,
    ends_at: datetime,
    actor: User,
    ctx: MailContext | None = None,
    now: datetime | None = None,
) -> MeetingAdded:
    """Add a meeting: invite the people holding the request, record absences for the rest."""
    now, ctx = now or utcnow(), ctx or MailContext()
    check_meeting_actor(booking_request, actor)
    _check_live(booking_request)
    _check_new_time(session, booking_request, starts_at, ends_at, now)
    holders = [
        pair
        for pair in request_holders(session=session, request_id=booking_request.id)
        if _whole_group(pair[0], pair[1])
    ]
    member_ids = [invitation.member_id for invitation, _ in holders]
    # Only the added meeting counts: who already failed the old times is not blamed on it.
    before = cannot_come(session, booking_request, member_ids)
    row = RequestSession(
        request_id=booking_request.id,
        starts_at=starts_at,
        ends_at=ends_at,
        ical_uid=f"{uuid.uuid4()}@levande-bibliotek",
    )
    session.add(row)
    session.flush()
    cannot = cannot_come(session, booking_request, member_ids) - before
    added = MeetingAdded(row)
    for invitation, assignment in holders:
        member = session.get(Member, invitation.member_id)
        if member.id in cannot:
            _record_absence(session, row, assignment, member, actor)
            _tell_absent(session, ctx, booking_request, row, member)
            added.absent.append(member)
            continue
        queue_invitation_mail(
            session=session,
            ctx=ctx,
            booking_request=booking_request,
            invitation=invitation,
            member=member,
            items=[row],
            now=now,
            intro_text=ctx.translate(
                N_("A meeting has been added to your assignment: %(when)s."),
                when=_when(row, ctx),
            ),
        )
        added.invited.append(member)
    if added.absent:
        _tell_council(session, ctx, booking_request, row, added.absent)
    log_event(
        session,
        booking_request,
        actor.id,
        RequestAction.MEETING_ADDED,
        session_id=row.id,
        starts_at=starts_at.isoformat(),
        ends_at=ends_at.isoformat(),
        absent=[member.id for member in added.absent],
    )
    session.flush()
    return added


def _whole_group(invitation: Invitation, assignment: Assignment | None) -> bool:
    """Return whether the holder is in the group for every meeting (not a one-meeting stand-in)."""
    if assignment is not None and assignment.stand_in_session_id is not None:
        return False
    return invitation.stand_in_session_id is None


def _record_absence(session, row, assignment, member, actor) -> None:
    """Record that the person cannot come to the added meeting (a pending invitee has no booking)."""
    if assignment is None:
        return
    session.add(
        SessionAbsence(
            request_session_id=row.id,
            assignment_id=assignment.id,
            member_id=member.id,
            reason=NOT_AVAILABLE_REASON,
            reported_by_id=actor.id,
        )
    )


def _when(row: RequestSession, ctx: MailContext) -> str:
    return formatting.moment_span(row.starts_at, row.ends_at, ctx.locale)


def _tell_absent(session, ctx, booking_request, row, member) -> None:
    address = member_address(session=session, member=member)
    if not address:
        return
    t = ctx.translate
    body = t(
        N_(
            "A meeting has been added to %(title)s: %(when)s. Your calendar shows that you "
            "cannot come then, so that meeting is not counted as yours. You stay in the group "
            "for the other meetings. Questions go to the council: %(mailbox)s"
        ),
        title=booking_request.title,
        when=_when(row, ctx),
        mailbox=ctx.council_mailbox,
    )
    subject = t(N_("Added meeting you cannot come to: %(title)s"), title=booking_request.title)
    queue_mail(session, to=address, subject=subject, body=body)


def _tell_council(session, ctx, booking_request, row, members) -> None:
    t = ctx.translate
    body = t(
        N_(
            "A meeting was added to %(title)s (%(when)s). Not available then, an absence is "
            "recorded for them (they stay in the group): %(names)s. Consider a stand-in."
        ),
        title=booking_request.title,
        when=_when(row, ctx),
        names=", ".join(member.display_name for member in members),
    )
    subject = t(N_("Added meeting: not everyone can come (%(title)s)"), title=booking_request.title)
    queue_mail(session, to=ctx.council_mailbox, subject=subject, body=body)


def cancel_meeting(
    *,
    session: Session,
    booking_request: BookingRequest,
    session_id: int,
    reason: str,
    actor: User,
    ctx: MailContext | None = None,
    now: datetime | None = None,
) -> list[Member]:
    """Cancel a meeting ahead: CANCEL (same UID, SEQUENCE + 1) to all who had it; return them."""
    now, ctx = now or utcnow(), ctx or MailContext()
    check_meeting_actor(booking_request, actor)
    _check_live(booking_request)
    row = session.get(RequestSession, session_id)
    if row is None or row.request_id != booking_request.id:
        raise NotFound(N_("No such meeting."))
    if row.starts_at <= now:
        raise Conflict(N_("A meeting that has started cannot be cancelled."))
    if len(request_sessions(session=session, request_id=booking_request.id)) <= 1:
        raise Conflict(
            N_("A request keeps at least one meeting: to cancel the last one, cancel the request.")
        )
    row.sequence += 1
    session.add(row)
    absent = set(
        session.exec(
            select(SessionAbsence.member_id).where(SessionAbsence.request_session_id == row.id)
        )
    )
    told = []
    for invitation, assignment in request_holders(session=session, request_id=booking_request.id):
        stand_in = invitation.stand_in_session_id or (assignment and assignment.stand_in_session_id)
        if invitation.member_id in absent or stand_in not in (None, row.id):
            continue
        if stand_in == row.id:
            _withdraw_stand_in(session, invitation, assignment)
        member = session.get(Member, invitation.member_id)
        queue_invitation_mail(
            session=session,
            ctx=ctx,
            booking_request=booking_request,
            invitation=invitation,
            member=member,
            items=[row],
            now=now,
            method="CANCEL",
            intro_text=_cancel_text(ctx, row, reason),
        )
        told.append(member)
    log_event(
        session,
        booking_request,
        actor.id,
        RequestAction.MEETING_CANCELLED,
        reason,
        session_id=row.id,
        starts_at=row.starts_at.isoformat(),
        ends_at=row.ends_at.isoformat(),
        sequence=row.sequence,
        told=[member.id for member in told],
    )
    _delete_meeting(session, row)
    return told


def _cancel_text(ctx: MailContext, row: RequestSession, reason: str) -> str:
    text = ctx.translate(
        N_("The meeting %(when)s is cancelled. The other meetings stand."), when=_when(row, ctx)
    )
    if reason.strip():
        text += "\n\n" + ctx.translate(N_("Reason: %(text)s"), text=reason.strip())
    return text


def _withdraw_stand_in(session, invitation, assignment) -> None:
    """Withdraw the stand-in for the cancelled meeting (invitation and booking)."""
    from app.services.requests.states import move_assignment

    if invitation.status in HOLDING_INVITATIONS:
        invitation.status = InvitationStatus.WITHDRAWN
        session.add(invitation)
    if assignment is not None and assignment.status == AssignmentStatus.BOOKED:
        move_assignment(session=session, assignment=assignment, to=AssignmentStatus.WITHDRAWN)


def _delete_meeting(session: Session, row: RequestSession) -> None:
    """Delete the meeting and what hangs on it; stand-in rows keep their history, unlinked."""
    for model in (SessionAbsence, SessionAttendance):
        for item in session.exec(select(model).where(model.request_session_id == row.id)):
            session.delete(item)
    for model in (Invitation, Assignment):
        for item in session.exec(select(model).where(model.stand_in_session_id == row.id)):
            item.stand_in_session_id = None
            session.add(item)
    session.flush()
    session.delete(row)
    session.flush()
