"""Bearer tokens for the JSON API: each bound to one user (and so to a role and organisation)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime, utcnow


class ApiToken(SQLModel, table=True):
    __tablename__ = "api_token"
    __table_args__ = (UniqueConstraint("token_hash", name="uq_api_token_token_hash"),)

    #: Primary key.
    id: int | None = Field(default=None, primary_key=True)
    #: The user the token acts as; its role and organisation decide what the token may do.
    user_id: int = Field(foreign_key="user_account.id", index=True)
    #: What the token is for, e.g. "Region X booking system".
    name: str = Field(max_length=100)
    #: SHA-256 of the secret (hex); the secret itself is shown once and never stored.
    token_hash: str = Field(max_length=64)
    #: The first characters of the secret, so people can tell their tokens apart.
    prefix: str = Field(max_length=16)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    #: The administrator who created it; None from the command line.
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    #: After this moment the token no longer works; None for no expiry.
    expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    #: Updated at most every few minutes, so reads stay reads.
    last_used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    #: Set when revoked; a revoked token never works again.
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_by_id: int | None = Field(default=None, foreign_key="user_account.id")
