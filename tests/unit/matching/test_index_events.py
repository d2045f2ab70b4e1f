"""PoolIndex.updated: the same proposals and exclusions as an index rebuilt from scratch."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, time, timedelta

import numpy as np

from matching import PoolIndex, exclusion_codes, propose
from matching.index import EVENT_ARRAYS
from matching.types import (
    BlockedPeriod,
    Booking,
    Experience,
    HistoryEntry,
    Opportunity,
    Session,
    WeeklyWindow,
)
from tests.unit.matching.conftest import at, member, request

REQUEST_DAY = date(2026, 3, 10)


def _pool(seed: int, size: int = 60):
    """Members with random past work, answers, blocked days and bookings around the request."""
    rng = random.Random(seed)
    members = []
    for n in range(size):
        history = tuple(
            HistoryEntry(
                date=REQUEST_DAY - timedelta(days=rng.randint(1, 400)),
                hours=rng.choice((1.0, 2.0, 3.5)),
                answer=rng.choice(("accepted", "declined", "no_answer", None)),
                assignment=f"a{n}-{k}",
            )
            for k in range(rng.randint(0, 6))
        )
        bookings = tuple(
            Booking(start, start + timedelta(hours=2), f"b{n}-{k}")
            for k in range(rng.randint(0, 3))
            for start in [at("2026-03-10T10:00") + timedelta(hours=rng.choice((-3, 0, 1, 30)))]
        )
        blocked = (
            (BlockedPeriod(REQUEST_DAY - timedelta(days=1), REQUEST_DAY),)
            if rng.random() < 0.1
            else ()
        )
        chances = tuple(
            Opportunity(REQUEST_DAY - timedelta(days=rng.randint(0, 800)), rng.random())
            for _ in range(rng.randint(0, 3))
        )
        members.append(
            member(
                f"m{n}",
                history=history,
                bookings=bookings,
                blocked=blocked,
                max_per_month=3,
                opportunities=chances,
            )
        )
    return members


def _without(m, prefix: str):
    return replace(
        m,
        history=tuple(h for h in m.history if not (h.assignment or "").startswith(prefix)),
        bookings=tuple(b for b in m.bookings if not (b.assignment or "").startswith(prefix)),
        blocked=(),
        opportunities=m.opportunities[1:],
    )


def _sorted_events(index: PoolIndex, name: str) -> list[tuple]:
    flat = getattr(index, name)
    columns = [flat.member, *flat.cols.values()]
    return sorted(zip(*(column.tolist() for column in columns), strict=True))


def test_events_equal_a_rebuild_with_the_changed_members():
    for seed in range(5):
        pool = _pool(seed)
        changed = [_without(m, f"b{n}") for n, m in enumerate(pool) if n % 3 == 0]
        changed += [_without(m, f"a{n}") for n, m in enumerate(pool) if n % 7 == 1]
        # A member given twice (n = 15, 36, 57): the last version counts, like a dict update.
        expected_pool = {m.id: m for m in pool} | {m.id: m for m in changed}
        rebuilt = PoolIndex(list(expected_pool.values()))

        derived = PoolIndex(pool).updated(changed)

        assert derived.members == rebuilt.members
        for name in EVENT_ARRAYS:
            assert _sorted_events(derived, name) == _sorted_events(rebuilt, name), name
        wanted = request(count=3)
        assert np.array_equal(exclusion_codes(derived, wanted), exclusion_codes(rebuilt, wanted))
        assert propose(derived, wanted) == propose(rebuilt, wanted)


def test_the_original_index_is_left_as_it_was():
    pool = _pool(11)
    index = PoolIndex(pool)
    before = {name: _sorted_events(index, name) for name in ("bookings", "load_units")}
    wanted = request(sessions=(Session(at("2026-03-10T10:00"), at("2026-03-10T12:00")),))
    codes = exclusion_codes(index, wanted)

    derived = index.updated([replace(m, bookings=(), history=()) for m in pool])

    assert {name: _sorted_events(index, name) for name in before} == before
    assert np.array_equal(exclusion_codes(index, wanted), codes)
    assert index.members == tuple(pool)
    assert len(derived.bookings.member) == 0
    assert index.updated([]) is index


AREAS = ("psychiatry/psychosis", "psychiatry/depression", "cancer", "cancer/breast", "sepsis")
REQUESTS = (
    request(count=3),
    request(id="r2", areas=("psychiatry",), experience="relative", count=2),
    request(id="r3", areas=("cancer",), organisation="Vårdcentral Norr", format="digital"),
    request(id="r4", areas=("sepsis",), language="en", age_range=(30, 60)),
    request(
        id="r5",
        areas=("cancer/breast", "psychiatry/psychosis"),
        sessions=(Session(at("2026-03-12T13:00"), at("2026-03-12T16:30")),),
    ),
    request(id="r6", organisation="Region X", organisation_descendants=("Skola",)),
    request(id="r7", organisation="Psykiatri", organisation_ancestors=("Region Y",)),
)


def _changed(m, rng: random.Random):
    """Return ``m`` with a random handful of its fields changed."""
    changes = {}
    if rng.random() < 0.4:
        changes["birth_year"] = rng.randint(1940, 2005)
        changes["gender"] = rng.choice(("woman", "man", "nonbinary"))
    if rng.random() < 0.4:
        changes["experiences"] = tuple(
            Experience(rng.choice(AREAS), rng.choice(("own", "relative")))
            for _ in range(rng.randint(0, 3))
        )
    if rng.random() < 0.3:
        changes["languages"] = tuple(rng.sample(("sv", "en", "fi", "ar"), rng.randint(1, 2)))
    if rng.random() < 0.3:
        changes["weekly"] = tuple(
            WeeklyWindow(day, time(hour, 0), time(hour + rng.randint(1, 4), 0))
            for day in range(5)
            for hour in rng.sample((8, 13, 18), rng.randint(0, 3))
        )
    if rng.random() < 0.3:
        changes["employer"] = rng.choice((None, "Vårdcentral Norr", "Region X", "Skola"))
        changes["employers"] = rng.choice(((), ("Region X – Psykiatri",), ("Skola", "Region Y")))
    if rng.random() < 0.3:
        changes["active"] = rng.random() < 0.5
        changes["consent"] = rng.random() < 0.7
        changes["max_per_month"] = rng.randint(0, 4)
    if rng.random() < 0.3:
        changes["formats"] = rng.choice((("onsite",), ("digital",), ("onsite", "digital")))
        changes["assignment_types"] = rng.choice(((), ("education",), ("lecture", "review")))
    if rng.random() < 0.3:
        changes["bookings"] = ()
        changes["history"] = m.history[: len(m.history) // 2]
    return replace(m, **changes)


def test_any_change_addition_or_removal_ranks_like_a_rebuild():
    in_place = 0
    for seed in range(12):
        rng = random.Random(seed)
        pool = [_changed(m, rng) for m in _pool(seed, size=40)]
        index = PoolIndex(pool)
        changed = [_changed(m, rng) for m in rng.sample(pool, rng.randint(1, 6))]
        if seed % 3 == 1:
            changed.append(member(f"new{seed}", experiences=(Experience("sepsis", "own"),)))
        removed = [m.id for m in rng.sample(pool, 2)] if seed % 4 == 2 else []
        latest = {m.id: m for m in changed}
        expected = [latest.pop(m.id, m) for m in pool if m.id not in removed]
        rebuilt = PoolIndex(expected + list(latest.values()))

        derived = index.updated(changed, removed)

        assert derived.members == rebuilt.members
        for wanted in REQUESTS:
            assert np.array_equal(
                exclusion_codes(derived, wanted), exclusion_codes(rebuilt, wanted)
            ), (seed, wanted.id)
            assert propose(derived, wanted) == propose(rebuilt, wanted), (seed, wanted.id)
        assert index.members == tuple(pool)  # the kept index is untouched
        in_place += derived.area_vocab is index.area_vocab  # rows replaced, not rebuilt
    assert 3 <= in_place < 12  # both ways were taken


def test_removing_someone_not_in_the_index_changes_nothing():
    index = PoolIndex(_pool(3, size=10))
    assert index.updated([], removed=["not-in-the-pool"]) is index
    changed = replace(index.members[0], max_per_month=0)
    derived = index.updated([changed], removed=["not-in-the-pool"])
    assert derived.area_vocab is index.area_vocab  # rows replaced, not rebuilt
    assert derived.max_per_month[0] == 0 and index.max_per_month[0] == 3
