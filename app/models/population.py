"""The population the pool speaks for, as configurable counts (e.g. the county by age and sex)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime, enum_check, enum_column_type, utcnow
from app.models.enums import Gender


class PopulationFigure(SQLModel, table=True):
    """How many people of one age band and gender (optionally in one municipality) there are."""

    __tablename__ = "population_figure"
    __table_args__ = (
        UniqueConstraint("age_band", "gender", "municipality", name="uq_population_figure_cell"),
        enum_check("gender", Gender, "ck_population_figure_gender"),
        CheckConstraint("people >= 0", name="ck_population_figure_people"),
    )

    #: Primary key.
    id: int | None = Field(default=None, primary_key=True)
    #: Age band key as in ``app.services.pool.ages.AGE_BANDS``, e.g. "18-34".
    age_band: str = Field(max_length=10)
    #: Legal sex as official statistics count it (woman or man).
    gender: str = Field(sa_type=enum_column_type(Gender))
    #: Municipality, or "" when the figures are for the whole area without a split.
    municipality: str = Field(default="", max_length=100)
    #: Number of people in the cell.
    people: int
    #: Where the figure comes from, e.g. "SCB, 31 Dec 2025".
    source: str = Field(default="", max_length=200)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
