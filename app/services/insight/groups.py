"""Insight datasets: who is booked, against the pool, and how varied the groups sent were."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from typing import NamedTuple

from app.models.enums import AssignmentType, ExperienceType, OrganisationKind
from app.services.insight.datasets import Dataset, columns
from app.services.insight.metrics import BAND_KEYS, mean, share, suppress
from app.services.insight.pool import (
    GENDER_GROUPS,
    band_of,
    experience_kinds,
    gender_group,
    lineage,
    people_share,
)
from app.services.insight.rows import InsightData
from app.services.pool.population import Population
from matching.metrics import diversity_ceiling, group_diversity


class Booked(NamedTuple):
    """One person booked on a request in the period, as the group pictures need them."""

    request_id: int
    band: str
    gender: str
    kinds: frozenset[str]


def _booked(data: InsightData) -> dict[int, list[Booked]]:
    """Return the people booked per request in the period (pool filter applied)."""
    groups: dict[int, list[Booked]] = defaultdict(list)
    for _aid, request_id, member_id, _ in data.work_in_period:
        member = data.all_members.get(member_id)
        if member is None or not data.member_in_pool_filter(member_id):
            continue
        year = data.spans[request_id].year
        wanted = frozenset(data.request_areas.get(request_id, ()))
        kinds = frozenset(
            kind
            for area, kind in data.experiences.get(member_id, [])
            if not lineage(area).isdisjoint(wanted)
        )
        groups[request_id].append(
            Booked(request_id, band_of(member.birth_year, year), member.gender, kinds)
        )
    return groups


def booked_vs_pool(data: InsightData, _population: Population) -> Dataset:
    """The people booked in the period against the pool, by age, gender and experience."""
    booked: Counter = Counter()
    people = 0
    for group in data.cached("booked", _booked).values():
        for person in group:
            people += 1
            booked[f"age:{person.band}"] += 1
            booked[f"gender:{gender_group(person.gender)}"] += 1
            for kind in person.kinds:
                booked[f"experience:{kind}"] += 1
    pool: Counter = Counter()
    scope_kinds = data.cached("scope_kinds", experience_kinds)
    for member in data.members:
        pool[f"age:{band_of(member.birth_year, data.today.year)}"] += 1
        pool[f"gender:{gender_group(member.gender)}"] += 1
        for kind in scope_kinds[member.id]:
            pool[f"experience:{kind}"] += 1
    keys = [f"age:{b}" for b in BAND_KEYS] + [f"gender:{g}" for g in GENDER_GROUPS]
    keys += [f"experience:{k.value}" for k in ExperienceType]
    b_pairs = [people_share(booked[k], people) for k in keys]
    p_pairs = [people_share(pool[k], len(data.members)) for k in keys]
    return Dataset(
        "booked_vs_pool",
        tuple(keys),
        columns(
            ("booked_count", [c for c, _ in b_pairs], "people"),
            ("booked_share", [s for _, s in b_pairs], "share"),
            ("pool_count", [c for c, _ in p_pairs], "people"),
            ("pool_share", [s for _, s in p_pairs], "share"),
        ),
        ("booked_share", "pool_share"),
        {"booked": suppress(people), "members": len(data.members)},
    )


def _on_offer(data: InsightData) -> dict[str, tuple[set, set, set]]:
    """Return, per area code, the age bands, genders and experience types today's pool offers."""
    offer: dict[str, tuple[set, set, set]] = defaultdict(lambda: (set(), set(), set()))
    year = data.today.year
    for member in data.members:
        band, gender = band_of(member.birth_year, year), member.gender
        for area, kind in data.experiences.get(member.id, []):
            parts = area.split("/")
            for depth in range(1, len(parts) + 1):
                bands, genders, kinds = offer["/".join(parts[:depth])]
                bands.add(band)
                genders.add(gender)
                kinds.add(kind)
    return offer


def _variety(data: InsightData) -> dict[int, tuple[int, int]]:
    """Return per request in the period: (distinct values of the group sent, most allowed)."""
    offer = _on_offer(data)
    out = {}
    for request_id, group in data.cached("booked", _booked).items():
        request = data.requests[request_id]
        wanted = {"own", "relative"} if request.experience == "any" else {request.experience}
        got = group_diversity(
            [p.band for p in group], [p.gender for p in group], [p.kinds & wanted for p in group]
        )
        bands, genders, kinds = set(), set(), set()
        for code in data.request_areas.get(request_id, []):
            b, g, k = offer.get(code, (set(), set(), set()))
            bands |= b
            genders |= g
            kinds |= k & wanted
        ceiling = diversity_ceiling(len(group), bands, genders, kinds)
        out[request_id] = (got["total"], max(ceiling["total"], got["total"]))
    return out


def _diversity_by(data: InsightData, key_of: Callable, key: str, keys) -> Dataset:
    sent, allowed = defaultdict(list), defaultdict(list)
    variety = data.cached("variety", _variety)
    for request_id, (got, most) in variety.items():
        group_key = key_of(data.requests[request_id])
        sent[group_key].append(got)
        allowed[group_key].append(most)
    at_most = [
        share(sum(s >= a for s, a in zip(sent[k], allowed[k], strict=True)), len(sent[k]))
        for k in keys
    ]
    return Dataset(
        key,
        tuple(keys),
        columns(
            ("groups", [len(sent[k]) for k in keys], "count"),
            ("sent", [mean(sent[k]) for k in keys], "diversity"),
            ("allowed", [mean(allowed[k]) for k in keys], "diversity"),
            ("at_ceiling_share", at_most, "share"),
        ),
        ("sent", "allowed"),
        {"groups": len(variety)},
    )


def booked_diversity_type(data: InsightData, _population: Population) -> Dataset:
    """How varied the groups sent were per assignment type, against what the pool allowed."""
    keys = [t.value for t in AssignmentType]
    return _diversity_by(data, lambda r: r.assignment_type, "booked_diversity_type", keys)


def booked_diversity_kind(data: InsightData, _population: Population) -> Dataset:
    """How varied the groups sent were per orderer kind, against what the pool allowed."""
    keys = [k.value for k in OrganisationKind]
    return _diversity_by(data, lambda r: r.kind, "booked_diversity_kind", keys)


BOOKED = (booked_vs_pool, booked_diversity_type, booked_diversity_kind)
