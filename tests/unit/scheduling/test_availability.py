from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from scheduling.availability import (
    Period,
    Window,
    is_available,
    local_instant,
    minutes_into_day,
    month_weeks,
    period_covers,
    period_problem,
    shift_month,
    week_of,
    window_occurrences,
    window_problem,
)

STOCKHOLM = ZoneInfo("Europe/Stockholm")
SUNDAY = 6
# Daylight-saving switches in 2026: last Sunday of March and of October.
SPRING = date(2026, 3, 29)
AUTUMN = date(2026, 10, 25)


def test_window_on_the_last_sunday_of_march_keeps_its_wall_clock_hours():
    window = Window(SUNDAY, time(10), time(12))

    occurrences = window_occurrences([window], SPRING - timedelta(days=7), SPRING, STOCKHOLM)

    in_utc = [
        (start.astimezone(UTC).hour, end.astimezone(UTC).hour) for start, end, _ in occurrences
    ]
    assert in_utc == [(9, 11), (8, 10)]  # CET (+1) the week before, CEST (+2) on the day
    assert [
        (s.astimezone(STOCKHOLM).hour, e.astimezone(STOCKHOLM).hour) for s, e, _ in occurrences
    ] == [
        (10, 12),
        (10, 12),
    ]


def test_window_on_the_last_sunday_of_october_keeps_its_wall_clock_hours():
    window = Window(SUNDAY, time(10), time(12))

    occurrences = window_occurrences([window], AUTUMN - timedelta(days=7), AUTUMN, STOCKHOLM)

    in_utc = [
        (start.astimezone(UTC).hour, end.astimezone(UTC).hour) for start, end, _ in occurrences
    ]
    assert in_utc == [(8, 10), (9, 11)]  # CEST the week before, CET on the day


def test_window_across_the_switch_night_has_the_real_length():
    window = Window(SUNDAY, time(1), time(4))

    [(spring_start, spring_end, _)] = window_occurrences([window], SPRING, SPRING, STOCKHOLM)
    [(autumn_start, autumn_end, _)] = window_occurrences([window], AUTUMN, AUTUMN, STOCKHOLM)

    assert spring_end - spring_start == timedelta(hours=2)  # 02:00–03:00 does not exist
    assert autumn_end - autumn_start == timedelta(hours=4)  # 02:00–03:00 happens twice


def test_a_time_in_the_spring_gap_moves_to_the_real_instant():
    moment = local_instant(SPRING, time(2, 30), STOCKHOLM).astimezone(STOCKHOLM)

    assert (moment.hour, moment.minute, moment.utcoffset()) == (3, 30, timedelta(hours=2))


def test_session_on_switch_sunday_is_available_inside_the_window():
    window = Window(SUNDAY, time(10), time(12))
    start = datetime(2026, 3, 29, 8, 30, tzinfo=UTC)  # 10:30 CEST

    assert is_available([window], [], start, start + timedelta(hours=1), STOCKHOLM) is True
    # An hour earlier in UTC is 09:30 local: before the window.
    assert is_available([window], [], start - timedelta(hours=1), start, STOCKHOLM) is False


def test_blocked_period_makes_a_session_unavailable_on_its_inclusive_dates():
    window = Window(SUNDAY, time(10), time(12))
    start = datetime(2026, 10, 25, 9, 30, tzinfo=UTC)  # 10:30 CET
    blocked = [Period(date(2026, 10, 20), date(2026, 10, 25))]

    assert is_available([window], blocked, start, start + timedelta(hours=1), STOCKHOLM) is False


@pytest.mark.parametrize(
    ("window", "expected"),
    [
        (Window(0, time(12), time(9)), "inverted"),
        (Window(0, time(9), time(9)), "inverted"),
        (Window(0, time(11), time(13)), "overlap"),
        (Window(0, time(8), time(17)), "overlap"),
        (Window(0, time(12), time(14)), None),  # touching is fine
        (Window(1, time(9), time(12)), None),
        (Window(7, time(9), time(12)), "weekday"),
    ],
)
def test_window_problems(window, expected):
    existing = [Window(0, time(9), time(12), id=1)]

    assert window_problem(window, existing) == expected


def test_editing_a_window_does_not_overlap_itself():
    existing = [Window(0, time(9), time(12), id=1)]

    assert window_problem(Window(0, time(9), time(13), id=1), existing) is None


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        (Period(date(2026, 7, 10), date(2026, 7, 1)), "inverted"),
        (Period(date(2026, 7, 5), date(2026, 7, 20)), "overlap"),
        (Period(date(2026, 7, 15), date(2026, 7, 15)), "overlap"),  # inclusive end
        (Period(date(2026, 7, 16), date(2026, 7, 20)), None),
    ],
)
def test_period_problems(period, expected):
    existing = [Period(date(2026, 7, 1), date(2026, 7, 15), id=3)]

    assert period_problem(period, existing) == expected


def test_period_covers_a_session_on_its_local_date_only():
    period = Period(date(2026, 3, 29), date(2026, 3, 29))
    late_evening = datetime(2026, 3, 28, 22, 30, tzinfo=UTC)  # 23:30 CET on the 28th

    assert (
        period_covers(period, late_evening, late_evening + timedelta(minutes=20), STOCKHOLM)
        is False
    )
    assert period_covers(period, late_evening, late_evening + timedelta(hours=1), STOCKHOLM) is True


def test_minutes_into_day_are_wall_clock_minutes():
    moment = datetime(2026, 3, 29, 8, 15, tzinfo=UTC)

    assert minutes_into_day(moment, SPRING, STOCKHOLM) == 10 * 60 + 15
    assert minutes_into_day(moment, SPRING + timedelta(days=1), STOCKHOLM) == 0
    assert minutes_into_day(moment, SPRING - timedelta(days=1), STOCKHOLM) == 24 * 60


def test_week_and_month_grids_start_on_monday():
    week = week_of(SPRING)
    weeks = month_weeks(2026, 3)

    assert (week[0], week[-1]) == (date(2026, 3, 23), SPRING)
    assert (weeks[0][0], weeks[-1][-1]) == (date(2026, 2, 23), date(2026, 4, 5))


@pytest.mark.parametrize(
    ("year", "month", "first", "last", "weeks"),
    [
        (2027, 2, date(2027, 2, 1), date(2027, 2, 28), 4),  # 28 days from a Monday
        (2027, 8, date(2027, 7, 26), date(2027, 9, 5), 6),  # 31 days from a Sunday
        (2027, 5, date(2027, 4, 26), date(2027, 6, 6), 6),  # 31 days from a Saturday
        (2028, 2, date(2028, 1, 31), date(2028, 3, 5), 5),  # leap year
        (2026, 12, date(2026, 11, 30), date(2027, 1, 3), 5),  # into the next year
        (2027, 1, date(2026, 12, 28), date(2027, 1, 31), 5),  # from the year before
    ],
)
def test_month_grid_is_whole_monday_first_weeks(year, month, first, last, weeks):
    grid = month_weeks(year, month)

    days = [day for week in grid for day in week]
    assert (len(grid), days[0], days[-1]) == (weeks, first, last)
    assert days == [first + timedelta(days=n) for n in range(7 * weeks)]
    assert {day.weekday() for day in days[::7]} == {0}


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 12, 31), 1, date(2027, 1, 1)),
        (date(2027, 1, 1), -1, date(2026, 12, 1)),
        (date(2027, 1, 31), 1, date(2027, 2, 1)),
        (date(2027, 3, 31), -1, date(2027, 2, 1)),
        (date(2028, 2, 29), 12, date(2029, 2, 1)),
        (date(2028, 2, 29), -24, date(2026, 2, 1)),
    ],
)
def test_shift_month_lands_on_the_first_across_year_ends_and_short_months(day, months, expected):
    assert shift_month(day, months) == expected
