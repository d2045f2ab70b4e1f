"""Proposals for a request, computed by the matching engine from live data."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

import matching
from app.models import BookingRequest, Member
from app.services.matching_input import pool_for_matching, request_for_matching


@dataclass
class ProposalView:
    """A matching proposal with the member rows it names, for display."""

    proposal: matching.Proposal
    members: dict[str, Member]
    #: rule code → (readable reason of the first person it excluded, how many it excluded)
    excluded_by_rule: dict[str, tuple[matching.Reason, int]]


def compute_proposal(
    *, session: Session, booking_request: BookingRequest, weights: matching.Weights | None = None
) -> ProposalView:
    """Rank the live pool for a request and return the proposed group, reserves and exclusions."""
    request = request_for_matching(session=session, booking_request=booking_request)
    pool = pool_for_matching(session=session, exclude_request_id=booking_request.id)
    if not pool or not request.sessions:
        empty = matching.Proposal(request.id, (), (), (), {})
        return ProposalView(empty, {}, {})
    proposal = matching.propose(matching.PoolIndex(pool), request, weights=weights)
    named = {*proposal.group, *proposal.reserve, *(c.member_id for c in proposal.ranked)}
    rows = (
        session.exec(select(Member).where(Member.id.in_([int(i) for i in named]))) if named else []
    )
    excluded_by_rule: dict[str, tuple[matching.Reason, int]] = {}
    for exclusion in proposal.excluded.values():
        reason, count = excluded_by_rule.get(exclusion.rule, (exclusion.reason, 0))
        excluded_by_rule[exclusion.rule] = (reason, count + 1)
    return ProposalView(proposal, {str(row.id): row for row in rows}, excluded_by_rule)
