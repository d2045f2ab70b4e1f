"""Body validation of the API and the request form: session length and overlaps, strict types,
and the size of a request body (413 as JSON for the API, a Swedish page for the web)."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import func, select

from app.models import BookingRequest
from app.models.enums import Role
from tests.api_support import api_as
from tests.clock_support import local_today
from tests.conftest import login
from tests.integration.test_api import _request_body
from tests.integration.test_request_form import valid_form


def _at(days: int, hour: int, minute: int = 0) -> str:
    moment = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return (moment + timedelta(days=days, hours=hour, minutes=minute)).isoformat()


def _session(days: int, start: int, end_days: int, end: int) -> dict:
    return {"starts_at": _at(days, start), "ends_at": _at(end_days, end)}


def _requests(db_session) -> int:
    return db_session.exec(select(func.count()).select_from(BookingRequest)).one()


@pytest.fixture
def orderer_api(app, factory):
    return api_as(app, factory, factory.user(Role.ORDERER)), factory.area("cancer").id


@pytest.mark.parametrize(
    ("sessions", "message"),
    [
        ([_session(20, 9, 20 + 3650, 9)], "A session may last at most 12 hours."),
        (
            [
                _session(
                    20,
                    8,
                    20,
                    20,
                )
            ],
            None,
        ),  # exactly 12 hours is allowed
        ([_session(20, 8, 20, 21)], "A session may last at most 12 hours."),
        ([_session(20, 11, 20, 9)], "A session must end after it starts."),
        ([_session(20, 9, 20, 9)], "A session must end after it starts."),
        ([_session(20, 9, 20, 11)] * 20, "Sessions must not overlap or repeat one another."),
        (
            [_session(20, 9, 20, 11), _session(20, 10, 20, 12)],
            "Sessions must not overlap or repeat one another.",
        ),
        ([_session(20, 9, 20, 11), _session(20, 11, 20, 12)], None),  # back to back is fine
    ],
)
def test_api_refuses_long_backwards_and_overlapping_sessions(
    orderer_api, db_session, sessions, message
):
    api, area_id = orderer_api
    before = _requests(db_session)

    response = api.post("/api/v1/requests", json=_request_body(area_id, sessions=sessions))

    if message is None:
        assert response.status_code == 201
        assert _requests(db_session) == before + 1
    else:
        assert response.status_code == 422
        assert response.get_json()["fields"] == {"sessions": message}
        assert _requests(db_session) == before


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("people_count", True),
        ("people_count", "2"),
        ("people_count", 2.0),
        ("people_count", 2.5),
        ("preparation_minutes", "30"),
        ("preparation_minutes", False),
        ("age_min", "18"),
        ("age_max", True),
        ("is_open_information_meeting", "true"),
        ("is_open_information_meeting", 1),
        ("area_ids", ["1"]),
        ("area_ids", [True]),
    ],
)
def test_api_refuses_booleans_strings_and_floats_for_numbers(orderer_api, db_session, field, value):
    api, area_id = orderer_api

    response = api.post("/api/v1/requests", json=_request_body(area_id, **{field: value}))

    assert response.status_code == 422
    assert any(name.startswith(field) for name in response.get_json()["fields"])
    assert _requests(db_session) == 0


def test_api_strict_types_elsewhere(app, factory):
    member_user = factory.user(Role.MEMBER)
    factory.member(user=member_user)
    api = api_as(app, factory, member_user)

    window = api.post(
        "/api/v1/me/availability/windows",
        json={"weekday": "1", "start_time": "09:00", "end_time": "12:00"},
    )
    period = api.post(
        "/api/v1/me/availability/periods",
        json={
            "start_date": (local_today() + timedelta(days=40)).isoformat(),
            "end_date": (local_today() + timedelta(days=41)).isoformat(),
            "confirm_withdraw": "yes",
        },
    )

    assert (window.status_code, set(window.get_json()["fields"])) == (422, {"weekday"})
    assert (period.status_code, set(period.get_json()["fields"])) == (422, {"confirm_withdraw"})


def test_a_valid_request_still_passes(orderer_api):
    api, area_id = orderer_api

    response = api.post("/api/v1/requests", json=_request_body(area_id, people_count=3))

    assert response.status_code == 201
    assert response.get_json()["people_count"] == 3


def test_api_body_over_the_limit_is_413_json_without_parsing(orderer_api, app, db_session):
    api, area_id = orderer_api
    body = _request_body(area_id, purpose="x" * (20 * 1024 * 1024))
    raw = json.dumps(body)

    started = time.monotonic()
    response = api.client.post(
        "/api/v1/requests",
        data=raw,
        headers={**api.headers, "Content-Type": "application/json"},
    )
    elapsed = time.monotonic() - started

    assert response.status_code == 413
    assert response.get_json()["error"] == "payload_too_large"
    assert elapsed < 2
    assert _requests(db_session) == 0


def test_api_limit_is_a_setting(app_config, factory):
    from app import create_app

    app = create_app({**app_config, "API_MAX_CONTENT_LENGTH": 2000})
    api = api_as(app, factory, factory.user(Role.ORDERER))
    area_id = factory.area("cancer").id

    small = api.post("/api/v1/requests", json=_request_body(area_id))
    large = api.post("/api/v1/requests", json=_request_body(area_id, purpose="x" * 3000))

    assert (small.status_code, large.status_code) == (201, 413)
    assert app.config["MAX_CONTENT_LENGTH"] == 16 * 1024 * 1024


def test_web_body_over_the_limit_is_a_swedish_413_page(csrf_free_app, factory, db_session):
    client = csrf_free_app.test_client()
    login(client, factory.user(Role.ORDERER).email)
    form = {**valid_form(factory.area("cancer").id), "purpose": "x" * (17 * 1024 * 1024)}

    response = client.post("/orders/new", data=form)

    page = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "Förfrågan är för stor" in page
    assert "högst 16 MB" in page
    assert _requests(db_session) == 0


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            [("13:00", "15:00"), ("14:00", "16:00")],
            "Tillfällena får inte överlappa eller upprepa varandra.",
        ),
        ([("13:00", "15:00"), ("13:00", "15:00")], "Tillfällena får inte överlappa"),
        ([("06:00", "19:00")], "Ett tillfälle får vara högst 12 timmar."),
    ],
)
def test_the_web_form_follows_the_same_session_rules(
    csrf_free_app, factory, db_session, rows, message
):
    client = csrf_free_app.test_client()
    login(client, factory.user(Role.ORDERER).email)
    form = valid_form(factory.area("cancer").id)
    day = form["sessions-0-day"]
    for index, (start, end) in enumerate(rows):
        form |= {
            f"sessions-{index}-day": day,
            f"sessions-{index}-start": start,
            f"sessions-{index}-end": end,
        }

    response = client.post("/orders/new", data=form)

    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _requests(db_session) == 0
