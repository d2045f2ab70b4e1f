"""Cost reports per ordering organisation, a member's yearly statement, the yearly settlement."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlmodel import Session, select

from app.models import (
    Assignment,
    BookingRequest,
    ClaimLine,
    CompensationClaim,
    Member,
    PayoutBatch,
)
from app.models.enums import ClaimStatus
from app.services.compensation import fees
from app.services.compensation.fee_tables import load_tables
from app.services.compensation.payer_years import payer_years
from app.services.compensation.payouts import pay_date_of
from app.services.date_bounds import check_year
from app.services.requests.coming import orderer_name

COUNTED = (ClaimStatus.ATTESTED, ClaimStatus.PAID)


@dataclass(frozen=True)
class CostLine:
    """One attested or paid claim as the ordering organisation's cost."""

    claim_id: int
    request_title: str
    #: First name only, as on the request's "who is coming" (``orderer_name``).
    member_name: str
    last_day: date
    fees: int
    contribution: int
    travel: int
    #: The contribution rate not recorded for the day (contribution then counts 0 until it is).
    missing: fees.MissingFigure | None = None

    @property
    def total(self) -> int:
        return self.fees + self.contribution + self.travel


def _claims_with_days(session: Session, *conditions) -> list[tuple]:
    query = (
        select(CompensationClaim, Member, BookingRequest)
        .join(Member, Member.id == CompensationClaim.member_id)
        .join(Assignment, Assignment.id == CompensationClaim.assignment_id)
        .join(BookingRequest, BookingRequest.id == Assignment.request_id)
        .where(CompensationClaim.status.in_(COUNTED), *conditions)
        .order_by(CompensationClaim.id)
    )
    found = list(session.exec(query))
    ids = [claim.id for claim, _, _ in found]
    last: dict[int, date] = {}
    if ids:
        for claim_id, day in session.exec(
            select(ClaimLine.claim_id, ClaimLine.activity_on).where(ClaimLine.claim_id.in_(ids))
        ):
            last[claim_id] = max(day, last.get(claim_id, day))
    return [(claim, member, req, last.get(claim.id)) for claim, member, req in found]


def cost_report(
    *, session: Session, organisation_id: int, start: date, end: date
) -> list[CostLine]:
    """Return one organisation's claim costs whose last activity falls in [start, end].

    The contribution is an estimate at the rate of the batch's pay date (the last activity's
    date while unbatched); the payer's settlement is what is owed (docs/domain.md §6.5).
    """
    tables = load_tables(session=session)
    pay_dates = {b.id: pay_date_of(b) for b in session.exec(select(PayoutBatch))}
    lines = []
    for claim, member, req, day in _claims_with_days(
        session, BookingRequest.organisation_id == organisation_id
    ):
        if day is None or not start <= day <= end:
            continue
        fee = claim.fee_sek or 0
        contribution, missing = 0, None
        if fee:
            paid_on = pay_dates.get(claim.payout_batch_id, day)
            try:
                rate = fees.contribution_rate(member.birth_year, paid_on, tables.contributions)
                contribution = fees.employer_contribution(fee, rate)
            except fees.MissingFigure as error:
                missing = error
        lines.append(
            CostLine(
                claim.id,
                req.title,
                orderer_name(member),
                day,
                fee,
                contribution,
                claim.travel_sek or 0,
                missing,
            )
        )
    return lines


@dataclass(frozen=True)
class StatementLine:
    """One paid claim on a member's yearly statement."""

    request_title: str
    #: The batch's pay date (the income year follows it).
    paid_on: date
    fees: int
    travel: int


def yearly_statement(*, session: Session, member_id: int, year: int) -> list[StatementLine]:
    """Return what was paid to a member in batches whose pay date falls in ``year`` (2000–2100)."""
    check_year(year)
    query = (
        select(CompensationClaim, BookingRequest, PayoutBatch)
        .join(Assignment, Assignment.id == CompensationClaim.assignment_id)
        .join(BookingRequest, BookingRequest.id == Assignment.request_id)
        .join(PayoutBatch, PayoutBatch.id == CompensationClaim.payout_batch_id)
        .where(
            CompensationClaim.member_id == member_id,
            CompensationClaim.status == ClaimStatus.PAID,
            PayoutBatch.is_closed.is_(True),
            PayoutBatch.pay_date >= date(year, 1, 1),
            PayoutBatch.pay_date <= date(year, 12, 31),
        )
        .order_by(PayoutBatch.pay_date, CompensationClaim.id)
    )
    return [
        StatementLine(req.title, batch.pay_date, claim.fee_sek or 0, claim.travel_sek or 0)
        for claim, req, batch in session.exec(query)
    ]


@dataclass(frozen=True)
class Settlement:
    """A payer's income year with one person: total and contributions due."""

    organisation: str
    member_number: int
    name: str
    paid: int
    rate: Decimal
    contribution: int

    @property
    def is_under_threshold(self) -> bool:
        """Whether the year's total stays under the 1 000 kr rule (no contributions)."""
        return self.paid < fees.YEARLY_CONTRIBUTION_THRESHOLD


def yearly_settlement(*, session: Session, year: int) -> list[Settlement]:
    """Settle contributions per legal payer and person for batches paid in ``year``.

    The rate shown is that of the last payment; each payment's contribution uses its own.
    """
    return [
        Settlement(
            item.payer,
            item.member_number,
            item.name,
            item.paid,
            item.payments[-1].rate,
            item.contribution,
        )
        for item in payer_years(session=session, year=year)
    ]
