from datetime import UTC, datetime, timedelta
from email import message_from_bytes

from icalendar import Calendar

from scheduling.ical import FeedEvent, build_feed
from scheduling.outbox import MailSettings, deliver_queued, discard_queued, queue_mail

START = datetime(2026, 3, 29, 8, 0, tzinfo=UTC)


class FakeSession:
    def __init__(self):
        self.info = {}


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


def test_queued_mail_is_written_as_eml_only_when_delivered(tmp_path):
    session = FakeSession()
    settings = MailSettings(outbox=tmp_path / "outbox", sender="from@example.org")

    queue_mail(session, to="to@example.org", subject="Hej", body="Åäö")
    assert not (tmp_path / "outbox").exists()
    [path] = deliver_queued(session, settings)

    message = message_from_bytes(path.read_bytes())
    assert (message["To"], message["Subject"]) == ("to@example.org", "Hej")
    assert message.get_payload(decode=True).decode() == "Åäö\n"
    assert deliver_queued(session, settings) == []


def test_discarded_mail_is_never_sent(tmp_path):
    session = FakeSession()
    queue_mail(session, to="to@example.org", subject="Hej", body="x")

    discard_queued(session)

    assert deliver_queued(session, MailSettings(outbox=tmp_path, sender="f@example.org")) == []
