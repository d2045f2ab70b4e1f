"""Candidate classes for the exact group search: people alike in everything the group terms see.

A *class* holds the eligible people who share gender, age band, mandate, experience types,
covered areas, quota values and target values. Only scores differ inside a class, so a group
takes the best of each class and is described by its count per class (``matching.search``).
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
    genders = np.flatnonzero(np.bincount(attrs["gender"], minlength=4)[:BALANCED_GENDERS])
    types = int(np.bitwise_or.reduce(attrs["types"])) if attrs["types"].size else 0
    for start, width, present in (
        (GENDER_SLOT, 3, len(genders)),
        (BAND_SLOT, 5, np.count_nonzero(np.bincount(attrs["age_band"]))),
        (MANDATE_SLOT, 2, np.count_nonzero(np.bincount(attrs["mandate"]))),
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
        self.tslots = [tuple(row) for row in tslots[heads].tolist()]
        self.quotas = [tuple(q for q, h in enumerate(row) if h) for row in held[heads].tolist()]
        self.cover = cover[heads].tolist()

    def __len__(self) -> int:
        return len(self.members)
