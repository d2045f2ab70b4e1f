"""Build iCalendar (RFC 5545) feeds from plain event values (pure; icalendar library)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from icalendar import Calendar, Event

PRODID = "-//Levande bibliotek//Bookings//SV"


@dataclass(frozen=True)
class FeedEvent:
    """One event of a feed; times are aware and written in UTC."""

    uid: str
    start: datetime
    end: datetime
    summary: str
    location: str = ""
    description: str = ""
    sequence: int = 0


def build_feed(events: Iterable[FeedEvent], *, name: str, stamp: datetime) -> bytes:
    """Return an iCalendar document with one VEVENT per event."""
    feed = Calendar()
    feed.add("prodid", PRODID)
    feed.add("version", "2.0")
    feed.add("calscale", "GREGORIAN")
    feed.add("method", "PUBLISH")
    feed.add("x-wr-calname", name)
    for item in events:
        feed.add_component(_event(item, stamp))
    return feed.to_ical()


def _event(item: FeedEvent, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", item.uid)
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("dtstart", item.start.astimezone(UTC))
    event.add("dtend", item.end.astimezone(UTC))
    event.add("summary", item.summary)
    event.add("sequence", item.sequence)
    if item.location:
        event.add("location", item.location)
    if item.description:
        event.add("description", item.description)
    return event
