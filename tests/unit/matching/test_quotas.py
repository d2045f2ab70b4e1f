"""Quotas and balance: met when the eligible allow, explained when not, kept by the reserves."""

from __future__ import annotations

from datetime import time

import pytest

from matching import PoolIndex, propose, select
from matching.io import InputError, parse_quota, quota_json
from matching.types import Experience, Quota, WeeklyWindow
from tests.unit.matching.test_selection import OWN, RELATIVE, chosen, ranking_for


def test_quota_takes_a_low_scored_relative_over_higher_scored_duplicates(make_member, make_request):
    members = [
        make_member("a", experiences=OWN),
        make_member("b", experiences=OWN),
        make_member("c", experiences=OWN),
        make_member("r", experiences=RELATIVE),
    ]
    request = make_request(balance="off", quotas=(Quota("experience", "relative", min=1),))
    ranking = ranking_for(members, [0.9, 0.85, 0.8, 0.1], request)

    selection = select(ranking)

    assert chosen(ranking, selection)[0] == ["a", "r"]
    assert selection.unmet == ()


def test_max_quota_caps_a_value(make_member, make_request):
    members = [
        make_member("w1", gender="woman"),
        make_member("w2", gender="woman"),
        make_member("m1", gender="man"),
        make_member("m2", gender="man"),
    ]
    request = make_request(count=3, balance="off", quotas=(Quota("gender", "woman", max=1),))
    ranking = ranking_for(members, [0.9, 0.8, 0.2, 0.1], request)

    assert chosen(ranking, select(ranking))[0] == ["w1", "m1", "m2"]


def test_balance_modes_hard_soft_off(make_member, make_request):
    members = [
        make_member("w1", gender="woman"),
        make_member("w2", gender="woman"),
        make_member("m1", gender="man"),
    ]
    scores = [0.9, 0.8, 0.5]  # all 1970, self, own: only gender differs; w1+w2 beats w1+m1 by 0.3

    picks = {
        balance: chosen(r, select(r))[0]
        for balance in ("hard", "soft", "off")
        for r in [ranking_for(members, scores, make_request(balance=balance))]
    }

    # soft: two women cost one seat above the even share (1 of 2 seats) = 0.12 < 0.3
    assert picks == {"hard": ["w1", "m1"], "soft": ["w1", "w2"], "off": ["w1", "w2"]}


def test_soft_balance_prefers_the_varied_group_when_the_gap_is_small(make_member, make_request):
    members = [make_member("w1", gender="woman"), make_member("w2", gender="woman")]
    members.append(make_member("m1", gender="man"))
    soft = ranking_for(members, [0.9, 0.8, 0.75], make_request(balance="soft"))
    off = ranking_for(members, [0.9, 0.8, 0.75], make_request(balance="off"))

    assert chosen(soft, select(soft))[0] == ["w1", "m1"]
    assert chosen(off, select(off))[0] == ["w1", "w2"]


def test_unmet_quota_names_who_is_missing_and_why(make_member, make_request):
    young_inactive = make_member("y1", birth_year=2000, active=False)
    weekend_only = (WeeklyWindow(5, time(8, 0), time(17, 0)),)
    young_away = make_member("y2", birth_year=1999, weekly=weekend_only)
    older = [make_member(f"o{i}", birth_year=1960 + i) for i in range(3)]
    quotas = (Quota("age", (18, 34), min=1), Quota("gender", "woman", min=1))
    request = make_request(quotas=quotas)

    proposal = propose(PoolIndex([young_inactive, young_away, *older]), request)

    assert len(proposal.group) == 2
    assert [u.quota for u in proposal.unmet_quotas] == [quotas[0]]
    reason = proposal.unmet_quotas[0].reason
    assert reason.text("sv") == (
        "Minst 1 person i åldern 18–34 år kan inte uppfyllas: ingen av de 3 behöriga är 18–34 år "
        "(2 i poolen är uteslutna: 1 inaktiva, 1 inte tillgängliga)"
    )
    assert reason.text("en") == (
        "At least 1 person aged 18–34 cannot be met: none of the 3 eligible is aged 18–34 "
        "(2 in the pool are excluded: 1 inactive, 1 unavailable)"
    )


def test_unmet_quota_meets_the_rest_and_gets_as_close_as_it_can(make_member, make_request):
    members = [
        make_member("w1", gender="woman"),
        make_member("m1", gender="man"),
        make_member("m2", gender="man"),
        make_member("m3", gender="man", experiences=RELATIVE),
    ]
    quotas = (Quota("gender", "woman", min=2), Quota("experience", "relative", min=1))
    request = make_request(count=3, balance="off", quotas=quotas)
    ranking = ranking_for(members, [0.1, 0.9, 0.8, 0.2], request)

    selection = select(ranking)
    proposal = propose(ranking.index, request)

    assert chosen(ranking, selection)[0] == ["m1", "m3", "w1"]
    assert selection.unmet == (0,)
    assert proposal.unmet_quotas[0].reason.text("sv") == (
        "Minst 2 kvinnor kan inte uppfyllas: bara 1 av de 4 behöriga är kvinna"
    )


def test_quotas_that_cannot_hold_together_are_explained(make_member, make_request):
    members = [
        make_member("w1", gender="woman"),
        make_member("w2", gender="woman"),
        make_member("m1", gender="man"),
        make_member("m2", gender="man"),
    ]
    quotas = (Quota("gender", "woman", min=2), Quota("gender", "man", min=2))
    request = make_request(count=3, balance="off", quotas=quotas)

    proposal = propose(PoolIndex(members), request)

    assert len(proposal.unmet_quotas) == 1
    assert (
        proposal.unmet_quotas[0]
        .reason.text("en")
        .endswith("cannot be met: cannot be met together with the other quotas in a group of 3")
    )


def test_reserves_keep_the_met_quota(make_member, make_request):
    members = [
        make_member("own1", experiences=OWN),
        make_member("rel1", experiences=RELATIVE),
        make_member("own2", experiences=OWN),
        make_member("own3", experiences=OWN),
        make_member("rel2", experiences=RELATIVE),
    ]
    request = make_request(balance="off", quotas=(Quota("experience", "relative", min=1),))
    ranking = ranking_for(members, [0.9, 0.5, 0.85, 0.8, 0.1], request)

    group, reserve = chosen(ranking, select(ranking, reserve=3))

    # own1's best replacement is own2; rel1 can only be replaced by rel2 without breaking the
    # quota, so rel2 comes second although own3 scores far higher.
    assert (group, reserve) == (["own1", "rel1"], ["own2", "rel2", "own3"])


def test_explanation_says_what_each_adds(make_member, make_request):
    members = [
        make_member("a", experiences=OWN, birth_year=1970),
        make_member("b", experiences=RELATIVE, birth_year=1995),
    ]

    proposal = propose(PoolIndex(members), make_request())
    reasons = {c.member_id: [r.text("sv") for r in c.reasons] for c in proposal.ranked}

    added = [text for text in reasons["b"] if text.startswith("kompletterar")]
    assert added == [
        "kompletterar gruppen med närståendeperspektiv",
        "kompletterar gruppen med åldersgruppen 18–34 år",
    ]


@pytest.mark.parametrize(
    "obj",
    [
        {"field": "gender", "value": "woman", "min": 1},
        {"field": "experience", "value": "relative", "min": 1, "max": 2},
        {"field": "mandate", "value": "organisation", "max": 0},
        {"field": "age", "value": [18, 34], "min": 1},
    ],
)
def test_quota_json_round_trip(obj):
    assert quota_json(parse_quota(obj, "quota")) == obj


@pytest.mark.parametrize(
    ("obj", "field"),
    [
        ({"field": "colour", "value": "red", "min": 1}, "'field'"),
        ({"field": "gender", "value": "unknown", "min": 1}, "'value'"),
        ({"field": "age", "value": [40, 30], "min": 1}, "'value'"),
        ({"field": "age", "value": "young", "min": 1}, "'value'"),
        ({"field": "gender", "value": "man"}, "'min'"),
        ({"field": "gender", "value": "man", "min": -1}, "'min'"),
        ({"field": "gender", "value": "man", "min": 2, "max": 1}, "'max'"),
        ({"field": "gender", "value": "man", "min": True}, "'min'"),
        ({"field": "gender", "value": "man", "min": 1, "share": 2}, "'share'"),
    ],
)
def test_bad_quota_names_the_field(obj, field):
    with pytest.raises(InputError) as error:
        parse_quota(obj, "request #0, quotas #0")

    assert str(error.value).startswith(f"request #0, quotas #0: field {field}")


def test_experience_quota_counts_both_types_of_one_person(make_member, make_request):
    both = (
        Experience("psychiatry/psychosis", "own"),
        Experience("psychiatry/psychosis", "relative"),
    )
    members = [make_member("a", experiences=OWN), make_member("b", experiences=OWN)]
    members.append(make_member("ab", experiences=both))
    quotas = (Quota("experience", "own", min=2), Quota("experience", "relative", min=1))
    request = make_request(balance="off", quotas=quotas)
    ranking = ranking_for(members, [0.9, 0.8, 0.1], request)

    assert chosen(ranking, select(ranking))[0] == ["a", "ab"]
