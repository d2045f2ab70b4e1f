"""Choose a varied group of ``count`` people from a ranking, plus an ordered reserve list.

Greedy on score + diversity gain: a candidate who brings a new age band, gender, experience
type or mandate (or covers a requested area nobody covers yet) beats a higher-scored candidate
who duplicates the group, as long as the score gap is below the bonus (``Weights.diversity``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from matching.index import local
from matching.scoring import Ranking
from matching.taxonomy import AGE_BANDS
from matching.types import GENDERS, MANDATES

SHORTLIST = 256  # candidates considered, by score
PER_AREA = 16  # plus the best candidates of each requested area, so every area can be covered
DIMENSIONS = ("age_band", "gender", "mandate", "experience_type")
TYPE_NAMES = {1: "own", 2: "relative", 3: "both"}


@dataclass(frozen=True)
class Selection:
    """Positions into ``Ranking.rows`` of the group and reserve, with what each newly added."""

    group: tuple[int, ...]
    reserve: tuple[int, ...]
    novelty: tuple[Mapping[str, object], ...] = field(default=())


def attributes(ranking: Ranking, cand: np.ndarray) -> dict[str, np.ndarray]:
    """Return the diversity attributes of ranking positions ``cand``."""
    index, rows = ranking.index, ranking.rows[cand]
    year = local(ranking.request.first_start).year
    age = year - index.birth_year[rows]
    bounds = np.array([high for _, high, _ in AGE_BANDS[:-1]])
    bits = ranking.bits[cand]
    return {
        "age_band": np.searchsorted(bounds, age, side="left"),
        "gender": index.gender[rows].astype(np.int64),
        "mandate": index.mandate[rows].astype(np.int64),
        "types": np.bitwise_or.reduce(bits, axis=1).astype(np.int64),
        "cover": bits > 0,
    }


class _Group:
    """What a (partial) group already has, to value a newcomer's contribution."""

    def __init__(self, attrs: dict[str, np.ndarray], members: list[int], n_areas: int):
        self.bands = {int(attrs["age_band"][m]) for m in members}
        self.genders = {int(attrs["gender"][m]) for m in members}
        self.mandates = {int(attrs["mandate"][m]) for m in members}
        self.types = 0
        self.covered = np.zeros(n_areas, dtype=bool)
        for m in members:
            self.types |= int(attrs["types"][m])
            self.covered |= attrs["cover"][m]
        self.members = members

    def novelty(self, a: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Return per candidate which dimensions it would add to the group."""
        return {
            "age_band": ~np.isin(a["age_band"], list(self.bands)),
            "gender": ~np.isin(a["gender"], list(self.genders)),
            "mandate": ~np.isin(a["mandate"], list(self.mandates)),
            "experience_type": (a["types"] & ~self.types) != 0,
            "areas": (a["cover"] & ~self.covered).sum(axis=1),
        }


def _target_gain(
    attrs: dict[str, np.ndarray], members: list[int], target: Mapping, count: int
) -> np.ndarray:
    gain = np.zeros(len(attrs["gender"]))
    labels = {
        "age_band": [label for _, _, label in AGE_BANDS],
        "gender": list(GENDERS),
        "mandate": list(MANDATES),
        "experience_type": ["", "own", "relative", "both"],
    }
    for dim, shares in target.items():
        values = attrs["types"] if dim == "experience_type" else attrs[dim]
        have = np.bincount(values[members], minlength=len(labels[dim])) if members else None
        want = np.array([shares.get(label, 0.0) * count for label in labels[dim]])
        missing = want - (have if have is not None else 0)
        gain += np.clip(missing[values], -1.0, 1.0)
    return gain / max(len(target), 1)


def _gains(ranking: Ranking, attrs: dict, group: _Group, count: int) -> np.ndarray:
    w = ranking.weights
    new = group.novelty(attrs)
    bonus = sum(new[d].astype(float) for d in DIMENSIONS)
    total = w.diversity * bonus + w.coverage * new["areas"]
    if ranking.request.target:
        total = total + w.target * _target_gain(attrs, group.members, ranking.request.target, count)
    return total


def shortlist(ranking: Ranking) -> np.ndarray:
    """Return ranking positions worth considering: the best overall and the best per area."""
    n = len(ranking.rows)
    picks = [np.arange(min(n, SHORTLIST))]
    for r in range(ranking.bits.shape[1]):
        picks.append(np.flatnonzero(ranking.bits[:, r] > 0)[:PER_AREA])
    return np.unique(np.concatenate(picks)) if n else np.zeros(0, dtype=np.int64)


def select(ranking: Ranking, *, count: int | None = None, reserve: int | None = None) -> Selection:
    """Choose the group and an ordered reserve list from ``ranking``."""
    count = ranking.request.count if count is None else count
    reserve = 2 * count + 1 if reserve is None else reserve
    cand = shortlist(ranking)
    if cand.size == 0:
        return Selection((), ())
    attrs = attributes(ranking, cand)
    score = ranking.score[cand]
    n_areas = ranking.bits.shape[1]
    chosen: list[int] = []
    novelty: list[dict] = []
    for _ in range(min(count, cand.size)):
        group = _Group(attrs, chosen, n_areas)
        total = score + _gains(ranking, attrs, group, count)
        total[chosen] = -np.inf
        best = int(np.argmax(total))  # ties: the better-ranked candidate (cand is sorted)
        novelty.append(_describe(group.novelty(_one(attrs, best)), attrs, best, bool(chosen)))
        chosen.append(best)
    reserves = _reserve(ranking, attrs, score, chosen, count, reserve)
    return Selection(
        group=tuple(int(cand[c]) for c in chosen),
        reserve=tuple(int(cand[c]) for c in reserves),
        novelty=tuple(novelty),
    )


def _one(attrs: dict[str, np.ndarray], i: int) -> dict[str, np.ndarray]:
    return {k: v[i : i + 1] for k, v in attrs.items()}


def _describe(new: dict, attrs: dict, i: int, has_group: bool) -> dict[str, object]:
    if not has_group:
        return {}
    out: dict[str, object] = {
        d: int(attrs[d][i]) for d in ("age_band", "gender", "mandate") if new[d][0]
    }
    if new["experience_type"][0]:
        out["experience_type"] = int(attrs["types"][i])
    return out


def _reserve(
    ranking: Ranking, attrs: dict, score: np.ndarray, chosen: list[int], count: int, size: int
) -> list[int]:
    """Return reserves round-robin: the best replacement for each group member in turn."""
    n_areas = ranking.bits.shape[1]
    orders = []
    for member in chosen or [None]:
        others = [c for c in chosen if c != member]
        total = score + _gains(ranking, attrs, _Group(attrs, others, n_areas), count)
        total[chosen] = -np.inf
        order = np.argsort(-total, kind="stable")
        orders.append(order[np.isfinite(total[order])][: size + len(chosen)].tolist())
    out: list[int] = []
    seen = set(chosen)
    for step in range(max((len(o) for o in orders), default=0)):
        for order in orders:
            if step < len(order) and order[step] not in seen and len(out) < size:
                out.append(order[step])
                seen.add(order[step])
    return out
