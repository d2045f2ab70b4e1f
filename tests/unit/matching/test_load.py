"""The load part: fewer assignments and longer since the last rank higher, judged fairly."""

from __future__ import annotations

from datetime import date

from matching import PoolIndex, rank
from matching.types import HistoryEntry


def loads(members, request) -> dict[str, float]:
    ranking = rank(PoolIndex(members), request)
    return {
        mid: round(float(v), 4) for mid, v in zip(ranking.ids(), ranking.parts["load"], strict=True)
    }


def work(*days: str) -> tuple[HistoryEntry, ...]:
    return tuple(HistoryEntry(date.fromisoformat(d), 2.0) for d in days)


def test_fewer_assignments_rank_higher_and_declines_are_not_work(make_member, make_request):
    declines = tuple(HistoryEntry(date(2025, 11, d), 2.0, "declined") for d in range(3, 8))
    members = [
        make_member("none"),
        make_member("decliner", history=declines),
        make_member("one", history=work("2025-12-01")),
        make_member("three", history=work("2025-06-01", "2025-09-01", "2025-12-01")),
    ]

    assert loads(members, make_request()) == {
        "none": 0.8333,
        "decliner": 0.8333,
        "one": 0.3333,
        "three": 0.0,
    }


def test_longer_since_last_assignment_ranks_higher(make_member, make_request):
    members = [
        make_member("recent", history=work("2026-02-20")),
        make_member("long", history=work("2025-05-01")),
    ]

    assert loads(members, make_request()) == {"long": 1.0, "recent": 0.0}


def test_assignments_older_than_twelve_months_do_not_count(make_member, make_request):
    members = [
        make_member("old", history=work("2024-12-01", "2025-01-05")),
        make_member("new", history=work("2025-12-01")),
    ]

    assert loads(members, make_request()) == {"old": 1.0, "new": 0.0}


def test_newcomer_is_not_flooded(make_member, make_request):
    members = [
        make_member("newcomer", joined=date(2026, 2, 8)),
        make_member("veteran_idle"),
        make_member(
            "veteran_busy", history=work("2025-05-01", "2025-08-01", "2025-11-01", "2026-02-01")
        ),
    ]

    assert loads(members, make_request()) == {
        "veteran_idle": 1.0,
        "newcomer": 0.5,
        "veteran_busy": 0.0,
    }


def test_booked_future_work_before_the_request_counts(make_member, make_request, at):
    from matching.types import Booking

    booked = make_member(
        "booked", bookings=(Booking(at("2026-03-02T10:00"), at("2026-03-02T12:00")),)
    )

    assert loads([booked, make_member("free")], make_request()) == {"free": 1.0, "booked": 0.0}


def test_an_open_invitation_counts_as_provisional_load(make_member, make_request, at):
    from matching.types import Booking

    start, end = at("2026-03-02T10:00"), at("2026-03-02T12:00")
    members = [
        make_member("invited", bookings=(Booking(start, end, "invitation:1", False),)),
        make_member("booked", bookings=(Booking(start, end, "a1"),)),
        make_member("free"),
    ]

    # As many units as the booked one; only the booked one has an assignment as its last.
    assert loads(members, make_request()) == {"free": 1.0, "invited": 0.5, "booked": 0.0}


def test_load_is_relative_to_the_eligible_only(make_member, make_request):
    ineligible_idle = make_member("idle_but_inactive", active=False)
    members = [
        ineligible_idle,
        make_member("a", history=work("2025-12-01")),
        make_member("b", history=work("2025-10-01", "2025-12-01")),
    ]

    assert loads(members, make_request()) == {"a": 1.0, "b": 0.0}
