"""Privacy duties: the audit log (search, export), erasure on request, extracts, the notice."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from app.models import AuditEvent, Experience, User, WeeklyWindow
from app.models.enums import Role
from app.services.privacy.audit import record_audit
from tests.html import csrf_token
from tests.pool_support import sent_mail, signed_in, signed_in_member


@pytest.fixture
def outbox(app, tmp_path):
    app.config["MAIL_OUTBOX"] = str(tmp_path / "outbox")
    return tmp_path / "outbox"


def _post(client, page: str, action: str, data: dict):
    token = csrf_token(client.get(page).get_data(as_text=True))
    return client.post(action, data={**data, "csrf_token": token})


def test_a_council_read_of_health_data_is_searchable_and_exportable(app, factory, db_session):
    client, council = signed_in(app, factory, Role.COUNCIL)
    member = factory.member(experiences=(("cancer", "own"),))
    record_audit(
        session=db_session,
        actor_id=None,
        action="=cmd|' /C calc'!A0",
        subject_type="member",
        subject_id=member.id,
    )
    db_session.flush()

    client.get(f"/council/members/{member.id}")
    page = client.get(f"/audit/?action=member.health_data&subject_id={member.id}")
    exported = client.get(f"/audit/export.csv?subject_type=member&subject_id={member.id}")

    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f"{council.full_name} (Council) read the health data of {member.display_name}" in html
    rows = list(csv.reader(io.StringIO(exported.get_data(as_text=True)), delimiter=";"))
    assert rows[0] == ["at", "actor", "action", "subject_type", "subject_id", "detail"]
    assert [(r[1], r[2]) for r in rows[1:]] == [
        (council.email, "member.health_data.read"),
        ("system", "'=cmd|' /C calc'!A0"),  # a formula stays text in a spreadsheet
    ]
    exports = db_session.exec(select(AuditEvent).where(AuditEvent.action == "audit.exported"))
    assert [(e.actor_id, e.detail["rows"]) for e in exports] == [(council.id, 2)]


def test_the_audit_log_filters_by_date_and_refuses_bad_filters(app, factory, db_session):
    client, _council = signed_in(app, factory, Role.COUNCIL)
    old = AuditEvent(
        at=datetime(2025, 3, 1, 12, tzinfo=UTC), action="insight.read", subject_type="insight"
    )
    db_session.add(old)
    db_session.flush()

    march = client.get("/audit/?since=2025-03-01&until=2025-03-01").get_data(as_text=True)
    april = client.get("/audit/?since=2025-04-01&until=2025-04-30").get_data(as_text=True)
    bad = client.get("/audit/?since=not-a-date&subject_id=x")

    seen = "The system viewed the follow-up pages 1 March 2025 13:00."
    assert seen in march and seen not in april
    assert bad.status_code == 422


def test_council_erases_a_member_on_request(app, factory, db_session):
    client, council = signed_in(app, factory, Role.COUNCIL)
    user = factory.user(Role.MEMBER)
    member = factory.member(
        user=user, first_name="Alva", email="alva@example.org", experiences=(("cancer", "own"),)
    )
    factory.weekly_window(member, weekday=1, start=9, end=12)
    page = f"/council/members/{member.id}/erase"

    refused = _post(client, page, page, {})
    erased = _post(client, page, page, {"confirm": "y"})

    assert refused.status_code == 422
    assert erased.status_code == 302
    db_session.expire_all()
    assert (member.first_name, member.email, member.anonymised_at is not None) == (
        "Pseudonym",
        "",
        True,
    )
    assert db_session.exec(select(Experience).where(Experience.member_id == member.id)).all() == []
    assert (
        db_session.exec(select(WeeklyWindow).where(WeeklyWindow.member_id == member.id)).all() == []
    )
    account = db_session.get(User, user.id)
    assert not account.is_enabled and "alva" not in account.email
    actions = db_session.exec(
        select(AuditEvent.action, AuditEvent.actor_id).where(
            AuditEvent.subject_type == "member", AuditEvent.subject_id == member.id
        )
    ).all()
    assert ("member.erased_on_request", council.id) in actions
    assert _post(client, page, page, {"confirm": "y"}).status_code == 409


def test_erasure_waits_for_a_booking_ahead(app, factory, db_session):
    client, _council = signed_in(app, factory, Role.COUNCIL)
    member = factory.member(first_name="Bo")
    factory.assignment(member, factory.booking_request(factory.user(Role.ORDERER)))
    page = f"/council/members/{member.id}/erase"

    response = _post(client, page, page, {"confirm": "y"})

    assert response.status_code == 409
    assert "A booking is still ahead" in response.get_data(as_text=True)
    db_session.refresh(member)
    assert member.first_name == "Bo" and member.anonymised_at is None


def test_the_council_hands_over_a_register_extract(app, factory, db_session):
    client, council = signed_in(app, factory, Role.COUNCIL)
    member = factory.member(first_name="Cecilia", experiences=(("cancer", "relative"),))

    response = client.get(f"/council/members/{member.id}/extract.json")

    data = json.loads(response.get_data(as_text=True))
    assert response.headers["Cache-Control"] == "no-store"
    assert data["profile"]["first_name"] == "Cecilia"
    assert [(e["area"], e["type"]) for e in data["experiences"]] == [("cancer", "relative")]
    events = db_session.exec(
        select(AuditEvent).where(AuditEvent.action == "member.register_extract.created")
    ).all()
    assert [(e.actor_id, e.subject_id) for e in events] == [(council.id, member.id)]


def test_a_member_asks_the_council_to_correct_or_erase(app, factory, db_session, outbox):
    client, user, member = signed_in_member(app, factory)

    empty = _post(client, "/me/privacy", "/me/privacy/request", {"kind": "rectification"})
    asked = _post(
        client,
        "/me/privacy",
        "/me/privacy/request",
        {"kind": "rectification", "message": "My birth year is 1961."},
    )
    erase = _post(client, "/me/privacy", "/me/privacy/request", {"kind": "erasure"})

    assert empty.status_code == 422
    assert asked.status_code == 302 and erase.status_code == 302
    mails = sent_mail(outbox, app)
    assert [m["To"] for m in mails] == [app.config["COUNCIL_MAILBOX"]] * 2
    assert "My birth year is 1961." in mails[0].get_payload(decode=True).decode()
    actions = db_session.exec(
        select(AuditEvent.action).where(AuditEvent.subject_id == member.id)
    ).all()
    assert {"member.rectification.requested", "member.erasure.requested"} <= set(actions)


def test_the_privacy_notice_is_public_and_states_what_the_law_asks(client):
    with client.session_transaction() as session:
        session["lang"] = "en"

    html = client.get("/privacy").get_data(as_text=True)

    for heading in ("Purposes", "Legal basis", "How long", "Your rights", "Contact"):
        assert f">{heading}</h2>" in html
    assert "anonymised after 90 days" in html
    assert "radet@region.example" in html


def test_the_orderer_page_of_a_booked_request_logs_the_read(app, factory, db_session):
    client, orderer = signed_in(app, factory, Role.ORDERER)
    request = factory.booking_request(orderer, status="booked")
    member = factory.member(first_name="Dan", experiences=(("cancer", "own"),))
    factory.assignment(member, request)

    html = client.get(f"/orders/{request.id}").get_data(as_text=True)

    assert "Dan" in html
    events = db_session.exec(
        select(AuditEvent).where(AuditEvent.action == "member.health_data.read")
    ).all()
    assert [(e.actor_id, e.subject_id) for e in events] == [(orderer.id, member.id)]
    assert datetime.now(UTC) - events[0].at < timedelta(minutes=5)
