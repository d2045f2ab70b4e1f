"""Payroll exports of a payout batch (CSV and XLSX) and the payer's contribution report."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from app.compensation import fees
from app.services.fee_tables import Tables
from app.services.payouts import PayoutRow

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
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(_cells(row) for row in rows)
    writer.writerow(_total_cells(rows))
    return buffer.getvalue()


def batch_xlsx(rows: list[PayoutRow]) -> bytes:
    """Return the batch as an XLSX workbook with a totals row."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Payout"
    sheet.append(HEADER)
    for row in rows:
        sheet.append(_cells(row))
    sheet.append(_total_cells(rows))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


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


def payer_csv(lines: list[PayerLine]) -> str:
    """Return the payer's report as CSV with a totals row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            "member_number",
            "name",
            "cost_centre",
            "fee_sek",
            "rate_percent",
            "employer_contribution_sek",
            "travel_sek",
            "total_sek",
        ]
    )
    for line in lines:
        writer.writerow(
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
        )
    writer.writerow(
        [
            TOTAL_LABEL,
            "",
            "",
            sum(x.fees for x in lines),
            "",
            sum(x.contribution for x in lines),
            sum(x.travel for x in lines),
            sum(x.total for x in lines),
        ]
    )
    return buffer.getvalue()
