"""One call from a request to a proposal: rank, select, explain."""

from __future__ import annotations

from collections.abc import Mapping

from matching.acceptance import AcceptanceModel
from matching.eligibility import DEFAULT_BUFFER_MINUTES
from matching.explain import (
    Exclusions,
    acceptance_reasons,
    availability_reasons,
    experience_reasons,
    load_reasons,
    novelty_reasons,
    preference_reasons,
)
from matching.index import PoolIndex
from matching.quotas import unmet_quotas
from matching.scoring import PARTS, Ranking, rank
from matching.selection import Selection, select
from matching.types import Proposal, RankedCandidate, Reason, Request, Weights

DEFAULT_TOP = 20


def candidate_reasons(
    ranking: Ranking, pos: int, novelty: Mapping | None = None
) -> tuple[Reason, ...]:
    """Return the reasons for ranking position ``pos``, with what they add to the group if given."""
    row = int(ranking.rows[pos])
    member = ranking.index.members[row]
    facts = {k: v[pos] for k, v in ranking.facts.items()}
    reasons = availability_reasons(member) + experience_reasons(member, ranking.request)
    reasons += load_reasons(facts)
    if novelty:
        reasons += novelty_reasons(novelty)
    reasons += preference_reasons(ranking.index, ranking.request, row)
    return tuple(reasons + acceptance_reasons(float(ranking.parts["acceptance"][pos])))


def explain(ranking: Ranking, selection: Selection, *, top: int = DEFAULT_TOP) -> Proposal:
    """Turn a ranking and a selection into a Proposal with reasons for the listed people."""
    novelty = dict(zip(selection.group, selection.novelty, strict=False))
    listed = list(
        dict.fromkeys([*selection.group, *selection.reserve, *range(min(top, len(ranking.rows)))])
    )
    listed.sort()
    ranked = tuple(
        RankedCandidate(
            member_id=ranking.index.ids[int(ranking.rows[p])],
            score=float(ranking.score[p]),
            parts={name: float(ranking.parts[name][p]) for name in PARTS},
            reasons=candidate_reasons(ranking, p, novelty.get(p)),
        )
        for p in listed
    )
    ids = ranking.index.ids
    return Proposal(
        request_id=ranking.request.id,
        group=tuple(ids[int(ranking.rows[p])] for p in selection.group),
        reserve=tuple(ids[int(ranking.rows[p])] for p in selection.reserve),
        ranked=ranked,
        excluded=Exclusions(ranking.index, ranking.request, ranking.codes),
        unmet_quotas=unmet_quotas(ranking, selection.unmet, selection.holders, selection.seats),
        eligible=tuple(ids[int(row)] for row in ranking.rows),
    )


def propose(
    index: PoolIndex,
    request: Request,
    *,
    weights: Weights | None = None,
    model: AcceptanceModel | None = None,
    top: int = DEFAULT_TOP,
    reserve: int | None = None,
    buffer_minutes: int = DEFAULT_BUFFER_MINUTES,
) -> Proposal:
    """Rank the pool for ``request``, choose the group and reserves, and explain them."""
    ranking = rank(index, request, weights=weights, model=model, buffer_minutes=buffer_minutes)
    return explain(ranking, select(ranking, reserve=reserve), top=top)
