"""Helpers for the recruitment tests: the public form's data and an applicant in the pipeline."""

from __future__ import annotations

import re

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


def applicant_in_pipeline(factory, *, area_code: str = "psykiatri", **changes):
    """Store an application as the public form would."""
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
    return submit_application(
        ApplicationInput(**values), session=factory.session, consent_text_version="2026-01"
    )
