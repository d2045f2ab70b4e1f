"""The fairness floor of a stream: the most even spread of its seats the eligibility allows.

Each request r has ``seats[r]`` seats and an eligible set E_r (member positions). Among all ways
to give every seat to an eligible person (one seat per request and person), the floor takes the
one minimising sum_i c_i^2 / T_i, where c_i is person i's seat count and T_i their months in the
pool: with equal months this allocation is "decreasingly minimal", majorised by every other
allocation, so no other one has a lower Gini (Frank & Murota, discrete decreasing minimisation
on M-convex sets); with unequal months it is the natural weighted version. It is a min-cost flow
(requests -> people -> sink with convex costs of marginal cost (2k-1)/T_i for the k-th seat),
solved exactly by ``balanced_counts``: a greedy start (each seat to the eligible person of least
marginal cost) and then improving paths (a seat moves from u to w in one request, w's to x in
another, ... to v) while one lowers the cost; none left means no negative cycle, so the
allocation is optimal (a path search stops after ``MAX_VISITS`` people, which never happened on
the benchmark's streams: it is reported). The floor ignores that a
seat taken now changes later eligibility (monthly maximum, double booking), so it is a bound no
policy is guaranteed to reach.

With ``constraints`` (per request, ``(members, low, high)``: between ``low`` and ``high`` of its
seats go to ``members``; the even share and explicit quotas) the same LP is no longer a flow and
its optimum may be fractional: the "quota floor" is the Gini of those fractional counts, an
approximate lower bound for any policy that keeps the quotas.
"""

from __future__ import annotations

from collections.abc import Sequence

import highspy
import numpy as np

from matching.metrics import gini

MIN_PIECES = 10
MAX_VISITS = 200_000


def balanced_counts(
    eligible: Sequence[np.ndarray], seats: Sequence[int], months: np.ndarray
) -> tuple[np.ndarray, int]:
    """Return (seat counts minimising sum c_i^2 / T_i, searches cut short) — see the docstring."""
    weight = np.maximum(np.asarray(months, dtype=float), 1e-9)
    counts = np.zeros(weight.size, dtype=np.int64)
    assigned: list[set[int]] = []
    holds: dict[int, set[int]] = {}
    elig = [np.asarray(e, dtype=np.int64) for e in eligible]
    for r, (e, size) in enumerate(zip(elig, seats, strict=True)):
        size = min(int(size), e.size)
        marginal = (2 * counts[e] + 1) / weight[e]
        pick = e[np.argsort(marginal, kind="stable")[:size]]
        counts[pick] += 1
        assigned.append({int(i) for i in pick})
        for i in pick:
            holds.setdefault(int(i), set()).add(r)
    cut = 0
    everyone = np.unique(np.concatenate(elig)) if elig else np.zeros(0, dtype=np.int64)
    while True:
        improved = False
        gain_in = (2 * counts[everyone] + 1) / weight[everyone]
        floor_in = gain_in.min() if everyone.size else 0.0
        donors = [int(u) for u in holds if counts[u] > 0]
        donors.sort(key=lambda u: -(2 * counts[u] - 1) / weight[u])
        for u in donors:
            out = (2 * counts[u] - 1) / weight[u]
            if out <= floor_in + 1e-12:
                break
            path, short = _improving_path(u, out, counts, weight, elig, assigned, holds)
            cut += short
            if path:
                for giver, r, taker in path:
                    assigned[r].discard(giver)
                    assigned[r].add(taker)
                    holds[giver].discard(r)
                    holds.setdefault(taker, set()).add(r)
                counts[u] -= 1
                counts[path[-1][2]] += 1
                improved = True
        if not improved:
            return counts.astype(float), cut


def _improving_path(u, out, counts, weight, elig, assigned, holds):
    """Return ([(giver, request, taker), ...], cut short) moving a seat from u to a cheaper v."""
    parent: dict[int, tuple[int, int]] = {u: (-1, -1)}
    frontier = [u]
    while frontier:
        nxt = []
        for x in frontier:
            for r in holds.get(x, ()):
                for w in elig[r]:
                    w = int(w)
                    if w in parent or w in assigned[r]:
                        continue
                    parent[w] = (x, r)
                    if (2 * counts[w] + 1) / weight[w] < out - 1e-12:
                        path = []
                        while w != u:
                            x_, r_ = parent[w]
                            path.append((x_, r_, w))
                            w = x_
                        return path[::-1], 0
                    if len(parent) > MAX_VISITS:
                        return [], 1
                    nxt.append(w)
        frontier = nxt
    return [], 0


Constraint = tuple[np.ndarray, int, int]


def fair_counts(
    eligible: Sequence[np.ndarray],
    seats: Sequence[int],
    months: np.ndarray,
    constraints: Sequence[Sequence[Constraint]] | None = None,
) -> np.ndarray:
    """Return per person the seat count of the most even allocation (see module docstring)."""
    people = months.size
    counts = np.zeros(people)
    rules = constraints if constraints is not None else [()] * len(eligible)
    kept = [
        (e, s, c) for e, s, c in zip(eligible, seats, rules, strict=True) if s > 0 and e.size > 0
    ]
    requests = [(e, s) for e, s, _ in kept]
    if not requests:
        return counts
    elig_count = np.bincount(np.concatenate([e for e, _ in requests]), minlength=people)
    total = sum(s for _, s in requests)
    used = np.flatnonzero(elig_count > 0)
    pieces_max = max(MIN_PIECES, 3 * int(np.ceil(total / max(used.size, 1))))
    n_req = len(requests)
    row_of = np.full(people, -1, dtype=np.int64)
    row_of[used] = n_req + np.arange(used.size)
    extra_low, extra_high = [], []
    extra_rows: list[dict[int, list[int]]] = []  # per request: person -> its constraint rows
    next_row = n_req + used.size
    for _, size, rules_r in kept:
        mine: dict[int, list[int]] = {}
        for members, low, high in rules_r:
            for i in members:
                mine.setdefault(int(i), []).append(next_row)
            extra_low.append(float(low))
            extra_high.append(float(min(high, size)))
            next_row += 1
        extra_rows.append(mine)
    starts, index, value, cost, upper = [0], [], [], [], []
    for r, (e, _) in enumerate(requests):  # x columns: one per (request, eligible person)
        for i in e:
            more = extra_rows[r].get(int(i), ())
            index += [r, int(row_of[i]), *more]
            value += [1.0, 1.0] + [1.0] * len(more)
            starts.append(len(index))
            cost.append(0.0)
            upper.append(1.0)
    for i in used:  # y columns: unit pieces of person i's convex cost
        k_max = int(min(elig_count[i], pieces_max))
        weight = max(float(months[i]), 1e-9)
        for k in range(1, k_max + 1):
            index.append(int(row_of[i]))
            value.append(-1.0)
            starts.append(len(index))
            cost.append((2 * k - 1) / weight)
            upper.append(1.0 if k < k_max else float(elig_count[i] - k_max + 1))
    lp = highspy.HighsLp()
    lp.num_col_ = len(cost)
    lp.num_row_ = next_row
    lp.col_cost_ = np.array(cost)
    lp.col_lower_ = np.zeros(len(cost))
    lp.col_upper_ = np.array(upper)
    bounds = np.concatenate([[s for _, s in requests], np.zeros(used.size)]).astype(float)
    lp.row_lower_ = np.concatenate([bounds, extra_low])
    lp.row_upper_ = np.concatenate([bounds, extra_high])
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.array(starts, dtype=np.int32)
    lp.a_matrix_.index_ = np.array(index, dtype=np.int32)
    lp.a_matrix_.value_ = np.array(value)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("solver", "simplex")
    h.setOptionValue("threads", 1)
    h.passModel(lp)
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        raise RuntimeError(f"floor LP: {h.modelStatusToString(h.getModelStatus())}")
    x = np.asarray(h.getSolution().col_value)
    n_x = len(cost) - sum(int(min(elig_count[i], pieces_max)) for i in used)
    flat = np.concatenate([e for e, _ in requests])
    np.add.at(counts, flat, np.round(x[:n_x]) if constraints is None else x[:n_x])
    return counts


def floor_gini(
    eligible: Sequence[np.ndarray],
    seats: Sequence[int],
    months: np.ndarray,
    population: np.ndarray,
    constraints: Sequence[Sequence[Constraint]] | None = None,
) -> float:
    """Return the Gini of seats per month in the pool of the most even allocation.

    ``months`` gives each person's months in the pool over the period; ``population`` the
    positions the Gini is taken over (the same people a policy's Gini is taken over).
    """
    if constraints is None:
        counts, _ = balanced_counts(eligible, seats, months)
    else:
        counts = fair_counts(eligible, seats, months, constraints)
    return gini(counts[population] / np.maximum(months[population], 1e-9))
