"""Replacing a person who dropped out: one entry point, and the request's mode decides.

A decline, an unanswered invitation past its deadline, a withdrawal and a release after a
time change all call ``start_replacement``. With ``ReplacementMode.AUTO`` the next free
reserve is invited at once; with ``COUNCIL_CONFIRMS`` (the default) the place waits in the
council's queue until someone clicks "invite" (``replace_from_reserves``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlmodel import Session, func, select

from app.mail.context import MailContext
from app.mail.outbox import queue_mail
from app.models import (
    Assignment,
    BookingRequest,
    Invitation,
    Member,
    Proposal,
    ProposalEntry,
    User,
)
from app.models.base import utcnow
from app.models.enums import (
    InvitationStatus,
    MemberStatus,
    ProposalStatus,
    ReplacementMode,
    RequestAction,
    RequestStatus,
)
from app.services.booking.guard import busy_member_ids, claim_members, lock_request
from app.services.booking.invitations import (
    answer_window_fits,
    check_answer_window,
    group_targets,
    send_invitation,
)
from app.services.errors import Conflict, InvalidInput
from app.services.matchmaking.proposals import current_exclusions, keep_quotas_first
from app.services.messages import N_
from app.services.requests.history import log_event
from app.services.requests.states import (
    HOLDING_ASSIGNMENTS,
    LIVE_REQUEST_STATES,
    RUNNING_REQUEST_STATES,
    move_request,
)
from app.services.requests.submission import request_sessions


def start_replacement(
    *,
    session: Session,
    booking_request: BookingRequest,
    ctx: MailContext,
    now: datetime,
    member_id: int | None,
    reason: str,
    tell_council: bool = True,
) -> Invitation | None:
    """Fill a place someone left: invite the next reserve (auto) or queue it for the council."""
    if booking_request.status not in LIVE_REQUEST_STATES:
        return None
    if booking_request.status == RequestStatus.BOOKED:
        move_request(
            session=session,
            booking_request=booking_request,
            action=RequestAction.REOPENED,
            now=now,
            member_id=member_id,
            reason=reason,
        )
    if booking_request.replacement_mode == ReplacementMode.AUTO:
        return invite_next_reserve(
            session=session,
            booking_request=booking_request,
            ctx=ctx,
            now=now,
            tell_council=tell_council,
        )
    candidates = replacement_candidates(session=session, booking_request=booking_request)
    following = candidates[0] if candidates else None
    log_event(
        session,
        booking_request,
        None,
        "replacement_needed",
        member_id=member_id,
        reason=reason,
        next_reserve_id=following.id if following else None,
    )
    if tell_council:
        _tell_council(session, booking_request, ctx, following)
    return None


def _tell_council(session, booking_request, ctx: MailContext, following: Member | None) -> None:
    t = ctx.translate
    if following is not None:
        line = t(N_("Next reserve: %(name)s."), name=following.display_name)
    else:
        line = t(N_("No reserve is free; choose someone on the request page."))
    queue_mail(
        session,
        to=ctx.council_mailbox,
        subject=t(N_("A replacement is needed: %(title)s"), title=booking_request.title),
        body="\n\n".join(
            [
                t(
                    N_("Request no. %(request)s has a place waiting for a replacement."),
                    request=booking_request.id,
                ),
                line,
                t(
                    N_("Replace with one click here: %(url)s"),
                    url=ctx.request_url(booking_request.id),
                ),
            ]
        ),
    )


def invite_next_reserve(
    *,
    session: Session,
    booking_request: BookingRequest,
    ctx: MailContext,
    now: datetime,
    tell_council: bool = True,
) -> Invitation | None:
    """Invite the best free reserve not asked before; tell the council when none is left.

    When the first session starts within the shortest answer window nobody is invited (an
    invitation could not be answered in time); the council is told to arrange it directly.
    """
    if not _answer_window_left(session, booking_request, ctx, now):
        log_event(session, booking_request, None, "too_late_to_invite")
        if tell_council:
            _tell_council_too_late(session, booking_request, ctx)
        return None
    for member in replacement_candidates(session=session, booking_request=booking_request):
        try:
            claim_members(session=session, member_ids=[member.id], booking_request=booking_request)
        except Conflict:
            continue
        if _was_invited(session, booking_request.id, member.id):
            continue  # a concurrent replacement invited them while we waited for the lock
        invitation = send_invitation(
            session=session, booking_request=booking_request, member=member, ctx=ctx, now=now
        )
        log_event(session, booking_request, None, "reserve_invited", member_id=member.id)
        return invitation
    log_event(session, booking_request, None, "no_reserve_left")
    if tell_council:
        queue_mail(
            session,
            to=ctx.council_mailbox,
            subject=ctx.translate(N_("No reserve left for a request")),
            body=ctx.translate(
                N_("Request no. %(request)s needs a replacement but no reserve is free."),
                request=booking_request.id,
            ),
        )
    return None


def _answer_window_left(session: Session, booking_request, ctx: MailContext, now) -> bool:
    """Return whether an invitation sent now can still be answered before the first session."""
    items = request_sessions(session=session, request_id=booking_request.id)
    return not items or answer_window_fits(
        first_start=items[0].starts_at, now=now, minimum=ctx.min_answer_window
    )


def _tell_council_too_late(session: Session, booking_request, ctx: MailContext) -> None:
    queue_mail(
        session,
        to=ctx.council_mailbox,
        subject=ctx.translate(
            N_("Too late to invite a reserve: %(title)s"), title=booking_request.title
        ),
        body=ctx.translate(
            N_(
                "Request no. %(request)s has an open place, but its first session starts too "
                "soon for an invitation to be answered. Contact a reserve directly: %(url)s"
            ),
            request=booking_request.id,
            url=ctx.request_url(booking_request.id),
        ),
    )


def replace_from_reserves(
    *,
    session: Session,
    booking_request: BookingRequest,
    actor: User,
    ctx: MailContext | None = None,
    member_id: int | None = None,
    now: datetime | None = None,
) -> Invitation:
    """Invite a reserve into an open place: the next one, or another the council chose."""
    now, ctx = now or utcnow(), ctx or MailContext()
    lock_request(session=session, request_id=booking_request.id)
    if booking_request.status != RequestStatus.APPROVED:
        raise Conflict(N_("This request cannot take that step in its current state."))
    if not open_places(session=session, request_ids=[booking_request.id]).get(booking_request.id):
        raise Conflict(N_("No place is waiting for a replacement."))
    check_answer_window(
        session=session, booking_request=booking_request, now=now, minimum=ctx.min_answer_window
    )
    candidates = replacement_candidates(session=session, booking_request=booking_request)
    if member_id is None and not candidates:
        raise Conflict(N_("No reserve can be invited: everyone is asked, busy or not eligible."))
    chosen = candidates[0] if member_id is None else _pick(candidates, member_id)
    claim_members(session=session, member_ids=[chosen.id], booking_request=booking_request)
    if _was_invited(session, booking_request.id, chosen.id):
        raise Conflict(N_("This person has already been invited."))
    invitation = send_invitation(
        session=session, booking_request=booking_request, member=chosen, ctx=ctx, now=now
    )
    log_event(session, booking_request, actor.id, "reserve_invited", member_id=chosen.id)
    session.flush()
    return invitation


def _pick(candidates: list[Member], member_id: int) -> Member:
    for member in candidates:
        if member.id == member_id:
            return member
    raise InvalidInput(
        N_("Choose one of the listed reserves."), {"member_id": N_("Not a free reserve.")}
    )


def set_replacement_mode(
    *,
    session: Session,
    booking_request: BookingRequest,
    mode: str,
    actor: User,
    ctx: MailContext | None = None,
    now: datetime | None = None,
) -> list[Invitation]:
    """Choose how places are refilled; switching to auto fills the open places at once."""
    now, ctx = now or utcnow(), ctx or MailContext()
    if mode not in {str(value) for value in ReplacementMode}:
        raise InvalidInput(
            N_("Choose one of the listed values."), {"mode": N_("Choose one of the listed values.")}
        )
    if booking_request.status not in RUNNING_REQUEST_STATES:
        raise Conflict(N_("This request cannot take that step in its current state."))
    if booking_request.replacement_mode == mode:
        return []
    booking_request.replacement_mode = mode
    session.add(booking_request)
    log_event(session, booking_request, actor.id, "replacement_mode_changed", mode=mode)
    invited: list[Invitation] = []
    if mode == ReplacementMode.AUTO and booking_request.status == RequestStatus.APPROVED:
        places = open_places(session=session, request_ids=[booking_request.id])
        for _ in range(places.get(booking_request.id, 0)):
            invitation = invite_next_reserve(
                session=session, booking_request=booking_request, ctx=ctx, now=now
            )
            if invitation is None:
                break
            invited.append(invitation)
    session.flush()
    return invited


def replacement_candidates(*, session: Session, booking_request: BookingRequest) -> list[Member]:
    """Return the reserves who could be invited now, next first (the approved reserve order).

    Those who keep every quota the approved group met come first (``keep_quotas_first``).
    A reserve qualifies when not invited to this request before, active, eligible for the
    request's current times by the matching rules, and not holding an overlapping commitment.
    """
    entries = reserve_entries(session, booking_request.id)
    ids = [entry.member_id for entry in entries]
    if not ids:
        return []
    members = {m.id: m for m in session.exec(select(Member).where(Member.id.in_(ids)))}
    excluded = current_exclusions(session=session, booking_request=booking_request, member_ids=ids)
    busy = busy_member_ids(session=session, member_ids=ids, booking_request=booking_request)
    free = [
        member_id
        for member_id in ids
        if member_id in members
        and members[member_id].status == MemberStatus.ACTIVE
        and member_id not in excluded
        and member_id not in busy
    ]
    ordered = keep_quotas_first(
        session=session,
        booking_request=booking_request,
        candidate_ids=free,
        approved_ids=_approved_group(session, booking_request.id),
        staying_ids=_staying(session, booking_request.id),
        places=open_places(session=session, request_ids=[booking_request.id]).get(
            booking_request.id, 1
        ),
    )
    return [members[member_id] for member_id in ordered]


def _approved_group(session: Session, request_id: int) -> list[int]:
    """Return the members of the group the council approved (before anyone dropped out)."""
    query = (
        select(ProposalEntry.member_id)
        .join(Proposal, Proposal.id == ProposalEntry.proposal_id)
        .where(
            Proposal.request_id == request_id,
            Proposal.status == ProposalStatus.APPROVED,
            ProposalEntry.is_in_group,
        )
    )
    return list(session.exec(query))


def _staying(session: Session, request_id: int) -> list[int]:
    """Return the members booked on the request or with an invitation still open."""
    booked = select(Assignment.member_id).where(
        Assignment.request_id == request_id,
        Assignment.status.in_(HOLDING_ASSIGNMENTS),
        Assignment.stand_in_session_id.is_(None),
    )
    invited = select(Invitation.member_id).where(
        Invitation.request_id == request_id,
        Invitation.status == InvitationStatus.PENDING,
        ~Invitation.is_interest_check,
        Invitation.stand_in_session_id.is_(None),
    )
    return sorted({*session.exec(booked), *session.exec(invited)})


def open_places(*, session: Session, request_ids: Iterable[int]) -> dict[int, int]:
    """Return, per approved request, the places with neither a booking nor a pending invitation."""
    ids = sorted(set(request_ids))
    if not ids:
        return {}
    approved_ids = list(
        session.exec(
            select(BookingRequest.id).where(
                BookingRequest.id.in_(ids), BookingRequest.status == RequestStatus.APPROVED
            )
        )
    )
    if not approved_ids:
        return {}
    # Only requests approved here have a group and reserves (not, e.g., imported ones).
    targets = group_targets(session=session, request_ids=approved_ids, approved_only=True)
    booked = _count_by_request(
        session,
        select(Assignment.request_id, func.count(Assignment.id))
        .where(Assignment.request_id.in_(approved_ids))
        .where(Assignment.status.in_(HOLDING_ASSIGNMENTS))
        .where(Assignment.stand_in_session_id.is_(None))  # stand-ins hold no place
        .group_by(Assignment.request_id),
    )
    pending = _count_by_request(
        session,
        select(Invitation.request_id, func.count(Invitation.id))
        .where(Invitation.request_id.in_(approved_ids), ~Invitation.is_interest_check)
        .where(Invitation.status == InvitationStatus.PENDING)
        .where(Invitation.stand_in_session_id.is_(None))
        .group_by(Invitation.request_id),
    )
    result = {}
    for request_id, target in targets.items():
        free = target - booked.get(request_id, 0) - pending.get(request_id, 0)
        if free > 0:
            result[request_id] = free
    return result


def request_open_places(
    *, session: Session, booking_request: BookingRequest, approved_proposal: object | None
) -> int:
    """Return one request's open places, when its approved proposal (or None) is already read.

    Only a request approved here, with a group, has open places (``open_places`` finds the same
    in four statements), so without an approved proposal the database is not asked.
    """
    if booking_request.status != RequestStatus.APPROVED or approved_proposal is None:
        return 0
    return open_places(session=session, request_ids=[booking_request.id]).get(booking_request.id, 0)


def _count_by_request(session: Session, query) -> dict[int, int]:
    return {request_id: count for request_id, count in session.exec(query)}


def _was_invited(session: Session, request_id: int, member_id: int) -> bool:
    query = select(Invitation.id).where(
        Invitation.request_id == request_id,
        Invitation.member_id == member_id,
        ~Invitation.is_interest_check,
    )
    return session.exec(query).first() is not None


def reserve_entries(session: Session, request_id: int) -> list[ProposalEntry]:
    """Return the approved reserve list minus everyone invited since, next first."""
    invited = select(Invitation.member_id).where(
        Invitation.request_id == request_id, ~Invitation.is_interest_check
    )
    query = (
        select(ProposalEntry)
        .join(Proposal, Proposal.id == ProposalEntry.proposal_id)
        .where(
            Proposal.request_id == request_id,
            Proposal.status == ProposalStatus.APPROVED,
            ProposalEntry.reserve_position.is_not(None),
            ProposalEntry.member_id.not_in(invited),
        )
        .order_by(ProposalEntry.reserve_position)
    )
    return list(session.exec(query))
