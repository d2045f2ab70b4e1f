"""Running tests on another day: the ``LEVBIB_TEST_DATE`` moment and the tricky days.

``LEVBIB_TEST_DATE`` (``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM[:SS][±HH:MM]``) makes the whole
session travel there with time-machine (the clock keeps ticking). A date alone means 12:00 in
Europe/Stockholm; a time without an offset is a Stockholm wall-clock time.

The tricky days are moments where date arithmetic tends to break: the last half hour of a year,
the first hours of the next, both daylight-saving switches of Europe/Stockholm, a leap day and a
Wednesday that ends a month. Each is given as a Stockholm wall-clock time whose UTC date is the
same local date, so a test sees one "today" whichever way it asks.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")
TEST_DATE_VARIABLE = "LEVBIB_TEST_DATE"
REAL_CLOCK_REASON = (
    f"runs other processes, which keep the machine's clock: skipped under {TEST_DATE_VARIABLE}"
)

#: id → Stockholm wall-clock moment. On both switch days "now" is before the switch (at 02:00
#: CET in March, 03:00 CEST in October), so the rest of the day and everything after it is in
#: the other offset; 02:30 in October is the first, summer-time, one (fold=0).
TRICKY_MOMENTS: dict[str, datetime] = {
    "new-years-eve": datetime(2026, 12, 31, 23, 30, tzinfo=STOCKHOLM),
    "new-years-day": datetime(2027, 1, 1, 1, 30, tzinfo=STOCKHOLM),
    "spring-forward": datetime(2027, 3, 28, 1, 30, tzinfo=STOCKHOLM),
    "fall-back": datetime(2027, 10, 31, 2, 30, fold=0, tzinfo=STOCKHOLM),
    "leap-day": datetime(2028, 2, 29, 12, 0, tzinfo=STOCKHOLM),
    "month-end-wednesday": datetime(2027, 3, 31, 23, 30, tzinfo=STOCKHOLM),
}


@dataclass(frozen=True)
class TrickyDay:
    """A tricky moment a test runs at: its name (the test id) and Stockholm wall-clock time."""

    name: str
    moment: datetime

    @property
    def today(self) -> date:
        """Stockholm's date at the moment (also the UTC date, by choice of the moments)."""
        return self.moment.date()


TRICKY_DAYS = [TrickyDay(name, moment) for name, moment in TRICKY_MOMENTS.items()]


def parse_test_moment(value: str) -> datetime:
    """Return the aware UTC instant named by a ``LEVBIB_TEST_DATE`` value."""
    value = value.strip()
    try:
        if len(value) == 10:
            moment = datetime.combine(date.fromisoformat(value), time(12), tzinfo=STOCKHOLM)
        else:
            moment = datetime.fromisoformat(value)
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=STOCKHOLM)
    except ValueError as error:
        raise ValueError(
            f"{TEST_DATE_VARIABLE}={value!r}: expected YYYY-MM-DD or YYYY-MM-DDTHH:MM"
        ) from error
    # Travel to a UTC instant: a ZoneInfo destination would also change the process's local
    # zone, hiding code that takes the machine's date (date.today()) for Stockholm's.
    return moment.astimezone(UTC)


def moment_from_environment() -> datetime | None:
    """Return the instant ``LEVBIB_TEST_DATE`` asks for, or None when it is not set."""
    value = os.environ.get(TEST_DATE_VARIABLE, "").strip()
    return parse_test_moment(value) if value else None


def local_now() -> datetime:
    """Return the (possibly travelled) current moment in Stockholm."""
    return datetime.now(UTC).astimezone(STOCKHOLM)


def local_today() -> date:
    """Return the (possibly travelled) current date in Stockholm."""
    return local_now().date()


def at_local(day: date, hour: int, minute: int = 0) -> datetime:
    """Return, in UTC, the instant of a Stockholm wall-clock time on ``day``."""
    return datetime.combine(day, time(hour, minute), tzinfo=STOCKHOLM).astimezone(UTC)


def local_days_ahead(days: int, hour: int = 10, minute: int = 0) -> datetime:
    """Return, in UTC, ``hour:minute`` Stockholm time ``days`` local dates from today.

    Unlike ``now + timedelta(days=...)`` this keeps the wall-clock time across a
    daylight-saving switch and never lands late in the evening, where a session would run past
    midnight.
    """
    return at_local(local_today() + timedelta(days=days), hour, minute)
