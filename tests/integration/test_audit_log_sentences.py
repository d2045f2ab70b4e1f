"""The audit log reads as sentences with names, filters by person, action and period, in pages."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event

from app.models import AuditEvent
from app.models.enums import Role
from app.services.privacy.audit_log import PAGE_SIZE
from tests.conftest import login


def _client(app, user, english: bool = False):
    client = app.test_client()
    assert login(client, user.email).status_code == 302
    if english:
        with client.session_transaction() as session:
            session["lang"] = "en"
    return client


def _named(factory, role: Role, name: str):
    user = factory.user(role)
    user.full_name = name
    factory.session.add(user)
    factory.session.flush()
    return user


def _event(factory, actor, action: str, subject_type: str, subject_id, at, **detail):
    event = AuditEvent(
        actor_id=actor.id if actor else None,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        detail=detail,
        at=at,
    )
    factory.session.add(event)
    factory.session.flush()
    return event


def _sentences(html: str) -> list[str]:
    listed = re.search(r'<ol id="audit-events"[^>]*>(.*?)</ol>', html, re.S).group(1)
    return [" ".join(item.split()) for item in re.findall(r"<li>(.*?)</li>", listed, re.S)]


AT = datetime(2025, 3, 4, 13, 5, tzinfo=UTC)  # 14:05 in Stockholm
#: Leaves out the events the factory writes now (accounts created), whatever day the suite runs.
PAST = "since=2025-01-01&until=2025-12-31"


@pytest.fixture
def story(factory):
    """A council member approves a request and reads a member's health data; an admin edits."""
    anna = _named(factory, Role.COUNCIL, "Anna Berg")
    admin = _named(factory, Role.ADMIN, "Ada Admin")
    orderer = factory.user(Role.ORDERER)
    request = factory.booking_request(orderer, title="Föreläsning om psykos")
    member = factory.member(first_name="Greta", last_name="Lind")
    _event(factory, anna, "request.approved", "booking_request", request.id, AT)
    _event(factory, anna, "member.health_data.read", "member", member.id, AT + timedelta(hours=1))
    _event(
        factory,
        admin,
        "user.updated",
        "user",
        orderer.id,
        AT + timedelta(hours=2),
        changes={
            "role": ["orderer", "council"],
            "organisation_id": [orderer.organisation_id, None],
        },
    )
    return {"anna": anna, "admin": admin, "member": member, "orderer": orderer}


def test_the_council_reads_sentences_with_names_in_swedish(app, story):
    html = _client(app, story["anna"]).get(f"/audit/?{PAST}").get_data(as_text=True)
    organisation = re.search(r"Organisation \d+", html)

    assert _sentences(html) == [
        "Ada Admin (Administratör) ändrade kontot för Test orderer: roll Beställare → Samordnare; "
        f"organisation {organisation.group(0)} → – 4 mars 2025 16:05.",
        "Anna Berg (Samordnare) läste hälsouppgifterna för Greta Lind 4 mars 2025 15:05.",
        "Anna Berg (Samordnare) godkände gruppen för förfrågan ”Föreläsning om psykos” "
        "4 mars 2025 14:05.",
    ]


def test_the_administrator_sees_no_member_names_and_english_when_chosen(app, story):
    html = _client(app, story["admin"], english=True).get(f"/audit/?{PAST}").get_data(as_text=True)

    sentences = _sentences(html)
    assert sentences[1] == (
        "Anna Berg (Council) read the health data of a pool member 4 March 2025 15:05."
    )
    assert "Greta" not in html and "Lind" not in html
    assert sentences[2] == (
        "Anna Berg (Council) approved the group for the request “Föreläsning om psykos” "
        "4 March 2025 14:05."
    )


def test_filters_by_person_action_and_period(app, story):
    client = _client(app, story["anna"])

    by_person = _sentences(client.get(f"/audit/?actor=ada&{PAST}").get_data(as_text=True))
    by_action = _sentences(
        client.get(f"/audit/?action=member.health_data&{PAST}").get_data(as_text=True)
    )
    by_period = client.get("/audit/?since=2025-03-05&until=2025-12-31").get_data(as_text=True)
    bad = client.get("/audit/?since=not-a-date")

    assert [s.split(" (")[0] for s in by_person] == ["Ada Admin"]
    assert by_action == [
        "Anna Berg (Samordnare) läste hälsouppgifterna för Greta Lind 4 mars 2025 15:05."
    ]
    assert _sentences(by_period) == ["Inga händelser matchar."]
    assert bad.status_code == 422


def test_the_log_is_paginated(app, factory):
    council = _named(factory, Role.COUNCIL, "Per Sida")
    for minute in range(PAGE_SIZE + 3):
        _event(factory, None, "insight.read", "insight", None, AT + timedelta(minutes=minute))
    client = _client(app, council)

    first = client.get("/audit/?action=insight.").get_data(as_text=True)
    second = client.get("/audit/?action=insight.&page=2").get_data(as_text=True)
    beyond = client.get("/audit/?action=insight.&page=99")

    assert len(_sentences(first)) == PAGE_SIZE
    assert _sentences(second) == [
        f"Systemet tittade på uppföljningssidorna 4 mars 2025 14:0{minute}." for minute in (7, 6, 5)
    ]
    assert f"{PAGE_SIZE + 3} händelser matchar. Sida 2 av 2." in second
    assert 'rel="next"' in first and 'rel="next"' not in second
    assert beyond.status_code == 200 and len(_sentences(beyond.get_data(as_text=True))) == 3


@pytest.mark.parametrize("role", [Role.MEMBER, Role.ORDERER])
def test_members_and_orderers_get_403(app, factory, role):
    assert _client(app, factory.user(role)).get(f"/audit/?{PAST}").status_code == 403


def test_real_admin_actions_read_as_sentences(app, factory):
    """Edit and disable through the pages; the log names the account, not its id."""
    from tests.integration.test_admin_accounts import _post

    admin = _named(factory, Role.ADMIN, "Ada Admin")
    target = _named(factory, Role.COUNCIL, "Kim Kvist")
    client = _client(app, admin)
    page, old_email = f"/admin/users/{target.id}", target.email
    _post(
        client,
        page,
        page,
        {"email": "kim@example.org", "full_name": "Kim Kvist", "role": "council"},
    )
    _post(client, page, f"{page}/disable", {})

    sentences = _sentences(client.get("/audit/?action=user.").get_data(as_text=True))

    assert [s.rsplit(" ", 4)[0] for s in sentences[:2]] == [
        "Ada Admin (Administratör) stängde av kontot för Kim Kvist",
        f"Ada Admin (Administratör) ändrade kontot för Kim Kvist: e-post {old_email} → "
        "kim@example.org",
    ]


def _varied_events(factory, count: int) -> None:
    """``count`` events about different people, requests and accounts (one of each per three)."""
    council = factory.user(Role.COUNCIL)
    orderer = factory.user(Role.ORDERER)
    for index in range(count):
        at = AT + timedelta(minutes=index)
        if index % 3 == 0:
            member = factory.member()
            _event(factory, council, "member.health_data.read", "member", member.id, at)
        elif index % 3 == 1:
            request = factory.booking_request(orderer, title=f"Förfrågan {index}")
            _event(factory, council, "request.approved", "booking_request", request.id, at)
        else:
            _event(factory, None, "user.created", "user", factory.user(Role.COUNCIL).id, at)


def _queries_for_the_page(connection, client) -> int:
    statements = []

    def count(*_args):
        statements.append(1)

    event.listen(connection, "before_cursor_execute", count)
    try:
        assert client.get(f"/audit/?{PAST}").status_code == 200
    finally:
        event.remove(connection, "before_cursor_execute", count)
    return len(statements)


def test_the_page_loads_names_in_a_fixed_number_of_queries(app, factory, connection):
    viewer = _named(factory, Role.COUNCIL, "Nils Räknare")
    client = _client(app, viewer)
    _varied_events(factory, 6)
    few = _queries_for_the_page(connection, client)
    _varied_events(factory, 30)

    many = _queries_for_the_page(connection, client)

    assert many == few
