"""Fairness and representativeness measures, the single implementation the app reuses."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np


def gini(values: Iterable[float]) -> float:
    """Return the Gini coefficient of non-negative ``values`` (0 = equal, also when empty)."""
    x = np.sort(np.asarray(list(values), dtype=float))
    n = x.size
    if n == 0 or x.sum() == 0:
        return 0.0
    ranks = np.arange(1, n + 1)
    return float((2 * (ranks * x).sum()) / (n * x.sum()) - (n + 1) / n)


def gini_floor(total: int, people: int) -> float:
    """Return the lowest Gini reachable when ``total`` whole assignments go to ``people``."""
    if people == 0:
        return 0.0
    base, extra = divmod(total, people)
    return gini([base + 1] * extra + [base] * (people - extra))


def max_over_mean(values: Iterable[float]) -> float:
    """Return the largest value divided by the mean (1 = perfectly even; 0 when all zero)."""
    x = np.asarray(list(values), dtype=float)
    if x.size == 0 or x.mean() == 0:
        return 0.0
    return float(x.max() / x.mean())


def group_diversity(
    age_bands: Sequence[str], genders: Sequence[str], experience_types: Sequence[Iterable[str]]
) -> dict[str, int]:
    """Return distinct age bands, genders and experience types in one group, and their sum."""
    types = set().union(*[set(t) for t in experience_types]) if experience_types else set()
    out = {
        "age_bands": len(set(age_bands)),
        "genders": len(set(genders)),
        "experience_types": len(types),
    }
    out["total"] = sum(out.values())
    return out


def mean_diversity(groups: Sequence[dict[str, int]]) -> dict[str, float]:
    """Return the mean of each group_diversity field over ``groups`` (empty groups skipped)."""
    filled = [g for g in groups if g["total"] > 0]
    keys = ("age_bands", "genders", "experience_types", "total")
    if not filled:
        return dict.fromkeys(keys, 0.0)
    return {k: float(np.mean([g[k] for g in filled])) for k in keys}


def lorenz_curve(values: Iterable[float], steps: int | None = None) -> list[tuple[float, float]]:
    """Return the Lorenz curve of non-negative ``values`` as (share of people, share of total).

    Points run from (0, 0) to (1, 1), poorest first; with ``steps`` the curve is sampled at
    ``steps`` equal shares of people (linear between people), which keeps a picture small.
    An empty or all-zero input gives the line of equality.
    """
    x = np.sort(np.asarray(list(values), dtype=float))
    n, total = x.size, float(x.sum())
    if n == 0 or total == 0:
        people = np.linspace(0.0, 1.0, (steps or 1) + 1)
        return [(float(p), float(p)) for p in people]
    people = np.arange(n + 1) / n
    shares = np.concatenate(([0.0], np.cumsum(x) / total))
    if steps:
        grid = np.linspace(0.0, 1.0, steps + 1)
        shares, people = np.interp(grid, people, shares), grid
    return [(float(p), float(s)) for p, s in zip(people, shares, strict=True)]


def diversity_ceiling(
    group_size: int,
    age_bands: Iterable[str],
    genders: Iterable[str],
    experience_types: Iterable[str],
) -> dict[str, int]:
    """Return the most distinct values a group of ``group_size`` could reach from a set of people.

    Each field is the number of distinct values on offer, capped at the group size; it is the
    yardstick for ``group_diversity`` ("as varied as the eligible set allows").
    """
    out = {
        "age_bands": min(group_size, len(set(age_bands))),
        "genders": min(group_size, len(set(genders))),
        "experience_types": min(group_size, len(set(experience_types))),
    }
    out["total"] = sum(out.values())
    return out


def month_rates(
    member: np.ndarray, month: np.ndarray, present: np.ndarray, first: int, last: int
) -> tuple[np.ndarray, np.ndarray]:
    """Return (people, assignments per month in the pool) over months ``first``..``last``.

    ``member`` and ``month`` give one assignment each (a person's position and a month number
    0..M-1); ``present`` is an (people, M) bool array, True where the person was in the pool that
    month. People present in none of the months are left out; ``people`` are the ones kept.
    """
    months = present[:, first : last + 1].sum(axis=1)
    people = np.flatnonzero(months > 0)
    inside = (month >= first) & (month <= last)
    counts = np.bincount(member[inside], minlength=present.shape[0])
    return people, counts[people] / months[people]


def rolling_ginis(
    member: np.ndarray, month: np.ndarray, present: np.ndarray, window: int = 12
) -> list[float]:
    """Return the Gini of assignments per month in the pool for each full ``window`` of months.

    Window k covers months k..k+window-1 (so there are M - window + 1 of them, none when the
    stream is shorter than a window); each person's rate is their assignments in the window
    divided by their months in the pool inside it.
    """
    total = present.shape[1]
    return [
        gini(month_rates(member, month, present, start, start + window - 1)[1])
        for start in range(total - window + 1)
    ]
