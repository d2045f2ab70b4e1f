"""Helpers for the recruitment tests: the public form's data and an applicant in the pipeline."""

from __future__ import annotations

import re

from sqlmodel import select

from app.models import Area
from app.services.recruitment.applications import ApplicationInput, submit_application
from tests.html import csrf_token


def form_fields(html: str) -> dict:
    """Return the hidden CSRF token and signed start stamp of the application page."""
    stamp = re.search(r'id="started" name="started" type="hidden" value="([^"]+)"', html)
    return {"csrf_token": csrf_token(html) or "", "started": stamp.group(1) if stamp else ""}


def application_data(area_id: int, **changes) -> dict:
    """Return a valid posted application (without the hidden fields)."""
    data = {
        "first_name": "Sara",
        "last_name": "Lind",
        "email": "sara.lind@example.org",
        "phone": "070-123 45 67",
        "birth_year": "2001",
        "gender": "",
        "municipality": "Jönköping",
        "experience_kind": "both",
        "areas": [str(area_id)],
        "participation": ["education", "interview"],
        "languages": ["sv", "en"],
        "need_codes": ["hearing_loop", "step_free"],
        "needs": "Behöver pauser.",
        "consent": "y",
        "website": "",
    }
    data.update(changes)
    return data


def demo_applicant(session):
    """An application with every kind of answer, for the page checks (first active area)."""
    area = session.exec(select(Area).where(Area.is_active).order_by(Area.code)).first()
    data = ApplicationInput(
        first_name="Alva",
        last_name="Ansökare",
        email="alva.ansokare@example.org",
        phone="070-111 22 33",
        birth_year=1999,
        gender=None,
        municipality="Eksjö",
        experiences=((area.id, "own"), (area.id, "relative")),
        participation=("education", "working_group"),
        needs="Behöver pauser.",
        languages=("sv", "en"),
        need_codes=("hearing_loop", "easy_read"),
    )
    applicant = submit_application(data, session=session, consent_text_version="2026-01")
    session.flush()
    return applicant


def applicant_in_pipeline(factory, *, area_code: str = "psykiatri", source_fields=None, **changes):
    """Store an application as the public form would (a nomination with ``source_fields``)."""
    area = factory.area(area_code)
    values = dict(
        first_name="Sara",
        last_name="Lind",
        email="sara.lind@example.org",
        phone="",
        birth_year=2001,
        gender="woman",
        municipality="Jönköping",
        experiences=((area.id, "own"),),
        participation=("education",),
        needs="",
    )
    values.update(changes)
    applicant = submit_application(
        ApplicationInput(**values),
        session=factory.session,
        consent_text_version="2026-01",
        **(source_fields or {}),
    )
    factory.session.flush()  # the audit event is written before the test's own
    return applicant
