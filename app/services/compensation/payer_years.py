"""What each payer paid each person in an income year: the one source of both payer reports.

The income year and the contribution rate follow the batch's pay date (docs/domain.md §6.5).
Contributions are computed per payment at its pay date's rate, and none at all when the
payer's total to the person in the income year stays under 1 000 kr (§6.4). The yearly
settlement sums a year; a batch's payer report shows that batch's payments from the same
figures, so the two agree to the krona.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlmodel import Session, select

from app.models import (
    Assignment,
    BookingRequest,
    CompensationClaim,
    Member,
    Organisation,
    PayoutBatch,
)
from app.services.compensation import fees
from app.services.compensation.fee_tables import load_tables
from app.services.compensation.payers import payer_id_of
from app.services.compensation.payouts import pay_date_of


@dataclass(frozen=True)
class Payment:
    """One batch's fees and travel from one payer to one person, with its contribution."""

    batch_id: int
    pay_date: date
    fees: int
    travel: int
    rate: Decimal
    contribution: int


@dataclass(frozen=True)
class PayerYear:
    """One payer's income year with one person: every payment and the contributions due."""

    payer_id: int
    payer: str
    member_number: int
    name: str
    year: int
    payments: tuple[Payment, ...]

    @property
    def paid(self) -> int:
        return sum(payment.fees for payment in self.payments)

    @property
    def contribution(self) -> int:
        return sum(payment.contribution for payment in self.payments)

    @property
    def is_under_threshold(self) -> bool:
        """Whether the year's total stays under the 1 000 kr rule (no contributions)."""
        return self.paid < fees.YEARLY_CONTRIBUTION_THRESHOLD

    def payment_in(self, batch_id: int) -> Payment | None:
        """Return this person's payment in one batch, if any."""
        return next((p for p in self.payments if p.batch_id == batch_id), None)


def payer_years(
    *, session: Session, year: int, with_batch: PayoutBatch | None = None
) -> list[PayerYear]:
    """Return per payer, person and income year what was paid and the contributions due.

    Closed batches paid in ``year`` count; ``with_batch`` adds an open batch at its default
    pay date, so its payer report can be read before closing.
    """
    batches = _batches_paid_in(session, year, with_batch)
    sums: dict[tuple[int, int, int], list[int]] = defaultdict(lambda: [0, 0])
    people: dict[int, Member] = {}
    for claim, member, organisation in _claims_in(session, list(batches)):
        key = (payer_id_of(organisation), member.id, claim.payout_batch_id)
        sums[key][0] += claim.fee_sek or 0
        sums[key][1] += claim.travel_sek or 0
        people[member.id] = member
    names = {o.id: o.name for o in session.exec(select(Organisation))}
    tables = load_tables(session=session)
    grouped: dict[tuple[int, int], list[tuple[int, int, int]]] = defaultdict(list)
    for (payer_id, member_id, batch_id), (fee, travel) in sums.items():
        grouped[(payer_id, member_id)].append((batch_id, fee, travel))
    result = []
    for (payer_id, member_id), items in sorted(
        grouped.items(), key=lambda kv: (names[kv[0][0]], kv[0][1])
    ):
        member = people[member_id]
        is_due = sum(fee for _, fee, _ in items) >= fees.YEARLY_CONTRIBUTION_THRESHOLD
        payments = []
        for batch_id, fee, travel in sorted(items, key=lambda i: (batches[i[0]], i[0])):
            pay_date = batches[batch_id]
            rate = fees.contribution_rate(member.birth_year, pay_date, tables.contributions)
            due = fees.employer_contribution(fee, rate) if is_due else 0
            payments.append(Payment(batch_id, pay_date, fee, travel, rate, due))
        result.append(
            PayerYear(
                payer_id, names[payer_id], member_id, member.display_name, year, tuple(payments)
            )
        )
    return result


def _batches_paid_in(
    session: Session, year: int, with_batch: PayoutBatch | None
) -> dict[int, date]:
    closed = session.exec(
        select(PayoutBatch).where(
            PayoutBatch.is_closed.is_(True),
            PayoutBatch.pay_date >= date(year, 1, 1),
            PayoutBatch.pay_date <= date(year, 12, 31),
        )
    ).all()
    found = {batch.id: batch.pay_date for batch in closed}
    if with_batch is not None:
        found[with_batch.id] = pay_date_of(with_batch)
    return found


def _claims_in(session: Session, batch_ids: list[int]) -> list[tuple]:
    if not batch_ids:
        return []
    query = (
        select(CompensationClaim, Member, Organisation)
        .join(Member, Member.id == CompensationClaim.member_id)
        .join(Assignment, Assignment.id == CompensationClaim.assignment_id)
        .join(BookingRequest, BookingRequest.id == Assignment.request_id)
        .join(Organisation, Organisation.id == BookingRequest.organisation_id)
        .where(CompensationClaim.payout_batch_id.in_(batch_ids))
        .order_by(CompensationClaim.id)
    )
    return list(session.exec(query))


def batch_payer_years(*, session: Session, batch: PayoutBatch) -> list[PayerYear]:
    """Return the payer years of the batch's income year that have a payment in the batch."""
    year = pay_date_of(batch).year
    extra = None if batch.is_closed else batch
    found = payer_years(session=session, year=year, with_batch=extra)
    return [item for item in found if item.payment_in(batch.id) is not None]
