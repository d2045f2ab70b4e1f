"""Quota checks and the quota MIP reference policy of the stream benchmark (HiGHS via highspy).

A constraint is ``(holds, low, high)``: ``holds`` marks the ranking positions that count toward
it and the group must have between ``low`` and ``high`` of them. Two families:

- the even share (docs/matching.md, "balance"): for each of gender (woman, man, nonbinary), age
  band, experience type in a requested area (own, relative: someone with both counts for both)
  and mandate, no value present among the eligible takes more than ``ceil(seats / values
  present)`` seats;
- explicit quotas in the request JSON shape (``{"field", "value", "min", "max"}``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import highspy
import numpy as np

from matching.features import load_pressure
from matching.index import local
from matching.scoring import Ranking
from matching.selection import attributes
from matching.taxonomy import AGE_BANDS
from matching.types import GENDERS, MANDATES

Constraint = tuple[np.ndarray, int, int]
GENDER_VALUES = ("woman", "man", "nonbinary")
MINMAX_WEIGHT = 1000.0  # the max term dominates the sum of load (pressures are a few units)
EXCESS_WEIGHT = 1e6  # a seat above a soft cap costs more than any load


def holdings(ranking: Ranking) -> dict[str, dict[str, np.ndarray]]:
    """Return per field and value which ranking positions hold it (bool arrays)."""
    n = len(ranking.rows)
    attrs = attributes(ranking, np.arange(n))
    types = attrs["types"]
    out: dict[str, dict[str, np.ndarray]] = {
        "gender": {g: attrs["gender"] == GENDERS.index(g) for g in GENDER_VALUES},
        "age_band": {label: attrs["age_band"] == b for b, (_, _, label) in enumerate(AGE_BANDS)},
        "experience": {"own": (types & 1) > 0, "relative": (types & 2) > 0},
        "mandate": {m: attrs["mandate"] == MANDATES.index(m) for m in MANDATES},
    }
    return out


def ages(ranking: Ranking) -> np.ndarray:
    """Return the age in the year of the first session of each ranking position."""
    year = local(ranking.request.first_start).year
    return year - ranking.index.birth_year[ranking.rows]


def seats(ranking: Ranking) -> int:
    """Return how many seats a full group has: the count, or everyone when fewer are eligible."""
    return min(ranking.request.count, len(ranking.rows))


def even_share(hold: Mapping[str, Mapping[str, np.ndarray]], size: int) -> list[Constraint]:
    """Return the even-share caps for a group of ``size``."""
    out = []
    for values in hold.values():
        present = [v for v in values.values() if v.any()]
        cap = math.ceil(size / len(present)) if present else size
        out += [(v, 0, cap) for v in present]
    return out


def explicit(ranking: Ranking, hold, quotas: Sequence[Mapping]) -> list[Constraint]:
    """Return the constraints of explicit quotas (request JSON shape)."""
    out = []
    for q in quotas:
        if q["field"] == "age":
            low, high = q["value"]
            age = ages(ranking)
            marks = (age >= low) & (age <= high)
        else:
            marks = hold[q["field"]][q["value"]]
        out.append((marks, int(q.get("min") or 0), int(q.get("max", 10**6))))
    return out


def breaks(group: Sequence[int], constraints: Sequence[Constraint]) -> bool:
    """Return whether the group (ranking positions) breaks any constraint."""
    chosen = np.asarray(list(group), dtype=np.int64)
    return any(not low <= int(marks[chosen].sum()) <= high for marks, low, high in constraints)


def solve(
    n: int,
    size: int,
    constraints: Sequence[Constraint],
    load: np.ndarray | None = None,
    soft: Sequence[Constraint] = (),
) -> list[int] | None:
    """Return ``size`` positions out of ``n`` meeting the constraints, or None when none exist.

    With ``load``, the group minimises the largest load in it, then the sum (lexicographically,
    by weighting the max term); without, any feasible group. ``soft`` caps may be exceeded, at
    a cost above any load per seat: the group is then as close to them as the others allow.
    """
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    inf = highspy.kHighsInf
    minmax = load is not None
    cols = n + (1 if minmax else 0)
    cost = np.zeros(cols)
    if minmax:
        cost[:n] = load
        cost[n] = MINMAX_WEIGHT
    upper = np.ones(cols)
    if minmax:
        upper[n] = inf
    h.addVars(cols, np.zeros(cols), upper)
    h.changeColsCost(cols, np.arange(cols, dtype=np.int32), cost)
    h.changeColsIntegrality(
        n, np.arange(n, dtype=np.int32), np.full(n, highspy.HighsVarType.kInteger)
    )
    everyone = np.arange(n, dtype=np.int32)
    h.addRow(size, size, n, everyone, np.ones(n))
    for marks, low, high in constraints:
        idx = np.flatnonzero(marks).astype(np.int32)
        if idx.size == 0:
            if low > 0:
                return None
            continue
        h.addRow(low, min(high, size), idx.size, idx, np.ones(idx.size))
    for marks, _, high in soft:  # sum x - slack <= high, slack priced
        idx = np.flatnonzero(marks).astype(np.int32)
        if idx.size == 0:
            continue
        h.addVar(0.0, inf)
        slack = h.getNumCol() - 1
        h.changeColCost(slack, EXCESS_WEIGHT)
        cols_ = np.concatenate([idx, [slack]]).astype(np.int32)
        h.addRow(-inf, high, cols_.size, cols_, np.concatenate([np.ones(idx.size), [-1.0]]))
    if minmax:  # z >= load_i * x_i
        for i in range(n):
            h.addRow(0.0, inf, 2, np.array([n, i], dtype=np.int32), np.array([1.0, -load[i]]))
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    x = np.asarray(h.getSolution().col_value[:n])
    return [int(i) for i in np.flatnonzero(x > 0.5)]


class QuotaMip:
    """Reference policy: explicit quotas and the even share, minimising max then sum of load.

    When the eligible people cannot meet both, the even share is dropped (``closest`` False, as
    the engine's balance=hard does) or kept as closely as it can be, fewest seats above it first
    (``closest`` True, the engine's earlier rule), and then the explicit quotas are dropped; the
    load is the engine's own (``matching.features.load_pressure``). With ``even`` False it keeps
    the explicit quotas only: the least loaded group that keeps them (what keeping the quotas,
    which the engine does at every balance, costs a pure least-loaded policy).
    """

    def __init__(self, closest: bool = False, even: bool = True):
        self.closest, self.even = closest, even
        self.__name__ = "quota_mip_closest" if closest else "quota_mip"
        if not even:
            self.__name__ = "least_loaded_quotas"

    def __call__(self, ranking: Ranking, _rng, quotas: Sequence[Mapping] = ()) -> list[int]:
        n, size = len(ranking.rows), seats(ranking)
        if n == 0:
            return []
        hold = holdings(ranking)
        load = load_pressure(ranking.facts)
        fair, wanted = even_share(hold, size), explicit(ranking, hold, quotas)
        tries = [(wanted + fair, ()), (wanted, ()), (fair, ()), ([], ())]
        if self.closest:
            tries = [(wanted, fair), ([], fair)]
        if not self.even:  # least loaded keeping only the explicit quotas
            tries = [(wanted, ()), ([], ())]
        for constraints, soft in tries:
            group = solve(n, size, constraints, load, soft)
            if group is not None:
                return group
        return []
