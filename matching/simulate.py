"""Run a stream of requests in date order and measure fairness, variety and speed."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import replace

import numpy as np

from matching.acceptance import AcceptanceModel
from matching.check import violations
from matching.features import first_day, opportunity_share
from matching.index import PoolIndex, local
from matching.metrics import gini, gini_floor, group_diversity, max_over_mean, mean_diversity
from matching.quotas import broken_reason, holds, unmet_quotas
from matching.scoring import Ranking, rank
from matching.selection import Selection, attributes, select
from matching.taxonomy import age_band
from matching.types import Booking, Member, Request, UnmetQuota, Weights

# A policy gets the ranking of one request and a random generator and returns ranking positions.
Policy = Callable[[Ranking, np.random.Generator], Sequence[int]]


def ours(ranking: Ranking, _rng: np.random.Generator) -> Sequence[int]:
    """Choose with the engine: the exact selection (quotas, balance, score, coverage)."""
    return select(ranking).group


def top_relevance(ranking: Ranking, rng: np.random.Generator) -> Sequence[int]:
    """Choose the most relevant eligible members, ties broken at random."""
    rel = ranking.parts["relevance"]
    order = np.lexsort((rng.random(rel.size), -np.round(rel, 9)))
    return [int(i) for i in order[: ranking.request.count]]


def random_eligible(ranking: Ranking, rng: np.random.Generator) -> Sequence[int]:
    """Choose eligible members uniformly at random."""
    n = len(ranking.rows)
    return [int(i) for i in rng.choice(n, size=min(n, ranking.request.count), replace=False)]


POLICIES: dict[str, Policy] = {
    "ours": ours,
    "top_relevance": top_relevance,
    "random": random_eligible,
}


def _experience_types(bits: np.ndarray) -> set[str]:
    types = int(np.bitwise_or.reduce(bits)) if bits.size else 0
    return {name for bit, name in ((1, "own"), (2, "relative")) if types & bit}


def group_unmet(ranking: Ranking, picks: Sequence[int], best: Selection) -> list[UnmetQuota]:
    """Return the quotas the group ``picks`` misses, each with why.

    ``best`` is the engine's selection for the same ranking: a quota it leaves unmet is one the
    eligible people do not allow (explained as in a proposal); any other quota the group misses
    is one its policy broke.
    """
    attrs = attributes(ranking, np.asarray(picks, dtype=np.int64))
    out = []
    for q, quota in enumerate(ranking.request.quotas):
        chosen = int(
            holds(
                quota,
                gender=attrs["gender"],
                mandate=attrs["mandate"],
                age=attrs["age"],
                types=attrs["types"],
            ).sum()
        )
        if (quota.min is None or chosen >= quota.min) and (
            quota.max is None or chosen <= quota.max
        ):
            continue
        if q in best.unmet:
            out += unmet_quotas(ranking, (q,), best.holders, best.seats)
        else:
            out.append(UnmetQuota(quota, broken_reason(quota, chosen)))
    return out


def record_opportunities(index: PoolIndex, ranking: Ranking) -> None:
    """Record each eligible member's fair share of the request's seats, as the app does."""
    share = opportunity_share(ranking.request.count, len(ranking.rows))
    index.add_opportunities(ranking.rows, first_day(ranking.request), share)


def simulate(
    members: Sequence[Member],
    requests: Sequence[Request],
    *,
    policy: str | Policy = "ours",
    seed: int = 0,
    weights: Weights | None = None,
    model: AcceptanceModel | None = None,
) -> dict:
    """Run ``requests`` in order of first session, booking each chosen group, and return metrics."""
    choose = POLICIES[policy] if isinstance(policy, str) else policy
    rng = np.random.default_rng(seed)
    index = PoolIndex(members)
    current = {m.id: m for m in members}
    used = np.zeros(index.n, dtype=np.int64)
    seen = np.zeros(index.n, dtype=bool)
    per_request, groups, relevances, times = [], [], [], []
    for request in sorted(requests, key=lambda r: (r.first_start, r.id)):
        started = time.perf_counter()
        ranking = rank(index, request, weights=weights, model=model)
        best = select(ranking) if choose is ours else None
        picks = list(best.group) if best is not None else list(choose(ranking, rng))
        times.append((time.perf_counter() - started) * 1000.0)
        unmet: list[UnmetQuota] = []
        if request.quotas:  # what the eligible people allow: the engine's selection knows
            unmet = group_unmet(ranking, picks, best or select(ranking))
        chosen = [index.ids[int(ranking.rows[p])] for p in picks]
        broken = {mid: violations(current[mid], request) for mid in chosen}
        broken = {mid: rules for mid, rules in broken.items() if rules}
        per_request.append(
            {
                "request": request.id,
                "satisfied": not broken and len(set(chosen)) == len(chosen) <= request.count,
                "count": request.count,
                "eligible": int(len(ranking.rows)),
                "selected": chosen,
                "violations": broken,
                "has_quotas": bool(request.quotas),
                "unmet_quotas": unmet,
            }
        )
        seen[ranking.rows] = True
        year = local(request.first_start).year
        group = [current[mid] for mid in chosen]
        groups.append(
            group_diversity(
                [age_band(m.birth_year, year) for m in group],
                [m.gender for m in group],
                [_experience_types(ranking.bits[p]) for m, p in zip(group, picks, strict=True)],
            )
        )
        relevances += [float(ranking.parts["relevance"][p]) for p in picks]
        record_opportunities(index, ranking)
        for mid in chosen:
            index.add_assignment(mid, request.sessions, request.id)
            booked = tuple(Booking(s.start, s.end, request.id) for s in request.sessions)
            current[mid] = replace(current[mid], bookings=current[mid].bookings + booked)
            used[index.pos[mid]] += 1
    return _summary(policy, per_request, groups, relevances, times, used[seen])


def _summary(policy, per_request, groups, relevances, times, used) -> dict:
    satisfied = [r["satisfied"] for r in per_request]
    filled = [len(r["selected"]) == r["count"] for r in per_request]
    with_quotas = [r for r in per_request if r.pop("has_quotas")]
    broke = [any(u.reason.code == "quota_broken" for u in r["unmet_quotas"]) for r in with_quotas]
    return {
        "policy": policy if isinstance(policy, str) else getattr(policy, "__name__", "custom"),
        "requests": len(per_request),
        "hard_rule_satisfaction": float(np.mean(satisfied)) if satisfied else 1.0,
        "filled_share": float(np.mean(filled)) if filled else 1.0,
        "eligible_people": int(used.size),
        "assignments": int(used.sum()),
        "gini": gini(used),
        "gini_floor": gini_floor(int(used.sum()), int(used.size)),
        "max_over_mean": max_over_mean(used),
        "never_used_share": float(np.mean(used == 0)) if used.size else 0.0,
        "mean_group_diversity": mean_diversity(groups),
        "mean_relevance": float(np.mean(relevances)) if relevances else 0.0,
        "requests_with_quotas": len(with_quotas),
        "quota_break_share": float(np.mean(broke)) if broke else 0.0,
        "unmet_quotas": sum(len(r["unmet_quotas"]) for r in per_request),
        "time_per_request_ms": {
            "mean": float(np.mean(times)) if times else 0.0,
            "p50": float(np.median(times)) if times else 0.0,
            "p95": float(np.percentile(times, 95)) if times else 0.0,
        },
        "per_request": per_request,
    }
