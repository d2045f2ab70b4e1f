from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar

from app.models.enums import Role
from tests.conftest import PUBLIC_BASE_URL
from tests.pool_support import signed_in_member


@pytest.fixture
def booked_member(csrf_free_app, factory):
    client, _user, member = signed_in_member(csrf_free_app, factory, calendar_token="t" * 40)
    orderer = factory.user(Role.ORDERER)
    booking_request = factory.booking_request(
        orderer, status="booked", title="Utbildning ST-läkare"
    )
    declined = factory.booking_request(orderer, status="booked", title="Inte min")
    factory.assignment(member, booking_request)
    factory.assignment(member, declined, status="withdrawn")
    return client, member


def test_valid_token_gives_the_members_booked_sessions(booked_member):
    client, member = booked_member

    response = client.application.test_client().get(f"/calendar/{member.calendar_token}.ics")

    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    events = Calendar.from_ical(response.data).walk("VEVENT")
    assert [str(event["SUMMARY"]) for event in events] == ["Utbildning ST-läkare"]
    start = events[0].decoded("DTSTART")
    assert start.tzinfo is not None and start > datetime.now(UTC) + timedelta(days=13)


def test_new_token_makes_the_old_url_404(booked_member):
    client, member = booked_member
    old = member.calendar_token

    rotated = client.post("/me/calendar/token")
    page = client.get("/me/calendar/").get_data(as_text=True)
    anonymous = client.application.test_client()

    assert rotated.status_code == 302
    assert anonymous.get(f"/calendar/{old}.ics").status_code == 404
    new = page.split('id="feed-url" readonly value="', 1)[1].split('"', 1)[0]
    assert new.startswith(PUBLIC_BASE_URL + "/calendar/") and old not in new
    assert anonymous.get(new.removeprefix(PUBLIC_BASE_URL)).status_code == 200


@pytest.mark.parametrize(
    "path", ["/calendar/.ics", "/calendar/nope.ics", "/calendar/" + "x" * 40 + ".ics", "/calendar/"]
)
def test_missing_or_unknown_token_is_404(booked_member, path):
    client, _ = booked_member

    assert client.application.test_client().get(path).status_code == 404


def test_member_without_token_gets_one_on_the_calendar_page(csrf_free_app, factory, db_session):
    client, _user, member = signed_in_member(csrf_free_app, factory)

    client.get("/me/calendar/")

    db_session.expire_all()
    token = db_session.get(type(member), member.id).calendar_token
    assert token and len(token) >= 40
