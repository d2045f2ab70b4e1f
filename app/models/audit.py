"""Audit trail: who read or changed what, when (never the health data itself)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime, utcnow


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_event"

    #: Primary key.
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    #: Who acted; None for the system (jobs, CLI).
    actor_id: int | None = Field(default=None, foreign_key="user_account.id", index=True)
    #: Verb-first action code, e.g. "member.health_data.read".
    action: str = Field(max_length=80)
    #: What was acted on, e.g. ("member", 12).
    subject_type: str = Field(max_length=40)
    subject_id: int | None = None
    #: Non-sensitive context (filters used, fields changed — names only).
    detail: dict = Field(default_factory=dict, sa_column=Column(JSON))
