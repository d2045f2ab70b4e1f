"""The exact group search: a branch and bound over how many people of each class join the group.

A *class* holds the candidates that are alike in everything the group's terms look at (gender,
age band, mandate, experience types, covered areas, quota values, target values). Only scores
differ inside a class, so a group takes the best of each class and is fully described by the
count per class. The search visits classes in order of their best score, branching on the count,
and prunes a branch when an optimistic bound on each tier of the objective cannot beat the best
group found (``Objective``, lexicographic). Every bound below only assumes counts can grow, so
the search returns a provably optimal group; tests check it against brute force.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from matching.index import local
from matching.quotas import holds
from matching.scoring import Ranking
from matching.taxonomy import AGE_BANDS
from matching.types import GENDERS, MANDATES

BALANCED_GENDERS = 3  # woman, man, nonbinary; "unknown" is no value to balance
# Slots of the even-share counts: gender 0-2, age band 3-7, mandate 8-9, own 10, relative 11.
GENDER_SLOT, BAND_SLOT, MANDATE_SLOT, OWN_SLOT, RELATIVE_SLOT = 0, 3, 8, 10, 11
SLOTS = 12
TARGET_LABELS = {
    "age_band": [label for _, _, label in AGE_BANDS],
    "gender": list(GENDERS),
    "mandate": list(MANDATES),
    "experience_type": ["", "own", "relative", "both"],
}
EPS = 1e-9


def attributes(ranking: Ranking, cand: np.ndarray) -> dict[str, np.ndarray]:
    """Return the diversity attributes of ranking positions ``cand``."""
    index, rows = ranking.index, ranking.rows[cand]
    age = local(ranking.request.first_start).year - index.birth_year[rows].astype(np.int64)
    bounds = np.array([high for _, high, _ in AGE_BANDS[:-1]])
    bits = ranking.bits[cand]
    return {
        "age": age,
        "age_band": np.searchsorted(bounds, age, side="left"),
        "gender": index.gender[rows].astype(np.int64),
        "mandate": index.mandate[rows].astype(np.int64),
        "types": np.bitwise_or.reduce(bits, axis=1).astype(np.int64),
        "cover": bits > 0,
    }


def even_caps(attrs: dict[str, np.ndarray], seats: int) -> np.ndarray:
    """Return per slot the even share: ceil(seats / distinct values of its dimension present)."""
    caps = np.full(SLOTS, seats, dtype=np.int64)
    genders = np.unique(attrs["gender"][attrs["gender"] < BALANCED_GENDERS])
    types = int(np.bitwise_or.reduce(attrs["types"])) if attrs["types"].size else 0
    for start, width, present in (
        (GENDER_SLOT, 3, len(genders)),
        (BAND_SLOT, 5, len(np.unique(attrs["age_band"]))),
        (MANDATE_SLOT, 2, len(np.unique(attrs["mandate"]))),
        (OWN_SLOT, 2, bin(types).count("1")),
    ):
        caps[start : start + width] = math.ceil(seats / max(present, 1))
    return caps


def balance_slots(gender: int, band: int, mandate: int, types: int) -> tuple[int, ...]:
    """Return the even-share slots a person with these attributes counts in."""
    out = [BAND_SLOT + band, MANDATE_SLOT + mandate]
    if gender < BALANCED_GENDERS:
        out.append(GENDER_SLOT + gender)
    if types & 1:
        out.append(OWN_SLOT)
    if types & 2:
        out.append(RELATIVE_SLOT)
    return tuple(out)


def _target_slots(attrs: dict, target: Mapping, seats: int) -> tuple[np.ndarray, np.ndarray]:
    """Return per person the target slots they fill, and each slot's wanted number of seats."""
    columns, wants, offset = [], [], 0
    for dim, shares in target.items():
        labels = TARGET_LABELS[dim]
        columns.append(offset + (attrs["types"] if dim == "experience_type" else attrs[dim]))
        wants.extend(shares.get(label, 0.0) * seats for label in labels)
        offset += len(labels)
    n = len(attrs["gender"])
    slots = np.stack(columns, axis=1) if columns else np.zeros((n, 0), dtype=np.int64)
    return slots, np.array(wants, dtype=float)


def _class_keys(columns: list[np.ndarray], n: int) -> np.ndarray:
    key = np.zeros(n, dtype=np.int64)
    for column in columns:
        key = key * (int(column.max()) + 1 if n else 1) + column
    return key


class Classes:
    """The candidates of a ranking grouped by everything the group terms depend on."""

    def __init__(self, ranking: Ranking, seats: int, depth: int):
        request, n = ranking.request, len(ranking.rows)
        attrs = attributes(ranking, np.arange(n))
        self.attrs, self.seats, self.score = attrs, seats, ranking.score
        self.caps = even_caps(attrs, seats)
        held = np.zeros((n, len(request.quotas)), dtype=bool)
        for q, quota in enumerate(request.quotas):
            held[:, q] = holds(
                quota,
                gender=attrs["gender"],
                mandate=attrs["mandate"],
                age=attrs["age"],
                types=attrs["types"],
            )
        self.holders = {q: int(held[:, q].sum()) for q in range(len(request.quotas))}
        tslots, self.want = _target_slots(attrs, request.target, seats)
        self.tweight = ranking.weights.target / max(len(request.target), 1)
        cover = attrs["cover"].astype(np.int64) @ (1 << np.arange(attrs["cover"].shape[1]))
        profile = request.balance != "off" or bool(request.target)
        columns = [cover, *held.T.astype(np.int64), *tslots.T]
        if profile:
            columns += [attrs["gender"], attrs["age_band"], attrs["mandate"], attrs["types"]]
        _, first, inverse = np.unique(
            _class_keys(columns, n), return_index=True, return_inverse=True
        )
        by_class = np.argsort(inverse, kind="stable")
        bounds = np.concatenate(([0], np.cumsum(np.bincount(inverse))))
        self.members = [
            by_class[bounds[c] : bounds[c + 1]][:depth] for c in np.argsort(first, kind="stable")
        ]
        heads = [int(m[0]) for m in self.members]
        self.slots = [
            balance_slots(*(int(attrs[k][i]) for k in ("gender", "age_band", "mandate", "types")))
            if profile
            else ()
            for i in heads
        ]
        self.tslots = [tuple(int(t) for t in tslots[i]) for i in heads]
        self.quotas = [tuple(int(q) for q in np.flatnonzero(held[i])) for i in heads]
        self.cover = [int(cover[i]) for i in heads]
        self.prefix = [[0.0, *np.cumsum(ranking.score[m[:seats]]).tolist()] for m in self.members]

    def __len__(self) -> int:
        return len(self.members)


class Search:
    """Branch and bound over the count per class; ``run`` returns the optimal counts.

    The objective is a tuple compared lexicographically: (-quotas unmet, -total quota shortfall,
    -seats above even shares if balance is hard else 0, value), where value = scores + coverage
    weight x areas covered - diversity weight x seats above even shares (soft only) - target
    weight x seats above target shares.
    """

    def __init__(self, classes: Classes, request, weights):
        self.k, self.quotas = classes, request.quotas
        self.mode = request.balance
        self.soft = weights.diversity if self.mode == "soft" else 0.0
        self.wcov = weights.coverage
        nc, seats = len(classes), classes.seats
        self.sizes = [min(len(m), seats) for m in classes.members]
        self.values = np.full((nc + 1, max(seats, 1)), -np.inf)
        for c, m in enumerate(classes.members):
            self.values[c, : self.sizes[c]] = classes.score[m[:seats]]
        self.incidence = np.zeros((nc + 1, SLOTS), dtype=np.int64)
        self.held = np.zeros((nc + 1, len(self.quotas)), dtype=bool)
        for c in range(nc):
            self.incidence[c, list(classes.slots[c])] = 1
            self.held[c, list(classes.quotas[c])] = True
        self.room, self.reach = [0] * (nc + 1), [0] * (nc + 1)
        self.can = [[0] * len(self.quotas) for _ in range(nc + 1)]
        for c in range(nc - 1, -1, -1):
            self.room[c] = self.room[c + 1] + self.sizes[c]
            self.reach[c] = self.reach[c + 1] | classes.cover[c]
            self.can[c] = [
                have + (self.sizes[c] if q in classes.quotas[c] else 0)
                for q, have in enumerate(self.can[c + 1])
            ]
        self.caps = classes.caps.tolist()
        self.count, self.excess = [0] * SLOTS, 0
        self.tcount, self.tover = [0] * len(classes.want), 0.0
        self.qcount = [0] * len(self.quotas)
        self.areas = [0] * max(1, classes.attrs["cover"].shape[1])
        self.x = [0] * nc
        self.incumbent: tuple | None = None
        self.solution: list[int] = [0] * nc
        self.nodes = 0

    def apply(self, c: int, n: int) -> None:
        """Add ``n`` (or remove, if negative) people of class ``c`` to the group."""
        k = self.k
        for s in k.slots[c]:
            before = self.count[s]
            self.count[s] = before + n
            cap = self.caps[s]
            self.excess += max(0, before + n - cap) - max(0, before - cap)
        for t in k.tslots[c]:
            before = self.tcount[t]
            self.tcount[t] = before + n
            want = k.want[t]
            self.tover += max(0.0, before + n - want) - max(0.0, before - want)
        for q in k.quotas[c]:
            self.qcount[q] += n
        cover, a = k.cover[c], 0
        while cover:
            if cover & 1:
                self.areas[a] += n
            cover >>= 1
            a += 1
        self.x[c] += n

    def covered(self) -> int:
        """Return the bit mask of the requested areas the current group covers."""
        return sum(1 << a for a, n in enumerate(self.areas) if n > 0)

    def exact(self, psum: float, covered: int) -> tuple:
        """Return the objective of the current (complete) group whose scores sum to ``psum``."""
        unmet = short = 0
        for q, quota in enumerate(self.quotas):
            miss = gap(quota, self.qcount[q], 0, 0)
            unmet += miss > 0
            short += miss
        value = (
            psum
            + self.wcov * bin(covered).count("1")
            - self.soft * self.excess
            - self.k.tweight * self.tover
        )
        return (-unmet, -short, -self.excess if self.mode == "hard" else 0, value)

    def bound(self, c: int, r: int, psum: float, covered: int) -> tuple | None:
        """Return an optimistic objective for every completion with ``r`` seats from ``c`` on."""
        if r == 0:
            return self.exact(psum, covered)
        if self.room[c] < r:
            return None
        unmet = short = 0
        needs = []
        for q, quota in enumerate(self.quotas):
            have = self.qcount[q]
            miss = gap(quota, have, r, self.can[c][q])
            unmet += miss > 0
            short += miss
            if miss == 0:
                low = 0 if quota.min is None else max(0, quota.min - have)
                high = r if quota.max is None else min(r, quota.max - have)
                if low > 0 or high < r:
                    needs.append((q, low, high))
        seats, excess = self._seat_values(c, r)
        best = _top(seats.ravel(), r)
        for q, low, high in needs:
            held = self.held[c:-1, q]
            best = min(best, _split(seats[held].ravel(), seats[~held].ravel(), r, low, high))
        value = (
            psum
            + best
            + self.wcov * bin(covered | self.reach[c]).count("1")
            - self.soft * self.excess
            - self.k.tweight * self.tover
        )
        return (-unmet, -short, -excess if self.mode == "hard" else 0, value)

    def _seat_values(self, c: int, r: int) -> tuple[np.ndarray, int]:
        """Return per class from ``c`` on its next ``r`` seats' best possible value, and excess.

        Seat j of a class adds at least one seat above an even share for each of its slots with
        fewer than j + 1 seats left under the cap, whatever else joins (counts only grow).
        """
        values = self.values[c:-1, :r]
        if self.mode == "off":
            return values, 0
        left = np.array(self.caps) - np.array(self.count)
        full = (left[None, :] <= np.arange(r)[:, None]).astype(np.int64)
        over = self.incidence[c:-1] @ full.T
        if self.mode == "soft":
            return values - self.soft * over, 0
        free = over == 0
        extra = max(0, r - int(free.sum()))
        return (np.where(free, values, -np.inf) if extra == 0 else values), self.excess + extra

    def run(self) -> list[int]:
        """Return the optimal number of people per class."""
        root = self.bound(0, self.k.seats, 0.0, 0)
        if root is not None:
            self._visit(0, self.k.seats, 0.0, 0)
        return self.solution

    def _visit(self, c: int, r: int, psum: float, covered: int) -> None:
        self.nodes += 1
        children = []
        for n in range(min(r, self.sizes[c]), -1, -1):
            self.apply(c, n)
            total, mask = psum + self.k.prefix[c][n], covered | (self.k.cover[c] if n else 0)
            bound = self.bound(c + 1, r - n, total, mask)
            self.apply(c, -n)
            if bound is not None and self._promising(bound):
                children.append((bound, -n, total, mask))
        children.sort(key=lambda child: (child[0], child[1]), reverse=True)
        for bound, neg, total, mask in children:
            if not self._promising(bound):
                continue
            self.apply(c, -neg)
            if r + neg == 0:
                self.incumbent, self.solution = bound, list(self.x)
            else:
                self._visit(c + 1, r + neg, total, mask)
            self.apply(c, neg)

    def _promising(self, bound: tuple) -> bool:
        """Return whether ``bound`` may still beat the best group (ties go to the first found)."""
        if self.incumbent is None:
            return True
        if bound[:3] != self.incumbent[:3]:
            return bound[:3] > self.incumbent[:3]
        return bound[3] > self.incumbent[3] + EPS


def gap(quota, have: int, r: int, can: int) -> int:
    """Return the least shortfall of ``quota`` reachable from ``have`` with ``r`` more seats."""
    gap = 0
    if quota.max is not None and have > quota.max:
        gap += have - quota.max
    if quota.min is not None:
        gap += max(0, quota.min - have - min(r, can))
    return gap


def _top(values: np.ndarray, r: int) -> float:
    if values.size < r:
        return -math.inf
    return float(np.partition(values, values.size - r)[values.size - r :].sum())


def _split(held: np.ndarray, others: np.ndarray, r: int, low: int, high: int) -> float:
    """Return the best sum of ``r`` values with between ``low`` and ``high`` from ``held``."""
    h = np.concatenate(([0.0], np.cumsum(-np.sort(-held)[:r])))
    o = np.concatenate(([0.0], np.cumsum(-np.sort(-others)[:r])))
    best = -math.inf
    for t in range(low, min(high, r) + 1):
        if t < len(h) and r - t < len(o):
            best = max(best, h[t] + o[r - t])
    return float(best)
