"""The app's side of quotas without a database: wishes to quotas, labels, and the checks."""

from dataclasses import replace
from datetime import datetime

import pytest

import matching
from app.services.errors import InvalidInput
from app.services.matchmaking.quotas import (
    Wishes,
    is_met,
    parse_quotas,
    quota_label,
    quotas_from_wishes,
)
from matching.quotas import member_holds as holds
from matching.types import STOCKHOLM


def test_wishes_become_quotas_in_the_cli_shape():
    wishes = Wishes(own=1, relative=2, women=0, organisation=1, age_count=1, age_to=34)

    assert quotas_from_wishes(wishes) == [
        {"field": "experience", "value": "own", "min": 1},
        {"field": "experience", "value": "relative", "min": 2},
        {"field": "mandate", "value": "organisation", "min": 1},
        {"field": "age", "value": [0, 34], "min": 1},
    ]


def test_an_age_wish_from_an_age_on_has_no_upper_bound():
    assert quotas_from_wishes(Wishes(age_count=2, age_from=65)) == [
        {"field": "age", "value": [65, 130], "min": 2}
    ]


@pytest.mark.parametrize(
    ("quota", "sv", "en"),
    [
        (matching.Quota("age", (0, 34), 1), "Minst 1 under 35", "At least 1 under 35"),
        (
            matching.Quota("age", (65, 130), 2),
            "Minst 2 som är 65 år eller äldre",
            "At least 2 aged 65 or over",
        ),
        (
            matching.Quota("age", (18, 34), None, 1),
            "Högst 1 i åldern 18–34",
            "At most 1 aged 18–34",
        ),
        (
            matching.Quota("gender", "woman", 1, 2),
            "1–2 kvinnor",
            "Between 1 and 2 women",
        ),
        (
            matching.Quota("experience", "own", 2, 2),
            "Exakt 2 personer med egen erfarenhet",
            "Exactly 2 people with own experience",
        ),
    ],
)
def test_quota_labels_in_swedish_and_english(quota, sv, en):
    label = quota_label(quota)

    assert (label.text("sv"), label.text("en")) == (sv, en)


def test_parse_quotas_names_the_bad_one_and_drops_repeats():
    good = {"field": "gender", "value": "man", "min": 1}

    assert parse_quotas([good, good], people_count=2) == (matching.Quota("gender", "man", 1),)
    with pytest.raises(InvalidInput) as refused:
        parse_quotas([good, {"field": "gender", "value": "robot", "min": 1}], people_count=2)
    assert list(refused.value.fields) == ["quotas.1"]
    assert "'value'" in refused.value.fields["quotas.1"]


def _request(areas=("cancer",)) -> matching.Request:
    start = datetime(2027, 3, 2, 9, tzinfo=STOCKHOLM)
    end = datetime(2027, 3, 2, 11, tzinfo=STOCKHOLM)
    return matching.Request("1", "Org", "education", areas, (matching.Session(start, end),))


def test_a_person_holds_experience_only_in_a_requested_area_and_age_in_the_first_sessions_year():
    member = matching.Member(
        id="1",
        birth_year=1993,
        gender="woman",
        experiences=(
            matching.Experience("cancer/breast", "relative"),
            matching.Experience("psychiatry", "own"),
        ),
    )
    request = _request()

    assert holds(member, matching.Quota("experience", "relative", 1), request)
    assert not holds(member, matching.Quota("experience", "own", 1), request)
    assert holds(member, matching.Quota("age", (0, 34), 1), request)  # 34 in 2027
    assert not holds(member, matching.Quota("age", (0, 33), 1), request)
    # As in the selection: a request for own experience only counts nobody as a relative.
    own_only = replace(request, experience="own")
    assert not holds(member, matching.Quota("experience", "relative", 1), own_only)
    assert is_met(1, matching.Quota("age", (0, 34), 1, 1))
    assert not is_met(2, matching.Quota("age", (0, 34), 1, 1))
