"""Mail hardening: one-line fields refuse line breaks, one e-mail rule, web requests only queue."""

from __future__ import annotations

from datetime import timedelta

import pytest
from click.testing import CliRunner
from sqlmodel import select

from app import create_app
from app.jobs.definitions import execute_job
from app.models import BookingRequest, Member
from app.models.enums import Role
from app.services.errors import InvalidInput
from app.services.requests.submission import RequestInput, SessionInput, submit_request
from tests.api_support import api_as
from tests.booking_support import booking_setting, local_time
from tests.clock_support import local_today
from tests.conftest import login
from tests.integration.test_request_form import valid_form
from tests.scheduling_support import outbox
from tests.smtp_support import smtp_server

POISON = "a\r\nBcc: x@y.se"


@pytest.fixture
def sink():
    """A real SMTP server: (port, messages received)."""
    with smtp_server() as (port, received):
        yield port, received


@pytest.fixture
def mail_app(app_config, sink):
    """An app that mails through the SMTP sink (no CSRF: these tests are about other things)."""
    port, _received = sink
    return create_app(
        {**app_config, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port, "WTF_CSRF_ENABLED": False}
    )


def _signed_in(app, user, language: str = "en"):
    client = app.test_client()
    assert login(client, user.email).status_code == 302
    with client.session_transaction() as session:
        session["lang"] = language
    return client


def _api_body(area_id: int, **changes) -> dict:
    day = local_today() + timedelta(days=20)
    body = {
        "title": "Patient perspective",
        "purpose": "We want patients' view.",
        "expectations": "Read the draft.",
        "participation": "dialogue",
        "assignment_type": "development",
        "area_ids": [area_id],
        "sessions": [{"starts_at": f"{day}T09:00:00+01:00", "ends_at": f"{day}T11:00:00+01:00"}],
        "format": "digital",
        "video_link": "https://meet.example/x",
        "contact_name": "Kim Kontakt",
    }
    return {**body, **changes}


def _requests(db_session) -> list[BookingRequest]:
    return list(db_session.exec(select(BookingRequest)))


# --- one-line fields and e-mail addresses ---------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", POISON),
        ("title", "a\nb"),
        ("contact_name", "Kim\rKontakt"),
        ("location", "Ryhov\u2028Jönköping"),
        ("contact_email", "kim@region.example\r\nBcc: x@y.se"),
        ("contact_email", "not-an-address"),
    ],
)
def test_the_api_refuses_a_broken_one_line_field_and_stores_nothing(
    mail_app, factory, db_session, field, value
):
    orderer = factory.user(Role.ORDERER)
    area = factory.area("cancer")

    response = api_as(mail_app, factory, orderer).post(
        "/api/v1/requests", json=_api_body(area.id, **{field: value})
    )

    body = response.get_json()
    assert (response.status_code, body["error"]) == (422, "invalid_input")
    assert list(body["fields"]) == [field]
    assert _requests(db_session) == []


def test_the_api_accepts_a_test_domain_contact(mail_app, factory, db_session):
    orderer = factory.user(Role.ORDERER)
    area = factory.area("cancer")

    response = api_as(mail_app, factory, orderer).post(
        "/api/v1/requests", json=_api_body(area.id, contact_email=" Kim@Demo.test ")
    )

    assert response.status_code == 201
    assert [r.contact_email for r in _requests(db_session)] == ["Kim@Demo.test"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", POISON, "Skriv det här på en rad (utan radbrytningar)."),
        ("contact_phone", "070\n123", "Skriv det här på en rad (utan radbrytningar)."),
        ("contact_email", "kim@region.example\nBcc: x@y.se", "E-postadressen är inte giltig."),
        ("contact_email", "kim@", "E-postadressen är inte giltig."),
    ],
)
def test_the_request_form_refuses_a_broken_one_line_field_in_swedish(
    mail_app, factory, db_session, field, value, message
):
    orderer = factory.user(Role.ORDERER)
    area = factory.area("psychiatry/psychosis")
    client = _signed_in(mail_app, orderer, language="sv")

    response = client.post("/orders/new", data={**valid_form(area.id), field: value})

    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _requests(db_session) == []


def test_the_service_refuses_line_breaks_whatever_the_way_in(factory, db_session):
    orderer = factory.user(Role.ORDERER)
    area = factory.area("cancer")
    day = local_today() + timedelta(days=20)

    data = RequestInput(
        title=POISON,
        purpose="p\x00",
        expectations="e",
        participation="dialogue",
        assignment_type="development",
        area_ids=[area.id],
        experience="any",
        people_count=1,
        sessions=[SessionInput(local_time(day, 9), local_time(day, 11))],
        format="digital",
        contact_email="a@x.se\nBcc: y@z.se",
        contact_phone="1\r2",
    )

    with pytest.raises(InvalidInput) as refused:
        submit_request(session=db_session, orderer=orderer, data=data)

    assert refused.value.fields == {
        "title": "Write this on one line (no line breaks).",
        "contact_phone": "Write this on one line (no line breaks).",
        "purpose": "The text contains a character that cannot be stored (NUL).",
        "contact_email": "Invalid email address.",
    }
    assert _requests(db_session) == []


def test_the_demo_member_saves_her_own_profile(mail_app, factory, db_session):
    user = factory.user(Role.MEMBER, email="member@demo.test")
    member = factory.member(user=user, email="member@demo.test")
    client = _signed_in(mail_app, user)
    profile = {
        "email": "member@demo.test",
        "phone": "070-123 45 67",
        "municipality": "Eksjö",
        "languages": ["sv"],
        "is_digital_ok": "y",
        "max_per_month": "2",
    }

    saved = client.post("/me/", data=profile)
    broken = client.post("/me/", data={**profile, "municipality": "Eksjö\r\nX"})

    assert saved.status_code == 302
    assert broken.status_code == 422
    assert "Write this on one line (no line breaks)." in broken.get_data(as_text=True)
    db_session.expire_all()
    assert (
        db_session.get(Member, member.id).email,
        db_session.get(Member, member.id).municipality,
    ) == (
        "member@demo.test",
        "Eksjö",
    )


def test_the_council_adds_a_member_with_a_test_address_but_not_a_broken_one(
    mail_app, factory, db_session
):
    council = _signed_in(mail_app, factory.user(Role.COUNCIL))
    good = {
        "first_name": "Eva",
        "last_name": "Ek",
        "email": "eva@demo.test",
        "birth_year": "1960",
        "gender": "woman",
        "languages": ["sv"],
        "pool": "peer",
        "mandate": "self",
        "mandate_organisation_id": "0",
        "is_onsite_ok": "y",
        "max_per_month": "2",
    }

    broken = council.post("/council/members/new", data={**good, "last_name": "Ek\nBcc: x@y.se"})
    added = council.post("/council/members/new", data=good)

    assert broken.status_code == 422
    assert added.status_code == 302
    emails = list(db_session.exec(select(Member.email)))
    assert emails == ["eva@demo.test"]


# --- web requests only queue; mail problems after the commit are no error ---------------------


def _poison_title(db_session, request) -> None:
    """Write a title that bypassed validation (an old row, a direct import)."""
    request.title = POISON
    db_session.add(request)
    db_session.flush()


def test_approving_through_the_api_with_a_poisoned_title_succeeds_and_sends_nothing_yet(
    mail_app, factory, db_session, sink
):
    _port, received = sink
    request, _row, members, _orderer, council = booking_setting(factory, db_session)
    _poison_title(db_session, request)
    group = [members[0].id, members[1].id]

    answer = api_as(mail_app, factory, council).post(
        f"/api/v1/requests/{request.id}/approve", json={"member_ids": group}
    )

    assert answer.status_code == 200
    assert answer.get_json()["request"]["status"] == "approved"
    assert received == []
    assert {row.status for row in outbox(db_session)} == {"pending"}
    run = execute_job(mail_app, "deliver_outbox")
    rows = outbox(db_session)
    assert run.sent + run.failed == len(rows) >= 2
    for row in rows:
        assert row.status == "sent" or row.last_error.startswith("ValueError")
    assert all("Bcc" not in message for message in received)


@pytest.mark.parametrize("action", ["ask", "approve"])
def test_the_council_pages_answer_success_when_the_mail_cannot_be_built(
    mail_app, factory, db_session, sink, action
):
    _port, received = sink
    request, _row, members, orderer, council = booking_setting(factory, db_session)
    _poison_title(db_session, request)
    orderer.email = "kim@region.example\r\nBcc: x@y.se"  # bypassed validation too
    db_session.add(orderer)
    db_session.flush()
    client = _signed_in(mail_app, council)
    data = (
        {"ask-message": "Which ward?"}
        if action == "ask"
        else {"member_ids": f"{members[0].id},{members[1].id}"}
    )

    answer = client.post(f"/council/requests/{request.id}/{action}", data=data)

    db_session.expire_all()
    assert answer.status_code == 302
    assert db_session.get(BookingRequest, request.id).status == (
        "question" if action == "ask" else "approved"
    )
    assert received == []
    assert len(outbox(db_session, status="pending")) >= 1
    run = execute_job(mail_app, "deliver_outbox")
    assert run.outcome == "ok"
    assert all("Bcc" not in message for message in received)
    assert all(row.status in ("sent", "pending") for row in outbox(db_session))


def test_password_reset_queues_for_a_known_address_and_sends_nothing_during_the_request(
    mail_app, factory, db_session, sink
):
    _port, received = sink
    user = factory.user(Role.ORDERER)
    known, unknown = mail_app.test_client(), mail_app.test_client()

    answers = [
        known.post("/password-reset", data={"email": user.email}),
        unknown.post("/password-reset", data={"email": "nobody@example.org"}),
    ]

    assert [(a.status_code, a.location) for a in answers] == [(302, "/login")] * 2
    assert received == []
    assert [(row.recipient, row.status) for row in outbox(db_session)] == [(user.email, "pending")]
    run = execute_job(mail_app, "deliver_outbox")
    assert (run.sent, [str(m["To"]) for m in received]) == (1, [user.email])
    assert "/password-reset/" in received[0].get_content()


def test_a_refused_reset_address_is_a_form_error_not_a_500(mail_app, db_session, sink):
    answer = mail_app.test_client().post("/password-reset", data={"email": "a@x.se\r\nBcc: y@z"})

    assert answer.status_code in (302, 422)
    assert outbox(db_session) == []


# --- links of the development server --------------------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "environment", "link"),
    [
        (["--port", "5050"], None, "http://127.0.0.1:5050/password-reset/t"),
        (["--host", "0.0.0.0", "--port", "5051"], None, "http://127.0.0.1:5051/password-reset/t"),
        (["--port", "5050"], "https://levande.example", "https://levande.example/password-reset/t"),
    ],
)
def test_levbib_run_links_to_its_own_port_without_public_base_url(
    monkeypatch, database_url, arguments, environment, link
):
    from app.cli import main
    from app.web.links import public_url

    seen = {}

    def serve(host, port, app, **_options):  # instead of werkzeug's server
        with app.test_request_context():
            seen["link"] = public_url("auth.reset_password", reset_token="t")

    monkeypatch.setattr("flask.cli.run_simple", serve)
    monkeypatch.setenv("DATABASE_URL", database_url)
    if environment:
        monkeypatch.setenv("PUBLIC_BASE_URL", environment)
    else:
        monkeypatch.delenv("PUBLIC_BASE_URL", raising=False)

    result = CliRunner().invoke(main, ["run", *arguments])

    assert result.exit_code == 0, result.output
    assert seen["link"] == link


def test_area_names_and_period_notes_refuse_line_breaks(factory, db_session):
    from datetime import date

    from app.services.pool.availability import PeriodInput, check_period
    from app.services.pool.taxonomy import create_area, rename_area

    area = factory.area("cancer")
    member = factory.member()

    with pytest.raises(InvalidInput) as new_area:
        create_area(session=db_session, code="sepsis", name_sv="Sepsis\nX", name_en="Sepsis")
    with pytest.raises(InvalidInput) as renamed:
        rename_area(
            session=db_session, area_id=area.id, name_sv="Cancer", name_en="C\r\n", actor_id=None
        )
    with pytest.raises(InvalidInput) as period:
        check_period(
            session=db_session,
            member=member,
            data=PeriodInput(date(2030, 1, 1), date(2030, 1, 2), "blocked", "note\r\nBcc: x"),
        )

    assert new_area.value.fields == {"name_sv": "Write this on one line (no line breaks)."}
    assert renamed.value.fields == {"name_en": "Write this on one line (no line breaks)."}
    assert period.value.fields == {"note": "Write this on one line (no line breaks)."}
