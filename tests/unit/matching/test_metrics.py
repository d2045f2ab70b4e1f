"""Fairness measures used by the simulator and, later, the app's insight pages."""

from __future__ import annotations

import pytest

from matching.metrics import gini, gini_floor, group_diversity, max_over_mean, mean_diversity


def test_gini_exact_values():
    assert gini([2, 2, 2, 2]) == 0.0
    assert gini([0, 0, 0, 4]) == pytest.approx(0.75)
    assert gini([1, 2, 3, 4]) == pytest.approx(0.25)
    assert gini([]) == 0.0
    assert gini([0, 0]) == 0.0


def test_gini_floor_is_the_most_even_integer_split():
    assert gini_floor(4, 4) == 0.0
    assert gini_floor(2, 4) == pytest.approx(0.5)


def test_max_over_mean():
    assert max_over_mean([1, 2, 3]) == pytest.approx(1.5)
    assert max_over_mean([0, 0]) == 0.0


def test_group_diversity_counts_distinct_values():
    got = group_diversity(
        ["50–64", "50–64", "18–34"],
        ["woman", "man", "woman"],
        [{"own"}, {"own", "relative"}, set()],
    )

    assert got == {"age_bands": 2, "genders": 2, "experience_types": 2, "total": 6}


def test_mean_diversity_skips_empty_groups():
    groups = [group_diversity(["a"], ["woman"], [{"own"}]), group_diversity([], [], [])]

    assert mean_diversity(groups) == {
        "age_bands": 1.0,
        "genders": 1.0,
        "experience_types": 1.0,
        "total": 3.0,
    }


def test_lorenz_curve_of_an_uneven_spread():
    from matching.metrics import lorenz_curve

    assert lorenz_curve([0, 0, 0, 10]) == [
        (0.0, 0.0),
        (0.25, 0.0),
        (0.5, 0.0),
        (0.75, 0.0),
        (1.0, 1.0),
    ]
    assert lorenz_curve([3, 1], steps=4) == [
        (0.0, 0.0),
        (0.25, 0.125),
        (0.5, 0.25),
        (0.75, 0.625),
        (1.0, 1.0),
    ]
    assert lorenz_curve([], steps=2) == [(0.0, 0.0), (0.5, 0.5), (1.0, 1.0)]


def test_diversity_ceiling_is_what_is_on_offer_capped_by_group_size():
    from matching.metrics import diversity_ceiling

    got = diversity_ceiling(2, ["18–34", "50–64", "80+"], ["woman", "woman"], ["own", "relative"])

    assert got == {"age_bands": 2, "genders": 1, "experience_types": 2, "total": 5}
