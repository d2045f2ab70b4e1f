"""Nominations: the council asks a patient or relative organisation to name representatives."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime, enum_check, enum_column_type, utcnow
from app.models.enums import NominationStatus


class Nomination(SQLModel, table=True):
    """A request to an organisation to name ``seats`` representatives through a secret link."""

    __tablename__ = "nomination"
    __table_args__ = (
        UniqueConstraint("token_hash", name="uq_nomination_token_hash"),
        enum_check("status", NominationStatus, "ck_nomination_status"),
        CheckConstraint("seats >= 1", name="ck_nomination_seats"),
    )

    #: Primary key.
    id: int | None = Field(default=None, primary_key=True)
    #: The organisation asked.
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    #: The area of experience the representatives speak for.
    area_id: int = Field(foreign_key="area.id", index=True)
    #: The request or standing group they are named for (None: the pool in general).
    request_id: int | None = Field(default=None, foreign_key="booking_request.id", index=True)
    #: What the representatives are wanted for, in the council's words.
    purpose: str = Field(default="", max_length=2000)
    #: How many representatives the organisation is asked to name.
    seats: int = Field(default=1)
    #: When the mandates the organisation gives end.
    mandate_ends_on: date
    #: The last day the link takes answers (local date).
    answer_by: date
    #: SHA-256 of the secret in the link mailed to the contact.
    token_hash: str = Field(max_length=64)
    #: Open, filled (every seat named) or withdrawn.
    status: str = Field(default=NominationStatus.OPEN, sa_type=enum_column_type(NominationStatus))
    #: The contact address the link was mailed to.
    sent_to: str = Field(default="", max_length=254)
    #: Who asked and when.
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    #: When the last seat was named or the council withdrew the request.
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class NominationAnswer(SQLModel, table=True):
    """One representative an organisation named: the applicant it became."""

    __tablename__ = "nomination_answer"
    __table_args__ = (UniqueConstraint("applicant_id", name="uq_nomination_answer_applicant"),)

    #: Primary key.
    id: int | None = Field(default=None, primary_key=True)
    #: The nomination answered.
    nomination_id: int = Field(foreign_key="nomination.id", index=True, ondelete="CASCADE")
    #: The applicant the nominee became (source nomination).
    applicant_id: int = Field(foreign_key="applicant.id", ondelete="CASCADE")
    #: When the organisation's contact named them.
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
