"""Calendar invitations read the same by icalendar and by Mozilla's ical.js."""

from datetime import UTC, datetime

import pytest
from icalendar import Calendar

from scheduling.invitations_ical import (
    InvitationEvent,
    Party,
    build_invitation,
    google_calendar_link,
)
from tests.icaljs import parse_with_icaljs

STAMP = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
WINTER = InvitationEvent(
    uid="a1@levande-bibliotek",
    start=datetime(2026, 12, 1, 9, 0, tzinfo=UTC),
    end=datetime(2026, 12, 1, 11, 0, tzinfo=UTC),
    sequence=0,
    summary="Utbildning",
    description="Syfte: patientperspektiv\n\nKontaktperson: Kim",
    location="Storgatan 1",
)
SUMMER = InvitationEvent(
    uid="a2@levande-bibliotek",
    start=datetime(2027, 6, 1, 7, 0, tzinfo=UTC),
    end=datetime(2027, 6, 1, 8, 30, tzinfo=UTC),
    sequence=2,
    summary="Utbildning",
    description="Syfte",
    url="https://meet.example/abc",
)
ORGANIZER = Party("radet@region.example", "Rådet")
ATTENDEE = Party("anna@example.org", "Anna Andersson")


def _build(method="REQUEST"):
    return build_invitation(
        [WINTER, SUMMER], organizer=ORGANIZER, attendee=ATTENDEE, stamp=STAMP, method=method
    )


def test_request_has_timezone_rsvp_and_stable_uids():
    calendar = Calendar.from_ical(_build())
    events = calendar.walk("VEVENT")

    assert str(calendar["method"]) == "REQUEST"
    assert [str(zone["tzid"]) for zone in calendar.walk("VTIMEZONE")] == ["Europe/Stockholm"]
    assert [str(e["uid"]) for e in events] == [WINTER.uid, SUMMER.uid]
    assert [e["dtstart"].dt.astimezone(UTC) for e in events] == [WINTER.start, SUMMER.start]
    assert events[0]["dtstart"].params["TZID"] == "Europe/Stockholm"
    assert [int(e["sequence"]) for e in events] == [0, 2]
    assert str(events[0]["organizer"]) == "mailto:radet@region.example"
    assert events[0]["attendee"].params["RSVP"] == "TRUE"
    assert events[0]["dtstamp"].dt == STAMP


@pytest.mark.parametrize("method", ["REQUEST", "CANCEL"])
def test_icaljs_reads_the_same_values(method):
    read = parse_with_icaljs(_build(method))

    assert read["method"] == method
    assert [(e["uid"], e["start"], e["end"], e["sequence"], e["tzid"]) for e in read["events"]] == [
        (WINTER.uid, "2026-12-01T09:00:00.000Z", "2026-12-01T11:00:00.000Z", 0, "Europe/Stockholm"),
        (SUMMER.uid, "2027-06-01T07:00:00.000Z", "2027-06-01T08:30:00.000Z", 2, "Europe/Stockholm"),
    ]
    assert read["events"][0]["attendees"] == [
        {"address": "mailto:anna@example.org", "rsvp": "TRUE", "partstat": "NEEDS-ACTION"}
    ]
    assert read["events"][0]["status"] == ("CANCELLED" if method == "CANCEL" else "CONFIRMED")


def test_unknown_method_is_refused():
    with pytest.raises(ValueError):
        _build("PUBLISH")


def test_google_link_carries_utc_times():
    assert "dates=20261201T090000Z%2F20261201T110000Z" in google_calendar_link(WINTER)
