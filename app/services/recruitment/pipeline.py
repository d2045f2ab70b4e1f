"""The council's recruitment pipeline: one transition function and what each step sets.

applied → conversation booked → introduction → agreement signed → active; from any open step
also "not now" (it may resume later) or declined, each with a reason the person is told by mail.
Activation creates the pool member (``activation.py``). See docs/recruitment.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from app import clock
from app.mail.context import MailContext
from app.mail.outbox import queue_mail
from app.models import Applicant, Area, User
from app.models.base import utcnow
from app.models.enums import ApplicantStatus as S
from app.services.errors import Conflict, InvalidInput, NotFound
from app.services.messages import N_
from app.services.recruitment.activation import activate
from app.services.recruitment.applications import audit_applicant
from app.services.text_rules import text_error

OPEN = (S.APPLIED, S.CONVERSATION_BOOKED, S.INTRODUCTION, S.AGREEMENT_SIGNED)
#: target status → the statuses it may be reached from.
ALLOWED: dict[S, tuple[S, ...]] = {
    S.CONVERSATION_BOOKED: (S.APPLIED, S.NOT_NOW),
    S.INTRODUCTION: (S.CONVERSATION_BOOKED,),
    S.AGREEMENT_SIGNED: (S.INTRODUCTION,),
    S.ACTIVE: (S.AGREEMENT_SIGNED,),
    S.NOT_NOW: OPEN,
    S.DECLINED: (*OPEN, S.NOT_NOW),
}
#: Statuses whose reason is required and sent to the person.
WITH_REASON = (S.NOT_NOW, S.DECLINED)
MAX_REASON_LENGTH = 2000
#: The pipeline's order on the council's page.
ORDER = (*OPEN, S.ACTIVE, S.NOT_NOW, S.DECLINED)


@dataclass(frozen=True)
class Move:
    """What the council decided: the new status, a reason or note, a birth year if missing."""

    status: str
    reason: str = ""
    birth_year: int | None = None


def next_statuses(applicant: Applicant) -> list[S]:
    """Return the statuses an applicant can be moved to now, in pipeline order."""
    return [status for status in ORDER if applicant.status in ALLOWED.get(status, ())]


def get_applicant(*, session: Session, applicant_id: int) -> Applicant:
    """Return an applicant by id."""
    applicant = session.get(Applicant, applicant_id)
    if applicant is None or applicant.anonymised_at is not None:
        raise NotFound(N_("No such applicant."))
    return applicant


def applicant_areas(*, session: Session, applicant: Applicant) -> list[tuple[Area, str]]:
    """Return the applicant's experiences as (area, "own" | "relative"), in taxonomy order."""
    kinds = [(item["area_id"], item["type"]) for item in applicant.experiences or []]
    areas = {
        area.id: area
        for area in session.exec(select(Area).where(col(Area.id).in_([a for a, _k in kinds])))
    }
    found = [(areas[area_id], kind) for area_id, kind in kinds if area_id in areas]
    return sorted(found, key=lambda pair: (pair[0].code, pair[1]))


def applicants_by_status(*, session: Session) -> dict[str, list[Applicant]]:
    """Return the applicants not anonymised, grouped by status in pipeline order, oldest first."""
    rows = session.exec(
        select(Applicant)
        .where(col(Applicant.anonymised_at).is_(None))
        .order_by(Applicant.created_at, Applicant.id)
    )
    grouped: dict[str, list[Applicant]] = {status.value: [] for status in ORDER}
    for applicant in rows:
        grouped[applicant.status].append(applicant)
    return grouped


def move_applicant(
    *,
    session: Session,
    applicant: Applicant,
    move: Move,
    actor: User,
    ctx: MailContext,
    welcome_link: Callable[[User], str],
    retention_days: int = 90,
    now: datetime | None = None,
) -> Applicant:
    """Move an applicant to the next step: check it, stamp it, audit it and tell the person."""
    now = now or utcnow()
    target = _check_move(applicant, move)
    if target == S.ACTIVE:  # first: a refusal leaves the applicant as it was
        activate(
            session=session,
            applicant=applicant,
            birth_year=move.birth_year,
            actor_id=actor.id,
            ctx=ctx,
            welcome_link=welcome_link,
            now=now,
        )
    if target == S.INTRODUCTION:
        applicant.introduced_on = clock.local(now).date()
    applicant.status = target
    applicant.status_reason = move.reason.strip()
    applicant.status_changed_at, applicant.status_changed_by_id = now, actor.id
    session.add(applicant)
    session.flush()
    audit_applicant(session, actor.id, f"applicant.status.{target}", applicant)
    _tell(session, applicant, target, ctx, retention_days)
    return applicant


def _check_move(applicant: Applicant, move: Move) -> S:
    if move.status not in set(S):
        raise InvalidInput(
            N_("Choose one of the listed values."),
            {"status": N_("Choose one of the listed values.")},
        )
    target = S(move.status)
    if applicant.status not in ALLOWED.get(target, ()):
        raise Conflict(N_("The applicant cannot be moved to that step from where they are now."))
    reason = move.reason.strip()
    if target in WITH_REASON and not reason:
        raise InvalidInput(
            N_("Write the reason; the person is told it."),
            {"reason": N_("Write the reason; the person is told it.")},
        )
    if len(reason) > MAX_REASON_LENGTH or text_error(reason):
        raise InvalidInput(N_("The text is too long."), {"reason": N_("The text is too long.")})
    return target


#: status → (subject, body) of the mail the person gets; the others get none (activation sends
#: the set-password invitation).
MAILS = {
    S.CONVERSATION_BOOKED: (
        N_("Levande bibliotek: a conversation with us"),
        N_(
            "Hello %(name)s,\n\nthank you for your application. We would like to meet you for a "
            "conversation about taking part.\n\n%(reason)s\n\nBest regards,\nSamordningen"
        ),
    ),
    S.NOT_NOW: (
        N_("Levande bibliotek: your application"),
        N_(
            "Hello %(name)s,\n\nthank you for your application. We cannot take you into the pool "
            "right now:\n\n%(reason)s\n\nWe may contact you again within a year. After that your "
            "application is deleted.\n\nBest regards,\nSamordningen"
        ),
    ),
    S.DECLINED: (
        N_("Levande bibliotek: your application"),
        N_(
            "Hello %(name)s,\n\nthank you for your application. We have decided not to take you "
            "into the pool:\n\n%(reason)s\n\nYour application is deleted after %(days)s days. You are "
            "welcome to contact us with questions.\n\nBest regards,\nSamordningen"
        ),
    ),
}


def _tell(session: Session, applicant: Applicant, target: S, ctx: MailContext, days: int) -> None:
    if target not in MAILS or not applicant.email:
        return
    subject, body = MAILS[target]
    queue_mail(
        session,
        to=applicant.email,
        subject=ctx.translate(subject),
        body=ctx.translate(
            body, name=applicant.first_name, reason=applicant.status_reason or "-", days=days
        ),
    )
