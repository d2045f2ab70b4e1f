"""The hierarchical taxonomy of areas of experience, e.g. ``psychiatry/psychosis``."""

from __future__ import annotations

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


class Area(SQLModel, table=True):
    __tablename__ = "area"
    __table_args__ = (UniqueConstraint("code", name="uq_area_code"),)

    #: Primary key.
    id: int | None = Field(default=None, primary_key=True)
    #: Slash-separated path; a code matches itself and every code below it.
    code: str = Field(max_length=200)
    #: Parent area, None for a top-level area.
    parent_id: int | None = Field(default=None, foreign_key="area.id", index=True)
    #: Swedish name shown in the UI.
    name_sv: str = Field(max_length=200)
    #: English name shown in the UI.
    name_en: str = Field(max_length=200)
    #: Retired areas stay for history but cannot be chosen.
    is_active: bool = Field(default=True)

    def name(self, locale: str) -> str:
        """Return the area's name in the given UI language."""
        return self.name_en if locale == "en" else self.name_sv
