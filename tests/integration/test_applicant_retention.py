"""Retention of applicants: declined after the retention period, "not now" after a year,
an active applicant together with their member; open applications stay."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from app import create_app
from app.jobs.definitions import execute_job
from app.mail.outbox import queue_mail
from app.models import AuditEvent, OutboxMessage
from app.models.enums import ApplicantStatus
from tests.recruitment_support import applicant_in_pipeline

DECIDED = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)


@pytest.fixture
def job_app(app_config, tmp_path):
    return create_app({**app_config, "MAIL_OUTBOX": str(tmp_path)})


def _decided(factory, db_session, status: str, email: str = "sara.lind@example.org"):
    applicant = applicant_in_pipeline(factory, email=email, needs="Behöver tolk.")
    applicant.status, applicant.status_changed_at = status, DECIDED
    applicant.status_reason = "Full grupp."
    queue_mail(db_session, to=applicant.email, subject="Din ansökan", body="Hej Sara", now=DECIDED)
    db_session.flush()
    return applicant


def _anonymised(db_session, applicant) -> bool:
    db_session.refresh(applicant)
    return applicant.anonymised_at is not None


def test_a_declined_applicant_is_anonymised_after_the_retention_period(
    job_app, factory, db_session
):
    applicant = _decided(factory, db_session, ApplicantStatus.DECLINED)

    early = execute_job(job_app, "apply_retention", now=DECIDED + 89 * DAY)
    kept = not _anonymised(db_session, applicant)
    run = execute_job(job_app, "apply_retention", now=DECIDED + 91 * DAY)

    assert (early.outcome, kept, run.detail) == ("ok", True, {"applicants_anonymised": 1})
    db_session.refresh(applicant)
    assert (applicant.first_name, applicant.last_name, applicant.email) == (
        "Pseudonym",
        f"A-{applicant.id}",
        "",
    )
    assert (applicant.experiences, applicant.needs, applicant.need_codes) == ([], "", [])
    assert (applicant.birth_year, applicant.municipality, applicant.status_reason) == (None, "", "")
    assert (applicant.status, applicant.source) == ("declined", "application")
    assert db_session.exec(select(OutboxMessage.body, OutboxMessage.recipient)).all() == [("", "")]
    actions = db_session.exec(
        select(AuditEvent.action).where(AuditEvent.subject_id == applicant.id)
    ).all()
    assert actions[-1] == "applicant.anonymised"


def test_not_now_is_kept_for_a_year(job_app, factory, db_session):
    applicant = _decided(factory, db_session, ApplicantStatus.NOT_NOW)

    execute_job(job_app, "apply_retention", now=DECIDED + 364 * DAY)
    kept = not _anonymised(db_session, applicant)
    execute_job(job_app, "apply_retention", now=DECIDED + 366 * DAY)

    assert (kept, _anonymised(db_session, applicant)) == (True, True)


def test_open_applications_stay_until_the_council_decides(job_app, factory, db_session):
    applicant = _decided(factory, db_session, ApplicantStatus.CONVERSATION_BOOKED)

    run = execute_job(job_app, "apply_retention", now=DECIDED + 1000 * DAY)

    assert (run.detail.get("applicants_anonymised"), _anonymised(db_session, applicant)) == (
        None,
        False,
    )


def test_an_active_applicant_goes_with_their_anonymised_member(job_app, factory, db_session):
    member = factory.member(status="left", left_at=DECIDED)
    applicant = _decided(factory, db_session, ApplicantStatus.ACTIVE, email="active@example.org")
    applicant.member_id = member.id
    db_session.flush()

    run = execute_job(job_app, "apply_retention", now=DECIDED + 91 * DAY)

    assert run.detail["applicants_anonymised"] == 1
    assert _anonymised(db_session, applicant)
