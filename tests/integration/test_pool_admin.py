from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import select

from app.models import AuditEvent, Member, User
from app.models.enums import Role
from tests.pool_support import sent_mail, signed_in


@pytest.fixture
def outbox(tmp_path):
    return tmp_path / "outbox"


@pytest.fixture
def app_config(app_config, outbox):
    return {**app_config, "MAIL_OUTBOX": str(outbox)}


@pytest.fixture
def council(csrf_free_app, factory):
    return signed_in(csrf_free_app, factory, Role.COUNCIL)


NEW_MEMBER = {
    "first_name": "Vera",
    "last_name": "Virtanen",
    "email": "Vera@Example.org",
    "birth_year": "1990",
    "gender": "woman",
    "languages": ["sv", "fi"],
    "pool": "peer",
    "mandate": "self",
    "mandate_organisation_id": "0",
    "is_onsite_ok": "y",
    "is_digital_ok": "y",
    "max_per_month": "3",
    "training_completed_on": "2025-10-01",
    "has_signed_agreement": "y",
}


def members_named(db_session, last_name):
    db_session.expire_all()
    return db_session.exec(select(Member).where(Member.last_name == last_name)).all()


def test_council_adds_a_member_who_gets_an_invitation(csrf_free_app, council, db_session, outbox):
    client, _ = council

    response = client.post("/council/members/new", data=NEW_MEMBER)

    [member] = members_named(db_session, "Virtanen")
    assert response.status_code == 302
    assert (
        member.email,
        member.languages,
        member.training_completed_on,
        member.has_signed_agreement,
    ) == ("vera@example.org", ["sv", "fi"], date(2025, 10, 1), True)
    user = db_session.get(User, member.user_id)
    assert (user.email, user.role) == ("vera@example.org", "member")
    [mail] = sent_mail(outbox, csrf_free_app)
    assert mail["To"] == "vera@example.org"
    assert "/welcome/" in mail.get_payload(decode=True).decode()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"birth_year": "1850"}, "birth_year"),
        ({"birth_year": "2020"}, "birth_year"),
        ({"first_name": ""}, "first_name"),
        ({"gender": "alien"}, "gender"),
        ({"mandate": "organisation"}, "mandate_organisation_id"),
        ({"email": "not-an-email"}, "email"),
        ({"max_per_month": "99"}, "max_per_month"),
        ({"training_completed_on": "2999-01-01"}, "training_completed_on"),
    ],
)
def test_bad_member_input_gives_field_errors_and_no_row(
    csrf_free_app, council, db_session, outbox, change, field
):
    client, _ = council

    response = client.post("/council/members/new", data={**NEW_MEMBER, **change})

    assert response.status_code == 422
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    assert members_named(db_session, "Virtanen") == []
    assert sent_mail(outbox, csrf_free_app) == []


def test_duplicate_member_email_is_refused(council, factory, db_session):
    client, _ = council
    factory.member(email="vera@example.org")

    response = client.post("/council/members/new", data=NEW_MEMBER)

    assert response.status_code == 422
    assert 'id="email-error"' in response.get_data(as_text=True)


def test_council_edits_gender_and_birth_year(council, factory, db_session):
    client, _ = council
    member = factory.member(last_name="Virtanen")

    response = client.post(
        f"/council/members/{member.id}/edit",
        data={**NEW_MEMBER, "gender": "nonbinary", "birth_year": "1985"},
    )

    [saved] = members_named(db_session, "Virtanen")
    assert response.status_code == 302
    assert (saved.gender, saved.birth_year) == ("nonbinary", 1985)


def test_council_pauses_resumes_and_removes(council, factory, db_session):
    client, _ = council
    user = factory.user(Role.MEMBER)
    member = factory.member(user=user, calendar_token="c" * 40)

    paused = client.post(
        f"/council/members/{member.id}/status", data={"status": "paused", "until": "2027-01-31"}
    )
    db_session.expire_all()
    after_pause = (
        db_session.get(Member, member.id).status,
        db_session.get(Member, member.id).paused_until,
    )
    client.post(f"/council/members/{member.id}/status", data={"status": "active"})
    db_session.expire_all()
    after_resume = db_session.get(Member, member.id).status
    client.post(f"/council/members/{member.id}/status", data={"status": "left"})
    db_session.expire_all()

    assert paused.status_code == 302
    assert after_pause == ("paused", date(2027, 1, 31))
    assert after_resume == "active"
    removed = db_session.get(Member, member.id)
    assert (removed.status, removed.calendar_token) == ("left", None)
    assert db_session.get(User, user.id).is_enabled is False


def test_bad_status_is_refused(council, factory, db_session):
    client, _ = council
    member = factory.member()

    response = client.post(f"/council/members/{member.id}/status", data={"status": "gone"})

    assert response.status_code == 422
    db_session.expire_all()
    assert db_session.get(Member, member.id).status == "active"


def test_member_page_shows_availability_and_load_and_is_audited(council, factory, db_session):
    client, council_user = council
    member = factory.member(last_name="Lastad")
    factory.weekly_window(member, 2, 9, 12)
    orderer = factory.user(Role.ORDERER)
    now = datetime.now(UTC).replace(microsecond=0)
    for days_ago, hours, status in (
        (30, 2, "completed"),
        (200, 3.5, "booked"),
        (400, 8, "completed"),
        (60, 4, "withdrawn"),
    ):
        booking_request = factory.booking_request(orderer)
        factory.request_session(booking_request, now - timedelta(days=days_ago), hours)
        factory.assignment(member, booking_request, status=status)

    html = client.get(f"/council/members/{member.id}").get_data(as_text=True)

    load = html.split('id="member-load">', 1)[1].split("<", 1)[0]
    # Each request also has the factory's session 14 days ahead: one assignment each, all its
    # hours; the one first starting 400 days ago is outside the window, the withdrawal no work.
    assert load == "2 assignments, 9.5 paid hours"
    assert "09:00–12:00" in html
    audit = db_session.exec(
        select(AuditEvent).where(AuditEvent.action == "member.health_data.read")
    ).all()
    assert [(a.actor_id, a.subject_id) for a in audit] == [(council_user.id, member.id)]


def test_unknown_member_is_404(council):
    client, _ = council

    assert client.get("/council/members/999999").status_code == 404
    assert client.get("/council/members/999999/edit").status_code == 404
