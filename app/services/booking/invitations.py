"""Invitations to chosen members: send, accept, decline (replacement: ``replacements``)."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, func, select

from app import clock
from app.models import (
    Assignment,
    BookingRequest,
    Invitation,
    Member,
    Proposal,
    ProposalEntry,
    RequestSession,
)
from app.models.base import utcnow
from app.models.enums import (
    InvitationStatus,
    ProposalStatus,
    RequestAction,
    RequestStatus,
)
from app.services.booking.guard import busy_member_ids, lock_members
from app.services.booking.invitation_mail import (
    MailContext,
    queue_booked_mail,
    queue_invitation_mail,
)
from app.services.errors import Conflict, NotFound
from app.services.journey.confirmation_mail import queue_confirmation_mail
from app.services.messages import N_
from app.services.requests.history import log_event
from app.services.requests.states import HOLDING_ASSIGNMENTS, LIVE_REQUEST_STATES, move_request
from app.services.requests.submission import request_sessions

#: Days a member has to answer, never past the day before the first session.
REPLY_DAYS = 7
#: The shortest answer window unless the setting says otherwise (INVITATION_MIN_ANSWER_HOURS).
MIN_ANSWER_WINDOW = timedelta(hours=2)
TOO_LATE_TO_INVITE = N_(
    "The first session starts too soon: an invitation sent now could not be answered in the "
    "shortest answer window before it starts. Move the session to a later time, or contact "
    "the people directly and cancel the request here."
)


def reply_deadline(
    *,
    first_start: datetime,
    now: datetime,
    zone: ZoneInfo | None = None,
    minimum: timedelta = MIN_ANSWER_WINDOW,
) -> datetime:
    """Return when an invitation sent now must be answered.

    Normally 7 days, but no later than the day before the first session; never less than
    ``minimum`` after sending, and never after the first session starts (README, "From
    request to booking"). Days are counted on the local calendar, so across a daylight-saving
    switch the deadline keeps the wall-clock time it is shown with.
    """
    zone = zone or clock.zone()
    in_a_week = _local_days_later(now, REPLY_DAYS, zone)
    usual = min(in_a_week, _local_days_later(first_start, -1, zone))
    return min(max(usual, now + minimum), first_start)


def answer_window_fits(
    *, first_start: datetime, now: datetime, minimum: timedelta = MIN_ANSWER_WINDOW
) -> bool:
    """Return whether an invitation sent now still leaves ``minimum`` to answer before the start."""
    return first_start - now >= minimum


def check_answer_window(
    *, session: Session, booking_request: BookingRequest, now: datetime, minimum: timedelta
) -> None:
    """Refuse (Conflict) to invite anyone when the first session starts within ``minimum``."""
    items = request_sessions(session=session, request_id=booking_request.id)
    if items and not answer_window_fits(first_start=items[0].starts_at, now=now, minimum=minimum):
        raise Conflict(TOO_LATE_TO_INVITE)


def earliest_reply_deadline(*, session: Session, request_id: int) -> datetime | None:
    """Return the soonest deadline among the request's unanswered invitations."""
    return session.exec(
        select(func.min(Invitation.reply_deadline_at)).where(
            Invitation.request_id == request_id,
            Invitation.status == InvitationStatus.PENDING,
            Invitation.is_interest_check.is_(False),
        )
    ).one()


def _local_days_later(moment: datetime, days: int, zone: ZoneInfo) -> datetime:
    """Return, in UTC, the same local wall-clock time ``days`` local dates away."""
    local = moment.astimezone(zone)
    shifted = datetime.combine(local.date() + timedelta(days=days), local.time(), tzinfo=zone)
    return shifted.astimezone(UTC)


def send_invitation(
    *,
    session: Session,
    booking_request: BookingRequest,
    member: Member,
    ctx: MailContext,
    now: datetime,
) -> Invitation:
    """Create an invitation with a secret token and reply deadline, and queue its mail.

    Refused (Conflict) when the first session starts within the shortest answer window.
    """
    items = request_sessions(session=session, request_id=booking_request.id)
    minimum = ctx.min_answer_window
    if not answer_window_fits(first_start=items[0].starts_at, now=now, minimum=minimum):
        raise Conflict(TOO_LATE_TO_INVITE)
    invitation = Invitation(
        request_id=booking_request.id,
        member_id=member.id,
        token=secrets.token_urlsafe(32),
        sent_at=now,
        reply_deadline_at=reply_deadline(first_start=items[0].starts_at, now=now, minimum=minimum),
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


def invitation_items(*, session: Session, invitation: Invitation) -> list[RequestSession]:
    """Return the meetings an invitation is for: all the request's, or a stand-in's one."""
    items = request_sessions(session=session, request_id=invitation.request_id)
    if invitation.stand_in_session_id is None:
        return items
    return [item for item in items if item.id == invitation.stand_in_session_id]


def _check_answerable(session: Session, invitation: Invitation, now: datetime) -> BookingRequest:
    booking_request = session.get(BookingRequest, invitation.request_id)
    stand_in = invitation.stand_in_session_id is not None
    if invitation.is_interest_check:
        raise Conflict(N_("This link asks about your interest; it is not an invitation."))
    if invitation.status != InvitationStatus.PENDING:
        raise Conflict(N_("This invitation has already been answered."))
    # A stand-in joins a booked group for one meeting; the others fill an approved group.
    open_states = LIVE_REQUEST_STATES if stand_in else (RequestStatus.APPROVED,)
    if booking_request.status not in open_states:
        raise Conflict(N_("This request is no longer open for answers."))
    items = invitation_items(session=session, invitation=invitation)
    if stand_in and (not items or items[0].starts_at <= now):
        raise Conflict(N_("The meeting has already started."))
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
        sessions=invitation_items(session=session, invitation=invitation),
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
        # The terms the council set before the answer, shown on the invitation, now agreed.
        extra_minutes=invitation.extra_minutes,
        is_hourly=invitation.is_hourly,
        is_part_of_employment=invitation.is_part_of_employment,
        stand_in_session_id=invitation.stand_in_session_id,
    )
    session.add_all([invitation, assignment])
    log_event(session, booking_request, None, "invitation_accepted", member_id=invitation.member_id)
    session.flush()
    # Her confirmation first, then the council's notice of a declared conflict, then (the last
    # acceptance of a group) the request is booked and the orderer told.
    queue_confirmation_mail(
        session=session,
        ctx=ctx,
        booking_request=booking_request,
        invitation=invitation,
        assignment=assignment,
        now=now,
    )
    if assignment.conflict_declaration:
        from app.services.journey.conflicts import tell_council_of_conflict  # builds on this

        tell_council_of_conflict(
            session=session, assignment=assignment, booking_request=booking_request, ctx=ctx
        )
    if invitation.stand_in_session_id is None:  # a stand-in never books or reopens the request
        _book_when_complete(session, booking_request, ctx)
    return assignment


def group_targets(
    *, session: Session, request_ids: Iterable[int], approved_only: bool = False
) -> dict[int, int]:
    """Return per request how many people its approved group holds (requested count if none).

    The council may approve fewer people than asked for; the request is booked when that many
    have accepted. ``approved_only`` leaves out requests without an approved proposal.
    """
    ids = sorted(set(request_ids))
    if not ids:
        return {}
    query = (
        select(Proposal.request_id, func.count(ProposalEntry.id))
        .join(Proposal, Proposal.id == ProposalEntry.proposal_id)
        .where(Proposal.request_id.in_(ids), Proposal.status == ProposalStatus.APPROVED)
        .where(ProposalEntry.is_in_group)
        .group_by(Proposal.request_id)
    )
    counted = dict(session.exec(query).all())
    if approved_only:
        return counted
    asked = session.exec(
        select(BookingRequest.id, BookingRequest.people_count).where(BookingRequest.id.in_(ids))
    )
    return {request_id: counted.get(request_id) or people for request_id, people in asked}


def booked_count(*, session: Session, request_id: int) -> int:
    """Return how many people are booked on a request."""
    query = select(func.count(Assignment.id)).where(
        Assignment.request_id == request_id,
        Assignment.status.in_(HOLDING_ASSIGNMENTS),
        Assignment.stand_in_session_id.is_(None),  # a stand-in for one meeting is not a place
    )
    return session.exec(query).one()


def _book_when_complete(session: Session, booking_request: BookingRequest, ctx) -> None:
    booked = booked_count(session=session, request_id=booking_request.id)
    target = group_targets(session=session, request_ids=[booking_request.id])[booking_request.id]
    if booked >= target:
        move_request(
            session=session,
            booking_request=booking_request,
            action=RequestAction.BOOKED,
            count=booked,
        )
        queue_booked_mail(session=session, ctx=ctx, booking_request=booking_request)


def decline_invitation(
    *,
    session: Session,
    token: str,
    ctx: MailContext,
    message: str = "",
    now: datetime | None = None,
) -> Invitation:
    """Decline an invitation; the place goes to replacement as the request's mode says."""
    from app.services.booking.replacements import (
        start_replacement,  # replacements builds on this module
    )

    now = now or utcnow()
    invitation = invitation_by_token(session=session, token=token)
    booking_request = _check_answerable(session, invitation, now)
    invitation.status = InvitationStatus.DECLINED
    invitation.responded_at = now
    invitation.response_message = (message or "").strip()[:1000]
    session.add(invitation)
    log_event(session, booking_request, None, "invitation_declined", member_id=invitation.member_id)
    session.flush()
    if invitation.stand_in_session_id is not None:
        from app.services.journey.stand_ins import after_stand_in_declined

        after_stand_in_declined(session=session, invitation=invitation, ctx=ctx, now=now)
        return invitation
    start_replacement(
        session=session,
        booking_request=booking_request,
        ctx=ctx,
        now=now,
        member_id=invitation.member_id,
        reason="declined",
    )
    return invitation
