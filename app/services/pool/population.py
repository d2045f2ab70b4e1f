"""The target population the pool is compared with: counts by age band × sex (× municipality).

The council enters the county's figures in a grid, or imports them (CSV or XLSX with the columns
age_band, gender, people and optionally municipality). Either way the new figures replace all
stored ones, so a file with municipalities and a grid without them never mix.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlmodel import Session, delete, select

from app.models import PopulationFigure
from app.models.enums import Gender
from app.services.errors import InvalidInput
from app.services.exports import csv_text
from app.services.messages import N_
from app.services.pool.ages import AGE_BANDS
from app.services.pool_import.files import SheetRow
from app.services.pool_import.rows import Message
from app.services.privacy.audit import record_audit

#: Official statistics count legal sex, so population figures have these two values.
POPULATION_GENDERS = (Gender.WOMAN, Gender.MAN)
BANDS = [band for band, _, _ in AGE_BANDS]
COLUMNS = ("age_band", "gender", "municipality", "people")
MAX_PEOPLE = 100_000_000


@dataclass
class Population:
    """Stored figures summed by age band × sex and by municipality."""

    by_band_gender: dict[tuple[str, str], int] = field(default_factory=dict)
    by_municipality: dict[str, int] = field(default_factory=dict)
    source: str = ""

    @property
    def total(self) -> int:
        return sum(self.by_band_gender.values())

    def by_band(self) -> dict[str, int]:
        """Return the population per age band (both sexes)."""
        out: dict[str, int] = defaultdict(int)
        for (band, _), people in self.by_band_gender.items():
            out[band] += people
        return dict(out)


def list_figures(*, session: Session) -> list[PopulationFigure]:
    """Return every stored figure, by municipality, age band and sex."""
    figures = session.exec(select(PopulationFigure)).all()
    order = {band: i for i, band in enumerate(BANDS)}
    return sorted(
        figures, key=lambda f: (f.municipality, order.get(f.age_band, 99), f.gender != "woman")
    )


def load_population(*, session: Session) -> Population:
    """Return the stored figures summed for the comparisons."""
    population = Population()
    cells: dict[tuple[str, str], int] = defaultdict(int)
    places: dict[str, int] = defaultdict(int)
    for figure in session.exec(select(PopulationFigure)):
        cells[(figure.age_band, figure.gender)] += figure.people
        if figure.municipality:
            places[figure.municipality] += figure.people
        population.source = population.source or figure.source
    population.by_band_gender, population.by_municipality = dict(cells), dict(places)
    return population


def save_grid(
    *, session: Session, people: dict[tuple[str, str], int], source: str, actor_id: int
) -> int:
    """Replace all figures with one count per age band × sex for the whole area."""
    errors = {
        f"{band}_{gender}": N_("Enter a whole number of people, 0 or more.")
        for (band, gender), count in people.items()
        if band not in BANDS or gender not in POPULATION_GENDERS or not 0 <= count <= MAX_PEOPLE
    }
    if errors:
        raise InvalidInput(N_("Enter a whole number of people, 0 or more."), errors)
    rows = [(band, str(gender), "", count) for (band, gender), count in people.items()]
    return _replace(session, rows, source, actor_id, "population.grid_saved")


def import_figures(
    *, session: Session, header: list[str], rows: list[SheetRow], source: str, actor_id: int
) -> int:
    """Replace all figures with a file's rows (all or nothing); return how many were stored."""
    messages = _header_messages(header)
    parsed: dict[tuple[str, str, str], int] = {}
    if not messages:
        for row in rows:
            messages += _parse_row(row, parsed)
        has_place = {place != "" for _, _, place in parsed}
        if len(has_place) > 1:
            messages.append(Message(N_("Give a municipality on every row or on none.")))
        if not parsed and not messages:
            messages.append(Message(N_("The file is empty.")))
    if messages:
        error = InvalidInput(
            N_("The file has errors; nothing was imported."),
            {"file": N_("The file has errors; nothing was imported.")},
        )
        error.messages = messages
        raise error
    stored = [(band, gender, place, count) for (band, gender, place), count in parsed.items()]
    return _replace(session, stored, source, actor_id, "population.imported")


def _header_messages(header: list[str]) -> list[Message]:
    missing = [name for name in ("age_band", "gender", "people") if name not in header]
    unknown = [name for name in header if name and name not in COLUMNS]
    return [
        Message(N_("The file has no column %(column)s."), {"column": name}) for name in missing
    ] + [Message(N_("Unknown column %(column)s."), {"column": name}) for name in unknown]


def _parse_row(row: SheetRow, parsed: dict) -> list[Message]:
    band = row.cells.get("age_band", "").replace("–", "-").replace(" ", "")
    gender = row.cells.get("gender", "").lower()
    place = row.cells.get("municipality", "").strip()
    raw = row.cells.get("people", "").replace(" ", "").replace("\u00a0", "")
    line = {"line": row.line}
    out = []
    if band not in BANDS:
        out.append(
            Message(
                N_("Row %(line)s: unknown age band %(value)s (use %(bands)s)."),
                {**line, "value": band, "bands": ", ".join(BANDS)},
            )
        )
    if gender not in POPULATION_GENDERS:
        out.append(Message(N_("Row %(line)s: gender must be woman or man."), line))
    if not raw.isdigit() or int(raw) > MAX_PEOPLE:
        out.append(Message(N_("Row %(line)s: people must be a whole number, 0 or more."), line))
    if not out and (band, gender, place) in parsed:
        out.append(Message(N_("Row %(line)s repeats an earlier row."), line))
    if not out:
        parsed[(band, gender, place)] = int(raw)
    return out


def _replace(session: Session, rows: list[tuple], source: str, actor_id: int, action: str) -> int:
    session.exec(delete(PopulationFigure))
    for band, gender, place, count in rows:
        session.add(
            PopulationFigure(
                age_band=band,
                gender=gender,
                municipality=place,
                people=count,
                source=source.strip()[:200],
            )
        )
    record_audit(
        session=session,
        actor_id=actor_id,
        action=action,
        subject_type="population_figure",
        detail={"rows": len(rows)},
    )
    session.flush()
    return len(rows)


def figures_csv(figures: list[PopulationFigure]) -> bytes:
    """Return the stored figures in the import layout (an empty grid when none are stored)."""
    if figures:
        body = [[f.age_band, f.gender, f.municipality, f.people] for f in figures]
    else:
        body = [[band, str(gender), "", 0] for band in BANDS for gender in POPULATION_GENDERS]
    return csv_text([COLUMNS, *body]).encode("utf-8-sig")
