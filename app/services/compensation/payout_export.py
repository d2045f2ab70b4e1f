"""Payroll exports of a payout batch, the payer's contribution report and the yearly settlement."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from app.services.compensation import fees
from app.services.compensation.fee_tables import Tables
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
    """One member's fees in a batch with the employer contribution the payer adds."""

    member_number: int
    name: str
    cost_centre: str
    fees: int
    rate: Decimal
    contribution: int
    travel: int

    @property
    def total(self) -> int:
        return self.fees + self.contribution + self.travel


def payer_lines(rows: list[PayoutRow], *, tables: Tables, pay_date) -> list[PayerLine]:
    """Group rows per member and cost centre and add contributions at the pay date's rate."""
    grouped: dict[tuple, list[PayoutRow]] = defaultdict(list)
    for row in rows:
        grouped[(row.member_number, row.cost_centre)].append(row)
    lines = []
    for (number, centre), items in grouped.items():
        fee = sum(item.fee for item in items)
        rate = fees.contribution_rate(items[0].birth_year, pay_date, tables.contributions)
        lines.append(
            PayerLine(
                number,
                items[0].name,
                centre,
                fee,
                rate,
                fees.employer_contribution(fee, rate),
                sum(item.travel for item in items),
            )
        )
    return lines


PAYER_HEADER = [
    "member_number",
    "name",
    "cost_centre",
    "fee_sek",
    "rate_percent",
    "employer_contribution_sek",
    "travel_sek",
    "total_sek",
]


def _payer_rows(lines: list[PayerLine]) -> list[list]:
    body = [
        [
            line.member_number,
            line.name,
            line.cost_centre,
            line.fees,
            line.rate,
            line.contribution,
            line.travel,
            line.total,
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
    ]
    return [PAYER_HEADER, *body, total]


def payer_csv(lines: list[PayerLine]) -> str:
    """Return the payer's report as CSV with a totals row."""
    return _csv(_payer_rows(lines))


def payer_xlsx(lines: list[PayerLine]) -> bytes:
    """Return the payer's report as an XLSX workbook with a totals row."""
    return _xlsx("Payer", _payer_rows(lines))


SETTLEMENT_HEADER = [
    "organisation",
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
