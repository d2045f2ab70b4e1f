"""The service's one clock: the configured time zone, and now and today in it.

``create_app`` calls ``configure`` with the TIMEZONE setting. "Now" is read from the system
clock at every call (never cached), so ``time_machine.travel`` moves everything that asks.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

DEFAULT_ZONE_NAME = "Europe/Stockholm"

_configured = {"zone": ZoneInfo(DEFAULT_ZONE_NAME)}


def configure(zone_name: str) -> None:
    """Use the IANA zone ``zone_name`` (e.g. "Europe/Stockholm") for local dates and times."""
    _configured["zone"] = ZoneInfo(zone_name)


def zone() -> ZoneInfo:
    """Return the configured time zone."""
    return _configured["zone"]


def now() -> datetime:
    """Return the current moment, timezone-aware in UTC."""
    return datetime.now(UTC)


def today() -> date:
    """Return the current date in the configured zone."""
    return local(now()).date()


def local(moment: datetime) -> datetime:
    """Return an aware moment as wall-clock time in the configured zone."""
    if moment.tzinfo is None:
        raise ValueError("A naive datetime has no place on the clock; attach a timezone.")
    return moment.astimezone(zone())
