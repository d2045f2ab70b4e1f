"""Payroll exports of a payout batch, the payer's contribution report and the yearly settlement."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from app.services.compensation import fees
from app.services.compensation.payer_years import PayerYear
from app.services.compensation.payouts import PayoutRow
from app.services.compensation.reports import Settlement
from app.services.exports import csv_text, xlsx_bytes

HEADER = [
    "member_number",
    "name",
    "period",
    "fee_class",
    "fee_sek",
    "travel_sek",
    "total_sek",
    "cost_centre",
    "organisation",
]
TOTAL_LABEL = "TOTAL"


def _cells(row: PayoutRow) -> list:
    return [
        row.member_number,
        row.name,
        row.period,
        row.fee_class,
        row.fee,
        row.travel,
        row.total,
        row.cost_centre,
        row.organisation,
    ]


def _total_cells(rows: list[PayoutRow]) -> list:
    fee, travel = sum(r.fee for r in rows), sum(r.travel for r in rows)
    return [TOTAL_LABEL, "", "", "", fee, travel, fee + travel, "", ""]


def batch_csv(rows: list[PayoutRow]) -> str:
    """Return the batch as CSV (semicolon-separated, as Swedish spreadsheets expect)."""
    return _csv([HEADER, *(_cells(row) for row in rows), _total_cells(rows)])


def batch_xlsx(rows: list[PayoutRow]) -> bytes:
    """Return the batch as an XLSX workbook with a totals row."""
    return _xlsx("Payout", [HEADER, *(_cells(row) for row in rows), _total_cells(rows)])


@dataclass(frozen=True)
class PayerLine:
    """One person's payment from one legal payer in a batch, with the contribution due."""

    member_number: int
    name: str
    payer: str
    fees: int
    rate: Decimal
    contribution: int
    travel: int
    income_year: int
    paid_in_year: int

    @property
    def total(self) -> int:
        return self.fees + self.contribution + self.travel

    @property
    def is_under_threshold(self) -> bool:
        """Whether the payer's total to the person in the income year is under 1 000 kr."""
        return self.paid_in_year < fees.YEARLY_CONTRIBUTION_THRESHOLD


def payer_lines(years: list[PayerYear], *, batch_id: int) -> list[PayerLine]:
    """Return the batch's lines per payer and person from the income year's payer totals."""
    lines = []
    for item in years:
        payment = item.payment_in(batch_id)
        if payment is None:
            continue
        lines.append(
            PayerLine(
                item.member_number,
                item.name,
                item.payer,
                payment.fees,
                payment.rate,
                payment.contribution,
                payment.travel,
                item.year,
                item.paid,
            )
        )
    return lines


PAYER_HEADER = [
    "member_number",
    "name",
    "payer",
    "fee_sek",
    "rate_percent",
    "employer_contribution_sek",
    "travel_sek",
    "total_sek",
    "income_year",
    "paid_in_year_sek",
    "under_1000_kr",
]


def _payer_rows(lines: list[PayerLine]) -> list[list]:
    body = [
        [
            line.member_number,
            line.name,
            line.payer,
            line.fees,
            line.rate,
            line.contribution,
            line.travel,
            line.total,
            line.income_year,
            line.paid_in_year,
            "yes" if line.is_under_threshold else "no",
        ]
        for line in lines
    ]
    total = [
        TOTAL_LABEL,
        "",
        "",
        sum(x.fees for x in lines),
        "",
        sum(x.contribution for x in lines),
        sum(x.travel for x in lines),
        sum(x.total for x in lines),
        "",
        "",
        "",
    ]
    return [PAYER_HEADER, *body, total]


def payer_csv(lines: list[PayerLine]) -> str:
    """Return the payer's report as CSV with a totals row."""
    return _csv(_payer_rows(lines))


def payer_xlsx(lines: list[PayerLine]) -> bytes:
    """Return the payer's report as an XLSX workbook with a totals row."""
    return _xlsx("Payer", _payer_rows(lines))


SETTLEMENT_HEADER = [
    "payer",
    "member_number",
    "name",
    "paid_sek",
    "under_1000_kr",
    "rate_percent",
    "employer_contribution_sek",
]


def settlement_csv(rows: list[Settlement]) -> str:
    """Return the yearly settlement as CSV with a totals row."""
    body = [
        [
            row.organisation,
            row.member_number,
            row.name,
            row.paid,
            "yes" if row.is_under_threshold else "no",
            row.rate,
            row.contribution,
        ]
        for row in rows
    ]
    total = [
        TOTAL_LABEL,
        "",
        "",
        sum(r.paid for r in rows),
        "",
        "",
        sum(r.contribution for r in rows),
    ]
    return _csv([SETTLEMENT_HEADER, *body, total])


def _csv(rows: list[list]) -> str:
    return csv_text(rows)


def _xlsx(title: str, rows: list[list]) -> bytes:
    return xlsx_bytes(title, rows)
