"""The stream benchmark's fairness measures: Gini, rates per month in the pool, the floor."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from matching.metrics import gini, month_rates, rolling_ginis

BENCH = Path(__file__).resolve().parents[3] / "bench"


def bench_module(name: str):
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_gini_by_hand():
    assert gini([1, 1, 1]) == 0.0
    assert gini([]) == 0.0
    assert gini([0, 0, 1, 1]) == pytest.approx(0.5)
    assert gini([0, 0, 0, 1]) == pytest.approx(0.75)
    assert gini([0, 1, 2]) == pytest.approx(4 / 9)


def test_rolling_windows_are_full_twelve_months():
    present = np.ones((3, 13), dtype=bool)
    member = np.array([0, 1, 2, 2])
    month = np.array([0, 5, 12, 12])

    ginis = rolling_ginis(member, month, present, window=12)

    # Window 0..11: counts 1, 1, 0; window 1..12: counts 0, 1, 2.
    assert ginis == pytest.approx([1 / 3, 4 / 9])
    assert rolling_ginis(member, month, present[:, :11], window=12) == []


def test_rates_are_per_month_in_the_pool():
    present = np.ones((3, 12), dtype=bool)
    present[1, :6] = False  # joined in month 6
    present[2, :] = False  # not in the pool in these months

    people, rates = month_rates(np.array([0, 1]), np.array([3, 8]), present, 0, 11)

    assert list(people) == [0, 1]
    assert rates == pytest.approx([1 / 12, 1 / 6])


def test_floor_is_the_most_even_spread_the_eligibility_allows():
    floor = bench_module("stream_floor")
    months = np.full(3, 12.0)
    everyone = np.arange(3)

    free = [np.array([0, 1, 2])] * 3
    tied = [np.array([0]), np.array([0]), np.array([0, 1])]

    assert list(floor.fair_counts(free, [1, 1, 1], months)) == [1, 1, 1]
    assert floor.floor_gini(free, [1, 1, 1], months, everyone) == 0.0
    assert list(floor.fair_counts(tied, [1, 1, 1], months)) == [2, 1, 0]
    assert floor.floor_gini(tied, [1, 1, 1], months, everyone) == pytest.approx(gini([2, 1, 0]))
    two_seats = [np.array([0, 1, 2]), np.array([0, 1, 2])]
    assert sorted(floor.fair_counts(two_seats, [2, 2], months)) == [1, 1, 2]


def test_the_fast_floor_matches_the_flow_lp():
    floor = bench_module("stream_floor")
    rng = np.random.default_rng(7)
    for _ in range(10):
        people = 8
        eligible = [rng.choice(people, rng.integers(1, 6), replace=False) for _ in range(15)]
        seats = [int(min(len(e), rng.integers(1, 4))) for e in eligible]
        months = rng.integers(3, 13, people).astype(float)

        fast, cut = floor.balanced_counts(eligible, seats, months)
        exact = floor.fair_counts(eligible, seats, months)

        assert cut == 0
        assert fast.sum() == exact.sum() == sum(seats)
        assert (fast**2 / months).sum() == pytest.approx((exact**2 / months).sum())
