"""Applications and nominations to the pool: validate and store an applicant (docs/domain.md §2)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, select

from app import clock
from app.models import Applicant, Area, Organisation
from app.models.base import utcnow
from app.models.enums import (
    ApplicantNeed,
    ApplicantSource,
    AssignmentType,
    ExperienceType,
    Gender,
    Participation,
)
from app.services.errors import InvalidInput
from app.services.messages import N_
from app.services.privacy.audit import record_audit
from app.services.recruitment.progress import note_gaps
from app.services.text_rules import email_error, one_line_error, text_error

#: Youngest and oldest age the pool takes (the council's member form has the same rule).
MIN_AGE, MAX_AGE = 16, 110
#: Longest free text about needs.
MAX_NEEDS_LENGTH = 2000
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")
#: What "how they wish to take part" may hold: assignment types and degrees of participation.
PARTICIPATION_VALUES = frozenset(AssignmentType) | frozenset(Participation)


@dataclass(frozen=True)
class ApplicationInput:
    """What a person (or an organisation nominating them) tells the council."""

    first_name: str
    last_name: str
    email: str
    phone: str
    birth_year: int | None
    gender: str | None
    municipality: str
    experiences: tuple[tuple[int, str], ...]  # (area_id, "own" | "relative")
    participation: tuple[str, ...]
    needs: str
    languages: tuple[str, ...] = ("sv",)
    need_codes: tuple[str, ...] = ()


def validate_application(
    data: ApplicationInput, *, session: Session, source: str, today: date | None = None
) -> dict[str, str]:
    """Return field → message id for every broken rule (empty when valid)."""
    errors: dict[str, str] = {}
    for name, message in (
        ("first_name", N_("A first name is required.")),
        ("last_name", N_("A last name is required.")),
        ("email", N_("An email address is required.")),
    ):
        if not getattr(data, name).strip():
            errors[name] = message
    if source == ApplicantSource.APPLICATION and not data.municipality.strip():
        errors["municipality"] = N_("Write the municipality you live in.")
    errors.update(_birth_year_errors(data.birth_year, source, today or clock.today()))
    if data.gender is not None and data.gender not in set(Gender):
        errors["gender"] = N_("Choose one of the listed values.")
    errors.update(_experience_errors(session, data.experiences))
    if set(data.participation) - PARTICIPATION_VALUES:
        errors["participation"] = N_("Choose one of the listed values.")
    if not data.languages or not all(LANGUAGE_CODE.match(c) for c in data.languages):
        errors["languages"] = N_("Choose at least one language.")
    if set(data.need_codes) - set(ApplicantNeed):
        errors["need_codes"] = N_("Choose one of the listed values.")
    if len(data.needs) > MAX_NEEDS_LENGTH:
        errors["needs"] = N_("The text is too long.")
    elif message := text_error(data.needs):
        errors["needs"] = message
    for name in ("first_name", "last_name", "phone", "municipality"):
        if name not in errors and (message := one_line_error(getattr(data, name))):
            errors[name] = message
    if "email" not in errors and (message := email_error(data.email.strip())):
        errors["email"] = message
    return errors


def _birth_year_errors(birth_year: int | None, source: str, today: date) -> dict[str, str]:
    if birth_year is None:
        if source == ApplicantSource.APPLICATION:
            return {"birth_year": N_("Give the year you were born, with four digits.")}
        return {}
    if not today.year - MAX_AGE <= birth_year <= today.year - MIN_AGE:
        return {"birth_year": N_("Give a four-digit birth year; members are at least 16.")}
    return {}


def _experience_errors(
    session: Session, experiences: tuple[tuple[int, str], ...]
) -> dict[str, str]:
    if not experiences:
        return {"experiences": N_("Choose at least one area of experience.")}
    area_ids = {area_id for area_id, _type in experiences}
    known = set(session.exec(select(Area.id).where(Area.id.in_(area_ids), Area.is_active)))
    types_ok = all(kind in set(ExperienceType) for _area, kind in experiences)
    if known != area_ids or not types_ok:
        return {"experiences": N_("Choose one of the listed values.")}
    return {}


def submit_application(
    data: ApplicationInput,
    *,
    session: Session,
    source: str = ApplicantSource.APPLICATION,
    organisation_id: int | None = None,
    mandate_ends_on: date | None = None,
    consent_text_version: str,
    now: datetime | None = None,
) -> Applicant:
    """Validate and store an application or nomination; audit it; return the flushed row."""
    now = now or utcnow()
    today = clock.local(now).date()
    errors = validate_application(data, session=session, source=source, today=today)
    if organisation_id is not None and session.get(Organisation, organisation_id) is None:
        errors["organisation_id"] = N_("Choose one of the listed values.")
    if not consent_text_version:
        errors["consent"] = N_("Consent to the processing is needed to apply.")
    if errors:
        raise InvalidInput(N_("The application has errors."), errors)
    applicant = Applicant(
        created_at=now,
        first_name=data.first_name.strip(),
        last_name=data.last_name.strip(),
        email=data.email.strip().lower(),
        phone=data.phone.strip(),
        birth_year=data.birth_year,
        gender=data.gender,
        municipality=data.municipality.strip(),
        experiences=[
            {"area_id": area_id, "type": kind} for area_id, kind in dict.fromkeys(data.experiences)
        ],
        participation=list(dict.fromkeys(data.participation)),
        languages=list(dict.fromkeys(data.languages)),
        need_codes=list(dict.fromkeys(data.need_codes)),
        needs=data.needs.strip(),
        source=source,
        organisation_id=organisation_id,
        mandate_ends_on=mandate_ends_on,
        consent_given_at=now,
        consent_text_version=consent_text_version,
    )
    session.add(applicant)
    session.flush()
    note_gaps(applicant, session=session, today=today)  # marks it when it fills an open target
    if source == ApplicantSource.NOMINATION:
        audit_applicant(session, None, "applicant.nominated", applicant)
    else:
        audit_applicant(session, None, "applicant.submitted", applicant)
    return applicant


def audit_applicant(
    session: Session, actor_id: int | None, action: str, applicant: Applicant
) -> None:
    """Record an event about an applicant (names of things only, never their health data)."""
    record_audit(
        session=session,
        actor_id=actor_id,
        action=action,
        subject_type="applicant",
        subject_id=applicant.id,
        detail={"status": applicant.status},
    )
