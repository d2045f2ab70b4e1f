"""Load as docs/domain.md §5 means it: one unit per assignment, per month in the pool."""

from __future__ import annotations

from datetime import date

import numpy as np

from matching import PoolIndex, rank
from matching.eligibility import exclusion_codes, rule_code
from matching.features import first_day, load_facts, load_pressure
from matching.types import Booking, HistoryEntry


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
