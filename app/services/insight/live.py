"""Insight for the council: the datasets behind every picture, from live data.

``build_insight`` returns every section's datasets; ``build_dataset`` one of them (for its CSV).
Both read through InsightData, so nothing is loaded that the asked-for pictures do not need.
The sections live in insight_pool, insight_work, insight_groups and insight_activity. Every
count of people from 1 to 4 is suppressed (see docs/insight.md).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from app.services.date_bounds import check_day
from app.services.errors import InvalidInput, NotFound
from app.services.insight import activity as insight_activity
from app.services.insight import groups as insight_groups
from app.services.insight import pool as insight_pool
from app.services.insight import work as insight_work
from app.services.insight.datasets import Dataset
from app.services.insight.rows import InsightData, InsightFilters
from app.services.messages import N_
from app.services.pool.population import Population, load_population

__all__ = ["InsightFilters", "build_dataset", "build_insight", "check_filters", "default_filters"]

MAX_YEARS = 10


def default_filters(today: date) -> InsightFilters:
    """Return the last twelve calendar months up to today, everything included."""
    month, year = today.month - 11, today.year
    if month < 1:
        month, year = month + 12, year - 1
    return InsightFilters(start=date(year, month, 1), end=today)


def check_filters(filters: InsightFilters) -> None:
    """Refuse a period that ends before it starts, spans more than ten years or leaves 2000–2100."""
    check_day(filters.start, "start")
    check_day(filters.end, "end")
    if filters.start > filters.end:
        message = N_("The period must start on or before the day it ends.")
        raise InvalidInput(message, {"end": message})
    if filters.end - filters.start > timedelta(days=366 * MAX_YEARS):
        message = N_("Choose a period of at most ten years.")
        raise InvalidInput(message, {"start": message})


#: Section → its datasets, in page order.
SECTIONS: dict[str, tuple[Callable[[InsightData, Population], Dataset], ...]] = {
    "pool": insight_pool.POOL,
    "work": insight_work.WORK,
    "booked": insight_groups.BOOKED,
    "flow": insight_activity.FLOW,
    "feedback": insight_activity.FEEDBACK,
    "cost": insight_activity.COST,
}
BUILDERS = {builder.__name__: builder for builders in SECTIONS.values() for builder in builders}


def build_insight(
    *, session: Session, filters: InsightFilters, zone: ZoneInfo, today: date
) -> dict[str, list[Dataset]]:
    """Return every section's datasets for the filters."""
    check_filters(filters)
    data = InsightData(session, filters, zone, today)
    population = load_population(session=session)
    return {
        section: [builder(data, population) for builder in builders]
        for section, builders in SECTIONS.items()
    }


def build_dataset(
    *, session: Session, filters: InsightFilters, key: str, zone: ZoneInfo, today: date
) -> Dataset:
    """Return one picture's dataset (for its CSV download)."""
    builder = BUILDERS.get(key)
    if builder is None:
        raise NotFound(N_("No such picture."))
    check_filters(filters)
    data = InsightData(session, filters, zone, today)
    return builder(data, load_population(session=session))
