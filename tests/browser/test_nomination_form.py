"""The organisation's nomination form on a phone: errors, a named person, axe-core clean."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from app.db import make_engine
from app.models import Applicant
from app.models.enums import ApplicantSource
from tests.browser.test_accessibility import (  # noqa: F401 (axe_script is a fixture)
    axe_script,
    axe_violations,
    organisation_links,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def phone(browser):
    """A 360 px wide page in Swedish that lets axe-core's script in."""
    context = browser.new_context(
        locale="sv-SE",
        timezone_id="Europe/Stockholm",
        bypass_csp=True,
        viewport={"width": 360, "height": 740},
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def link(live_app):
    """An open nomination in the served database: (its token, the organisation's id)."""
    engine = make_engine(live_app[1])
    with Session(engine) as session:
        ids = organisation_links(session)
        session.commit()
    engine.dispose()
    return ids


def _applicants(database_url: str) -> list[tuple]:
    engine = make_engine(database_url)
    with Session(engine) as session:
        rows = session.exec(select(Applicant).where(Applicant.email == "signe@exempel.test")).all()
        found = [(a.first_name, a.source, a.organisation_id, a.needs) for a in rows]
    engine.dispose()
    return found


@pytest.mark.usefixtures("axe_script")
def test_an_organisation_names_a_representative_on_a_phone(phone, live_app, link):
    base_url, database_url = live_app
    phone.goto(f"{base_url}/nominations/{link['nomination_token']}")

    assert phone.locator("h1").inner_text().startswith("Namnge företrädare för")
    assert axe_violations(phone) == []
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360

    phone.locator("#first_name").fill("Signe")
    with phone.expect_navigation():
        phone.locator("#nominee-form button[type=submit]").click()
    summary = phone.locator("#error-summary")
    assert summary.is_visible()
    assert phone.locator("#last_name").get_attribute("aria-invalid") == "true"
    assert phone.locator("#first_name").input_value() == "Signe"
    assert axe_violations(phone) == []

    phone.locator("#last_name").fill("Berg")
    phone.locator("#email").fill("signe@exempel.test")
    phone.locator("#birth_year").fill("1988")
    phone.locator("#municipality").fill("Vetlanda")
    phone.locator("input[name=experience_type][value=relative]").check()
    phone.locator("#needs").fill("Tolk")
    phone.locator("#consent").check()
    with phone.expect_navigation():
        phone.locator("#nominee-form button[type=submit]").click()

    assert "Signe är namngiven" in phone.locator(".flashes").inner_text()
    assert phone.locator("#named-count").inner_text() == "1 av 2 namngivna."
    assert axe_violations(phone) == []
    assert _applicants(database_url) == [
        ("Signe", ApplicantSource.NOMINATION, link["patient_org_id"], "Tolk")
    ]
