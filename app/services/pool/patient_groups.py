"""Patient-group figures per area, and the pool compared with them (docs/insight.md).

The council enters, for one area of the taxonomy, how many people in the region belong to its
patient group (e.g. people with that diagnosis) by age band × sex, with a source and a year.
Saving replaces that area's figures for that year. The comparison counts today's pool members
with experience (own or relative) of the area or an area below it, by the same bands, and finds
thin groups with the same rule as the whole-population comparison.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, delete, func, select

from app import clock
from app.models import Area, PatientGroupFigure
from app.services.errors import InvalidInput, NotFound
from app.services.insight.datasets import Dataset
from app.services.insight.live import default_filters
from app.services.insight.pool import pool_age_gender
from app.services.insight.rows import InsightData, InsightFilters
from app.services.messages import N_
from app.services.pool.population import BANDS, MAX_PEOPLE, POPULATION_GENDERS, Population
from app.services.privacy.audit import record_audit
from app.services.recruitment.targets import Suggestion, suggestions

MIN_YEAR, MAX_YEAR = 1900, 2100


@dataclass(frozen=True)
class AreaSuggestion:
    """A thin group of the pool against an area's patient group, as the start of a target."""

    area_id: int
    suggestion: Suggestion
    #: (key, pool share or SUPPRESSED, patient-group share), as the dataset's "thin" fact.
    thin: tuple


def save_area_figures(
    *,
    session: Session,
    area_id: int,
    year: int,
    people: dict[tuple[str, str], int],
    source: str,
    actor_id: int,
) -> int:
    """Replace an area's patient-group figures for one year with one count per age band × sex."""
    if session.get(Area, area_id) is None:
        raise NotFound(N_("No such area."))
    errors = {
        f"{band}_{gender}": N_("Enter a whole number of people, 0 or more.")
        for (band, gender), count in people.items()
        if band not in BANDS or gender not in POPULATION_GENDERS or not 0 <= count <= MAX_PEOPLE
    }
    if not MIN_YEAR <= year <= MAX_YEAR:
        errors["year"] = N_("Enter a year from 1900 to 2100.")
    if errors:
        raise InvalidInput(next(iter(errors.values())), errors)
    session.exec(
        delete(PatientGroupFigure).where(
            PatientGroupFigure.area_id == area_id, PatientGroupFigure.year == year
        )
    )
    for (band, gender), count in people.items():
        session.add(
            PatientGroupFigure(
                area_id=area_id,
                year=year,
                age_band=band,
                gender=str(gender),
                people=count,
                source=source.strip()[:200],
            )
        )
    record_audit(
        session=session,
        actor_id=actor_id,
        action="patient_group.saved",
        subject_type="area",
        subject_id=area_id,
        detail={"year": year, "rows": len(people)},
    )
    session.flush()
    return len(people)


def latest_year(*, session: Session, area_id: int) -> int | None:
    """Return the newest year an area has figures for, or None."""
    query = select(func.max(PatientGroupFigure.year)).where(PatientGroupFigure.area_id == area_id)
    return session.exec(query).one()


def load_area_group(*, session: Session, area_id: int, year: int | None = None) -> Population:
    """Return an area's patient group (its newest year by default) summed like the population."""
    year = year if year is not None else latest_year(session=session, area_id=area_id)
    group = Population()
    query = select(PatientGroupFigure).where(
        PatientGroupFigure.area_id == area_id, PatientGroupFigure.year == year
    )
    cells: dict[tuple[str, str], int] = defaultdict(int)
    for figure in session.exec(query):
        cells[(figure.age_band, figure.gender)] += figure.people
        group.source = group.source or figure.source
    group.by_band_gender = dict(cells)
    return group


def areas_with_figures(*, session: Session) -> list[tuple[int, int]]:
    """Return (area id, newest year) for every area with patient-group figures."""
    query = (
        select(PatientGroupFigure.area_id, func.max(PatientGroupFigure.year))
        .group_by(PatientGroupFigure.area_id)
        .order_by(PatientGroupFigure.area_id)
    )
    return [(area_id, year) for area_id, year in session.exec(query)]


def area_comparison(*, session: Session, area_id: int, today: date) -> Dataset:
    """Compare today's pool with experience of the area (or below) with its patient group."""
    period = default_filters(today)
    filters = InsightFilters(start=period.start, end=period.end, area_id=area_id)
    data = InsightData(session, filters, clock.zone(), today)
    return pool_age_gender(data, load_area_group(session=session, area_id=area_id))


def area_suggestions(*, session: Session, today: date, limit: int = 4) -> list[AreaSuggestion]:
    """Return targets to start from for the thinnest groups of every area with figures."""
    out = []
    for area_id, _ in areas_with_figures(session=session):
        thin = area_comparison(session=session, area_id=area_id, today=today).facts["thin"]
        starts = {item.key: item for item in suggestions([key for key, *_ in thin[:limit]])}
        out += [AreaSuggestion(area_id, starts[row[0]], row) for row in thin if row[0] in starts]
    return out
