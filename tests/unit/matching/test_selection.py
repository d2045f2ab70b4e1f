"""Group selection prefers a varied group at small cost in score, covers areas, keeps reserves."""

from __future__ import annotations

import numpy as np

from matching import PoolIndex, Weights, select
from matching.eligibility import area_match
from matching.scoring import Ranking
from matching.types import Experience

OWN = (Experience("psychiatry/psychosis", "own"),)
RELATIVE = (Experience("psychiatry/psychosis", "relative"),)
# The selection's trade-offs are checked with stated weights, not the defaults (a council
# setting): a duplicate costs 0.12 per seat above the even share and a covered area is worth
# 0.30 here.
VARIETY = Weights(diversity=0.12, coverage=0.30)


def ranking_for(members, scores, request, weights: Weights = VARIETY) -> Ranking:
    """Return a Ranking with the given scores, as rank() would for eligible members."""
    index = PoolIndex(members)
    level, bits = area_match(index, request)
    order = np.argsort(-np.asarray(scores), kind="stable")
    score = np.asarray(scores, dtype=float)[order]
    return Ranking(
        index=index,
        request=request,
        weights=weights,
        codes=np.zeros(len(members), dtype=np.int8),
        rows=order,
        score=score,
        parts={"relevance": score, "load": score, "acceptance": score},
        level=level[order],
        bits=bits[order],
        facts={},
    )


def chosen(ranking, selection) -> tuple[list[str], list[str]]:
    ids = ranking.index.ids
    group = [ids[ranking.rows[p]] for p in selection.group]
    return group, [ids[ranking.rows[p]] for p in selection.reserve]


def people(make_member):
    return [
        make_member("a", birth_year=1970, gender="woman", experiences=OWN),
        make_member("b", birth_year=1971, gender="woman", experiences=OWN),
        make_member("c", birth_year=1995, gender="man", experiences=RELATIVE),
        make_member("d", birth_year=1972, gender="woman", experiences=OWN),
        make_member("e", birth_year=1990, gender="man", experiences=RELATIVE),
    ]


def test_more_varied_pair_wins_at_small_cost(make_member, make_request):
    ranking = ranking_for(people(make_member), [0.80, 0.78, 0.70, 0.60, 0.50], make_request())

    assert chosen(ranking, select(ranking))[0] == ["a", "c"]


def test_duplicate_wins_when_the_varied_one_costs_too_much(make_member, make_request):
    ranking = ranking_for(people(make_member), [0.80, 0.78, 0.30, 0.60, 0.20], make_request())

    assert chosen(ranking, select(ranking))[0] == ["a", "b"]


def test_group_covers_every_requested_area(make_member, make_request):
    cancer = (Experience("cancer/breast", "own"),)
    members = [
        make_member("a", experiences=OWN),
        make_member("b", experiences=OWN),
        make_member("c", experiences=cancer),
    ]
    request = make_request(areas=("psychiatry/psychosis", "cancer"))
    ranking = ranking_for(members, [0.90, 0.85, 0.60], request)

    assert chosen(ranking, select(ranking))[0] == ["a", "c"]


def test_reserves_are_ordered_replacements_for_each_group_member(make_member, make_request):
    ranking = ranking_for(people(make_member), [0.80, 0.78, 0.70, 0.60, 0.50], make_request())

    group, reserve = chosen(ranking, select(ranking, reserve=3))

    assert (group, reserve) == (["a", "c"], ["b", "e", "d"])


def test_count_larger_than_eligible_returns_everyone(make_member, make_request):
    ranking = ranking_for(people(make_member)[:2], [0.5, 0.4], make_request(count=4))

    assert chosen(ranking, select(ranking)) == (["a", "b"], [])


def test_target_distribution_moves_the_group(make_member, make_request):
    members = [
        make_member("w1", gender="woman", birth_year=1970),
        make_member("w2", gender="woman", birth_year=1990),
        make_member("m1", gender="man", birth_year=1970),
    ]
    plain = ranking_for(members, [0.9, 0.88, 0.70], make_request())
    targeted = ranking_for(
        members, [0.9, 0.88, 0.70], make_request(target={"gender": {"woman": 0.5, "man": 0.5}})
    )

    # w1+w2 = 1.78 - 0.12 (two women, cap 1) beats w2+m1 = 1.58; the target costs w1+w2 0.10 more.
    assert chosen(plain, select(plain))[0] == ["w1", "w2"]
    assert chosen(targeted, select(targeted))[0] == ["w2", "m1"]
