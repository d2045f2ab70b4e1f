"""Payout batches: attested claims gathered per month or quarter, closed for payment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session, select

from app.models import (
    Assignment,
    BookingRequest,
    ClaimLine,
    CompensationClaim,
    Member,
    Organisation,
    PayoutBatch,
    User,
)
from app.models.base import utcnow
from app.models.enums import ClaimStatus, PayoutFrequency
from app.services.errors import Conflict, InvalidInput, NotFound
from app.services.messages import N_
from app.services.privacy.audit import record_audit


def period_for(day: date, frequency: str) -> tuple[date, date]:
    """Return the first and last day of the month or quarter containing ``day``."""
    if frequency == PayoutFrequency.MONTHLY:
        first_month = day.month
        months = 1
    elif frequency == PayoutFrequency.QUARTERLY:
        first_month = 3 * ((day.month - 1) // 3) + 1
        months = 3
    else:
        raise InvalidInput(
            N_("Choose monthly or quarterly."),
            fields={"frequency": N_("Choose monthly or quarterly.")},
        )
    start = date(day.year, first_month, 1)
    end_month = first_month + months
    end = date(day.year + (end_month > 12), (end_month - 1) % 12 + 1, 1) - timedelta(days=1)
    return start, end


def create_batch(*, session: Session, actor: User, day: date, frequency: str) -> PayoutBatch:
    """Open a batch for the period containing ``day``; one batch per period."""
    start, end = period_for(day, frequency)
    existing = session.exec(
        select(PayoutBatch).where(PayoutBatch.period_start == start, PayoutBatch.period_end == end)
    ).first()
    if existing is not None:
        raise Conflict(N_("A batch for that period already exists."))
    batch = PayoutBatch(
        period_start=start, period_end=end, frequency=frequency, created_by_id=actor.id
    )
    session.add(batch)
    session.flush()
    return batch


def get_batch(*, session: Session, batch_id: int) -> PayoutBatch:
    """Return a batch or raise NotFound."""
    batch = session.get(PayoutBatch, batch_id)
    if batch is None:
        raise NotFound(N_("No such batch."))
    return batch


def open_batch(*, session: Session, batch_id: int) -> PayoutBatch:
    """Return a batch that may still change; a closed batch raises Conflict."""
    batch = get_batch(session=session, batch_id=batch_id)
    if batch.is_closed:
        raise Conflict(N_("This batch is closed and cannot change."))
    return batch


def list_batches(*, session: Session) -> list[PayoutBatch]:
    """Return every batch, newest period first."""
    return list(session.exec(select(PayoutBatch).order_by(PayoutBatch.period_start.desc())))


def fill_batch(*, session: Session, batch_id: int) -> int:
    """Add attested claims not yet in a batch, whose activities ended by the period's end."""
    batch = open_batch(session=session, batch_id=batch_id)
    claims = session.exec(
        select(CompensationClaim).where(
            CompensationClaim.status == ClaimStatus.ATTESTED,
            CompensationClaim.payout_batch_id.is_(None),
        )
    ).all()
    added = 0
    for claim in claims:
        days = session.exec(
            select(ClaimLine.activity_on).where(ClaimLine.claim_id == claim.id)
        ).all()
        if days and max(days) <= batch.period_end:
            claim.payout_batch_id = batch.id
            added += 1
    session.flush()
    return added


def remove_claim(*, session: Session, batch_id: int, claim_id: int) -> None:
    """Take a claim out of an open batch (it waits for the next one)."""
    open_batch(session=session, batch_id=batch_id)
    claim = session.get(CompensationClaim, claim_id)
    if claim is None or claim.payout_batch_id != batch_id:
        raise NotFound(N_("No such claim."))
    claim.payout_batch_id = None
    session.flush()


#: The default pay date is this day of the month after the period ends (docs/domain.md §6.5).
DEFAULT_PAY_DAY = 25
#: A pay date may lie at most this long after the period's end.
LATEST_PAY_DATE_DAYS = 366


def default_pay_date(batch: PayoutBatch) -> date:
    """Return the default pay date: the 25th of the month after the batch's period ends."""
    end = batch.period_end
    return date(end.year + (end.month == 12), end.month % 12 + 1, DEFAULT_PAY_DAY)


def pay_date_of(batch: PayoutBatch) -> date:
    """Return the batch's pay date: as set when closed, else the default rule's."""
    return batch.pay_date or default_pay_date(batch)


def _check_pay_date(batch: PayoutBatch, pay_date: date) -> None:
    if not batch.period_end <= pay_date <= batch.period_end + timedelta(LATEST_PAY_DATE_DAYS):
        message = N_("The pay date must be on or after the period's end and within a year of it.")
        raise InvalidInput(message, fields={"pay_date": message})


def close_batch(
    *, session: Session, batch_id: int, actor: User, pay_date: date | None = None
) -> PayoutBatch:
    """Close a batch for payment on ``pay_date`` (default rule when None): its claims are paid."""
    batch = open_batch(session=session, batch_id=batch_id)
    pay_date = pay_date or default_pay_date(batch)
    _check_pay_date(batch, pay_date)
    claims = list(
        session.exec(select(CompensationClaim).where(CompensationClaim.payout_batch_id == batch.id))
    )
    for claim in claims:
        claim.status = ClaimStatus.PAID
    batch.is_closed = True
    batch.closed_at = utcnow()
    batch.pay_date = pay_date
    record_audit(
        session=session,
        actor_id=actor.id,
        action="payout_batch.closed",
        subject_type="payout_batch",
        subject_id=batch.id,
        detail={
            "claims": len(claims),
            "total_sek": sum((c.fee_sek or 0) + (c.travel_sek or 0) for c in claims),
        },
    )
    session.flush()
    return batch


@dataclass(frozen=True)
class PayoutRow:
    """One export row: a member's claim line with its fee and (on the first line) travel."""

    member_number: int
    name: str
    period: str
    fee_class: str
    fee: int
    travel: int
    cost_centre: str
    organisation: str
    birth_year: int
    claim_id: int

    @property
    def total(self) -> int:
        return self.fee + self.travel


def batch_rows(*, session: Session, batch_id: int) -> list[PayoutRow]:
    """Return the batch's export rows, by member and date."""
    batch = get_batch(session=session, batch_id=batch_id)
    period = f"{batch.period_start.isoformat()}–{batch.period_end.isoformat()}"
    query = (
        select(ClaimLine, CompensationClaim, Member, Organisation)
        .join(CompensationClaim, CompensationClaim.id == ClaimLine.claim_id)
        .join(Member, Member.id == CompensationClaim.member_id)
        .join(Assignment, Assignment.id == CompensationClaim.assignment_id)
        .join(BookingRequest, BookingRequest.id == Assignment.request_id)
        .join(Organisation, Organisation.id == BookingRequest.organisation_id)
        .where(CompensationClaim.payout_batch_id == batch.id)
        .order_by(Member.id, CompensationClaim.id, ClaimLine.activity_on, ClaimLine.id)
    )
    rows, seen = [], set()
    for line, claim, member, organisation in session.exec(query):
        travel = 0 if claim.id in seen else (claim.travel_sek or 0)
        seen.add(claim.id)
        rows.append(
            PayoutRow(
                member.id,
                member.display_name,
                period,
                line.fee_class,
                line.fee_sek,
                travel,
                organisation.cost_centre,
                organisation.name,
                member.birth_year,
                claim.id,
            )
        )
    return rows
