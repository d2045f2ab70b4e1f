"""PoolIndex.with_events_of: the same index as a rebuild with the changed members' events."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

import numpy as np

from matching import PoolIndex, exclusion_codes, propose
from matching.types import BlockedPeriod, Booking, HistoryEntry, Session
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
        members.append(
            member(f"m{n}", history=history, bookings=bookings, blocked=blocked, max_per_month=3)
        )
    return members


def _without(m, prefix: str):
    return replace(
        m,
        history=tuple(h for h in m.history if not (h.assignment or "").startswith(prefix)),
        bookings=tuple(b for b in m.bookings if not (b.assignment or "").startswith(prefix)),
        blocked=(),
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

        derived = PoolIndex(pool).with_events_of(changed)

        assert derived.members == rebuilt.members
        for name in ("blocked", "bookings", "load_units", "month_units", "answers"):
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

    derived = index.with_events_of([replace(m, bookings=(), history=()) for m in pool])

    assert {name: _sorted_events(index, name) for name in before} == before
    assert np.array_equal(exclusion_codes(index, wanted), codes)
    assert index.members == tuple(pool)
    assert len(derived.bookings.member) == 0
    assert index.with_events_of([]) is index
