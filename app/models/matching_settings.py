"""The acceptance model's stored versions and the council's matching weights (issue 18)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime, utcnow


class AcceptanceModelVersion(SQLModel, table=True):
    """One trained acceptance model: its figures and its parameters as JSON (never pickle)."""

    __tablename__ = "acceptance_model"
    __table_args__ = (UniqueConstraint("version", name="uq_acceptance_model_version"),)

    #: Primary key.
    id: int | None = Field(default=None, primary_key=True)
    #: 1, 2, 3, … in training order; the highest is the model in use.
    version: int
    trained_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    #: Answered invitations the model learned from.
    n_samples: int
    #: ROC AUC, Brier score, calibration deciles, train/test sizes, the prior's figures.
    metrics: dict = Field(default_factory=dict, sa_column=Column(JSON))
    #: Scaler means and scales, coefficients, intercept, municipality and type rates.
    params: dict = Field(default_factory=dict, sa_column=Column(JSON))
    #: When the newest answer it learned from was sent (a rerun on the same data is skipped).
    data_until: datetime | None = Field(default=None, sa_type=UTCDateTime)


class MatchingWeights(SQLModel, table=True):
    """Weights the council set; the newest row is in force (older rows are the history)."""

    __tablename__ = "matching_weights"

    #: Primary key.
    id: int | None = Field(default=None, primary_key=True)
    #: The fields of ``matching.Weights`` by name.
    values: dict = Field(default_factory=dict, sa_column=Column(JSON))
    set_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    set_by_id: int | None = Field(default=None, foreign_key="user_account.id")


class PoolRequirement(SQLModel, table=True):
    """What a pool requires before its members are proposed: introduction, signed agreement."""

    __tablename__ = "pool_requirement"
    __table_args__ = (UniqueConstraint("pool", name="uq_pool_requirement_pool"),)

    #: Primary key.
    id: int | None = Field(default=None, primary_key=True)
    #: The pool (``Pool`` value) the setting is for; a pool without a row requires nothing.
    pool: str = Field(max_length=30)
    #: Members must have completed the introduction (``Member.training_completed_on``).
    is_introduction_required: bool = Field(default=False)
    #: Members must have signed the agreement (``Member.has_signed_agreement``).
    is_agreement_required: bool = Field(default=False)
    changed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    changed_by_id: int | None = Field(default=None, foreign_key="user_account.id")
