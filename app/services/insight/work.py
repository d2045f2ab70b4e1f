"""Insight datasets: who does the work (assignments and paid hours per member, the maximum)."""

from __future__ import annotations

from collections import Counter, defaultdict

from app.services.booking.work_units import in_load_window
from app.services.insight.activity import claims_in_scope, period_months
from app.services.insight.datasets import Dataset, columns
from app.services.insight.metrics import SUPPRESSED, histogram, month_key, share, suppress
from app.services.insight.rows import InsightData
from app.services.pool.population import Population
from matching.metrics import gini, lorenz_curve

ASSIGNMENT_EDGES = (0, 1, 2, 3, 4, 5, 7, 10)
ASSIGNMENT_BINS = ("0", "1", "2", "3", "4", "5-6", "7-9", "10+")
HOUR_EDGES = (0, 1e-9, 2, 5, 10, 20, 40)
HOUR_BINS = ("0", "0-2", "2-5", "5-10", "10-20", "20-40", "40+")
LORENZ_STEPS = 20


def assignments_per_member(data: InsightData) -> dict[int, int]:
    """Return the units of work first starting in the period per member in scope (zeros too)."""
    assignments = dict.fromkeys(data.member_ids, 0)
    for _aid, _rid, member_id, _ in data.work_in_period:
        if member_id in assignments:
            assignments[member_id] += 1
    return assignments


def _loads(data: InsightData) -> tuple[dict[int, int], dict[int, float]]:
    """Return assignments and paid hours in the period per member in scope (zeros included)."""
    assignments = assignments_per_member(data)
    hours = dict.fromkeys(data.member_ids, 0.0)
    for claim in claims_in_scope(data):
        if claim.member_id in hours:
            hours[claim.member_id] += claim.minutes / 60
    return assignments, hours


def _histogram(key: str, values, edges, bins) -> Dataset:
    counts = histogram(values, edges)
    return Dataset(
        key, bins, columns(("members", [suppress(c) for c in counts], "people")), ("members",)
    )


def work_assignments(data: InsightData, _population: Population) -> Dataset:
    """How many members did how many assignments in the period."""
    assignments, _ = data.cached("loads", _loads)
    dataset = _histogram(
        "work_assignments", assignments.values(), ASSIGNMENT_EDGES, ASSIGNMENT_BINS
    )
    dataset.facts.update(
        members=len(assignments),
        gini=gini(assignments.values()),
        assignments=sum(assignments.values()),
    )
    return dataset


def work_hours(data: InsightData, _population: Population) -> Dataset:
    """How many members had how many paid hours (attested claims, incl. travel) in the period."""
    _, hours = data.cached("loads", _loads)
    dataset = _histogram("work_hours", hours.values(), HOUR_EDGES, HOUR_BINS)
    dataset.facts.update(members=len(hours), gini=gini(hours.values()))
    return dataset


def work_lorenz(data: InsightData, _population: Population) -> Dataset:
    """Lorenz curves of assignments and paid hours, with their Gini coefficients."""
    assignments, hours = data.cached("loads", _loads)
    curve_a = lorenz_curve(assignments.values(), LORENZ_STEPS)
    curve_h = lorenz_curve(hours.values(), LORENZ_STEPS)
    keys = tuple(str(round(people * 100)) for people, _ in curve_a)
    return Dataset(
        "work_lorenz",
        keys,
        columns(
            ("assignments_share", [s for _, s in curve_a], "share"),
            ("hours_share", [s for _, s in curve_h], "share"),
            ("equality", [p for p, _ in curve_a], "share"),
        ),
        ("assignments_share", "hours_share"),
        {
            "gini_assignments": gini(assignments.values()),
            "gini_hours": gini(hours.values()),
            "top_tenth_assignments": 1 - curve_a[-3][1] if sum(assignments.values()) else None,
            "members": len(assignments),
        },
    )


def _work_per_month(data: InsightData) -> dict[int, Counter]:
    """Return, per member, how many work assignments have a session in each local month."""
    out: dict[int, Counter] = defaultdict(Counter)
    for _aid, request_id, member_id, _ in data.work:
        span = data.spans.get(request_id)
        for month in span.months if span else ():
            out[member_id][month] += 1
    return out


def work_at_max(data: InsightData, _population: Population) -> Dataset:
    """Members booked up to their monthly maximum, per month (all their work counts)."""
    per_month = data.cached("per_month", _work_per_month)
    months = period_months(data)
    at_max: Counter = Counter()
    for member in data.members:
        if member.max_per_month > 0:
            for month, count in per_month.get(member.id, {}).items():
                at_max[month] += count >= member.max_per_month
    counts = [at_max[month] for month in months]
    return Dataset(
        "work_at_max",
        tuple(months),
        columns(("members", [suppress(c) for c in counts], "people")),
        ("members",),
    )


def work_summary(data: InsightData, _population: Population) -> Dataset:
    """Members in scope, with no work as load at the period's end, and at their maximum."""
    used = {
        member_id
        for _aid, request_id, member_id, _ in data.work
        if (first := data.first_start(request_id)) and in_load_window(first, data.end)
    }
    per_month = data.cached("per_month", _work_per_month)
    month = month_key(data.filters.end)
    whole = len(data.members)
    never = sum(1 for m in data.members if m.id not in used)
    at_max = sum(
        1
        for m in data.members
        if m.max_per_month > 0 and per_month.get(m.id, {}).get(month, 0) >= m.max_per_month
    )
    values = {"members": whole, "never_used": never, "at_max": at_max}
    shown = {key: suppress(value) for key, value in values.items()}
    return Dataset(
        "work_summary",
        tuple(values),
        columns(
            ("members", list(shown.values()), "people"),
            (
                "share",
                [
                    SUPPRESSED if shown[k] == SUPPRESSED else share(v, whole)
                    for k, v in values.items()
                ],
                "share",
            ),
        ),
        ("members",),
        {"month": month},
    )


WORK = (work_summary, work_assignments, work_hours, work_lorenz, work_at_max)
