"""Proposals for a request, computed by the matching engine from live data."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field, replace
from functools import cache

from sqlalchemy import bindparam
from sqlmodel import Session, select

import matching
from app.models import Area, BookingRequest, Invitation, Member, RequestSession
from app.models import Proposal as StoredProposal
from app.models.enums import InvitationStatus, ProposalStatus, RequestStatus
from app.models.pool_stamp import pool_state
from app.services.matchmaking.kept_index import pool_index
from app.services.matchmaking.kept_settings import matching_settings
from app.services.matchmaking.matching_input import pool_for_matching, request_for_matching
from app.services.matchmaking.quotas import QuotaLine, is_met, quota_count, quota_lines
from matching.explain import exclusions_by_rule


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
    #: The pool the proposal ranked (None when there was nothing to rank).
    index: matching.PoolIndex | None = None
    #: The request as the engine saw it (None when there was nothing to rank).
    request: matching.Request | None = None
    #: Whether the whole pool was ranked (False: only some members, as in an interest round).
    whole_pool: bool = True

    def experiences_of(
        self, member_ids: Collection[int]
    ) -> dict[int, list[tuple[str, str]]] | None:
        """Return (type, area code) of each member's experiences as the ranked pool holds them.

        None when one of them is not in that pool (an interest round ranks only the yes-sayers).
        """
        index = self.index
        if index is None or any(str(m) not in index.pos for m in member_ids):
            return None
        return {
            m: [(e.type, e.area) for e in index.members[index.pos[str(m)]].experiences]
            for m in member_ids
        }


def compute_proposal(
    *,
    session: Session,
    booking_request: BookingRequest,
    weights: matching.Weights | None = None,
    only_member_ids: Collection[int] | None = None,
    interest_round: bool = False,
    sessions: list[RequestSession] | None = None,
    areas: list[Area] | None = None,
    commitments: dict[int, set[str]] | None = None,
) -> ProposalView:
    """Rank the live pool (or only some members) for a request: group, reserves, exclusions.

    ``interest_round``: people whose availability is unknown (no weekly window) may be asked
    whether they are interested, and are flagged; otherwise they are not proposed. The weights
    are the council's in force unless given; the acceptance model is the newest stored version,
    or the prior below the minimum of answers. ``sessions``/``areas``: the request's, when the
    caller has them already (see ``request_for_matching``); ``commitments``: its
    ``commitment_keys``, likewise.
    """
    state = pool_state(session)
    settings = matching_settings(session=session, state=state)
    weights = weights or settings.weights
    model = settings.model
    request = request_for_matching(
        session=session,
        booking_request=booking_request,
        sessions=sessions,
        areas=areas,
        settings=settings,
    )
    if interest_round:
        request = replace(request, interest_round=True)
    if only_member_ids is None:
        index = pool_index(
            session=session,
            exclude_request_id=booking_request.id,
            commitments=commitments,
            state=state,
        )
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
    excluded_by_rule = exclusions_by_rule(proposal.excluded)
    members = {str(row.id): row for row in rows}
    return ProposalView(
        proposal,
        members,
        excluded_by_rule,
        weights,
        model,
        index,
        request=request,
        whole_pool=only_member_ids is None,
    )


def recorded_proposal(*, session: Session, request_id: int) -> StoredProposal | None:
    """Return the request's approved proposal in force (with its weights and model), or None."""
    return session.exec(_recorded_proposal(), params={"request_id": request_id}).first()


@cache
def _recorded_proposal():
    query = select(StoredProposal).where(
        StoredProposal.request_id == bindparam("request_id"),
        StoredProposal.status == ProposalStatus.APPROVED,
    )
    return query.order_by(StoredProposal.id.desc()).limit(1)


def group_quota_lines(
    *, session: Session, booking_request: BookingRequest, view: ProposalView, member_ids: list[int]
) -> list[QuotaLine]:
    """Return each quota of the request against a group: met or not, and the engine's why."""
    if not booking_request.quotas:
        return []
    request = request_for_matching(session=session, booking_request=booking_request)
    members = pool_for_matching(session=session, member_ids=member_ids) if member_ids else []
    return quota_lines(members, request, view.proposal)


def keep_quotas_first(
    *,
    session: Session,
    booking_request: BookingRequest,
    candidate_ids: list[int],
    approved_ids: Collection[int],
    staying_ids: Collection[int],
    places: int,
) -> list[int]:
    """Return the candidates who keep every quota the approved group met first, in order.

    A candidate keeps a quota when the people staying plus the candidate stay within its
    maximum and can still reach its minimum with the other open places filled. The rest
    follow in their own order, so a place is never left empty for a quota's sake.
    """
    if not booking_request.quotas or not candidate_ids:
        return list(candidate_ids)
    request = request_for_matching(session=session, booking_request=booking_request)
    wanted = {*candidate_ids, *approved_ids, *staying_ids}
    members = {int(m.id): m for m in pool_for_matching(session=session, member_ids=wanted)}
    approved = [members[i] for i in approved_ids if i in members]
    kept = [q for q in request.quotas if is_met(quota_count(approved, q, request), q)]
    staying = [members[i] for i in staying_ids if i in members]
    others = max(places, 1) - 1

    def keeps(candidate_id: int) -> bool:
        group = [*staying, members[candidate_id]]
        return all(
            (q.max is None or quota_count(group, q, request) <= q.max)
            and (q.min is None or quota_count(group, q, request) + others >= q.min)
            for q in kept
        )

    keepers = [i for i in candidate_ids if i in members and keeps(i)]
    return keepers + [i for i in candidate_ids if i not in keepers]


def eligible_ids(proposal: matching.Proposal) -> list[int]:
    """Return the eligible (ranked) member ids, best first."""
    return [int(candidate.member_id) for candidate in proposal.ranked]


def decision_proposal(
    *,
    session: Session,
    booking_request: BookingRequest,
    weights: matching.Weights | None = None,
    sessions: list[RequestSession] | None = None,
    areas: list[Area] | None = None,
    commitments: dict[int, set[str]] | None = None,
) -> ProposalView:
    """Return the proposal the council decides on: among the yes-sayers while asking interest.

    A yes to "are you interested?" (which lists the times) answers the question an unknown
    availability leaves open, so among the yes-sayers such people may be chosen, still flagged.
    ``sessions``/``areas``/``commitments``: the request's, when the caller has them already.
    """
    known = {"weights": weights, "sessions": sessions, "areas": areas, "commitments": commitments}
    if booking_request.status != RequestStatus.INTEREST:
        return compute_proposal(session=session, booking_request=booking_request, **known)
    only = interested_member_ids(session=session, request_id=booking_request.id)
    return compute_proposal(
        session=session,
        booking_request=booking_request,
        only_member_ids=only,
        interest_round=True,
        **known,
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
    *,
    session: Session,
    booking_request: BookingRequest,
    member_ids: Collection[int],
    changed: dict | None = None,
) -> dict[int, str]:
    """Return the matching rule each of these members now fails for the request's sessions.

    The same eligibility rules as the proposal (weekly windows, blocked periods, pauses,
    bookings elsewhere, …), so "available" means one thing everywhere. Eligible members and
    members who have left the pool are not in the answer. These people were already chosen, so
    an unknown availability (no weekly window) is theirs to answer, not a reason to drop them.
    ``changed`` overrides fields of the engine's request (a change the council has not applied).
    """
    request = replace(
        request_for_matching(session=session, booking_request=booking_request),
        interest_round=True,
        **(changed or {}),
    )
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
    *,
    session: Session,
    member_ids: list[int],
    area_codes: tuple[str, ...],
    members: list[Member] | None = None,
    experiences: dict[int, list[tuple[str, str]]] | None = None,
) -> dict[str, dict[str, int]]:
    """Return how a group spreads over age bands, genders and own/relative experience.

    ``members``: the group's member rows, and ``experiences``: (type, area code) per member
    (``ProposalView.experiences_of``), when the caller has them already.
    """
    from app.models import Experience
    from app.services.pool.ages import age_band
    from matching.taxonomy import matches

    if members is None:
        members = (
            list(session.exec(select(Member).where(Member.id.in_(member_ids))))
            if member_ids
            else []
        )
    spread: dict[str, dict[str, int]] = {"age": {}, "gender": {}, "experience": {}}
    for member in members:
        band = age_band(member.birth_year)
        spread["age"][band] = spread["age"].get(band, 0) + 1
        spread["gender"][member.gender] = spread["gender"].get(member.gender, 0) + 1
    rows = (
        [(m, kind, code) for m, known in experiences.items() for kind, code in known]
        if experiences is not None
        else session.exec(
            select(Experience.member_id, Experience.type, Area.code)
            .join(Area, Area.id == Experience.area_id)
            .where(Experience.member_id.in_(member_ids or [-1]))
        )
    )
    kinds: dict[int, set[str]] = {}
    for member_id, kind, code in rows:
        if any(matches(requested, code) for requested in area_codes):
            kinds.setdefault(member_id, set()).add(kind)
    for member_kinds in kinds.values():
        for kind in member_kinds:
            spread["experience"][kind] = spread["experience"].get(kind, 0) + 1
    return spread
