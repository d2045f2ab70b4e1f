"""The report an organisation gets of its representatives' assignments, and its secret link.

It lists, for one year, each assignment of the members holding the organisation's mandate:
period, assignment type, the kind of organiser and the hours. It names no area, title or other
detail of a request, so it says nothing about the representatives' health beyond what the
organisation itself gave when it named them.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session, select

from app import clock
from app.mail.context import MailContext
from app.mail.outbox import queue_mail
from app.models import BookingRequest, Organisation
from app.services.accounts.api_tokens import hash_token
from app.services.booking.work_units import work_units
from app.services.date_bounds import check_year
from app.services.errors import InvalidInput, NotFound
from app.services.messages import N_
from app.services.nominations.mandates import representatives
from app.services.nominations.register import patient_organisation
from app.services.privacy.audit import record_audit

#: How long a report link mailed to an organisation's contact works.
REPORT_LINK_LIFETIME = timedelta(days=90)


@dataclass(frozen=True)
class ReportRow:
    """One assignment of a representative."""

    member_name: str
    first_day: date
    last_day: date
    assignment_type: str
    organiser_kind: str
    hours: float


@dataclass(frozen=True)
class OrganisationReport:
    """An organisation's representatives' assignments in one year."""

    organisation: Organisation
    year: int
    rows: tuple[ReportRow, ...]
    representatives: int

    @property
    def total_hours(self) -> float:
        return sum(row.hours for row in self.rows)


def organisation_report(*, session: Session, organisation_id: int, year: int) -> OrganisationReport:
    """Return the assignments of an organisation's representatives whose first session is in ``year``."""
    check_year(year)
    organisation = patient_organisation(session=session, organisation_id=organisation_id)
    members = {m.id: m for m in representatives(session=session, organisation_id=organisation.id)}
    units = (
        [
            unit
            for unit in work_units(session=session, member_ids=list(members))
            if clock.local(unit.first_start).year == year
        ]
        if members
        else []
    )
    requests = {
        r.id: r
        for r in session.exec(
            select(BookingRequest).where(BookingRequest.id.in_({u.request_id for u in units}))
        )
    }
    kinds = dict(session.exec(select(Organisation.id, Organisation.kind)).all())
    rows = [
        ReportRow(
            member_name=f"{members[u.member_id].first_name} {members[u.member_id].last_name}".strip(),
            first_day=clock.local(u.first_start).date(),
            last_day=clock.local(u.last_end).date(),
            assignment_type=requests[u.request_id].assignment_type,
            organiser_kind=kinds[requests[u.request_id].organisation_id],
            hours=u.hours,
        )
        for u in units
    ]
    rows.sort(key=lambda row: (row.first_day, row.member_name))
    return OrganisationReport(organisation, year, tuple(rows), len(members))


def send_report_link(
    *, session: Session, organisation_id: int, actor_id: int | None, ctx: MailContext, now: datetime
) -> Organisation:
    """Make a new report link (the old one stops working) and mail it to the contact."""
    organisation = patient_organisation(session=session, organisation_id=organisation_id)
    if not organisation.contact_email:
        message = N_("The organisation has no contact e-mail address to send the link to.")
        raise InvalidInput(message, {"contact_email": message})
    secret = secrets.token_urlsafe(32)
    organisation.report_token_hash = hash_token(secret)
    organisation.report_link_expires_at = now + REPORT_LINK_LIFETIME
    session.add(organisation)
    t = ctx.translate
    url = f"{ctx.base_url.rstrip('/')}/organisations/report/{secret}"
    queue_mail(
        session,
        to=organisation.contact_email,
        subject=t(N_("Your representatives' assignments")),
        body="\n\n".join(
            [
                t(N_("Hello %(name)s,"), name=organisation.contact_name or organisation.name),
                t(
                    N_(
                        "Here you see the assignments of the representatives %(organisation)s"
                        " has given a mandate: %(url)s"
                    ),
                    organisation=organisation.name,
                    url=url,
                ),
                t(
                    N_("The link works until %(day)s. Do not pass it on."),
                    day=clock.local(organisation.report_link_expires_at).date().isoformat(),
                ),
            ]
        ),
        kind="organisation_report_link",
        now=now,
    )
    record_audit(
        session=session,
        actor_id=actor_id,
        action="organisation.report_link_sent",
        subject_type="organisation",
        subject_id=organisation.id,
    )
    return organisation


def organisation_for_report(*, session: Session, token: str, now: datetime) -> Organisation:
    """Return the organisation a report link belongs to while the link works, else NotFound."""
    organisation = (
        session.exec(
            select(Organisation).where(Organisation.report_token_hash == hash_token(token))
        ).first()
        if token
        else None
    )
    if organisation is None or organisation.report_link_expires_at <= now:
        raise NotFound(N_("This link does not work any more. Ask the council for a new one."))
    return organisation
