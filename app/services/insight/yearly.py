"""The council's yearly report: the insight datasets for one calendar year, with its totals.

Every number comes from the insight datasets (``build_insight``) for the period 1 January to
31 December, so the report, its PDF and XLSX, and the insight page filtered to the same year
always agree. Fees and contributions per payer come from the yearly settlement
(``payer_years``), recruitment from the targets' progress. See docs/insight.md.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo

from sqlmodel import Session

from app.services.compensation.fees import FeeError
from app.services.compensation.payer_years import payer_years
from app.services.errors import InvalidInput
from app.services.insight.datasets import Cell, Dataset
from app.services.insight.live import build_insight
from app.services.insight.metrics import suppress
from app.services.insight.rows import InsightFilters
from app.services.messages import N_
from app.services.recruitment.progress import targets_for_year
from app.services.recruitment.targets import TargetProgress

MIN_YEAR, MAX_YEAR = 2000, 2100

#: Report section → the insight datasets it shows, in order.
REPORT_SECTIONS: dict[str, tuple[str, ...]] = {
    "requests": ("flow_requests", "flow_types", "flow_participation"),
    "filling": ("flow_rates", "flow_times"),
    "pool": ("pool_age", "pool_age_gender", "pool_experience", "pool_mandate"),
    "load": ("work_summary", "work_assignments", "work_lorenz"),
    "cost": ("cost_month", "cost_org"),
    "feedback": ("feedback_scores", "feedback_led_to"),
}

#: Total → (dataset, fact) it is read from; docs/insight.md defines each.
TOTALS: dict[str, tuple[str, str]] = {
    "requests": ("flow_requests", "requests"),
    "approved": ("flow_rates", "approved"),
    "filled": ("flow_rates", "filled"),
    "fill_rate": ("flow_rates", "fill_rate"),
    "assignments": ("work_assignments", "assignments"),
    "members": ("work_lorenz", "members"),
    "gini_assignments": ("work_lorenz", "gini_assignments"),
    "gini_hours": ("work_lorenz", "gini_hours"),
    "fees": ("cost_month", "fees"),
    "travel": ("cost_month", "travel"),
    "outcome_reported": ("feedback_led_to", "share"),
}


@dataclass(frozen=True)
class PayerTotal:
    """What one payer paid in fees and travel in the year, and the contributions due."""

    payer: str
    #: People paid (suppressed from 1 to 4).
    people: int | str
    fees: int
    travel: int
    contributions: int


@dataclass(frozen=True)
class YearlyReport:
    """One year's account: datasets per section, named totals, payers and recruitment."""

    year: int
    filters: InsightFilters
    sections: dict[str, list[Dataset]]
    totals: dict[str, Cell]
    payers: list[PayerTotal]
    #: Why the payers could not be settled (a missing yearly figure), else None.
    payer_error: FeeError | None
    targets: list[TargetProgress] = field(default_factory=list)


def year_filters(year: int) -> InsightFilters:
    """Return the insight filters of one calendar year, everything included."""
    return InsightFilters(start=date(year, 1, 1), end=date(year, 12, 31))


def build_yearly_report(
    *, session: Session, year: int, zone: ZoneInfo, today: date
) -> YearlyReport:
    """Return the yearly report for ``year`` (raises InvalidInput for a year outside 2000–2100)."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise InvalidInput(N_("Choose a year from 2000 to 2100."), {"year": "year"})
    filters = year_filters(year)
    datasets = {
        dataset.key: dataset
        for section in build_insight(
            session=session, filters=filters, zone=zone, today=today
        ).values()
        for dataset in section
    }
    sections = {key: [datasets[name] for name in names] for key, names in REPORT_SECTIONS.items()}
    totals = {key: datasets[name].facts.get(fact) for key, (name, fact) in TOTALS.items()}
    decision, booking = (
        datasets["flow_times"].facts["decision"],
        datasets["flow_times"].facts["booking"],
    )
    totals.update(decision_days=decision.median, booking_days=booking.median)
    try:
        payers, payer_error = payer_totals(session=session, year=year), None
    except FeeError as error:
        payers, payer_error = [], error
    totals["contributions"] = sum(payer.contributions for payer in payers)
    targets = targets_for_year(session=session, year=year, today=today)
    return YearlyReport(year, filters, sections, totals, payers, payer_error, targets)


def payer_totals(*, session: Session, year: int) -> list[PayerTotal]:
    """Return fees, travel and contributions per payer for the batches paid in ``year``."""
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for item in payer_years(session=session, year=year):
        row = sums[item.payer]
        row[0] += 1
        row[1] += item.paid
        row[2] += sum(payment.travel for payment in item.payments)
        row[3] += item.contribution
    return [
        PayerTotal(payer, suppress(people), paid, travel, contributions)
        for payer, (people, paid, travel, contributions) in sorted(sums.items())
    ]
