"""balance="hard": among the groups as good on quotas and even shares, the least loaded first.

docs/matching.md, "Group selection", tier 3: the group whose most loaded member is least loaded
(highest lowest load part), and only then the best value.
"""

from __future__ import annotations

import numpy as np

from matching import select
from matching.types import Quota
from tests.unit.matching.test_selection import chosen, ranking_for


def with_load(members, scores, loads, request):
    """Return a ranking with the given scores and load parts (1 = least loaded), by member id."""
    ranking = ranking_for(members, scores, request)
    ids = ranking.index.ids
    ranking.parts["load"] = np.array([loads[ids[int(r)]] for r in ranking.rows])
    return ranking


def alike(make_member, names):
    return [make_member(name, gender="woman", birth_year=1970) for name in names]


SCORES = [0.9, 0.8, 0.7, 0.6]
LOADS = {"a": 0.2, "b": 0.9, "c": 0.8, "d": 0.7}  # "a" scores best but is the most loaded


def test_hard_takes_the_less_loaded_group_over_the_better_scored(make_member, make_request):
    ranking = with_load(alike(make_member, "abcd"), SCORES, LOADS, make_request(balance="hard"))

    assert chosen(ranking, select(ranking))[0] == ["b", "c"]


def test_soft_and_off_keep_the_better_scored_group(make_member, make_request):
    for balance in ("soft", "off"):
        request = make_request(balance=balance)
        ranking = with_load(alike(make_member, "abcd"), SCORES, LOADS, request)

        assert chosen(ranking, select(ranking))[0] == ["a", "b"], balance


def test_hard_one_seat_goes_to_the_least_loaded(make_member, make_request):
    request = make_request(balance="hard", count=1)
    ranking = with_load(alike(make_member, "abcd"), SCORES, LOADS, request)

    assert chosen(ranking, select(ranking))[0] == ["b"]


def test_hard_larger_group_least_loaded_then_score(make_member, make_request):
    names = "abcdef"
    loads = {"a": 0.1, "b": 0.6, "c": 0.6, "d": 0.9, "e": 0.6, "f": 0.3}
    request = make_request(balance="hard", count=3)
    ranking = with_load(alike(make_member, names), [0.9, 0.8, 0.7, 0.6, 0.5, 0.4], loads, request)

    # The highest lowest load part three people reach is 0.6 (d and two of b, c, e); among
    # those groups the best scored is b, c, d.
    assert chosen(ranking, select(ranking))[0] == ["b", "c", "d"]


def test_quota_still_comes_before_load_then_score_decides(make_member, make_request):
    members = [
        make_member("m", gender="man", birth_year=1970),
        make_member("w1", gender="woman", birth_year=1970),
        make_member("w2", gender="woman", birth_year=1970),
    ]
    request = make_request(balance="hard", quotas=(Quota("gender", "man", min=1),))
    loads = {"m": 0.1, "w1": 0.5, "w2": 0.9}
    ranking = with_load(members, [0.5, 0.9, 0.6], loads, request)

    selection = select(ranking)

    # The loaded man is the only way to meet the quota; his load is the group's lowest either
    # way, so the better-scored woman joins him.
    assert sorted(chosen(ranking, selection)[0]) == ["m", "w1"]
    assert selection.unmet == ()


def test_reserves_are_not_the_group_when_the_group_skips_a_better_scored(make_member, make_request):
    ranking = with_load(alike(make_member, "abcd"), SCORES, LOADS, make_request(balance="hard"))

    selection = select(ranking)
    group, reserve = chosen(ranking, selection)

    assert not set(group) & set(reserve)
    assert set(reserve) == {"a", "d"}
