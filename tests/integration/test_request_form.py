from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import func, select

from app.models import BookingRequest, RequestArea, RequestSession
from app.models.enums import Role
from tests.clock_support import STOCKHOLM, local_today
from tests.conftest import login


@pytest.fixture
def orderer_client(csrf_free_app, factory):
    orderer = factory.user(Role.ORDERER)
    client = csrf_free_app.test_client()
    login(client, orderer.email)
    return client, orderer


def valid_form(area_id: int, day: date | None = None) -> dict:
    day = day or local_today() + timedelta(days=30)
    return {
        "title": "Undervisning om psykos",
        "purpose": "Läkare behöver höra hur vården upplevs.",
        "expectations": "Berätta om din väg genom vården.",
        "participation": "consultation",
        "assignment_type": "education",
        "area_ids": [str(area_id)],
        "experience": "own",
        "people_count": "2",
        "sessions-0-day": day.isoformat(),
        "sessions-0-start": "13:00",
        "sessions-0-end": "15:00",
        "format": "onsite",
        "location": "Ryhov, Jönköping",
        "language": "sv",
        "preparation_minutes": "30",
        "contact_name": "Olle",
    }


def count(db_session, model) -> int:
    return db_session.exec(select(func.count()).select_from(model)).one()


def test_valid_request_is_stored_with_areas_and_sessions(orderer_client, factory, db_session):
    client, orderer = orderer_client
    area = factory.area("psychiatry/psychosis")
    day = local_today() + timedelta(days=30)

    response = client.post("/orders/new", data=valid_form(area.id, day))

    assert response.status_code == 302
    stored = db_session.exec(select(BookingRequest)).one()
    assert (stored.title, stored.people_count, stored.status) == (
        "Undervisning om psykos",
        2,
        "submitted",
    )
    assert stored.organisation_id == orderer.organisation_id
    assert [ra.area_id for ra in db_session.exec(select(RequestArea))] == [area.id]
    session_row = db_session.exec(select(RequestSession)).one()
    assert session_row.starts_at == datetime.combine(
        day, time(13), tzinfo=ZoneInfo("Europe/Stockholm")
    )
    assert (session_row.ends_at - session_row.starts_at) == timedelta(hours=2)


@pytest.mark.parametrize(
    ("change", "field_id", "message_en"),
    [
        ({"people_count": "0"}, "people_count", "Number must be between 1 and 50."),
        ({"sessions-0-end": "12:00"}, "sessions-0-end", "A session must end after it starts."),
        ({"title": ""}, "title", "This field is required."),
        ({"location": ""}, "location", "An on-site request needs an address."),
        ({"area_ids": ["999999"]}, "area_ids", None),
        ({"sessions-0-day": "2020-01-01"}, "sessions", "Sessions must lie in the future."),
        (
            {"sessions-0-day": "", "sessions-0-start": "", "sessions-0-end": ""},
            "sessions",
            "Add at least one session.",
        ),
        ({"participation": "total_control"}, "participation", "Not a valid choice."),
        (
            {"age_min": "70", "age_max": "30"},
            "age_max",
            "The highest age must not be below the lowest age.",
        ),
        ({"people_count": "two"}, "people_count", "Not a valid integer value."),
    ],
)
def test_bad_input_is_shown_next_to_the_field_and_nothing_is_saved(
    orderer_client, factory, db_session, change, field_id, message_en
):
    client, _ = orderer_client
    area = factory.area("cancer")
    client.post("/language/en", data={})
    form = {**valid_form(area.id), **change}

    response = client.post("/orders/new", data=form)

    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="{field_id}-error"' in html or (field_id == "sessions" and "error-summary" in html)
    if message_en:
        assert message_en in html
    assert count(db_session, BookingRequest) == 0
    assert count(db_session, RequestSession) == 0


def test_garbage_session_time_gives_422_not_500(orderer_client, factory):
    client, _ = orderer_client
    area = factory.area("cancer")

    response = client.post("/orders/new", data={**valid_form(area.id), "sessions-0-start": "25:99"})

    assert response.status_code == 422


def test_multiple_sessions_are_stored_in_time_order(orderer_client, factory, db_session):
    client, _ = orderer_client
    area = factory.area("cancer")
    later = local_today() + timedelta(days=60)
    form = {
        **valid_form(area.id),
        "sessions-1-day": later.isoformat(),
        "sessions-1-start": "09:00",
        "sessions-1-end": "10:00",
    }

    assert client.post("/orders/new", data=form).status_code == 302

    stored = db_session.exec(select(RequestSession).order_by(RequestSession.starts_at)).all()
    assert [s.starts_at.astimezone(STOCKHOLM).date() for s in stored] == [
        local_today() + timedelta(days=30),
        later,
    ]


def test_orderer_list_shows_only_own_organisation_requests(orderer_client, factory):
    client, orderer = orderer_client
    factory.booking_request(orderer, title="Ours")
    factory.booking_request(factory.user(Role.ORDERER), title="Theirs")

    html = client.get("/orders/").get_data(as_text=True)

    assert "Ours" in html
    assert "Theirs" not in html


def test_benefits_note_is_for_members_not_on_the_orderers_request_form(
    orderer_client, app, factory
):
    from tests.pool_support import signed_in_member

    client, _ = orderer_client
    member_client, _, _ = signed_in_member(app, factory)

    form = client.get("/orders/new")
    claims = member_client.get("/compensation/")

    assert form.status_code == 200
    assert 'id="cost-estimate"' in form.get_data(as_text=True)
    assert "fk-note" not in form.get_data(as_text=True)
    assert claims.status_code == 200
    assert 'class="note fk-note"' in claims.get_data(as_text=True)
