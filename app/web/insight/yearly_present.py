"""The yearly report in words: section headings, totals, payers and targets as display rows.

The page, the PDF and the XLSX all read these, so the three say the same numbers the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import format_decimal
from flask_babel import gettext as _

from app.i18n import format_number
from app.i18n import lazy_gettext as _l
from app.models.enums import ExperienceType, Gender, Pool, TargetStatus
from app.services.insight.datasets import Cell
from app.services.insight.metrics import suppress
from app.services.insight.yearly import YearlyReport
from app.services.recruitment.targets import TargetProgress
from app.web.figures_text import missing_figure_text
from app.web.insight.present import ChartView, build_view, formatter
from app.web.labels import label

#: Report section → heading and what it answers.
HEADINGS = {
    "requests": (
        _l("Requests"),
        _l(
            "Requests that came in during the year, by kind of orderer, type of assignment and level of participation."
        ),
    ),
    "filling": (
        _l("Fill rate and time to fill"),
        _l("How many approved requests got everyone they asked for, and how long it took."),
    ),
    "pool": (
        _l("The pool and the population"),
        _l("Today's pool (active and paused members) against the population it speaks for."),
    ),
    "load": (
        _l("How the work is spread"),
        _l("Assignments per member of today's pool whose first session fell in the year."),
    ),
    "cost": (
        _l("Fees and contributions"),
        _l(
            "Fees and travel of attested and paid claims by their last activity day; per payer, what was paid out in the year with the employer contributions due."
        ),
    ),
    "feedback": (
        _l("Feedback and what it led to"),
        _l(
            "Survey answers given in the year, and whether orderers said what the contribution led to."
        ),
    ),
}

#: Total → its label and unit (units as in app/services/insight/datasets.py).
TOTALS = {
    "requests": (_l("Requests"), "count"),
    "approved": (_l("Approved requests (fill rate counted)"), "count"),
    "filled": (_l("Requests that got everyone they asked for"), "count"),
    "fill_rate": (_l("Fill rate"), "share"),
    "decision_days": (_l("Median days to the council's decision"), "days"),
    "booking_days": (_l("Median days to a full booking"), "days"),
    "assignments": (_l("Assignments"), "count"),
    "members": (_l("Members in today's pool"), "count"),
    "gini_assignments": (_l("Gini coefficient, assignments"), "gini"),
    "gini_hours": (_l("Gini coefficient, paid hours"), "gini"),
    "fees": (_l("Fees"), "kr"),
    "travel": (_l("Travel"), "kr"),
    "contributions": (_l("Employer contributions"), "kr"),
    "outcome_reported": (_l("Share of finished assignments with an outcome reported"), "share"),
}


@dataclass(frozen=True)
class TotalRow:
    key: str
    label: str
    text: str
    value: Cell


def fmt(value: Cell, unit: str) -> str:
    """Return a value as the report shows it, in the UI language."""
    if unit == "gini":
        return "–" if value is None else format_decimal(value, "0.00")
    return formatter(unit)(value)


def total_rows(report: YearlyReport) -> list[TotalRow]:
    """Return the report's totals, labelled and formatted."""
    return [
        TotalRow(key, str(name), fmt(report.totals.get(key), unit), report.totals.get(key))
        for key, (name, unit) in TOTALS.items()
    ]


def section_views(report: YearlyReport, area_names: dict[str, str]) -> dict[str, list[ChartView]]:
    """Return each section's pictures as the insight page draws them."""
    return {
        key: [build_view(dataset, area_names=area_names) for dataset in datasets]
        for key, datasets in report.sections.items()
    }


def payer_headers() -> list[str]:
    """Return the payer table's column headings."""
    return [_("Payer"), _("People paid"), _("Fees"), _("Travel"), _("Employer contributions")]


def payer_rows(report: YearlyReport) -> list[list[str]]:
    """Return one formatted row per payer."""
    kr, people = formatter("kr"), formatter("people")
    return [
        [p.payer, people(p.people), kr(p.fees), kr(p.travel), kr(p.contributions)]
        for p in report.payers
    ]


def payer_problem(report: YearlyReport) -> str:
    """Return why the payers could not be settled, or ""."""
    error = report.payer_error
    if error is None:
        return ""
    return missing_figure_text(error) if hasattr(error, "kind") else str(error)


def target_headers() -> list[str]:
    """Return the target table's column headings."""
    return [_("Target"), _("Wanted"), _("New members"), _("In the pipeline"), _("Due"), _("Status")]


def describe_target(target, area_names_by_id: dict[int, str]) -> str:
    """Return a target in words, e.g. "Aged 18–29, women, own experience, Psychiatry"."""
    parts = []
    if target.age_min is not None and target.age_max is not None:
        parts.append(_("aged %(low)s–%(high)s", low=target.age_min, high=target.age_max))
    elif target.age_min is not None:
        parts.append(_("aged %(low)s or older", low=target.age_min))
    elif target.age_max is not None:
        parts.append(_("aged %(high)s or younger", high=target.age_max))
    if target.gender:
        parts.append(label(Gender, target.gender))
    if target.experience_type:
        parts.append(label(ExperienceType, target.experience_type))
    if target.area_id is not None:
        parts.append(area_names_by_id.get(target.area_id, ""))
    if target.pool:
        parts.append(label(Pool, target.pool))
    text = ", ".join(part for part in parts if part) or _("anyone")
    return text[:1].upper() + text[1:]


def target_row(
    item: TargetProgress, area_names_by_id: dict[int, str], *, hide_small: bool
) -> list[str]:
    """Return one target's row; counts of people from 1 to 4 hidden when ``hide_small``."""
    people = formatter("people")
    count = (lambda n: people(suppress(n))) if hide_small else format_number
    status = _("Target open") if item.target.status == TargetStatus.OPEN else _("Closed")
    return [
        describe_target(item.target, area_names_by_id),
        format_number(item.wanted),
        count(item.joined),
        count(item.in_pipeline),
        item.target.due_on.isoformat(),
        status,
    ]
