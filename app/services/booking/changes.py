"""Changes after submission: a new session time (iCalendar update) and unanswered invitations.

A changed time re-checks everyone holding the request (pending invitation or booking) with
the matching rules — weekly windows, blocked periods, pauses, bookings elsewhere — the same
rules the proposal uses. People who can no longer come are named and the change is refused
until the actor confirms it; confirmed, they are released (their invitation or booking is
withdrawn, they get a calendar cancellation) and their places go to replacement as the
request's replacement mode says. Everyone else gets an update with the same UID and
SEQUENCE + 1.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import Session, and_, select

from app.mail.context import MailContext
from app.models import Assignment, BookingRequest, Invitation, Member, RequestSession, User
from app.models.base import utcnow
from app.models.enums import AssignmentStatus, InvitationStatus, Role
from app.services.booking.guard import busy_member_ids, lock_members
from app.services.booking.interest import close_interest_round_if_done
from app.services.booking.invitation_mail import queue_invitation_mail
from app.services.booking.replacements import start_replacement
from app.services.errors import Conflict, Forbidden, InvalidInput
from app.services.matchmaking.proposals import current_exclusions
from app.services.messages import N_
from app.services.requests.history import log_event
from app.services.requests.states import (
    HOLDING_ASSIGNMENTS,
    HOLDING_INVITATIONS,
    RUNNING_REQUEST_STATES,
    move_assignment,
)
from app.services.requests.submission import request_sessions

#: Matching rules that mean "cannot come at this time".
TIME_RULES = ("unavailable", "already_booked")
#: How far ahead a session may be moved.
HORIZON = timedelta(days=5 * 365)


class TimeChangeNeedsConfirmation(Conflict):
    """People holding the request cannot come at the new time; nothing was changed."""

    def __init__(self, members: list[Member]):
        super().__init__(N_("Some people are not available at the new time."))
        self.members = members


@dataclass
class TimeChange:
    """A session moved, and who was released because they cannot come at the new time."""

    request_session: RequestSession
    released: list[Member] = field(default_factory=list)


def change_session_time(
    *,
    session: Session,
    request_session: RequestSession,
    starts_at: datetime,
    ends_at: datetime,
    actor: User,
    ctx: MailContext | None = None,
    now: datetime | None = None,
    confirm_release: bool = False,
) -> TimeChange:
    """Move a session: re-check who can come, raise SEQUENCE, send updates, release the rest."""
    now, ctx = now or utcnow(), ctx or MailContext()
    booking_request = session.get(BookingRequest, request_session.request_id)
    _check_change(booking_request, request_session, starts_at, ends_at, actor, now)
    old = (request_session.starts_at, request_session.ends_at)
    _move(session, request_session, starts_at, ends_at, +1)
    holders = _holders(session, booking_request.id)
    cannot = cannot_come(session, booking_request, [inv.member_id for inv, _ in holders])
    if cannot and not confirm_release:
        _move(session, request_session, *old, -1)
        members = [session.get(Member, member_id) for member_id in sorted(cannot)]
        raise TimeChangeNeedsConfirmation(members)
    items = request_sessions(session=session, request_id=booking_request.id)
    released = []
    for invitation, assignment in holders:
        member = session.get(Member, invitation.member_id)
        if member.id in cannot:
            _release(session, booking_request, invitation, assignment, member, ctx, items, now)
            released.append(member)
        else:
            _queue_update(session, booking_request, invitation, member, ctx, items, now)
    log_event(
        session,
        booking_request,
        actor.id,
        "time_changed",
        session_id=request_session.id,
        before=[moment.isoformat() for moment in old],
        sequence=request_session.sequence,
        released=[member.id for member in released],
    )
    for member in released:
        start_replacement(
            session=session,
            booking_request=booking_request,
            ctx=ctx,
            now=now,
            member_id=member.id,
            reason="time_changed",
        )
    session.flush()
    return TimeChange(request_session, released)


def _check_change(booking_request, request_session, starts_at, ends_at, actor: User, now) -> None:
    if actor.role == Role.ORDERER:
        if actor.organisation_id != booking_request.organisation_id:
            raise Forbidden(
                N_("Only the council or the ordering organisation can change the time.")
            )
    elif actor.role != Role.COUNCIL:
        raise Forbidden(N_("Only the council or the ordering organisation can change the time."))
    if booking_request.status not in RUNNING_REQUEST_STATES:
        raise Conflict(N_("This request cannot take that step in its current state."))
    if request_session.starts_at <= now:
        raise Conflict(N_("A session that has started cannot be moved."))
    if ends_at <= starts_at or starts_at <= now:
        raise InvalidInput(N_("A session must end after it starts and lie in the future."))
    if ends_at > now + HORIZON:
        raise InvalidInput(N_("Choose a time within the next five years."))


def _move(session: Session, item: RequestSession, starts_at, ends_at, step: int) -> None:
    item.starts_at, item.ends_at = starts_at, ends_at
    item.sequence += step
    session.add(item)
    session.flush()


def request_holders(
    *, session: Session, request_id: int
) -> list[tuple[Invitation, Assignment | None]]:
    """Return who holds the request: pending invitations, and accepted ones still booked."""
    return _holders(session, request_id)


def _holders(session: Session, request_id: int) -> list[tuple[Invitation, Assignment | None]]:
    """Return the pending invitations and the accepted ones whose booking still holds."""
    booked = and_(
        Assignment.request_id == Invitation.request_id,
        Assignment.member_id == Invitation.member_id,
        Assignment.status.in_(HOLDING_ASSIGNMENTS),
    )
    query = (
        select(Invitation, Assignment)
        .join(Assignment, booked, isouter=True)
        .where(
            Invitation.request_id == request_id,
            ~Invitation.is_interest_check,
            Invitation.status.in_(HOLDING_INVITATIONS),
        )
        .order_by(Invitation.id)
    )
    return [
        (invitation, assignment)
        for invitation, assignment in session.exec(query)
        if invitation.status == InvitationStatus.PENDING or assignment is not None
    ]


def cannot_come(session: Session, booking_request: BookingRequest, member_ids: list[int]):
    """Return the members who cannot come at the request's (new) times, after locking them."""
    lock_members(session=session, member_ids=member_ids)
    busy = busy_member_ids(session=session, member_ids=member_ids, booking_request=booking_request)
    rules = current_exclusions(
        session=session, booking_request=booking_request, member_ids=member_ids
    )
    return busy | {member_id for member_id, rule in rules.items() if rule in TIME_RULES}


def _release(session, booking_request, invitation, assignment, member, ctx, items, now) -> None:
    """Withdraw a person who cannot come at the new time and send them a cancellation."""
    release_holder(
        session=session,
        booking_request=booking_request,
        invitation=invitation,
        assignment=assignment,
        member=member,
        ctx=ctx,
        items=items,
        now=now,
        intro_text=ctx.translate(
            N_(
                "The time of the assignment has changed and your calendar shows that you "
                "cannot come at the new time, so you are released from it. Thank you!"
            )
        ),
    )


def release_holder(
    *,
    session: Session,
    booking_request: BookingRequest,
    invitation: Invitation,
    assignment: Assignment | None,
    member: Member,
    ctx: MailContext,
    items: list[RequestSession],
    now: datetime,
    intro_text: str,
    actor_id: int | None = None,
) -> None:
    """Withdraw a person's invitation and booking and send a calendar CANCEL saying why."""
    invitation.status = InvitationStatus.WITHDRAWN
    session.add(invitation)
    if assignment is not None:
        move_assignment(
            session=session, assignment=assignment, to=AssignmentStatus.WITHDRAWN, actor_id=actor_id
        )
    queue_invitation_mail(
        session=session,
        ctx=ctx,
        booking_request=booking_request,
        invitation=invitation,
        member=member,
        items=items,
        now=now,
        method="CANCEL",
        intro_text=intro_text,
    )
    log_event(session, booking_request, actor_id, "member_released", member_id=member.id)


def _queue_update(session, booking_request, invitation, member, ctx, items, now) -> None:
    queue_invitation_mail(
        session=session,
        ctx=ctx,
        booking_request=booking_request,
        invitation=invitation,
        member=member,
        items=items,
        now=now,
    )


def expire_invitations(
    *, session: Session, ctx: MailContext | None = None, now: datetime | None = None
) -> list[Invitation]:
    """Expire unanswered invitations past their deadline and start their replacements.

    The reply-deadline job: a booking invitation's place goes to replacement as the request's
    mode says; an unanswered "are you interested?" counts as no, and a round of interest
    questions with nobody left to answer is closed (the council is told how many said yes).
    """
    now, ctx = now or utcnow(), ctx or MailContext()
    overdue = list(
        session.exec(
            select(Invitation)
            .where(
                Invitation.status == InvitationStatus.PENDING,
                Invitation.reply_deadline_at < now,
            )
            .order_by(Invitation.id)
        )
    )
    rounds: dict[int, BookingRequest] = {}
    for invitation in overdue:
        invitation.status = InvitationStatus.EXPIRED
        session.add(invitation)
        booking_request = session.get(BookingRequest, invitation.request_id)
        member_id = invitation.member_id
        if invitation.is_interest_check:
            log_event(session, booking_request, None, "interest_expired", member_id=member_id)
            rounds[booking_request.id] = booking_request
            continue
        log_event(session, booking_request, None, "invitation_expired", member_id=member_id)
        session.flush()
        if invitation.stand_in_session_id is not None:  # one meeting only: never reopen
            from app.services.journey.stand_ins import after_stand_in_declined

            after_stand_in_declined(session=session, invitation=invitation, ctx=ctx, now=now)
            continue
        start_replacement(
            session=session,
            booking_request=booking_request,
            ctx=ctx,
            now=now,
            member_id=member_id,
            reason="expired",
        )
    session.flush()
    for booking_request in rounds.values():
        close_interest_round_if_done(
            session=session, booking_request=booking_request, ctx=ctx, now=now
        )
    return overdue
