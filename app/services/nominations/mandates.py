"""Mandates from organisations: renew or end them, and remind before and when one runs out.

A member with ``mandate=organisation`` speaks for ``mandate_organisation_id`` until
``Member.mandate_ends_on``. The daily job ``remind_mandates`` mails Samordningen's mailbox and
the organisation's contact once a set number of days before the end, and once when the end has
passed. Each message has an outbox key naming the member, the end date and the recipient, so a
second run (or a second scheduler) writes nothing again, and a renewed mandate (a new end date)
gets its own reminders.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from app import clock
from app.mail.context import MailContext
from app.mail.outbox import is_written, queue_mail
from app.models import Member, Organisation
from app.models.enums import Mandate, MemberStatus
from app.services.date_bounds import check_day
from app.services.errors import InvalidInput, NotFound
from app.services.job_log import Tally
from app.services.messages import N_
from app.services.nominations.register import patient_organisation
from app.services.privacy.audit import record_audit

#: Days before a mandate's end that the renewal reminder goes out (MANDATE_REMINDER_DAYS).
REMINDER_DAYS = 60


def representatives(*, session: Session, organisation_id: int) -> list[Member]:
    """Return the members holding an organisation's mandate, soonest end first."""
    query = (
        select(Member)
        .where(
            Member.mandate == Mandate.ORGANISATION,
            Member.mandate_organisation_id == organisation_id,
            Member.anonymised_at.is_(None),
        )
        .order_by(Member.mandate_ends_on.is_(None), Member.mandate_ends_on, Member.id)
    )
    return list(session.exec(query))


def _representative(session: Session, organisation_id: int, member_id: int) -> Member:
    patient_organisation(session=session, organisation_id=organisation_id)
    member = session.get(Member, member_id)
    if (
        member is None
        or member.mandate != Mandate.ORGANISATION
        or member.mandate_organisation_id != organisation_id
    ):
        raise NotFound(N_("The member holds no mandate from this organisation."))
    return member


def renew_mandate(
    *, session: Session, organisation_id: int, member_id: int, ends_on: date, actor_id: int | None
) -> Member:
    """Give a representative's mandate a new end date (after today)."""
    member = _representative(session, organisation_id, member_id)
    check_day(ends_on, "ends_on")
    if ends_on <= clock.today():
        message = N_("The new end date must be after today.")
        raise InvalidInput(message, {"ends_on": message})
    before = member.mandate_ends_on
    member.mandate_ends_on = ends_on
    session.add(member)
    _audit(session, actor_id, "mandate.renewed", member, organisation_id, before, ends_on)
    return member


def end_mandate(
    *, session: Session, organisation_id: int, member_id: int, actor_id: int | None
) -> Member:
    """End a representative's mandate: the member stays in the pool, taking part for themselves."""
    member = _representative(session, organisation_id, member_id)
    before = member.mandate_ends_on
    member.mandate, member.mandate_organisation_id = Mandate.SELF, None
    member.mandate_ends_on = None
    session.add(member)
    _audit(session, actor_id, "mandate.ended", member, organisation_id, before, None)
    return member


def _audit(session, actor_id, action, member, organisation_id, before, after) -> None:
    record_audit(
        session=session,
        actor_id=actor_id,
        action=action,
        subject_type="member",
        subject_id=member.id,
        detail={
            "organisation_id": organisation_id,
            "ends_on": [
                before.isoformat() if before else None,
                after.isoformat() if after else None,
            ],
        },
    )


def send_mandate_reminders(
    *,
    session: Session,
    now: datetime,
    ctx: MailContext,
    days_before: int = REMINDER_DAYS,
    zone: ZoneInfo | None = None,
) -> Tally:
    """Mail the renewal reminder once before a mandate ends and once when it has ended."""
    tally = Tally()
    today = now.astimezone(zone or clock.zone()).date()
    rows = session.exec(
        select(Member, Organisation)
        .join(Organisation, Organisation.id == Member.mandate_organisation_id)
        .where(
            Member.mandate == Mandate.ORGANISATION,
            Member.mandate_ends_on.is_not(None),
            Member.mandate_ends_on <= today + timedelta(days=days_before),
            Member.anonymised_at.is_(None),
            Member.status != MemberStatus.LEFT,
        )
        .order_by(Member.id)
    )
    for member, organisation in list(rows):
        kind = "mandate_expired" if member.mandate_ends_on <= today else "mandate_ending"
        for role, address in (
            ("council", ctx.council_mailbox),
            ("organisation", organisation.contact_email),
        ):
            key = f"{kind}:member={member.id}:ends={member.mandate_ends_on.isoformat()}:to={role}"
            if not address or is_written(session, key):
                continue
            subject, body = _reminder_text(ctx, kind, member, organisation, role)
            tally.mail(
                queue_mail(
                    session, to=address, subject=subject, body=body, key=key, kind=kind, now=now
                )
            )
    return tally


def _reminder_text(ctx: MailContext, kind, member: Member, organisation, role) -> tuple[str, str]:
    t = ctx.translate
    values = {
        "name": f"{member.first_name} {member.last_name}".strip(),
        "organisation": organisation.name,
        "ends": member.mandate_ends_on.isoformat(),
    }
    if kind == "mandate_expired":
        subject = t(N_("A mandate from %(organisation)s has ended"), **values)
        text = N_("The mandate %(organisation)s gave %(name)s ended on %(ends)s.")
    else:
        subject = t(N_("A mandate from %(organisation)s ends soon"), **values)
        text = N_("The mandate %(organisation)s gave %(name)s ends on %(ends)s.")
    url = f"{ctx.base_url.rstrip('/')}/council/organisations/{organisation.id}"
    follow_up = (
        t(N_("Renew it with a new end date or end it here: %(url)s"), url=url)
        if role == "council"
        else t(
            N_("Tell the council whether the mandate should be renewed: %(mailbox)s"),
            mailbox=ctx.council_mailbox,
        )
    )
    return subject, "\n\n".join([t(text, **values), follow_up])
