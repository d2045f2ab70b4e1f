"""Insight datasets: who is in the pool, against the population it speaks for.

Also the helpers the group pictures share (age band, gender group, suppressed counts).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from functools import lru_cache

from app.models.enums import ExperienceType, Mandate
from app.services.insight.datasets import Dataset, columns
from app.services.insight.metrics import (
    BAND_KEYS,
    SUPPRESSED,
    age_band_counts,
    representation,
    share,
    suppress,
    thin_groups,
)
from app.services.insight.rows import InsightData
from app.services.pool.ages import age_band
from app.services.pool.population import POPULATION_GENDERS, Population
from matching.taxonomy import matches

GENDER_GROUPS = ("woman", "man", "other")
MAX_PLACES = 25


def gender_group(gender: str) -> str:
    """Return "woman", "man" or "other" (official statistics count two sexes)."""
    return gender if gender in ("woman", "man") else "other"


def people_share(count: int, whole: int) -> tuple[int | str, float | str | None]:
    """Return a suppressed count and its share (suppressed with it)."""
    shown = suppress(count)
    return shown, (SUPPRESSED if shown == SUPPRESSED else share(count, whole))


def _comparison(key: str, categories, pool: dict, population: dict, facts: dict) -> Dataset:
    has_population = any(population.values())
    rows = representation(pool, population if has_population else {}, categories)
    counts = [people_share(row.pool_count, sum(pool.values())) for row in rows]
    whole = sum(pool.values())
    thin = [
        (row.key, people_share(row.pool_count, whole)[1], row.population_share)
        for row in thin_groups(rows)
    ]
    facts = {**facts, "thin": thin}
    return Dataset(
        key,
        tuple(categories),
        columns(
            ("pool_count", [c for c, _ in counts], "people"),
            ("pool_share", [s for _, s in counts], "share"),
            ("population_count", [row.population_count for row in rows], "count"),
            ("population_share", [row.population_share for row in rows], "share"),
        ),
        ("pool_share", "population_share") if has_population else ("pool_share",),
        facts,
    )


def pool_age(data: InsightData, population: Population) -> Dataset:
    """Who is in the pool by age band, against the population."""
    counts = age_band_counts([m.birth_year for m in data.members], data.today.year)
    return _comparison(
        "pool_age", BAND_KEYS, counts, population.by_band(), {"members": len(data.members)}
    )


def pool_age_gender(data: InsightData, population: Population) -> Dataset:
    """Who is in the pool by age band × sex (other genders apart), against the population."""
    counts = Counter(
        f"{band_of(m.birth_year, data.today.year)}:{gender_group(m.gender)}" for m in data.members
    )
    keys = [f"{band}:{gender}" for band in BAND_KEYS for gender in POPULATION_GENDERS]
    keys += ["other"] if any(gender_group(m.gender) == "other" for m in data.members) else []
    pool = {key: counts.get(key, 0) for key in keys if key != "other"}
    if "other" in keys:
        pool["other"] = sum(n for key, n in counts.items() if key.endswith(":other"))
    people = {f"{band}:{gender}": n for (band, gender), n in population.by_band_gender.items()}
    people = {key: people.get(key, 0) for key in keys if key != "other"} if people else {}
    return _comparison("pool_age_gender", keys, pool, people, {"members": len(data.members)})


def pool_municipalities(data: InsightData, population: Population) -> Dataset:
    """Where the pool lives, against where the population lives."""
    counts = Counter(m.municipality or "" for m in data.members)
    order = sorted(
        set(population.by_municipality) | set(counts),
        key=lambda place: (-population.by_municipality.get(place, 0), -counts[place], place),
    )
    keys, rest = order[:MAX_PLACES], order[MAX_PLACES:]
    pool = {place: counts.get(place, 0) for place in keys}
    places = {
        place: population.by_municipality[place]
        for place in keys
        if place in population.by_municipality
    }
    if rest:
        keys.append("*other")
        pool["*other"] = sum(counts.get(place, 0) for place in rest)
        if population.by_municipality:
            places["*other"] = sum(population.by_municipality.get(place, 0) for place in rest)
    return _comparison("pool_municipalities", keys, pool, places, {"members": len(data.members)})


@lru_cache(maxsize=4096)
def band_of(birth_year: int, year: int) -> str:
    """Return the age band of a birth year in ``year`` (cached: called for every person)."""
    return age_band(birth_year, year)


@lru_cache(maxsize=4096)
def lineage(area: str) -> frozenset[str]:
    """Return an area code and every code above it (the requests it fits)."""
    parts = area.split("/")
    return frozenset("/".join(parts[:depth]) for depth in range(1, len(parts) + 1))


def experience_kinds(data: InsightData) -> dict[int, frozenset[str]]:
    """Return each pool member's experience types (in the filtered area, if any)."""
    return {
        member.id: frozenset(
            kind
            for area, kind in data.experiences.get(member.id, [])
            if data.code is None or matches(data.code, area)
        )
        for member in data.members
    }


def pool_experience(data: InsightData, _population: Population) -> Dataset:
    """Own, relative or both kinds of experience (in the filtered area, if any)."""
    counts = Counter()
    scope_kinds = data.cached("scope_kinds", experience_kinds)
    for member in data.members:
        kinds = scope_kinds[member.id]
        if kinds:
            counts["both" if len(kinds) > 1 else next(iter(kinds))] += 1
    keys = (ExperienceType.OWN.value, ExperienceType.RELATIVE.value, "both")
    return _counted("pool_experience", keys, counts, len(data.members))


def pool_mandate(data: InsightData, _population: Population) -> Dataset:
    """Members taking part for themselves or with an organisation's mandate."""
    counts = Counter(m.mandate for m in data.members)
    return _counted("pool_mandate", tuple(m.value for m in Mandate), counts, len(data.members))


def _counted(key: str, keys, counts: Counter, whole: int) -> Dataset:
    pairs = [people_share(counts.get(k, 0), whole) for k in keys]
    return Dataset(
        key,
        tuple(keys),
        columns(
            ("members", [c for c, _ in pairs], "people"),
            ("share", [s for _, s in pairs], "share"),
        ),
        ("members",),
        {"members": whole},
    )


def pool_areas(data: InsightData, _population: Population) -> Dataset:
    """Members with own and with relative experience per area (top level, or below the filter)."""
    depth = data.code.count("/") + 1 if data.code else 0
    own, relative = defaultdict(set), defaultdict(set)
    for member in data.members:
        for area, kind in data.experiences.get(member.id, []):
            if data.code and not matches(data.code, area):
                continue
            parts = area.split("/")
            group = "/".join(parts[: depth + 1]) if len(parts) > depth else area
            (own if kind == ExperienceType.OWN else relative)[group].add(member.id)
    keys = sorted(set(own) | set(relative), key=lambda a: (-len(own[a] | relative[a]), a))
    return Dataset(
        "pool_areas",
        tuple(keys),
        columns(
            ("own", [suppress(len(own[a])) for a in keys], "people"),
            ("relative", [suppress(len(relative[a])) for a in keys], "people"),
        ),
        ("own", "relative"),
        {"members": len(data.members)},
    )


POOL = (pool_age, pool_age_gender, pool_experience, pool_areas, pool_municipalities, pool_mandate)
