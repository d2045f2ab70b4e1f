"""The service's one clock: now in UTC at every call, today and local time in the configured zone."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pytest
import time_machine

from app import clock

NEW_YEARS_EVE = datetime(2026, 12, 31, 20, 0, tzinfo=UTC)


def test_now_is_aware_utc_and_read_at_every_call():
    with time_machine.travel(NEW_YEARS_EVE, tick=False):
        first = clock.now()
    with time_machine.travel(datetime(2027, 7, 1, 6, 30, tzinfo=UTC), tick=False):
        second = clock.now()

    assert (first, first.tzinfo) == (NEW_YEARS_EVE, UTC)
    assert second == datetime(2027, 7, 1, 6, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone_name", "day", "wall_clock"),
    [
        ("Europe/Stockholm", date(2026, 12, 31), "21:00"),
        ("Asia/Tokyo", date(2027, 1, 1), "05:00"),
        ("America/New_York", date(2026, 12, 31), "15:00"),
    ],
)
def test_today_and_local_time_follow_the_configured_zone(zone_name, day, wall_clock):
    clock.configure(zone_name)

    with time_machine.travel(NEW_YEARS_EVE, tick=False):
        today, local = clock.today(), clock.local(clock.now())

    assert (clock.zone(), today, f"{local:%H:%M}") == (ZoneInfo(zone_name), day, wall_clock)


def test_a_naive_datetime_has_no_local_time():
    with pytest.raises(ValueError, match="naive"):
        clock.local(datetime(2026, 12, 31, 20, 0))


def test_an_unknown_zone_is_refused_and_the_zone_is_kept():
    clock.configure("Asia/Tokyo")

    with pytest.raises(ZoneInfoNotFoundError):
        clock.configure("Mars/Olympus_Mons")

    assert clock.zone() == ZoneInfo("Asia/Tokyo")
