"""Recruitment targets: the council's aim to grow a thin part of the pool (docs/insight.md)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint
from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime, enum_check, enum_column_type, utcnow
from app.models.enums import ExperienceType, Gender, Pool, TargetStatus


class RecruitmentTarget(SQLModel, table=True):
    """How many more people of one kind the council wants in the pool, and by when."""

    __tablename__ = "recruitment_target"
    __table_args__ = (
        enum_check("status", TargetStatus, "ck_recruitment_target_status"),
        enum_check("gender", Gender, "ck_recruitment_target_gender"),
        enum_check("experience_type", ExperienceType, "ck_recruitment_target_experience_type"),
        enum_check("pool", Pool, "ck_recruitment_target_pool"),
        CheckConstraint("wanted_count BETWEEN 1 AND 1000", name="ck_recruitment_target_wanted"),
        CheckConstraint(
            "age_min IS NULL OR age_max IS NULL OR age_min <= age_max",
            name="ck_recruitment_target_ages",
        ),
    )

    #: Primary key.
    id: int | None = Field(default=None, primary_key=True)
    #: How many more people the council wants.
    wanted_count: int
    #: Youngest age (in the current year) that counts, None for no lower bound.
    age_min: int | None = None
    #: Oldest age (in the current year) that counts, None for no upper bound.
    age_max: int | None = None
    #: Gender that counts, None for any.
    gender: str | None = Field(default=None, sa_type=enum_column_type(Gender))
    #: Kind of experience that counts (own or relative), None for either.
    experience_type: str | None = Field(default=None, sa_type=enum_column_type(ExperienceType))
    #: Area of experience that counts (this area or one below it), None for any.
    area_id: int | None = Field(default=None, foreign_key="area.id")
    #: Pool the new members should join, None for either.
    pool: str | None = Field(default=None, sa_type=enum_column_type(Pool))
    #: The day the council wants the target reached by.
    due_on: date
    #: The council's note, e.g. why this group is thin.
    note: str = Field(default="", max_length=1000)
    #: Open while the council works towards it; closed targets stay in the report.
    status: str = Field(default=TargetStatus.OPEN, sa_type=enum_column_type(TargetStatus))
    #: When the target was set: members who became active after this count towards it.
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    #: The council member who set the target.
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    #: When the target was closed.
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    #: Who closed it.
    closed_by_id: int | None = Field(default=None, foreign_key="user_account.id")
