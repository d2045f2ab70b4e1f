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
