"""When a member can take assignments: weekly windows and dated exceptions."""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import CheckConstraint
from sqlmodel import Field, SQLModel

from app.models.base import enum_check, enum_column_type
from app.models.enums import AvailabilityKind


class WeeklyWindow(SQLModel, table=True):
    __tablename__ = "weekly_window"
    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="ck_weekly_window_weekday"),
        CheckConstraint("end_time > start_time", name="ck_weekly_window_order"),
    )

    #: Primary key.
    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", index=True, ondelete="CASCADE")
    #: 0 = Monday … 6 = Sunday.
    weekday: int
    #: Local wall-clock times in the service's zone (TIMEZONE).
    start_time: time
    end_time: time


class AvailabilityException(SQLModel, table=True):
    __tablename__ = "availability_exception"
    __table_args__ = (
        CheckConstraint("end_date >= start_date", name="ck_availability_exception_order"),
        enum_check("kind", AvailabilityKind, "ck_availability_exception_kind"),
    )

    #: Primary key.
    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", index=True, ondelete="CASCADE")
    #: Inclusive local dates.
    start_date: date
    end_date: date
    kind: str = Field(default=AvailabilityKind.BLOCKED, sa_type=enum_column_type(AvailabilityKind))
    note: str = Field(default="", max_length=200)
