"""Retention of applicants: personal data is removed once the application is settled.

- declined: the retention period (``RETENTION_DAYS``, 90 days by default) after the decision;
- not now: a year after the decision (the council may come back to the person within it, as
  the mail telling them says);
- active: the member row holds the data from activation on; the applicant row is anonymised
  together with the member (``privacy/retention.py``).

Open applications stay until the council decides. An anonymised applicant keeps only what
the follow-up counts: status, source, organisation, dates and the recruitment gap it filled.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, or_, select

from app.models import Applicant, Member
from app.models.enums import ApplicantStatus
from app.services.privacy.retention import RETENTION, scrub_outbox
from app.services.recruitment.applications import audit_applicant

#: How long a "not now" applicant is kept after the decision.
NOT_NOW_KEPT = timedelta(days=365)


def applicants_due(
    *, session: Session, now: datetime, retention: timedelta = RETENTION
) -> list[Applicant]:
    """Return applicants whose data the retention rule says to remove now."""
    changed = col(Applicant.status_changed_at)
    declined = (Applicant.status == ApplicantStatus.DECLINED) & (changed <= now - retention)
    not_now = (Applicant.status == ApplicantStatus.NOT_NOW) & (changed <= now - NOT_NOW_KEPT)
    gone = col(Applicant.member_id).in_(
        select(Member.id).where(col(Member.anonymised_at).is_not(None))
    )
    query = select(Applicant).where(
        col(Applicant.anonymised_at).is_(None), or_(declined, not_now, gone)
    )
    return list(session.exec(query.order_by(Applicant.id)))


def anonymise_applicant(*, session: Session, applicant: Applicant, now: datetime) -> None:
    """Remove an applicant's personal and health data, keeping the counts' fields."""
    scrub_outbox(session, applicant.email)
    applicant.first_name, applicant.last_name = "Pseudonym", f"A-{applicant.id}"
    applicant.email = applicant.phone = applicant.municipality = ""
    applicant.needs = applicant.status_reason = ""
    applicant.experiences, applicant.need_codes, applicant.languages = [], [], []
    applicant.participation, applicant.birth_year, applicant.gender = [], None, None
    applicant.anonymised_at = now
    session.add(applicant)
    audit_applicant(session, None, "applicant.anonymised", applicant)


def apply_applicant_retention(
    *, session: Session, now: datetime, retention: timedelta = RETENTION
) -> int:
    """Anonymise every applicant the retention rule has reached; return how many."""
    due = applicants_due(session=session, now=now, retention=retention)
    for applicant in due:
        anonymise_applicant(session=session, applicant=applicant, now=now)
    return len(due)
