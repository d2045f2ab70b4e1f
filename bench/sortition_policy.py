"""The Sortition Foundation's ``sortition-algorithms`` as a selection policy, for reference.

It sees the same eligible set as our engine (hard rules applied first) and the same diversity
dimensions as quotas: for each of gender, age band, experience type and mandate, no value may
take more than its even share of the seats (ceil(count / distinct values present)). When the
quotas cannot be met together they are dropped one dimension at a time, down to a plain lottery.
It knows nothing about load, so it is a reference for representativeness and per-draw fairness.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence

import numpy as np
from sortition_algorithms import (
    Settings,
    SortitionBaseError,
    find_random_sample,
    read_in_features,
    read_in_people,
)
from sortition_algorithms.utils import set_random_provider

from matching.scoring import Ranking
from matching.selection import attributes

DIMENSIONS = ("gender", "age_band", "experience_type", "mandate")
logging.getLogger("sortition_algorithms").setLevel(logging.ERROR)
logging.getLogger("sortition_algorithms_user").setLevel(logging.ERROR)


def _rows(ranking: Ranking) -> list[dict[str, str]]:
    attrs = attributes(ranking, np.arange(len(ranking.rows)))
    return [
        {
            "id": str(p),
            "gender": str(attrs["gender"][p]),
            "age_band": str(attrs["age_band"][p]),
            "experience_type": str(attrs["types"][p]),
            "mandate": str(attrs["mandate"][p]),
        }
        for p in range(len(ranking.rows))
    ]


def _features(rows: list[dict[str, str]], dims: Sequence[str], count: int) -> list[dict[str, str]]:
    body = []
    for dim in DIMENSIONS:
        values = sorted({r[dim] for r in rows})
        cap = math.ceil(count / len(values)) if dim in dims else count
        body += [{"feature": dim, "value": v, "min": "0", "max": str(cap)} for v in values]
    return body


class SortitionPolicy:
    """Callable policy for ``matching.simulate.simulate`` backed by sortition-algorithms."""

    def __init__(self, algorithm: str = "legacy", seed: int = 0):
        self.algorithm = algorithm
        self.__name__ = f"sortition_{algorithm}"
        self.relaxed = 0
        set_random_provider(seed)

    def __call__(self, ranking: Ranking, _rng: np.random.Generator) -> list[int]:
        count = ranking.request.count
        if len(ranking.rows) <= count:
            return list(range(len(ranking.rows)))
        rows = _rows(ranking)
        settings = Settings(id_column="id", columns_to_keep=[], selection_algorithm=self.algorithm)
        for k in range(len(DIMENSIONS), -1, -1):
            try:
                return self._draw(rows, DIMENSIONS[:k], count, settings)
            except SortitionBaseError:
                self.relaxed += 1
        return list(range(count))

    def _draw(self, rows, dims, count, settings) -> list[int]:
        features, _, _ = read_in_features(
            ["feature", "value", "min", "max"], _features(rows, dims, count), count
        )
        people, _ = read_in_people(["id", *DIMENSIONS], rows, features, settings)
        committees, _ = find_random_sample(
            features, people, count, [], selection_algorithm=self.algorithm
        )
        return sorted(int(p) for p in committees[0])
