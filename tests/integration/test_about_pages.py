"""The glossary and the accessibility statement with its problem report (issue 10)."""

from email.header import decode_header, make_header

import pytest

from app.web.about.glossary import GLOSSARY
from tests.pool_support import sent_mail


@pytest.fixture
def outbox(csrf_free_app, tmp_path):
    csrf_free_app.config["MAIL_OUTBOX"] = str(tmp_path / "outbox")
    csrf_free_app.config["COUNCIL_MAILBOX"] = "radet@region.example"
    return tmp_path / "outbox"


def test_glossary_explains_the_abbreviations_in_swedish(client):
    page = client.get("/glossary").get_data(as_text=True)

    assert '<html lang="sv">' in page
    assert "Ord och förkortningar" in page
    for abbreviation in ("PBB – prisbasbelopp", "LPO och LAG", "NPO och NAG", "Jävsdeklaration"):
        assert abbreviation in page
    assert page.count("<dt ") == len(GLOSSARY)


def test_every_page_links_to_the_glossary_and_the_statement(client):
    page = client.get("/login").get_data(as_text=True)

    assert 'href="/glossary"' in page
    assert 'href="/accessibility?page=/login"' in page


def test_statement_prefills_the_page_the_visitor_came_from(client):
    page = client.get("/accessibility?page=/me/calendar/").get_data(as_text=True)

    assert "Tillgänglighetsredogörelse" in page
    assert 'value="/me/calendar/"' in page
    assert "digg.se" in page


def test_statement_ignores_a_foreign_page_address(client):
    page = client.get("/accessibility?page=https://evil.example/").get_data(as_text=True)

    assert "evil.example" not in page


def test_a_reported_problem_is_mailed_to_the_council(csrf_free_app, csrf_free_client, outbox):
    response = csrf_free_client.post(
        "/accessibility",
        data={
            "page": "/me/calendar/",
            "description": "Kalendern går inte att läsa med skärmläsare",
            "contact": "anna@example.org",
        },
    )

    assert response.status_code == 302
    [mail] = sent_mail(outbox, csrf_free_app)
    body = (
        mail.get_payload(decode=True).decode()
        if not mail.is_multipart()
        else mail.get_body(("plain",)).get_content()
    )
    assert mail["To"] == "radet@region.example"
    assert str(make_header(decode_header(mail["Subject"]))) == (
        "Ett tillgänglighetsproblem har rapporterats"
    )
    assert "Kalendern går inte att läsa med skärmläsare" in body
    assert "/me/calendar/" in body and "anna@example.org" in body


@pytest.mark.parametrize(
    ("description", "message"),
    [("", "Det här fältet är obligatoriskt."), ("x" * 4001, "")],
)
def test_a_report_without_a_description_is_refused_with_a_message(
    csrf_free_app, csrf_free_client, outbox, description, message
):
    response = csrf_free_client.post("/accessibility", data={"description": description})

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="error-summary"' in page and 'aria-invalid="true"' in page
    assert message in page
    assert sent_mail(outbox, csrf_free_app) == []
