"""Build iCalendar invitations (METHOD:REQUEST / METHOD:CANCEL) for a request's sessions (pure)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import (
    Calendar,
    Event,
    Timezone,
    TimezoneDaylight,
    TimezoneStandard,
    vCalAddress,
    vText,
)

from scheduling.ical import PRODID

ZONE_NAME = "Europe/Stockholm"


@dataclass(frozen=True)
class InvitationEvent:
    """One session of an invitation; times are aware."""

    uid: str
    start: datetime
    end: datetime
    sequence: int
    summary: str
    description: str
    location: str = ""
    url: str = ""


@dataclass(frozen=True)
class Party:
    """An organizer or attendee: e-mail address and display name."""

    email: str
    name: str = ""


def build_invitation(
    events: Iterable[InvitationEvent],
    *,
    organizer: Party,
    attendee: Party,
    stamp: datetime,
    method: str = "REQUEST",
) -> bytes:
    """Return an iTIP calendar (REQUEST or CANCEL) with one VEVENT per session."""
    if method not in ("REQUEST", "CANCEL"):
        raise ValueError(f"Unsupported iTIP method {method}")
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    calendar.add_component(stockholm_timezone())
    zone = ZoneInfo(ZONE_NAME)
    for item in events:
        calendar.add_component(_event(item, organizer, attendee, stamp, method, zone))
    return calendar.to_ical()


def stockholm_timezone() -> Timezone:
    """Return Europe/Stockholm as a rule-based VTIMEZONE (as tzurl.org and Outlook write it).

    icalendar's generated zone lists every transition as RDATEs up to 2037; Mozilla's ical.js
    misreads that list for summer time, so the yearly rules are written out instead.
    """
    zone = Timezone()
    zone.add("tzid", ZONE_NAME)
    for kind, name, start, month, offsets in (
        (TimezoneDaylight, "CEST", datetime(1970, 3, 29, 2), 3, ("+0100", "+0200")),
        (TimezoneStandard, "CET", datetime(1970, 10, 25, 3), 10, ("+0200", "+0100")),
    ):
        part = kind()
        part.add("tzname", name)
        part.add("dtstart", start)
        part.add("rrule", {"freq": "yearly", "bymonth": month, "byday": "-1su"})
        part.add("tzoffsetfrom", _offset(offsets[0]))
        part.add("tzoffsetto", _offset(offsets[1]))
        zone.add_component(part)
    return zone


def _offset(text: str) -> timedelta:
    return timedelta(hours=int(text[1:3])) * (-1 if text[0] == "-" else 1)


def _event(
    item: InvitationEvent, organizer: Party, attendee: Party, stamp, method: str, zone
) -> Event:
    event = Event()
    event.add("uid", item.uid)
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("dtstart", item.start.astimezone(zone))
    event.add("dtend", item.end.astimezone(zone))
    event.add("sequence", item.sequence)
    event.add("summary", item.summary)
    event.add("description", item.description)
    if item.location:
        event.add("location", item.location)
    if item.url:
        event.add("url", item.url)
    event.add("organizer", _address(organizer, {}))
    status = "CANCELLED" if method == "CANCEL" else "CONFIRMED"
    event.add("status", status)
    params = {"ROLE": "REQ-PARTICIPANT", "PARTSTAT": "NEEDS-ACTION", "RSVP": "TRUE"}
    event.add("attendee", _address(attendee, params))
    return event


def _address(party: Party, params: dict) -> vCalAddress:
    address = vCalAddress(f"mailto:{party.email}")
    if party.name:
        address.params["CN"] = vText(party.name)
    for key, value in params.items():
        address.params[key] = value
    return address


def google_calendar_link(item: InvitationEvent) -> str:
    """Return an "add to Google Calendar" link for one session."""
    from urllib.parse import urlencode

    fmt = "%Y%m%dT%H%M%SZ"
    dates = f"{item.start.astimezone(UTC):{fmt}}/{item.end.astimezone(UTC):{fmt}}"
    query = {
        "action": "TEMPLATE",
        "text": item.summary,
        "dates": dates,
        "details": item.description,
        "location": item.location or item.url,
    }
    return "https://calendar.google.com/calendar/render?" + urlencode(query)


def outlook_calendar_link(item: InvitationEvent) -> str:
    """Return an "add to Outlook.com" link for one session."""
    from urllib.parse import urlencode

    query = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": item.summary,
        "startdt": item.start.astimezone(UTC).isoformat(),
        "enddt": item.end.astimezone(UTC).isoformat(),
        "body": item.description,
        "location": item.location or item.url,
    }
    return "https://outlook.office.com/calendar/0/deeplink/compose?" + urlencode(query)
