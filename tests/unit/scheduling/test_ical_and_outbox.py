from datetime import UTC, datetime, timedelta

from icalendar import Calendar

from scheduling.ical import FeedEvent, build_feed

START = datetime(2026, 3, 29, 8, 0, tzinfo=UTC)


def test_feed_has_one_event_per_session_in_utc():
    events = [
        FeedEvent(
            uid="a@x",
            start=START,
            end=START + timedelta(hours=2),
            summary="Föreläsning",
            sequence=2,
        )
    ]

    feed = Calendar.from_ical(build_feed(events, name="Levande bibliotek", stamp=START))

    [event] = feed.walk("VEVENT")
    assert (str(event["UID"]), str(event["SUMMARY"]), int(event["SEQUENCE"])) == (
        "a@x",
        "Föreläsning",
        2,
    )
    assert event.decoded("DTSTART") == START
    assert event.decoded("DTEND") == START + timedelta(hours=2)
