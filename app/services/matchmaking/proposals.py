"""Proposals for a request, computed by the matching engine from live data."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from sqlmodel import Session, select

import matching
from app.models import BookingRequest, Invitation, Member
from app.models import Proposal as StoredProposal
from app.models.enums import InvitationStatus, ProposalStatus, RequestStatus
from app.services.matchmaking.acceptance_model import current_model
from app.services.matchmaking.kept_index import pool_index
from app.services.matchmaking.matching_input import pool_for_matching, request_for_matching
from app.services.matchmaking.weights import current_weights


@dataclass
class ProposalView:
    """A matching proposal with the member rows it names, for display."""

    proposal: matching.Proposal
    members: dict[str, Member]
    #: rule code → (readable reason of the first person it excluded, how many it excluded)
    excluded_by_rule: dict[str, tuple[matching.Reason, int]]
    #: The weights and the acceptance model the proposal was computed with.
    weights: matching.Weights = field(default_factory=matching.Weights)
    model: matching.AcceptanceModel = matching.PRIOR


def compute_proposal(
    *,
    session: Session,
    booking_request: BookingRequest,
    weights: matching.Weights | None = None,
    only_member_ids: Collection[int] | None = None,
) -> ProposalView:
    """Rank the live pool (or only some members) for a request: group, reserves, exclusions.

    The weights are the council's in force unless given; the acceptance model is the newest
    stored version, or the prior below the minimum of answers.
    """
    weights = weights or current_weights(session=session)
    model = current_model(session=session)
    request = request_for_matching(session=session, booking_request=booking_request)
    if only_member_ids is None:
        index = pool_index(session=session, exclude_request_id=booking_request.id)
    else:
        index = matching.PoolIndex(
            pool_for_matching(
                session=session, exclude_request_id=booking_request.id, member_ids=only_member_ids
            )
        )
    if not index.n or not request.sessions:
        empty = matching.Proposal(request.id, (), (), (), {})
        return ProposalView(empty, {}, {}, weights, model)
    proposal = matching.propose(index, request, weights=weights, model=model)
    named = {*proposal.group, *proposal.reserve, *(c.member_id for c in proposal.ranked)}
    rows = (
        session.exec(select(Member).where(Member.id.in_([int(i) for i in named]))) if named else []
    )
    excluded_by_rule: dict[str, tuple[matching.Reason, int]] = {}
    for exclusion in proposal.excluded.values():
        reason, count = excluded_by_rule.get(exclusion.rule, (exclusion.reason, 0))
        excluded_by_rule[exclusion.rule] = (reason, count + 1)
    members = {str(row.id): row for row in rows}
    return ProposalView(proposal, members, excluded_by_rule, weights, model)


def recorded_proposal(*, session: Session, request_id: int) -> StoredProposal | None:
    """Return the request's approved proposal in force (with its weights and model), or None."""
    query = select(StoredProposal).where(
        StoredProposal.request_id == request_id,
        StoredProposal.status == ProposalStatus.APPROVED,
    )
    return session.exec(query.order_by(StoredProposal.id.desc()).limit(1)).first()


def eligible_ids(proposal: matching.Proposal) -> list[int]:
    """Return the eligible (ranked) member ids, best first."""
    return [int(candidate.member_id) for candidate in proposal.ranked]


def decision_proposal(
    *,
    session: Session,
    booking_request: BookingRequest,
    weights: matching.Weights | None = None,
) -> ProposalView:
    """Return the proposal the council decides on: among the yes-sayers while asking interest."""
    only = None
    if booking_request.status == RequestStatus.INTEREST:
        only = interested_member_ids(session=session, request_id=booking_request.id)
    return compute_proposal(
        session=session, booking_request=booking_request, weights=weights, only_member_ids=only
    )


def interested_member_ids(*, session: Session, request_id: int) -> list[int]:
    """Return the members who answered yes to "are you interested?" for a request."""
    query = select(Invitation.member_id).where(
        Invitation.request_id == request_id,
        Invitation.is_interest_check,
        Invitation.status == InvitationStatus.ACCEPTED,
    )
    return list(session.exec(query.order_by(Invitation.id)))


def current_exclusions(
    *, session: Session, booking_request: BookingRequest, member_ids: Collection[int]
) -> dict[int, str]:
    """Return the matching rule each of these members now fails for the request's sessions.

    The same eligibility rules as the proposal (weekly windows, blocked periods, pauses,
    bookings elsewhere, …), so "available" means one thing everywhere. Eligible members and
    members who have left the pool are not in the answer.
    """
    request = request_for_matching(session=session, booking_request=booking_request)
    pool = pool_for_matching(
        session=session, exclude_request_id=booking_request.id, member_ids=member_ids
    )
    if not pool or not request.sessions:
        return {}
    codes = matching.exclusion_codes(matching.PoolIndex(pool), request)
    return {
        int(member.id): matching.RULES[int(code) - 1]
        for member, code in zip(pool, codes, strict=True)
        if code
    }


def group_spread(
    *, session: Session, member_ids: list[int], area_codes: tuple[str, ...]
) -> dict[str, dict[str, int]]:
    """Return how a group spreads over age bands, genders and own/relative experience."""
    from app.models import Area, Experience
    from app.services.pool.ages import age_band
    from matching.taxonomy import matches

    members = (
        list(session.exec(select(Member).where(Member.id.in_(member_ids)))) if member_ids else []
    )
    spread: dict[str, dict[str, int]] = {"age": {}, "gender": {}, "experience": {}}
    for member in members:
        band = age_band(member.birth_year)
        spread["age"][band] = spread["age"].get(band, 0) + 1
        spread["gender"][member.gender] = spread["gender"].get(member.gender, 0) + 1
    rows = session.exec(
        select(Experience.member_id, Experience.type, Area.code)
        .join(Area, Area.id == Experience.area_id)
        .where(Experience.member_id.in_(member_ids or [-1]))
    )
    kinds: dict[int, set[str]] = {}
    for member_id, kind, code in rows:
        if any(matches(requested, code) for requested in area_codes):
            kinds.setdefault(member_id, set()).add(kind)
    for member_kinds in kinds.values():
        for kind in member_kinds:
            spread["experience"][kind] = spread["experience"].get(kind, 0) + 1
    return spread
