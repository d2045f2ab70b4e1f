"""Pure measures behind the insight pictures (Gini, Lorenz and diversity live in matching.metrics).

Every function takes plain values and returns plain values, so the pictures, their tables, the
CSV downloads and the tests all read the same numbers.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from matching.taxonomy import AGE_BANDS, age_band_key, band_key

#: Counts of people from 1 to SMALL_CELL - 1 are never shown (see docs/insight.md).
SMALL_CELL = 5
#: What a suppressed cell shows instead of its number, in tables, pictures and CSV.
SUPPRESSED = f"<{SMALL_CELL}"
#: A group is "thin" when its share of the pool is below this part of its population share.
THIN_RATIO = 0.75

BAND_KEYS = [band_key(label) for _, _, label in AGE_BANDS]


def suppress(count: int) -> int | str:
    """Return ``count``, or SUPPRESSED when it is a small number of people (1 to 4)."""
    return SUPPRESSED if 0 < count < SMALL_CELL else count


def share(part: float, whole: float) -> float | None:
    """Return part / whole, or None when the whole is zero."""
    return part / whole if whole else None


def shares(counts: Mapping[str, float]) -> dict[str, float | None]:
    """Return each count's share of the total (None for every key when the total is zero)."""
    total = sum(counts.values())
    return {key: share(value, total) for key, value in counts.items()}


def age_band_counts(birth_years: Iterable[int], year: int) -> dict[str, int]:
    """Return how many people fall in each age band in ``year`` (every band, in order)."""
    counts = Counter(age_band_key(birth_year, year) for birth_year in birth_years)
    return {band: counts.get(band, 0) for band in BAND_KEYS}


@dataclass(frozen=True)
class Representation:
    """One group of the pool compared with the population the pool speaks for."""

    key: str
    pool_count: int
    pool_share: float | None
    #: None when the population figures have no such group (e.g. other genders).
    population_count: int | None
    population_share: float | None

    @property
    def ratio(self) -> float | None:
        """Pool share over population share (1 = as in the population, below 1 = thin)."""
        if self.pool_share is None or not self.population_share:
            return None
        return self.pool_share / self.population_share


def representation(
    pool: Mapping[str, int], population: Mapping[str, int], keys: Sequence[str] | None = None
) -> list[Representation]:
    """Compare pool counts with population counts per key (keys default to both sides').

    Shares are of each side's total; a key the population lacks gets no population share.
    """
    keys = list(keys) if keys is not None else list(dict.fromkeys([*population, *pool]))
    pool_total, population_total = sum(pool.values()), sum(population.values())
    return [
        Representation(
            key,
            pool.get(key, 0),
            share(pool.get(key, 0), pool_total),
            population.get(key),
            share(population[key], population_total) if key in population else None,
        )
        for key in keys
    ]


def thin_groups(rows: Iterable[Representation], ratio: float = THIN_RATIO) -> list[Representation]:
    """Return the groups whose pool share is below ``ratio`` of their population share, thinnest first."""
    thin = [row for row in rows if row.ratio is not None and row.ratio < ratio]
    return sorted(thin, key=lambda row: row.ratio or 0.0)


def histogram(values: Iterable[float], edges: Sequence[float]) -> list[int]:
    """Return counts per bin [edges[i], edges[i+1]); the last bin is open-ended.

    A value below the first edge is counted in the first bin.
    """
    counts = [0] * len(edges)
    for value in values:
        index = 0
        for i, edge in enumerate(edges):
            if value >= edge:
                index = i
        counts[index] += 1
    return counts


def days_between(start: datetime, end: datetime) -> float:
    """Return the time from start to end in days (fractional)."""
    return (end - start).total_seconds() / 86400


@dataclass(frozen=True)
class Spread:
    """How many values there are and their median and quartiles."""

    n: int
    median: float | None
    low: float | None
    high: float | None


def spread(values: Iterable[float]) -> Spread:
    """Return the count, median and lower and upper quartile of ``values``."""
    data = sorted(values)
    if not data:
        return Spread(0, None, None, None)
    if len(data) == 1:
        return Spread(1, data[0], data[0], data[0])
    low, median, high = statistics.quantiles(data, n=4, method="inclusive")
    return Spread(len(data), median, low, high)


def mean(values: Iterable[float]) -> float | None:
    """Return the mean, or None for no values."""
    data = list(values)
    return sum(data) / len(data) if data else None


def month_key(day: date) -> str:
    """Return the month of a date as "YYYY-MM"."""
    return f"{day.year:04d}-{day.month:02d}"


def months_between(start: date, end: date) -> list[str]:
    """Return every month from start's to end's, inclusive, as "YYYY-MM"."""
    out, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out
