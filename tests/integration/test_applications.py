"""Submitting an application or a nomination: validation, the stored row and its audit event."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlmodel import select

from app.models import Applicant, AuditEvent
from app.models.enums import ApplicantSource, ApplicantStatus
from app.services.errors import InvalidInput
from app.services.recruitment.applications import ApplicationInput, submit_application

NOW = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)


def _input(area_id: int, **changes) -> ApplicationInput:
    values = dict(
        first_name=" Sara ",
        last_name="Lind",
        email="Sara.Lind@Example.org",
        phone="070-123 45 67",
        birth_year=2001,
        gender=None,
        municipality="Jönköping",
        experiences=((area_id, "own"),),
        participation=("education", "dialogue"),
        needs="Behöver pauser.",
        languages=("sv", "en"),
        need_codes=("hearing_loop",),
    )
    values.update(changes)
    return ApplicationInput(**values)


def test_submit_application_stores_the_row_and_audits_it(db_session, factory):
    area = factory.area("psykiatri")

    applicant = submit_application(
        _input(area.id), session=db_session, consent_text_version="2026-01", now=NOW
    )

    stored = db_session.get(Applicant, applicant.id)
    assert (stored.first_name, stored.email, stored.status) == (
        "Sara",
        "sara.lind@example.org",
        ApplicantStatus.APPLIED,
    )
    assert stored.experiences == [{"area_id": area.id, "type": "own"}]
    assert (stored.participation, stored.languages, stored.need_codes) == (
        ["education", "dialogue"],
        ["sv", "en"],
        ["hearing_loop"],
    )
    assert (stored.consent_given_at, stored.consent_text_version) == (NOW, "2026-01")
    assert (stored.source, stored.organisation_id, stored.gender) == ("application", None, None)
    events = db_session.exec(select(AuditEvent).where(AuditEvent.subject_type == "applicant"))
    assert [(e.action, e.subject_id, e.actor_id) for e in events] == [
        ("applicant.submitted", applicant.id, None)
    ]


def test_submit_nomination_keeps_the_mandate_and_needs_no_birth_year(db_session, factory):
    area = factory.area("diabetes")
    organisation = factory.organisation("Diabetesförbundet", kind="patient_organisation")

    applicant = submit_application(
        _input(area.id, birth_year=None, municipality="", experiences=((area.id, "relative"),)),
        session=db_session,
        source=ApplicantSource.NOMINATION,
        organisation_id=organisation.id,
        mandate_ends_on=date(2028, 12, 31),
        consent_text_version="2026-01",
        now=NOW,
    )

    assert (applicant.source, applicant.organisation_id, applicant.mandate_ends_on) == (
        "nomination",
        organisation.id,
        date(2028, 12, 31),
    )
    assert applicant.birth_year is None
    action = db_session.exec(
        select(AuditEvent.action).where(AuditEvent.subject_id == applicant.id)
    ).one()
    assert action == "applicant.nominated"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"first_name": "  "}, "first_name"),
        ({"last_name": ""}, "last_name"),
        ({"email": ""}, "email"),
        ({"email": "not-an-address"}, "email"),
        ({"birth_year": None}, "birth_year"),
        ({"birth_year": 2015}, "birth_year"),
        ({"gender": "robot"}, "gender"),
        ({"municipality": ""}, "municipality"),
        ({"municipality": "Jön\nköping"}, "municipality"),
        ({"experiences": ()}, "experiences"),
        ({"experiences": ((999999, "own"),)}, "experiences"),
        ({"participation": ("juggling",)}, "participation"),
        ({"languages": ()}, "languages"),
        ({"need_codes": ("jetpack",)}, "need_codes"),
        ({"needs": "x" * 2001}, "needs"),
    ],
)
def test_submit_application_refuses_bad_input_naming_the_field(db_session, factory, changes, field):
    area = factory.area("psykiatri")
    if changes.get("experiences") == ((999999, "own"),):
        changes = {"experiences": ((area.id + 999999, "own"),)}

    with pytest.raises(InvalidInput) as refused:
        submit_application(
            _input(area.id, **changes),
            session=db_session,
            consent_text_version="2026-01",
            now=NOW,
        )

    assert list(refused.value.fields) == [field]
    assert db_session.exec(select(Applicant)).all() == []


def test_submit_application_refuses_without_consent_version(db_session, factory):
    area = factory.area("psykiatri")

    with pytest.raises(InvalidInput) as refused:
        submit_application(_input(area.id), session=db_session, consent_text_version="", now=NOW)

    assert list(refused.value.fields) == ["consent"]
