"""The council's feed of all bookings: secret address, first names only, read by two parsers."""

import pytest
from icalendar import Calendar
from sqlmodel import select

from app.mail.context import MailContext
from app.models import Invitation
from app.models.enums import Role
from app.services.booking.decisions import approve_group
from app.services.booking.invitations import accept_invitation
from tests.booking_support import booking_setting
from tests.conftest import PUBLIC_BASE_URL
from tests.icaljs import parse_with_icaljs
from tests.pool_support import signed_in

CTX = MailContext(council_mailbox="radet@region.example", base_url="https://levbib.example")


@pytest.fixture
def council_with_bookings(csrf_free_app, factory, db_session):
    """A council user, a request with one booked and one invited person, and an open request."""
    client, council = signed_in(csrf_free_app, factory, Role.COUNCIL)
    request, row, members, orderer, _ = booking_setting(factory, db_session)
    members[0].first_name, members[1].first_name = "Alva", "Bertil"
    approve_group(
        session=db_session,
        booking_request=request,
        member_ids=[members[0].id, members[1].id],
        actor=council,
        ctx=CTX,
    )
    first = next(i for i in _invitations(db_session, request) if i.member_id == members[0].id)
    accept_invitation(session=db_session, token=first.token, ctx=CTX)
    factory.booking_request(orderer, title="Not approved yet")
    return client, council, request, row


def _invitations(db_session, request):
    return db_session.exec(select(Invitation).where(Invitation.request_id == request.id)).all()


def _feed_url(client):
    page = client.get("/council/calendar").get_data(as_text=True)
    return page.split('id="feed-url" readonly value="', 1)[1].split('"', 1)[0]


def test_the_feed_lists_approved_sessions_with_first_names_only(council_with_bookings):
    client, _, request, row = council_with_bookings
    url = _feed_url(client).removeprefix(PUBLIC_BASE_URL)

    response = client.application.test_client().get(url)

    assert response.status_code == 200 and response.mimetype == "text/calendar"
    events = Calendar.from_ical(response.data).walk("VEVENT")
    read = parse_with_icaljs(response.data)["events"]
    assert [str(e["summary"]) for e in events] == ["Test request"]
    assert str(events[0]["uid"]) == read[0]["uid"] == f"council-{row.ical_uid}"
    assert events[0].decoded("dtstart") == row.starts_at
    assert read[0]["start"] == row.starts_at.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    assert read[0]["sequence"] == int(events[0]["sequence"]) == row.sequence
    description = str(events[0]["description"])
    assert "Kommer: Alva\nInbjudna som inte svarat än: Bertil\n" in description
    assert "Person0" not in description and "Person1" not in description  # no surnames
    assert "Cancer" not in description and "cancer" not in description  # no health data
    assert f"/council/requests/{request.id}" in description


def test_a_new_address_makes_the_old_one_404(council_with_bookings):
    client, _, _, _ = council_with_bookings
    old = _feed_url(client).removeprefix(PUBLIC_BASE_URL)

    rotated = client.post("/council/calendar/token", data={})
    new = _feed_url(client).removeprefix(PUBLIC_BASE_URL)
    anonymous = client.application.test_client()

    assert rotated.status_code == 302
    assert old != new
    assert anonymous.get(old).status_code == 404
    assert anonymous.get(new).status_code == 200


def test_a_members_feed_token_does_not_open_the_council_feed(csrf_free_app, factory):
    member = factory.member(calendar_token="m" * 40)
    client = csrf_free_app.test_client()

    assert client.get(f"/calendar/council/{member.calendar_token}.ics").status_code == 404
    assert client.get(f"/calendar/{member.calendar_token}.ics").status_code == 200


def test_a_disabled_council_users_feed_is_404(council_with_bookings, db_session):
    client, council, _, _ = council_with_bookings
    url = _feed_url(client).removeprefix(PUBLIC_BASE_URL)
    council.is_enabled = False
    db_session.flush()

    assert client.application.test_client().get(url).status_code == 404
