"""Nominations: the council asks an organisation to name representatives through a secret link.

The link's secret is mailed to the organisation's contact and only its SHA-256 is stored (as
for API tokens). The contact names one representative at a time; each becomes an applicant
with the organisation's mandate (``submit_application``, source nomination). The link stops
working after the answer-by date (a local date), when every seat is named, or when the council
withdraws the request.
"""

from __future__ import annotations

import dataclasses
import secrets
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, func, select

from app import clock
from app.mail.context import MailContext
from app.mail.outbox import queue_mail
from app.models import Area, BookingRequest, Organisation
from app.models.enums import ApplicantSource, ExperienceType, NominationStatus
from app.models.nomination import Nomination, NominationAnswer
from app.models.recruitment import Applicant
from app.services.accounts.api_tokens import hash_token
from app.services.date_bounds import check_day
from app.services.errors import Conflict, InvalidInput, NotFound
from app.services.messages import N_
from app.services.nominations.register import patient_organisation
from app.services.privacy.audit import record_audit
from app.services.privacy.consent import CONSENT_TEXT_VERSION
from app.services.recruitment.applications import ApplicationInput, submit_application

#: Told on the link's page once it no longer takes answers.
LINK_CLOSED = {
    "expired": N_(
        "The time to answer has passed. Contact the council if you still want to name someone."
    ),
    "filled": N_("Every representative asked for has been named. Thank you!"),
    "withdrawn": N_("The council has withdrawn this request. Thank you all the same!"),
}


@dataclass(frozen=True)
class NominationInput:
    """What the council asks an organisation for."""

    area_id: int
    seats: int
    mandate_ends_on: date
    answer_by: date
    purpose: str = ""
    request_id: int | None = None


def nomination_url(ctx: MailContext, secret: str) -> str:
    """Return the organisation's secret link to a nomination."""
    return f"{ctx.base_url.rstrip('/')}/nominations/{secret}"


def _check(session: Session, organisation: Organisation, data: NominationInput, today: date):
    errors = {}
    if session.get(Area, data.area_id) is None:
        errors["area_id"] = N_("Choose one of the listed values.")
    if not 1 <= data.seats <= 50:
        errors["seats"] = N_("Ask for 1 to 50 representatives.")
    for field in ("mandate_ends_on", "answer_by"):
        try:
            check_day(getattr(data, field), field)
        except InvalidInput as error:
            errors |= error.fields
    if not errors and data.answer_by < today:
        errors["answer_by"] = N_("The answer-by date cannot be in the past.")
    if not errors and data.mandate_ends_on <= data.answer_by:
        errors["mandate_ends_on"] = N_("The mandate must end after the answer-by date.")
    if data.request_id is not None and session.get(BookingRequest, data.request_id) is None:
        errors["request_id"] = N_("There is no request with that number.")
    if len(data.purpose) > 2000:
        errors["purpose"] = N_("The text is too long.")
    if not organisation.contact_email:
        errors["contact_email"] = N_(
            "The organisation has no contact e-mail address to send the link to."
        )
    if errors:
        raise InvalidInput(next(iter(errors.values())), errors)


def create_nomination(
    *,
    session: Session,
    organisation_id: int,
    data: NominationInput,
    actor_id: int | None,
    ctx: MailContext,
    now: datetime,
) -> tuple[Nomination, str]:
    """Ask an organisation to name representatives; mail the secret link to its contact."""
    organisation = patient_organisation(session=session, organisation_id=organisation_id)
    _check(session, organisation, data, clock.local(now).date())
    secret = secrets.token_urlsafe(32)
    nomination = Nomination(
        organisation_id=organisation.id,
        area_id=data.area_id,
        request_id=data.request_id,
        purpose=data.purpose.strip(),
        seats=data.seats,
        mandate_ends_on=data.mandate_ends_on,
        answer_by=data.answer_by,
        token_hash=hash_token(secret),
        sent_to=organisation.contact_email,
        created_by_id=actor_id,
        created_at=now,
    )
    session.add(nomination)
    session.flush()
    subject, body = _request_text(
        ctx, organisation, nomination, session.get(Area, data.area_id), secret
    )
    queue_mail(
        session,
        to=organisation.contact_email,
        subject=subject,
        body=body,
        key=f"nomination:{nomination.id}",
        kind="nomination_request",
        now=now,
    )
    _audit(session, actor_id, "nomination.created", nomination, {"seats": data.seats})
    return nomination, secret


def _request_text(ctx, organisation, nomination, area, secret) -> tuple[str, str]:
    t = ctx.translate
    parts = [
        t(N_("Hello %(name)s,"), name=organisation.contact_name or organisation.name),
        t(
            N_(
                "The council asks %(organisation)s to name %(seats)s patient or relative"
                " representatives for the area %(area)s."
            ),
            organisation=organisation.name,
            seats=nomination.seats,
            area=area.name(ctx.locale),
        ),
    ]
    if nomination.purpose:
        parts.append(nomination.purpose)
    parts += [
        t(
            N_("The mandate runs until %(ends)s. Please answer by %(answer_by)s here: %(url)s"),
            ends=nomination.mandate_ends_on.isoformat(),
            answer_by=nomination.answer_by.isoformat(),
            url=nomination_url(ctx, secret),
        ),
        t(
            N_(
                "Ask each person first: they must agree to be named and to the council storing"
                " their details. Anyone with the link can answer, so do not pass it on."
            )
        ),
    ]
    return t(
        N_("Name representatives for %(organisation)s"), organisation=organisation.name
    ), "\n\n".join(parts)


def _audit(session, actor_id, action, nomination, detail=None) -> None:
    record_audit(
        session=session,
        actor_id=actor_id,
        action=action,
        subject_type="organisation",
        subject_id=nomination.organisation_id,
        detail={"nomination_id": nomination.id} | (detail or {}),
    )


def nomination_by_token(*, session: Session, token: str, lock: bool = False) -> Nomination:
    """Return the nomination a secret link points to, or raise NotFound."""
    query = select(Nomination).where(Nomination.token_hash == hash_token(token or ""))
    nomination = session.exec(query.with_for_update() if lock else query).first() if token else None
    if nomination is None:
        raise NotFound(N_("No such nomination."))
    return nomination


def named_count(*, session: Session, nomination_id: int) -> int:
    """Return how many representatives have been named for a nomination."""
    query = select(func.count(NominationAnswer.id)).where(
        NominationAnswer.nomination_id == nomination_id
    )
    return session.exec(query).one()


def link_state(nomination: Nomination, today: date) -> str:
    """Return "open", "filled", "withdrawn" or "expired" (open but past the answer-by date)."""
    if nomination.status == NominationStatus.OPEN and today > nomination.answer_by:
        return "expired"
    return str(nomination.status)


def name_nominee(
    *,
    session: Session,
    token: str,
    nominee: ApplicationInput,
    experience_type: str,
    has_consent: bool,
    ctx: MailContext,
    now: datetime,
) -> Applicant:
    """Name one representative through the link: they become an applicant with the mandate."""
    nomination = nomination_by_token(session=session, token=token, lock=True)
    state = link_state(nomination, clock.local(now).date())
    if state != "open":
        raise Conflict(LINK_CLOSED[state])
    errors = {}
    if not has_consent:
        errors["consent"] = N_("Confirm that the person agrees to be named.")
    if experience_type not in set(ExperienceType):
        errors["experience_type"] = N_("Choose one of the listed values.")
    if errors:
        raise InvalidInput(next(iter(errors.values())), errors)
    applicant = submit_application(
        dataclasses.replace(nominee, experiences=((nomination.area_id, experience_type),)),
        session=session,
        source=ApplicantSource.NOMINATION,
        organisation_id=nomination.organisation_id,
        mandate_ends_on=nomination.mandate_ends_on,
        consent_text_version=CONSENT_TEXT_VERSION,
        now=now,
    )
    session.add(
        NominationAnswer(nomination_id=nomination.id, applicant_id=applicant.id, created_at=now)
    )
    session.flush()
    if named_count(session=session, nomination_id=nomination.id) >= nomination.seats:
        nomination.status, nomination.closed_at = NominationStatus.FILLED, now
        session.add(nomination)
    _audit(session, None, "nomination.answered", nomination, {"applicant_id": applicant.id})
    _tell_council(session, ctx, nomination, applicant, now)
    return applicant


def _tell_council(session, ctx: MailContext, nomination: Nomination, applicant, now) -> None:
    """Tell Samordningen's mailbox that a representative was named (no health data)."""
    t = ctx.translate
    organisation = session.get(Organisation, nomination.organisation_id)
    url = f"{ctx.base_url.rstrip('/')}/council/nominations/{nomination.id}"
    queue_mail(
        session,
        to=ctx.council_mailbox,
        subject=t(N_("%(organisation)s named a representative"), organisation=organisation.name),
        body=t(
            N_("%(named)s of %(seats)s representatives are named. See the answers: %(url)s"),
            named=named_count(session=session, nomination_id=nomination.id),
            seats=nomination.seats,
            url=url,
        ),
        key=f"nomination_answer:{applicant.id}",
        kind="nomination_answer",
        now=now,
    )


def withdraw_nomination(
    *, session: Session, nomination_id: int, actor_id: int | None, now: datetime
) -> Nomination:
    """Take back an open nomination: its link stops working."""
    nomination = get_nomination(session=session, nomination_id=nomination_id)
    if nomination.status != NominationStatus.OPEN:
        raise Conflict(N_("Only an open request can be withdrawn."))
    nomination.status, nomination.closed_at = NominationStatus.WITHDRAWN, now
    session.add(nomination)
    _audit(session, actor_id, "nomination.withdrawn", nomination)
    return nomination


def get_nomination(*, session: Session, nomination_id: int) -> Nomination:
    """Return a nomination or raise NotFound."""
    nomination = session.get(Nomination, nomination_id)
    if nomination is None:
        raise NotFound(N_("No such nomination."))
    return nomination


def list_nominations(*, session: Session, organisation_id: int) -> list[tuple[Nomination, int]]:
    """Return an organisation's nominations, newest first, each with how many are named."""
    named = (
        select(NominationAnswer.nomination_id, func.count(NominationAnswer.id).label("named"))
        .group_by(NominationAnswer.nomination_id)
        .subquery()
    )
    rows = session.exec(
        select(Nomination, func.coalesce(named.c.named, 0))
        .outerjoin(named, named.c.nomination_id == Nomination.id)
        .where(Nomination.organisation_id == organisation_id)
        .order_by(Nomination.created_at.desc(), Nomination.id.desc())
    )
    return [(nomination, count) for nomination, count in rows]


def nominees(*, session: Session, nomination_id: int) -> list[Applicant]:
    """Return the applicants named for a nomination, in the order they were named."""
    return list(
        session.exec(
            select(Applicant)
            .join(NominationAnswer, NominationAnswer.applicant_id == Applicant.id)
            .where(NominationAnswer.nomination_id == nomination_id)
            .order_by(NominationAnswer.id)
        )
    )
