"""Each hard rule alone excludes, with its rule code and readable reason."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from matching import RULES, PoolIndex, exclusion_codes, propose, violations
from matching.types import (
    BlockedPeriod,
    Booking,
    Experience,
    HistoryEntry,
    Session,
    WeeklyWindow,
)


def first_rule(member, request) -> str | None:
    code = int(exclusion_codes(PoolIndex([member]), request)[0])
    return None if code == 0 else RULES[code - 1]


def test_plain_member_is_eligible(make_member, make_request):
    assert first_rule(make_member(), make_request()) is None
    assert violations(make_member(), make_request()) == []


CASES = [
    ("inactive", {"active": False}, {}),
    ("no_consent", {"consent": False}, {}),
    ("no_area", {"experiences": (Experience("cancer/breast", "own"),)}, {}),
    ("wrong_experience_type", {}, {"experience": "relative"}),
    ("unavailable", {"weekly": (WeeklyWindow(1, time(13, 0), time(17, 0)),)}, {}),
    ("unavailable", {"blocked": (BlockedPeriod(date(2026, 3, 9), date(2026, 3, 10)),)}, {}),
    ("unavailable", {"paused_until": date(2026, 3, 10)}, {}),
    ("monthly_max", {"max_per_month": 1, "history": (HistoryEntry(date(2026, 3, 2), 2.0),)}, {}),
    ("assignment_type", {"assignment_types": ("lecture", "review")}, {}),
    ("format", {"formats": ("digital",)}, {}),
    ("language", {}, {"language": "en"}),
    ("conflict_of_interest", {"employer": "  region jönköpings LÄN "}, {}),
    ("age_range", {}, {"age_range": (18, 40)}),
]


@pytest.mark.parametrize(("rule", "member_changes", "request_changes"), CASES)
def test_each_rule_alone_excludes(make_member, make_request, rule, member_changes, request_changes):
    member, request = make_member(**member_changes), make_request(**request_changes)

    assert first_rule(member, request) == rule
    assert violations(member, request) == [rule]


def test_already_booked_counts_travel_buffer_on_site_only(make_member, make_request, at):
    booked = make_member(bookings=(Booking(at("2026-03-10T12:15"), at("2026-03-10T13:00")),))

    assert first_rule(booked, make_request()) == "already_booked"
    assert first_rule(booked, make_request(format="digital")) is None


def test_travel_buffer_must_fit_weekly_window(make_member, make_request):
    tight = make_member(weekly=(WeeklyWindow(1, time(10, 0), time(12, 0)),))

    assert first_rule(tight, make_request()) == "unavailable"
    assert first_rule(tight, make_request(format="digital")) is None


def test_adjacent_windows_merge(make_member, make_request):
    split = make_member(
        weekly=(WeeklyWindow(1, time(9, 0), time(11, 0)), WeeklyWindow(1, time(11, 0), time(13, 0)))
    )

    assert first_rule(split, make_request()) is None


def test_monthly_max_ignores_declines_other_months_and_counts_request_once(
    make_member, make_request, at
):
    member = make_member(
        max_per_month=1,
        history=(
            HistoryEntry(date(2026, 3, 2), 2.0, "declined"),
            HistoryEntry(date(2026, 3, 3), 2.0, "no_answer"),
            HistoryEntry(date(2026, 2, 27), 2.0, "accepted"),
        ),
    )
    two_march_sessions = make_request(
        sessions=(
            Session(at("2026-03-10T10:00"), at("2026-03-10T12:00")),
            Session(at("2026-03-24T10:00"), at("2026-03-24T12:00")),
        )
    )

    assert first_rule(member, two_march_sessions) is None
    assert first_rule(replace(member, max_per_month=0), two_march_sessions) == "monthly_max"


def test_monthly_max_checks_every_session_month(make_member, make_request, at):
    member = make_member(max_per_month=1, history=(HistoryEntry(date(2026, 4, 1), 1.0),))
    spans_april = make_request(
        sessions=(
            Session(at("2026-03-31T10:00"), at("2026-03-31T12:00")),
            Session(at("2026-04-14T10:00"), at("2026-04-14T12:00")),
        )
    )

    assert first_rule(member, spans_april) == "monthly_max"


def test_past_work_counts_once_in_each_month_of_its_sessions(make_member, make_request, at):
    course = HistoryEntry(
        date(2026, 3, 24),
        9.0,
        session_dates=(date(2026, 3, 24), date(2026, 4, 7), date(2026, 4, 14)),
    )
    member = make_member(max_per_month=2, history=(course,))
    in_april = make_request(sessions=(Session(at("2026-04-21T10:00"), at("2026-04-21T12:00")),))

    assert first_rule(member, in_april) is None  # one unit in April, not two
    assert violations(member, in_april) == []
    assert first_rule(replace(member, max_per_month=1), in_april) == "monthly_max"
    assert violations(replace(member, max_per_month=1), in_april) == ["monthly_max"]


def test_an_open_invitation_counts_toward_the_monthly_maximum(make_member, make_request, at):
    invited = Booking(at("2026-03-20T10:00"), at("2026-03-20T12:00"), "invitation:1", False)
    member = make_member(max_per_month=1, bookings=(invited,))
    same_month = make_request(sessions=(Session(at("2026-03-10T10:00"), at("2026-03-10T12:00")),))
    next_month = make_request(sessions=(Session(at("2026-04-10T10:00"), at("2026-04-10T12:00")),))

    assert (first_rule(member, same_month), first_rule(member, next_month)) == ("monthly_max", None)
    assert violations(member, same_month) == ["monthly_max"]


def test_weekly_window_uses_local_time_across_dst(make_member, make_request, at):
    # 29 March 2026 is the Sunday clocks go forward; 10-12 local is still 10-12 on the wall.
    sunday = make_member(weekly=(WeeklyWindow(6, time(9, 30), time(12, 30)),))
    request = make_request(sessions=(Session(at("2026-03-29T10:00"), at("2026-03-29T12:00")),))

    assert first_rule(sunday, request) is None
    assert request.sessions[0].hours == 2.0


def test_booking_overlap_is_compared_in_real_time_across_dst(make_member, make_request, at):
    # 25 October 2026 clocks go back at 03:00, so 02:10-02:50 happens twice, an hour apart.
    first_pass = Session(at("2026-10-25T02:10"), at("2026-10-25T02:50"))
    second_pass = Booking(first_pass.start.replace(fold=1), first_pass.end.replace(fold=1))
    all_sunday = (WeeklyWindow(6, time(0, 0), time(0, 0)),)  # end 00:00 = until midnight
    request = make_request(format="digital", sessions=(first_pass,))

    later = make_member(weekly=all_sunday, bookings=(second_pass,))
    same = make_member(weekly=all_sunday, bookings=(Booking(first_pass.start, first_pass.end),))

    assert first_rule(later, request) is None
    assert first_rule(same, request) == "already_booked"
    assert violations(later, request) == []


def test_first_failing_rule_is_reported(make_member, make_request):
    both = make_member(active=False, formats=("digital",))
    proposal = propose(PoolIndex([both]), make_request())

    assert proposal.excluded["m1"].rule == "inactive"
    assert proposal.excluded["m1"].reason.text("sv") == "inte aktiv i poolen"
    assert proposal.excluded["m1"].reason.text("en") == "not active in the pool"
    assert violations(both, make_request()) == ["inactive", "format"]


def test_vectorised_rules_agree_with_reference_on_example_pool():
    from pathlib import Path

    from matching.io import load_json, parse_pool, parse_stream

    root = Path(__file__).resolve().parents[3] / "examples"
    members = parse_pool(load_json(root / "pool.json"))
    requests = parse_stream(load_json(root / "stream.json"))[:60]
    index = PoolIndex(members)

    for request in requests:
        codes = exclusion_codes(index, request)
        expected = [violations(m, request) for m in members]
        got = [[] if c == 0 else [RULES[c - 1]] for c in codes]
        assert got == [v[:1] for v in expected]


def test_session_hours_are_real_hours_across_dst(at):
    spring = Session(at("2026-03-29T01:00"), at("2026-03-29T04:00"))
    autumn = Session(at("2026-10-25T01:00"), at("2026-10-25T04:00"))

    assert (spring.hours, autumn.hours) == (2.0, 4.0)


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        ("Asia/Tokyo", None),
        ("America/New_York", "unavailable"),
        ("Europe/Stockholm", "unavailable"),
    ],
)
def test_weekly_window_is_read_in_the_zone_the_session_carries(
    make_member, make_request, zone, expected
):
    # The same instant, Tuesday 10 March 2026 01:00 UTC, is 10:00 in Tokyo, 02:00 in Stockholm
    # and Monday 21:00 in New York; the member is free on Tuesdays 09-12 local time.
    tuesday_morning = make_member(weekly=(WeeklyWindow(1, time(9, 0), time(12, 0)),))
    start = datetime(2026, 3, 10, 1, 0, tzinfo=UTC).astimezone(ZoneInfo(zone))
    request = make_request(format="digital", sessions=(Session(start, start + timedelta(hours=1)),))

    assert first_rule(tuesday_morning, request) == expected


def test_a_bare_utc_offset_is_read_in_stockholm(make_member, make_request):
    tuesday_morning = make_member(weekly=(WeeklyWindow(1, time(9, 0), time(12, 0)),))
    start = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)  # 10:00 in Stockholm
    request = make_request(format="digital", sessions=(Session(start, start + timedelta(hours=1)),))

    assert first_rule(tuesday_morning, request) is None
