"""A member can never see or change another member's data."""

import json
from datetime import date

import pytest
from sqlmodel import select

from app.models import AvailabilityException, Experience, Member, WeeklyWindow
from tests.pool_support import signed_in_member


@pytest.fixture
def two_members(csrf_free_app, factory, db_session):
    client, _user, mine = signed_in_member(
        csrf_free_app, factory, first_name="Mine", calendar_token="m" * 40
    )
    other = factory.member(
        first_name="Theirs",
        last_name="Secret",
        municipality="Gnosjö",
        calendar_token="o" * 40,
        experiences=(("psychiatry/psychosis", "own"),),
    )
    window = factory.weekly_window(other, 4, 8, 10)
    period = AvailabilityException(
        member_id=other.id, start_date=date(2026, 8, 1), end_date=date(2026, 8, 3), kind="sick"
    )
    db_session.add(period)
    db_session.flush()
    experience = db_session.exec(select(Experience).where(Experience.member_id == other.id)).one()
    return (
        client,
        mine,
        other,
        {"window": window.id, "period": period.id, "experience": experience.id},
    )


@pytest.mark.parametrize(
    "path",
    [
        "/me/",
        "/me/calendar/?date=2026-08-03",
        "/me/calendar/?view=month&date=2026-08-01",
        "/me/consent",
        "/me/data.json",
    ],
)
def test_own_pages_show_nothing_of_another_member(two_members, path):
    client, _, _, _ = two_members

    body = client.get(path).get_data(as_text=True)

    assert "Secret" not in body and "Gnosjö" not in body and "o" * 40 not in body


def test_my_data_is_only_mine(two_members):
    client, mine, _, _ = two_members

    data = json.loads(client.get("/me/data.json").data)

    assert data["profile"]["id"] == mine.id
    assert data["weekly_windows"] == [] and data["periods"] == []


@pytest.mark.parametrize(
    ("path", "data"),
    [
        (
            "/me/calendar/windows/{window}",
            {
                "w{window}-weekday": "1",
                "w{window}-start_time": "09:00",
                "w{window}-end_time": "10:00",
            },
        ),
        ("/me/calendar/windows/{window}/delete", {}),
        ("/me/calendar/blocks/{period}/delete", {}),
        (
            "/me/experiences/{experience}/edit",
            {"e{experience}-area_id": "1", "e{experience}-type": "relative"},
        ),
        ("/me/experiences/{experience}/delete", {}),
    ],
)
def test_changing_another_members_rows_is_404_and_changes_nothing(
    two_members, db_session, path, data
):
    client, _, other, ids = two_members

    response = client.post(path.format(**ids), data={k.format(**ids): v for k, v in data.items()})

    assert response.status_code == 404
    db_session.expire_all()
    assert db_session.get(WeeklyWindow, ids["window"]).weekday == 4
    assert db_session.get(AvailabilityException, ids["period"]) is not None
    assert db_session.get(Experience, ids["experience"]).type == "own"


def test_member_routes_act_on_own_row_only(two_members, db_session):
    client, mine, other, _ = two_members

    client.post("/me/consent/withdraw")
    client.post("/me/calendar/pause", data={"pause-until": "2099-01-01"})
    client.post("/me/calendar/token")

    db_session.expire_all()
    theirs = db_session.get(Member, other.id)
    assert (theirs.has_valid_consent, theirs.paused_until, theirs.calendar_token) == (
        True,
        None,
        "o" * 40,
    )
    assert db_session.get(Member, mine.id).paused_until == date(2099, 1, 1)


@pytest.mark.parametrize(
    "path",
    ["/council/members/{id}", "/council/members/{id}/edit", "/council/import/", "/taxonomy/"],
)
def test_member_cannot_open_council_pages(two_members, path):
    client, _, other, _ = two_members

    assert client.get(path.format(id=other.id)).status_code == 403


def test_member_cannot_post_to_council_routes(two_members, db_session):
    client, _, other, _ = two_members

    status = client.post(f"/council/members/{other.id}/status", data={"status": "left"})
    edit = client.post(f"/council/members/{other.id}/edit", data={"first_name": "Hacked"})

    assert (status.status_code, edit.status_code) == (403, 403)
    db_session.expire_all()
    assert (
        db_session.get(Member, other.id).status,
        db_session.get(Member, other.id).first_name,
    ) == ("active", "Theirs")
