"""Scheduled work: the lease that lets one scheduler run, its job store, and a log of runs."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, Float, LargeBinary, Text, Unicode
from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime, enum_check, enum_column_type, utcnow
from app.models.enums import JobOutcome


class SchedulerLease(SQLModel, table=True):
    """Who runs the scheduled jobs; a second scheduler waits until the lease is free."""

    __tablename__ = "scheduler_lease"

    #: Name of the lease ("scheduler").
    name: str = Field(primary_key=True, max_length=40)
    #: "host:pid:random" of the holding process; empty when released.
    holder: str = Field(default="", max_length=200)
    acquired_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    #: Last heartbeat of the holder.
    renewed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    #: After this moment another scheduler may take over (the holder died or hangs).
    expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ScheduledJob(SQLModel, table=True):
    """APScheduler's SQLAlchemy job store table (its layout); read-only for the app."""

    __tablename__ = "scheduler_job"

    #: Job id, e.g. "send_reminders".
    id: str = Field(sa_column=Column(Unicode(191), primary_key=True))
    #: Next run as a UTC POSIX timestamp; None while paused.
    next_run_time: float | None = Field(default=None, sa_column=Column(Float(25), index=True))
    #: The pickled job (APScheduler's own format).
    job_state: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class JobRun(SQLModel, table=True):
    """One run of a scheduled job and what came of it."""

    __tablename__ = "job_run"
    __table_args__ = (enum_check("outcome", JobOutcome, "ck_job_run_outcome"),)

    #: Primary key.
    id: int | None = Field(default=None, primary_key=True)
    job_id: str = Field(max_length=60, index=True)
    #: The scheduler process that ran it ("host:pid:random"), or "cli".
    holder: str = Field(default="", max_length=200)
    #: The clock the job ran with (the time it treated as now).
    started_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    outcome: str = Field(default=JobOutcome.OK, sa_type=enum_column_type(JobOutcome))
    #: Messages written to the outbox, and how their delivery went.
    queued: int = Field(default=0)
    sent: int = Field(default=0)
    failed: int = Field(default=0)
    #: Messages decided against (too late, no address, …).
    skipped: int = Field(default=0)
    #: Other counts (invitations expired, members anonymised, …).
    detail: dict = Field(default_factory=dict, sa_column=Column(JSON))
    error: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
