"""The public application page: storing, mail to both sides, errors per field, spam guards."""

from __future__ import annotations

import pytest
from sqlmodel import select

from app import create_app
from app.models import Applicant, OutboxMessage
from tests.recruitment_support import application_data, form_fields


@pytest.fixture
def app_config(app_config):
    return {**app_config, "APPLICATION_MIN_SECONDS": 0, "APPLICATION_RATE_LIMIT": "50 per hour"}


def _post(client, data: dict, **headers):
    page = client.get("/apply", headers=headers)
    return client.post(
        "/apply", data={**form_fields(page.get_data(as_text=True)), **data}, headers=headers
    )


def _applicants(db_session) -> list[Applicant]:
    return list(db_session.exec(select(Applicant)))


def _mail(db_session) -> list[tuple[str, str]]:
    rows = db_session.exec(select(OutboxMessage).order_by(OutboxMessage.id))
    return [(row.recipient, row.subject) for row in rows]


def test_an_application_is_stored_and_both_sides_get_mail(client, db_session, factory):
    area = factory.area("psykiatri")

    answer = _post(client, application_data(area.id))

    assert (answer.status_code, answer.headers["Location"]) == (302, "/apply/thanks")
    [applicant] = _applicants(db_session)
    assert (applicant.first_name, applicant.email, applicant.birth_year, applicant.gender) == (
        "Sara",
        "sara.lind@example.org",
        2001,
        None,
    )
    assert applicant.experiences == [
        {"area_id": area.id, "type": "own"},
        {"area_id": area.id, "type": "relative"},
    ]
    assert (applicant.need_codes, applicant.consent_text_version) == (
        ["hearing_loop", "step_free"],
        "2026-01",
    )
    assert _mail(db_session) == [
        ("sara.lind@example.org", "Levande bibliotek: vi har tagit emot din ansökan"),
        ("radet@region.example", "Ny ansökan till poolen"),
    ]
    council_body = db_session.exec(select(OutboxMessage.body).where(OutboxMessage.id > 0)).all()[1]
    assert "Behöver pauser" not in council_body and "psykiatri" not in council_body.lower()
    thanks = client.get("/apply/thanks").get_data(as_text=True)
    assert "Tack för din ansökan" in thanks


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("first_name", "", "Förnamn"),
        ("last_name", "", "Efternamn"),
        ("email", "", "E-post"),
        ("email", "inte-en-adress", "E-postadressen är inte giltig."),
        ("birth_year", "", "Ange året du föddes, med fyra siffror."),
        ("birth_year", "2020", "minst 16"),
        ("municipality", "", "Kommun"),
        ("experience_kind", "", "Välj ett av alternativen"),
        ("areas", [], "Välj minst ett erfarenhetsområde."),
        ("languages", [], "Välj minst ett språk."),
        ("consent", "", "Samtycke till behandlingen behövs"),
    ],
)
def test_each_bad_field_is_shown_beside_it_and_nothing_is_lost(
    client, db_session, factory, field, value, message
):
    area = factory.area("psykiatri")
    data = application_data(area.id, **{field: value})
    if field == "consent":
        del data["consent"]

    answer = _post(client, data)

    html = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert f'id="{field}-error"' in html and message in html
    assert f'href="#{field}"' in html  # the error summary links to the field
    assert "Jönköping" in html or field == "municipality"  # what was typed stays
    assert _applicants(db_session) == []


def test_a_filled_hidden_field_is_thanked_but_not_stored(client, db_session, factory):
    area = factory.area("psykiatri")

    answer = _post(client, application_data(area.id, website="https://spam.example"))

    assert (answer.status_code, answer.headers["Location"]) == (302, "/apply/thanks")
    assert (_applicants(db_session), _mail(db_session)) == ([], [])


def test_a_form_sent_too_fast_is_refused_with_the_answers_kept(app_config, db_session, factory):
    client = create_app({**app_config, "APPLICATION_MIN_SECONDS": 5}).test_client()
    area = factory.area("psykiatri")

    answer = _post(client, application_data(area.id))

    html = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert "Det gick mycket fort" in html and 'value="Lind"' in html
    assert _applicants(db_session) == []


def test_a_forged_start_stamp_is_refused(client, db_session, factory):
    area = factory.area("psykiatri")

    answer = _post(client, {**application_data(area.id), "started": "forged"})

    assert answer.status_code == 422
    assert _applicants(db_session) == []


def test_the_rate_limit_stops_a_burst_from_one_address(app_config, db_session, factory):
    limited = create_app({**app_config, "APPLICATION_RATE_LIMIT": "2 per hour", "PROXY_COUNT": 1})
    area = factory.area("psykiatri")
    statuses = [
        _post(
            limited.test_client(),
            application_data(area.id, email=f"p{n}@example.org"),
            **{"X-Forwarded-For": "198.51.100.7"},
        ).status_code
        for n in range(3)
    ]
    other = _post(
        limited.test_client(), application_data(area.id), **{"X-Forwarded-For": "203.0.113.9"}
    )

    assert statuses == [302, 302, 429]
    assert other.status_code == 302
    assert len(_applicants(db_session)) == 3
