"""An area matches itself and its descendants; an exact match is worth more."""

from __future__ import annotations

import pytest

from matching import PoolIndex, rank
from matching.taxonomy import age_band, area_name, match_level, matches
from matching.types import Experience


@pytest.mark.parametrize(
    ("requested", "area", "expected"),
    [
        ("psychiatry", "psychiatry/psychosis", True),
        ("psychiatry", "psychiatry", True),
        ("psychiatry/psychosis", "psychiatry", False),
        ("psychiatry", "psychiatry_other", False),
        ("cancer", "psychiatry/cancer", False),
    ],
)
def test_matches_itself_and_descendants_only(requested, area, expected):
    assert matches(requested, area) is expected


def test_match_level_puts_exact_above_descendant():
    assert match_level("psychiatry", "psychiatry") == 1.0
    assert match_level("psychiatry", "psychiatry/psychosis") == 0.75
    assert match_level("psychiatry/psychosis", "psychiatry") == 0.0


def test_relevance_ranks_exact_area_above_child_area(make_member, make_request):
    exact = make_member("exact", experiences=(Experience("psychiatry", "own"),))
    child = make_member("child", experiences=(Experience("psychiatry/psychosis", "own"),))
    parent_only = make_member("parent", experiences=(Experience("psychiatry", "own"),))

    broad = rank(PoolIndex([child, exact]), make_request(areas=("Psychiatry/",)))
    narrow = rank(PoolIndex([parent_only]), make_request())

    relevance = dict(zip(broad.ids(), broad.parts["relevance"].round(4), strict=True))
    assert relevance == {"exact": 0.8875, "child": 0.7125}
    assert narrow.ids() == []


def test_area_names_and_age_bands():
    assert (area_name("psychiatry/psychosis"), area_name("psychiatry/psychosis", "en")) == (
        "psykos",
        "psychosis",
    )
    assert area_name("rare/long_name") == "long name"
    assert [age_band(y, 2026) for y in (2000, 1990, 1970, 1950, 1940)] == [
        "18–34",
        "35–49",
        "50–64",
        "65–79",
        "80+",
    ]
