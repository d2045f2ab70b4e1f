"""Rank the eligible members of a request by a weighted sum of named parts."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matching.acceptance import (
    DEFAULT_LEAD_DAYS,
    PRIOR,
    AcceptanceModel,
    feature_matrix,
    live_columns,
)
from matching.eligibility import DEFAULT_BUFFER_MINUTES, area_match, exclusion_codes
from matching.features import answer_counts, first_day, load_facts, load_score, relevance
from matching.index import PoolIndex, local
from matching.types import Request, Weights

PARTS = ("relevance", "load", "acceptance")


@dataclass
class Ranking:
    """Result of ``rank``: arrays aligned with ``rows`` (member positions, best first)."""

    index: PoolIndex
    request: Request
    weights: Weights
    codes: np.ndarray  # per pool member: 0 eligible, else 1 + index into eligibility.RULES
    rows: np.ndarray
    score: np.ndarray
    parts: dict[str, np.ndarray]
    level: np.ndarray  # (len(rows), areas): 1 exact, 0.75 below, 0 none
    bits: np.ndarray  # (len(rows), areas): experience type bits, 1 own, 2 relative
    facts: dict[str, np.ndarray]

    def ids(self) -> list[str]:
        """Return the eligible member ids, best first."""
        return [self.index.ids[i] for i in self.rows]


def combine(parts: dict[str, np.ndarray], weights: Weights) -> np.ndarray:
    """Return the weighted mean of the parts (weights need not sum to one)."""
    w = {"relevance": weights.relevance, "load": weights.load, "acceptance": weights.acceptance}
    total = sum(w.values())
    if total <= 0:
        raise ValueError("at least one of the relevance, load and acceptance weights must be > 0")
    return sum(w[name] * parts[name] for name in PARTS) / total


def lead_days(request: Request) -> float:
    """Return the days from the invitations to the first session, as the model learned them.

    The same measure as training's (``answer_rows``: first session − sent, never below 0);
    without ``invited_at`` the usual lead, ``DEFAULT_LEAD_DAYS``.
    """
    if request.invited_at is None:
        return DEFAULT_LEAD_DAYS
    return max((request.first_start - request.invited_at).total_seconds() / 86400.0, 0.0)


def acceptance_part(
    index: PoolIndex, request: Request, rows: np.ndarray, facts: dict, model: AcceptanceModel
) -> np.ndarray:
    """Return the predicted chance of a yes for members ``rows``."""
    day0 = first_day(request)
    accepted, answered = answer_counts(index, day0, rows)
    start = local(request.first_start)
    x = feature_matrix(
        accepted,
        answered,
        facts["assignments"],
        facts["months_since_last"],
        onsite=float(request.format == "onsite"),
        weekend=float(start.weekday() >= 5),
        hours=sum(s.hours for s in request.sessions),
        lead_days=lead_days(request),
    )
    members = index.members
    places = [members[r].municipality for r in rows.tolist()] if model.params else [""] * len(x)
    x = np.hstack([x, live_columns(float(start.hour), places, request.type, model)])
    return model.predict(x)


def rank(
    index: PoolIndex,
    request: Request,
    *,
    weights: Weights | None = None,
    model: AcceptanceModel | None = None,
    buffer_minutes: int = DEFAULT_BUFFER_MINUTES,
) -> Ranking:
    """Apply the hard rules and score every eligible member of ``index`` for ``request``."""
    weights = weights or Weights()
    level, bits = area_match(index, request)
    codes = exclusion_codes(index, request, buffer_minutes=buffer_minutes, bits=bits)
    rows = np.flatnonzero(codes == 0)
    facts = load_facts(index, first_day(request), rows)
    parts = {
        "relevance": relevance(index, request, level, rows),
        "load": load_score(facts),
        "acceptance": acceptance_part(index, request, rows, facts, model or PRIOR),
    }
    score = combine(parts, weights)
    order = np.lexsort((rows, -np.round(score, 12)))
    return Ranking(
        index=index,
        request=request,
        weights=weights,
        codes=codes,
        rows=rows[order],
        score=score[order],
        parts={k: v[order] for k, v in parts.items()},
        level=level[rows][order],
        bits=bits[rows][order],
        facts={k: v[order] for k, v in facts.items()},
    )
