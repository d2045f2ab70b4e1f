"""The insight measures on small hand-computed data."""

from datetime import UTC, date, datetime

import pytest

from app.services.insight.metrics import (
    SUPPRESSED,
    Representation,
    age_band_counts,
    days_between,
    histogram,
    months_between,
    representation,
    shares,
    spread,
    suppress,
    thin_groups,
)
from matching.metrics import gini


def test_gini_of_one_person_doing_everything_and_of_an_even_spread():
    assert gini([0, 0, 0, 10]) == pytest.approx(0.75)
    assert gini([1, 1, 1, 1]) == 0.0


def test_age_band_counts_and_shares():
    # Ages in 2026: 20, 34, 35, 70, 95.
    counts = age_band_counts([2006, 1992, 1991, 1956, 1931], 2026)

    assert counts == {"18-34": 2, "35-49": 1, "50-64": 0, "65-79": 1, "80+": 1}
    assert shares(counts) == {"18-34": 0.4, "35-49": 0.2, "50-64": 0.0, "65-79": 0.2, "80+": 0.2}
    assert shares({"a": 0}) == {"a": None}


def test_representation_finds_where_the_pool_is_thin():
    pool = {"18-34": 6, "35-49": 44, "50-64": 50}
    population = {"18-34": 31, "35-49": 34, "50-64": 35}

    rows = representation(pool, population)

    assert rows[0] == Representation("18-34", 6, 0.06, 31, 0.31)
    assert rows[0].ratio == pytest.approx(0.06 / 0.31)
    assert [row.key for row in thin_groups(rows)] == ["18-34"]


def test_representation_leaves_groups_the_population_lacks_without_a_share():
    rows = representation({"woman": 3, "other": 1}, {"woman": 10}, ["woman", "other"])

    assert rows[1] == Representation("other", 1, 0.25, None, None)
    assert rows[1].ratio is None


def test_small_counts_of_people_are_suppressed():
    assert [suppress(n) for n in (0, 1, 4, 5, 12)] == [0, SUPPRESSED, SUPPRESSED, 5, 12]
    assert SUPPRESSED == "<5"


def test_histogram_bins_are_half_open_and_the_last_is_open_ended():
    edges = (0, 1, 2, 5)

    assert histogram([0, 0, 1, 2, 4, 5, 40], edges) == [2, 1, 2, 2]


def test_lead_times_median_and_quartiles():
    created = datetime(2026, 3, 2, 9, tzinfo=UTC)
    booked = [datetime(2026, 3, d, 9, tzinfo=UTC) for d in (4, 6, 12, 22)]

    days = [days_between(created, at) for at in booked]

    assert days == [2.0, 4.0, 10.0, 20.0]
    assert spread(days).median == 7.0
    assert (spread(days).low, spread(days).high) == (3.5, 12.5)
    assert days_between(created, datetime(2026, 3, 2, 21, tzinfo=UTC)) == 0.5
    assert spread([]).n == 0 and spread([5.0]).median == 5.0


def test_months_between_crosses_the_year():
    assert months_between(date(2025, 11, 20), date(2026, 2, 1)) == [
        "2025-11",
        "2025-12",
        "2026-01",
        "2026-02",
    ]
