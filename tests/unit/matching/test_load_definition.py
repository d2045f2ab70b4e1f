"""Load as docs/domain.md §5 means it: one unit per assignment, per month in the pool."""

from __future__ import annotations

from datetime import date

import numpy as np

from matching import PoolIndex, rank
from matching.eligibility import exclusion_codes, rule_code
from matching.explain import load_reasons
from matching.features import first_day, load_facts, load_pressure, load_score, turn_pressure
from matching.simulate import record_opportunities
from matching.types import Booking, HistoryEntry, Opportunity


def facts(members, request) -> dict[str, dict[str, float]]:
    index = PoolIndex(members)
    rows = np.arange(index.n)
    got = load_facts(index, first_day(request), rows)
    return {m.id: {k: float(v[i]) for k, v in got.items()} for i, m in enumerate(members)}


def test_an_assignment_counts_once_however_many_sessions(make_member, make_request, at):
    course = tuple(
        Booking(at(f"2026-02-{day}T13:00"), at(f"2026-02-{day}T16:00"), "course")
        for day in ("02", "09", "16")
    )
    single = (Booking(at("2026-02-02T13:00"), at("2026-02-02T16:00"), "talk"),)
    done = (HistoryEntry(date(2025, 10, 6), 9.0, "accepted", assignment="old"),)
    members = [
        make_member("course", bookings=course),
        make_member("single", bookings=single),
        make_member("history", history=done),
    ]

    got = facts(members, make_request())

    assert [got[m]["assignments"] for m in ("course", "single", "history")] == [1.0, 1.0, 1.0]
    assert got["course"]["hours"] == 9.0


def test_declines_and_unanswered_invitations_never_count(make_member, make_request):
    answers = tuple(
        HistoryEntry(date(2025, 11, day), 2.0, answer)
        for day, answer in ((3, "declined"), (4, "no_answer"), (5, "declined"))
    )
    members = [make_member("decliner", history=answers), make_member("idle")]

    got = facts(members, make_request())

    assert got["decliner"]["assignments"] == got["idle"]["assignments"] == 0.0
    assert got["decliner"]["never"] == 1.0


def test_an_open_invitation_is_provisional_load_and_fills_the_month(make_member, make_request, at):
    invitation = (Booking(at("2026-03-03T10:00"), at("2026-03-03T12:00"), "invitation:7", False),)
    members = [
        make_member("invited", bookings=invitation),
        make_member("invited_at_max", bookings=invitation, max_per_month=1),
        make_member("free"),
    ]
    request = make_request()

    got = facts(members, request)
    index = PoolIndex(members)
    codes = exclusion_codes(index, request)

    assert (got["invited"]["assignments"], got["invited"]["provisional"]) == (1.0, 1.0)
    assert got["invited"]["never"] == 0.0  # load, though no assignment done yet
    assert got["free"]["assignments"] == 0.0
    assert [rule_code(c) if c else None for c in codes] == [None, "monthly_max", None]
    ranking = rank(index, request)
    load = dict(zip(ranking.ids(), ranking.parts["load"], strict=True))
    assert load["free"] > load["invited"]


def test_an_answered_invitation_is_history_not_provisional(make_member, make_request):
    yes = (HistoryEntry(date(2026, 2, 3), 2.0, "accepted"),)
    no = (HistoryEntry(date(2026, 2, 3), 2.0, "declined"),)

    got = facts([make_member("yes", history=yes), make_member("no", history=no)], make_request())

    assert (got["yes"]["assignments"], got["yes"]["provisional"]) == (1.0, 0.0)
    assert (got["no"]["assignments"], got["no"]["provisional"]) == (0.0, 0.0)


def test_load_is_a_rate_per_month_in_the_pool(make_member, make_request):
    # One assignment in three months in the pool is more load than two in twelve.
    members = [
        make_member(
            "newcomer", joined=date(2025, 12, 8), history=(HistoryEntry(date(2026, 1, 5)),)
        ),
        make_member(
            "veteran",
            joined=date(2020, 1, 1),
            history=(HistoryEntry(date(2025, 6, 2)), HistoryEntry(date(2025, 9, 1))),
        ),
    ]
    request = make_request()
    index = PoolIndex(members)

    got = load_facts(index, first_day(request), np.arange(2))
    pressure = load_pressure(got)

    assert got["months_in_pool"][0] < 4 and got["months_in_pool"][1] > 11.9
    assert list(got["assignments"]) == [1.0, 2.0]
    assert pressure[0] > pressure[1]


def test_a_newcomer_without_work_is_not_the_least_loaded(make_member, make_request):
    # Shrunk towards the eligible set's rate: a zero count over a few weeks looks average.
    members = [
        make_member("newcomer", joined=date(2026, 2, 16)),
        make_member("idle_veteran", joined=date(2020, 1, 1)),
        make_member(
            "busy", joined=date(2020, 1, 1), history=(HistoryEntry(date(2025, 12, 1)),) * 1
        ),
    ]
    request = make_request()
    index = PoolIndex(members)

    pressure = load_pressure(load_facts(index, first_day(request), np.arange(3)))

    assert pressure[1] < pressure[0] < pressure[2]


def test_of_two_alike_loads_the_one_few_requests_fit_goes_first(make_member, make_request):
    # Shares of seats over the two years up to the first session (2026-03-10); older ones and
    # those after it are not counted. Each has had one assignment in the window: the term
    # counts in full.
    day0 = date(2026, 3, 10)
    worked = (HistoryEntry(date(2025, 9, 1)),)
    members = [
        make_member(
            "sought", history=worked, opportunities=(Opportunity(date(2025, 6, 1), 0.5),) * 3
        ),
        make_member("scarce", history=worked, opportunities=(Opportunity(date(2025, 6, 1), 0.5),)),
        make_member(
            "old_and_future",
            history=worked,
            opportunities=(Opportunity(date(2024, 2, 1), 0.9), Opportunity(date(2026, 3, 11), 0.9)),
        ),
    ]
    request = make_request()
    index = PoolIndex(members)

    got = load_facts(index, first_day(request), np.arange(3))
    load, turn = load_pressure(got), turn_pressure(got)

    assert first_day(request) == day0.toordinal()
    assert list(got["opportunity"]) == [1.5, 0.5, 0.0]
    assert load[0] == load[1] == load[2]  # the load alone cannot tell them apart
    assert turn[2] < turn[1] < turn[0]
    assert list(load_score(got)) == [0.0, 0.5, 1.0]
    said = [[r.en for r in load_reasons({k: v[i] for k, v in got.items()})] for i in range(3)]
    few = "fitted few requests in the last two years"
    assert [few in reasons for reasons in said] == [False, False, True]


def test_the_opportunity_fades_where_most_have_had_no_work(make_member, make_request):
    # The same shares; assignments in the window: 1 of 3 people (mean 1/3, below half of one:
    # no term), then 2 of 3 (mean 2/3: a third of it), then all (in full).
    chances = [(Opportunity(date(2025, 6, 1), 0.5),) * k for k in (3, 1, 0)]
    request = make_request()

    def turns(worked_by: int):
        members = [
            make_member(
                f"m{i}",
                history=(HistoryEntry(date(2025, 9, 1)),) if i < worked_by else (),
                opportunities=chances[i],
            )
            for i in range(3)
        ]
        got = load_facts(PoolIndex(members), first_day(request), np.arange(3))
        return turn_pressure(got) - load_pressure(got), got["opportunity_relative"]

    added = [turns(k)[0] for k in (1, 2, 3)]

    assert np.allclose(added[0], 0.0)
    # Where the term does not count, no explanation says that few requests fitted someone.
    assert list(turns(1)[1]) == [1.0, 1.0, 1.0] and turns(3)[1][2] == 0.0
    assert np.allclose(added[1], added[2] / 3)
    assert added[2][0] > added[2][1] > added[2][2] == 0.0


def test_nobody_fitted_few_requests_when_none_are_recorded(make_member, make_request):
    index = PoolIndex([make_member("a"), make_member("b")])
    got = load_facts(index, first_day(make_request()), np.arange(2))

    assert list(got["opportunity_relative"]) == [1.0, 1.0]
    assert not any(
        r.code == "load" and "few" in r.en for r in load_reasons({k: v[0] for k, v in got.items()})
    )


def test_a_simulated_request_records_the_fair_share_of_every_eligible(make_member, make_request):
    members = [make_member(f"m{i}") for i in range(4)]
    request = make_request(count=3)
    index = PoolIndex(members)
    ranking = rank(index, request)

    record_opportunities(index, ranking)
    got = load_facts(index, first_day(request) + 1, np.arange(4))

    assert list(got["opportunity"]) == [0.75] * 4
