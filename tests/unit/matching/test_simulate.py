"""The simulator books each chosen group, so later requests see the load and the calendar."""

from __future__ import annotations

from matching.simulate import simulate
from matching.types import Session


def test_booked_people_are_not_chosen_twice_for_the_same_time(make_member, make_request, at):
    members = [make_member(f"m{i}", birth_year=1960 + i) for i in range(4)]
    same_time = [make_request(id="r1"), make_request(id="r2")]

    result = simulate(members, same_time)
    first, second = (set(r["selected"]) for r in result["per_request"])

    assert (len(first), len(second), first & second) == (2, 2, set())
    assert result["hard_rule_satisfaction"] == 1.0
    assert result["gini"] == 0.0
    assert result["never_used_share"] == 0.0


def test_load_spreads_over_a_stream(make_member, make_request, at):
    members = [make_member(f"m{i}", max_per_month=4) for i in range(4)]
    days = ["2026-03-02", "2026-03-09", "2026-03-16", "2026-03-23"]
    stream = [
        make_request(id=f"r{k}", count=1, sessions=(Session(at(f"{d}T10:00"), at(f"{d}T12:00")),))
        for k, d in enumerate(days)
    ]

    ours = simulate(members, stream)

    assert sorted(r["selected"][0] for r in ours["per_request"]) == ["m0", "m1", "m2", "m3"]
    assert ours["max_over_mean"] == 1.0


def test_requests_run_in_date_order(make_member, make_request, at):
    later = make_request(
        id="late", sessions=(Session(at("2026-04-07T10:00"), at("2026-04-07T12:00")),)
    )
    earlier = make_request(id="early")

    result = simulate([make_member()], [later, earlier], policy="top_relevance")

    assert [r["request"] for r in result["per_request"]] == ["early", "late"]


def test_simulate_explains_a_quota_the_eligible_people_do_not_allow(make_member, make_request):
    from matching.types import Quota

    women = [make_member(f"m{i}", gender="woman") for i in range(3)]
    wants_a_man = make_request(id="r1", quotas=(Quota("gender", "man", 1, None),))

    result = simulate(women, [wants_a_man])
    [record] = result["per_request"]

    [unmet] = record["unmet_quotas"]
    assert unmet.quota == Quota("gender", "man", 1, None)
    assert (unmet.reason.code, unmet.reason.en) == (
        "quota_unmet",
        "At least 1 man cannot be met: none of the 3 eligible is a man",
    )
    assert (result["requests_with_quotas"], result["unmet_quotas"]) == (1, 1)
    assert result["quota_break_share"] == 0.0


def test_simulate_tells_a_broken_quota_from_an_unmet_one(make_member, make_request):
    """top_relevance takes the two best fits, both women, although a man was eligible."""
    from matching.types import Experience, Quota

    exact = (Experience("psychiatry/psychosis", "own"),)
    broader = (Experience("psychiatry/psychosis/early", "own"),)
    members = [
        make_member("w1", gender="woman", experiences=exact),
        make_member("w2", gender="woman", experiences=exact),
        make_member("m1", gender="man", experiences=broader),
    ]
    quota = Quota("gender", "man", 1, None)
    request = make_request(id="r1", areas=("psychiatry/psychosis",), quotas=(quota,))

    ours = simulate(members, [request])
    theirs = simulate(members, [request], policy="top_relevance")

    assert "m1" in ours["per_request"][0]["selected"]
    assert ours["per_request"][0]["unmet_quotas"] == []
    assert sorted(theirs["per_request"][0]["selected"]) == ["w1", "w2"]
    [broken] = theirs["per_request"][0]["unmet_quotas"]
    assert (broken.reason.code, broken.reason.en) == (
        "quota_broken",
        "At least 1 man: not met – the group has 0, although the eligible people allow it",
    )
    assert (ours["quota_break_share"], theirs["quota_break_share"]) == (0.0, 1.0)
