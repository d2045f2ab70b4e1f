"""A patient group's make-up: how many people in the region have experience of one area."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime, enum_check, enum_column_type, utcnow
from app.models.enums import Gender


class PatientGroupFigure(SQLModel, table=True):
    """How many people of one age band and sex the patient group of an area has in one year."""

    __tablename__ = "patient_group_figure"
    __table_args__ = (
        UniqueConstraint("area_id", "year", "age_band", "gender", name="uq_patient_group_cell"),
        enum_check("gender", Gender, "ck_patient_group_figure_gender"),
        CheckConstraint("people >= 0", name="ck_patient_group_figure_people"),
    )

    #: Primary key.
    id: int | None = Field(default=None, primary_key=True)
    #: Area of the taxonomy the patient group belongs to (e.g. a diagnosis).
    area_id: int = Field(foreign_key="area.id", index=True)
    #: The year the figures describe.
    year: int
    #: Age band key as in ``app.services.pool.ages.AGE_BANDS``, e.g. "18-34".
    age_band: str = Field(max_length=10)
    #: Legal sex as registers count it (woman or man).
    gender: str = Field(sa_type=enum_column_type(Gender))
    #: Number of people in the cell.
    people: int
    #: Where the figures come from, e.g. "Region register of diagnoses, 2025".
    source: str = Field(default="", max_length=200)
    #: When the figures were entered.
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
