"""Stand-ins for one meeting: someone booked cannot come, another person is asked for that meeting.

A stand-in invitation (``Invitation.stand_in_session_id``) and the booking it leads to
(``Assignment.stand_in_session_id``) cover that one meeting only (``coverage.covers``). Inviting
one never books or reopens the request. With ``ReplacementMode.AUTO`` the best candidate is
invited as soon as an absence is reported and the next one after a decline; otherwise the
council chooses on the request page. docs/journey.md, "Stand-ins for one meeting".
"""

from __future__ import annotations

import secrets
from dataclasses import replace
from datetime import datetime

from sqlalchemy import or_
from sqlmodel import Session, select

import matching
from app import clock
from app.mail.context import MailContext
from app.mail.outbox import queue_mail
from app.models import (
    Assignment,
    BookingRequest,
    Invitation,
    Member,
    Proposal,
    ProposalEntry,
    RequestSession,
    SessionAbsence,
    User,
)
from app.models.enums import (
    InvitationStatus,
    MemberStatus,
    ProposalStatus,
    ReplacementMode,
    RequestAction,
)
from app.services.booking.guard import busy_member_ids, claim_members, lock_request
from app.services.booking.invitation_mail import queue_stand_in_mail
from app.services.booking.invitations import answer_window_fits, reply_deadline
from app.services.errors import Conflict, InvalidInput
from app.services.matchmaking.matching_input import pool_for_matching, request_for_matching
from app.services.messages import N_
from app.services.requests.history import log_event
from app.services.requests.states import HOLDING_ASSIGNMENTS, LIVE_REQUEST_STATES
from app.services.requests.submission import request_sessions

TOO_LATE = N_(
    "This meeting starts too soon: an invitation sent now could not be answered before it. "
    "Contact a stand-in directly."
)


def stand_in_candidates(
    *, session: Session, booking_request: BookingRequest, request_session: RequestSession
) -> list[Member]:
    """Return who could stand in at one meeting, best first: reserves, then the proposal's rank.

    A candidate is active, not in the group and not asked for this meeting before, eligible by
    the matching rules at that meeting's time, and not booked or invited elsewhere then.
    """
    ranked = _ranked_entries(session, booking_request.id)
    taken = _taken(session, booking_request.id, request_session.id)
    ids = [entry.member_id for entry in ranked if entry.member_id not in taken]
    if not ids:
        return []
    members = {m.id: m for m in session.exec(select(Member).where(Member.id.in_(ids)))}
    ids = [i for i in ids if i in members and members[i].status == MemberStatus.ACTIVE]
    excluded = _excluded_at(session, booking_request, request_session, ids)
    busy = busy_member_ids(
        session=session, member_ids=ids, booking_request=booking_request, sessions=[request_session]
    )
    return [members[i] for i in ids if i not in excluded and i not in busy]


def _ranked_entries(session: Session, request_id: int) -> list[ProposalEntry]:
    """Return the approved proposal's people: the reserves in order, then the rest by rank."""
    query = (
        select(ProposalEntry)
        .join(Proposal, Proposal.id == ProposalEntry.proposal_id)
        .where(Proposal.request_id == request_id, Proposal.status == ProposalStatus.APPROVED)
        .order_by(
            ProposalEntry.reserve_position.is_(None),
            ProposalEntry.reserve_position,
            ProposalEntry.rank,
        )
    )
    return list(session.exec(query))


def _taken(session: Session, request_id: int, meeting_id: int) -> set[int]:
    """Return who is in the group, absent, or was asked before (whole request or this meeting)."""
    mine = or_(
        Invitation.stand_in_session_id.is_(None), Invitation.stand_in_session_id == meeting_id
    )
    invited = select(Invitation.member_id).where(
        Invitation.request_id == request_id, ~Invitation.is_interest_check, mine
    )
    booked = select(Assignment.member_id).where(
        Assignment.request_id == request_id,
        Assignment.status.in_(HOLDING_ASSIGNMENTS),
        or_(Assignment.stand_in_session_id.is_(None), Assignment.stand_in_session_id == meeting_id),
    )
    absent = select(SessionAbsence.member_id).where(SessionAbsence.request_session_id == meeting_id)
    return {*session.exec(invited), *session.exec(booked), *session.exec(absent)}


def _excluded_at(session, booking_request, meeting: RequestSession, ids: list[int]) -> set[int]:
    """Return the members the matching rules exclude for that one meeting (availability …)."""
    whole = request_for_matching(session=session, booking_request=booking_request)
    rows = request_sessions(session=session, request_id=booking_request.id)
    only = tuple(s for s, row in zip(whole.sessions, rows, strict=True) if row.id == meeting.id)
    pool = pool_for_matching(session=session, exclude_request_id=booking_request.id, member_ids=ids)
    if not pool or not only:
        return set()
    codes = matching.exclusion_codes(matching.PoolIndex(pool), replace(whole, sessions=only))
    return {int(member.id) for member, code in zip(pool, codes, strict=True) if code}


def open_stand_in_places(*, session: Session, meeting: RequestSession) -> int:
    """Return how many absences at a meeting have neither a stand-in nor an open invitation."""
    absent = session.exec(
        select(SessionAbsence.id).where(SessionAbsence.request_session_id == meeting.id)
    ).all()
    booked = session.exec(
        select(Assignment.id).where(
            Assignment.stand_in_session_id == meeting.id,
            Assignment.status.in_(HOLDING_ASSIGNMENTS),
        )
    ).all()
    pending = session.exec(
        select(Invitation.id).where(
            Invitation.stand_in_session_id == meeting.id,
            Invitation.status == InvitationStatus.PENDING,
        )
    ).all()
    return max(0, len(absent) - len(booked) - len(pending))


def invite_stand_in(
    *,
    session: Session,
    booking_request: BookingRequest,
    absence: SessionAbsence | None = None,
    request_session: RequestSession | None = None,
    member_id: int | None = None,
    actor: User | None = None,
    ctx: MailContext,
    now: datetime,
) -> Invitation:
    """Invite a stand-in for the meeting of an absence (the best candidate, or the one chosen)."""
    meeting = request_session or session.get(RequestSession, absence.request_session_id)
    lock_request(session=session, request_id=booking_request.id)
    if meeting is None or meeting.request_id != booking_request.id:
        raise InvalidInput(N_("Choose one of the listed meetings."))
    if booking_request.status not in LIVE_REQUEST_STATES:
        raise Conflict(N_("This request cannot take that step in its current state."))
    if not answer_window_fits(
        first_start=meeting.starts_at, now=now, minimum=ctx.min_answer_window
    ):
        raise Conflict(TOO_LATE)
    if not open_stand_in_places(session=session, meeting=meeting):
        raise Conflict(N_("Nobody at this meeting is waiting for a stand-in."))
    candidates = stand_in_candidates(
        session=session, booking_request=booking_request, request_session=meeting
    )
    chosen = _choose(candidates, member_id)
    claim_members(
        session=session, member_ids=[chosen.id], booking_request=booking_request, sessions=[meeting]
    )
    invitation = Invitation(
        request_id=booking_request.id,
        member_id=chosen.id,
        token=secrets.token_urlsafe(32),
        sent_at=now,
        reply_deadline_at=reply_deadline(
            first_start=meeting.starts_at, now=now, minimum=ctx.min_answer_window
        ),
        stand_in_session_id=meeting.id,
    )
    session.add(invitation)
    session.flush()
    queue_stand_in_mail(
        session=session,
        ctx=ctx,
        booking_request=booking_request,
        invitation=invitation,
        member=chosen,
        meeting=meeting,
        now=now,
    )
    log_event(
        session,
        booking_request,
        actor.id if actor else None,
        RequestAction.STAND_IN_INVITED,
        member_id=chosen.id,
        session_id=meeting.id,
    )
    session.flush()
    return invitation


def _choose(candidates: list[Member], member_id: int | None) -> Member:
    if not candidates:
        raise Conflict(
            N_("Nobody can stand in at this meeting: everyone is asked, busy or not eligible.")
        )
    if member_id is None:
        return candidates[0]
    for member in candidates:
        if member.id == member_id:
            return member
    raise InvalidInput(
        N_("Choose one of the listed people."), {"member_id": N_("Not a free candidate.")}
    )


def on_absence(
    *, session: Session, absence: SessionAbsence, ctx: MailContext, now: datetime
) -> Invitation | None:
    """React to a reported absence: invite the best stand-in at once in AUTO mode.

    With the council confirming (the default) nothing is sent: the council sees the meeting on
    the request page and chooses. A meeting too soon to invite anyone is told to the council.
    """
    meeting = session.get(RequestSession, absence.request_session_id)
    booking_request = session.get(BookingRequest, meeting.request_id)
    if booking_request.status not in LIVE_REQUEST_STATES:
        return None
    if booking_request.replacement_mode != ReplacementMode.AUTO:
        return None
    return _invite_best(session, booking_request, meeting, ctx, now)


def _invite_best(session, booking_request, meeting, ctx, now) -> Invitation | None:
    """Invite the best free candidate; tell the council when none is left or it is too late."""
    try:
        return invite_stand_in(
            session=session,
            booking_request=booking_request,
            request_session=meeting,
            ctx=ctx,
            now=now,
        )
    except Conflict as refusal:
        action = RequestAction.NO_RESERVE_LEFT
        if str(refusal) == TOO_LATE:
            action = RequestAction.TOO_LATE_TO_INVITE
        log_event(session, booking_request, None, action, session_id=meeting.id)
        _tell_council(session, booking_request, meeting, ctx, ctx.translate(str(refusal)))
        return None


def after_stand_in_declined(
    *,
    session: Session,
    invitation: Invitation,
    ctx: MailContext,
    now: datetime,
) -> Invitation | None:
    """After a stand-in said no (or did not answer): invite the next (AUTO) or tell the council."""
    booking_request = session.get(BookingRequest, invitation.request_id)
    meeting = session.get(RequestSession, invitation.stand_in_session_id)
    # The answer itself is in the history already (invitation_declined / _expired).
    if booking_request.status not in LIVE_REQUEST_STATES:
        return None
    if booking_request.replacement_mode == ReplacementMode.AUTO:
        return _invite_best(session, booking_request, meeting, ctx, now)
    member = session.get(Member, invitation.member_id)
    line = ctx.translate(
        N_("%(name)s cannot stand in. Invite the next candidate on the request page."),
        name=member.display_name,
    )
    _tell_council(session, booking_request, meeting, ctx, line)
    return None


def _tell_council(session, booking_request, meeting: RequestSession, ctx: MailContext, line: str):
    t = ctx.translate
    start = meeting.starts_at.astimezone(clock.zone())
    queue_mail(
        session,
        to=ctx.council_mailbox,
        subject=t(N_("A stand-in is needed: %(title)s"), title=booking_request.title),
        body="\n\n".join(
            [
                t(
                    N_("Request no. %(request)s needs a stand-in for the meeting %(when)s."),
                    request=booking_request.id,
                    when=f"{start:%Y-%m-%d %H:%M}",
                ),
                line,
                t(N_("The request page: %(url)s"), url=ctx.request_url(booking_request.id)),
            ]
        ),
    )
