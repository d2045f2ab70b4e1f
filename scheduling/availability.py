"""Pure interval maths for availability: weekly wall-clock windows, dated periods, DST-safe.

Weekly windows are local wall-clock times (e.g. Sunday 10:00–12:00 Europe/Stockholm). They are
turned into aware instants one local date at a time with ``zoneinfo``, so a window keeps its
wall-clock hours across the daylight-saving switch (its UTC offset changes instead). No Flask,
no database: plain values in, plain values out.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

MINUTES_PER_DAY = 24 * 60


@dataclass(frozen=True)
class Window:
    """A weekly window: weekday 0 = Monday, local start and end times (end after start)."""

    weekday: int
    start: time
    end: time
    id: int | None = None


@dataclass(frozen=True)
class Period:
    """A dated period, both dates inclusive (local dates)."""

    start: date
    end: date
    id: int | None = None


def ranges_overlap(a_start, a_end, b_start, b_end) -> bool:
    """Return True when half-open ranges [a_start, a_end) and [b_start, b_end) share a moment."""
    return a_start < b_end and b_start < a_end


def window_problem(window: Window, others: Iterable[Window]) -> str | None:
    """Return why a window cannot be stored next to ``others`` ("inverted"/"overlap"), or None."""
    if not 0 <= window.weekday <= 6:
        return "weekday"
    if window.end <= window.start:
        return "inverted"
    for other in others:
        if other.id is not None and other.id == window.id:
            continue
        if other.weekday == window.weekday and ranges_overlap(
            window.start, window.end, other.start, other.end
        ):
            return "overlap"
    return None


def period_problem(period: Period, others: Iterable[Period]) -> str | None:
    """Return why a period cannot be stored next to ``others`` ("inverted"/"overlap"), or None."""
    if period.end < period.start:
        return "inverted"
    for other in others:
        if other.id is not None and other.id == period.id:
            continue
        if period.start <= other.end and other.start <= period.end:
            return "overlap"
    return None


def local_instant(day: date, clock: time, zone: ZoneInfo) -> datetime:
    """Return, in UTC, the instant of a local wall-clock time (a time in the spring gap moves on).

    UTC, because Python compares and subtracts datetimes sharing one tzinfo by wall clock,
    which is wrong across the switch; a non-existent wall time (02:30 on the spring-forward
    night) is read with the offset before the switch, i.e. the instant shown as 03:30.
    """
    return datetime.combine(day, clock).replace(tzinfo=zone).astimezone(UTC)


def days(start: date, end: date) -> Iterator[date]:
    """Yield every date from ``start`` to ``end`` inclusive."""
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)


def window_occurrences(
    windows: Iterable[Window], start: date, end: date, zone: ZoneInfo
) -> list[tuple[datetime, datetime, Window]]:
    """Return each window's (start, end) in UTC on every matching local date in [start, end]."""
    by_weekday: dict[int, list[Window]] = {}
    for window in windows:
        by_weekday.setdefault(window.weekday, []).append(window)
    result = []
    for day in days(start, end):
        for window in sorted(by_weekday.get(day.weekday(), []), key=lambda w: w.start):
            begins = local_instant(day, window.start, zone)
            ends = local_instant(day, window.end, zone)
            result.append((begins, ends, window))
    return result


def local_dates(start: datetime, end: datetime, zone: ZoneInfo) -> tuple[date, date]:
    """Return the first and last local dates an aware interval touches."""
    last = (end - timedelta(microseconds=1)) if end > start else end
    return start.astimezone(zone).date(), last.astimezone(zone).date()


def period_covers(period: Period, start: datetime, end: datetime, zone: ZoneInfo) -> bool:
    """Return True when a dated period touches any local date of an aware interval."""
    first, last = local_dates(start, end, zone)
    return period.start <= last and first <= period.end


def is_within_windows(
    windows: Iterable[Window], start: datetime, end: datetime, zone: ZoneInfo
) -> bool:
    """Return True when an aware interval lies inside one weekly window on its local date."""
    day = start.astimezone(zone).date()
    for begins, ends, _ in window_occurrences(windows, day, day, zone):
        if begins <= start and end <= ends:
            return True
    return False


def is_available(
    windows: Iterable[Window],
    blocked: Iterable[Period],
    start: datetime,
    end: datetime,
    zone: ZoneInfo,
) -> bool:
    """Return True when the interval fits a weekly window and touches no blocked period."""
    if any(period_covers(period, start, end, zone) for period in blocked):
        return False
    return is_within_windows(windows, start, end, zone)


def minutes_into_day(moment: datetime, day: date, zone: ZoneInfo) -> int:
    """Return wall-clock minutes since local midnight of ``day``, clamped to [0, 1440]."""
    local = moment.astimezone(zone)
    if local.date() < day:
        return 0
    if local.date() > day:
        return MINUTES_PER_DAY
    return local.hour * 60 + local.minute


def week_of(day: date) -> list[date]:
    """Return the Monday-to-Sunday dates of the week containing ``day``."""
    monday = day - timedelta(days=day.weekday())
    return [monday + timedelta(days=offset) for offset in range(7)]


def month_weeks(year: int, month: int) -> list[list[date]]:
    """Return the Monday-first weeks covering a month (with days of adjacent months)."""
    return calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)


def shift_month(day: date, months: int) -> date:
    """Return the first day of the month ``months`` away from ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)
