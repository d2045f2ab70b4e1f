"""The invitation mail, sent through a real SMTP server and read back by two calendar parsers."""

from datetime import UTC

import pytest
from icalendar import Calendar

from app.mail.context import MailContext
from app.mail.outbox import MailSettings, deliver_queued
from app.services.booking.decisions import approve_group
from tests.booking_support import booking_setting
from tests.icaljs import parse_with_icaljs
from tests.smtp_support import smtp_server

CTX = MailContext(council_mailbox="radet@region.example", base_url="https://levbib.example")


@pytest.fixture
def delivered(factory, db_session, tmp_path):
    """Approve a group of two and deliver the invitations through SMTP on loopback."""
    request, row, members, _, council = booking_setting(factory, db_session)
    approve_group(
        session=db_session,
        booking_request=request,
        member_ids=[members[0].id, members[1].id],
        actor=council,
        ctx=CTX,
    )
    with smtp_server() as (port, received):
        settings = MailSettings(
            outbox=tmp_path, sender="bokning@region.example", server="127.0.0.1", port=port
        )
        deliver_queued(db_session, settings)
    return row, members, received


def _parts(message):
    return [part.get_content_type() for part in message.walk()]


def test_invitation_is_text_plus_calendar_plus_ics(delivered):
    _, _, received = delivered
    message = received[0]

    assert _parts(message) == [
        "multipart/mixed",
        "multipart/alternative",
        "text/plain",
        "text/calendar",
        "application/ics",
    ]
    calendar_part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    assert calendar_part.get_param("method") == "REQUEST"
    body = message.get_body(("plain",)).get_content()
    assert "https://levbib.example/invitations/" in body
    assert "calendar.google.com" in body
    assert "Kim Kontakt" in body


def test_both_parsers_read_the_session_and_the_attendee(delivered):
    row, members, received = delivered
    ics = next(p for p in received[0].walk() if p.get_content_type() == "text/calendar")
    text = ics.get_content()

    event = Calendar.from_ical(text).walk("VEVENT")[0]
    read = parse_with_icaljs(text)

    assert [str(m["To"]) for m in received] == [members[0].email, members[1].email]
    assert (str(event["uid"]), event["dtstart"].dt.astimezone(UTC)) == (row.ical_uid, row.starts_at)
    assert str(event["attendee"]) == f"mailto:{members[0].email}"
    assert "https://meet.example/abc" == str(event["location"])
    assert read["method"] == "REQUEST"
    assert [(e["uid"], e["sequence"], e["start"]) for e in read["events"]] == [
        (row.ical_uid, 0, row.starts_at.strftime("%Y-%m-%dT%H:%M:%S.000Z"))
    ]
    assert read["events"][0]["attendees"][0]["address"] == f"mailto:{members[0].email}"
    assert read["events"][0]["organizer"] == "mailto:radet@region.example"
