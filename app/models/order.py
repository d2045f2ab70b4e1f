"""Requests (orders) for participants, their areas and their dated sessions."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime, enum_check, enum_column_type, utcnow
from app.models.enums import (
    AssignmentType,
    Participation,
    QuotaBalance,
    ReplacementMode,
    RequestStatus,
    SessionFormat,
    WantedExperience,
)


class BookingRequest(SQLModel, table=True):
    """A request for participants (named so as not to shadow ``flask.request``)."""

    __tablename__ = "booking_request"
    __table_args__ = (
        enum_check("participation", Participation, "ck_booking_request_participation"),
        enum_check("assignment_type", AssignmentType, "ck_booking_request_assignment_type"),
        enum_check("experience", WantedExperience, "ck_booking_request_experience"),
        enum_check("format", SessionFormat, "ck_booking_request_format"),
        enum_check("status", RequestStatus, "ck_booking_request_status"),
        enum_check("replacement_mode", ReplacementMode, "ck_booking_request_replacement_mode"),
        enum_check("balance", QuotaBalance, "ck_booking_request_balance"),
        # The council's open requests by status; an organisation's requests newest first.
        Index("ix_booking_request_status_created_at", "status", "created_at"),
        Index("ix_booking_request_organisation_created_at", "organisation_id", "created_at"),
        CheckConstraint("people_count >= 1", name="ck_booking_request_people_count"),
        CheckConstraint("preparation_minutes >= 0", name="ck_booking_request_preparation"),
        CheckConstraint(
            "age_min IS NULL OR age_max IS NULL OR age_min <= age_max",
            name="ck_booking_request_age_range",
        ),
        CheckConstraint(
            "term_start IS NULL OR term_end IS NULL OR term_start <= term_end",
            name="ck_booking_request_term",
        ),
    )

    #: Primary key.
    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    #: The user who placed the request.
    orderer_id: int = Field(foreign_key="user_account.id", index=True)
    title: str = Field(max_length=200)
    #: Why the patient or relative perspective is asked for.
    purpose: str = Field(sa_column=Column(Text, nullable=False))
    #: What participants are expected to contribute and think about beforehand.
    expectations: str = Field(sa_column=Column(Text, nullable=False))
    participation: str = Field(sa_type=enum_column_type(Participation))
    assignment_type: str = Field(sa_type=enum_column_type(AssignmentType))
    #: Own, relative or either kind of experience.
    experience: str = Field(
        default=WantedExperience.ANY, sa_type=enum_column_type(WantedExperience)
    )
    people_count: int = Field(default=2)
    format: str = Field(sa_type=enum_column_type(SessionFormat))
    #: Street address for on-site sessions.
    location: str = Field(default="", max_length=300)
    video_link: str = Field(default="", max_length=500)
    language: str = Field(default="sv", max_length=5)
    #: Expected preparation time per participant.
    preparation_minutes: int = Field(default=0)
    #: Optional age range asked for (e.g. a youth perspective).
    age_min: int | None = None
    age_max: int | None = None
    #: Open information meetings carry no fee.
    is_open_information_meeting: bool = Field(default=False)
    #: Named contact person at the ordering organisation.
    contact_name: str = Field(default="", max_length=200)
    contact_email: str = Field(default="", max_length=254)
    contact_phone: str = Field(default="", max_length=40)
    status: str = Field(default=RequestStatus.SUBMITTED, sa_type=enum_column_type(RequestStatus))
    #: Latest message between council and orderer (question or decline reason).
    status_message: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    decided_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    #: When someone drops out: the council confirms the next reserve, or it is invited at once.
    replacement_mode: str = Field(
        default=ReplacementMode.COUNCIL_CONFIRMS, sa_type=enum_column_type(ReplacementMode)
    )
    #: Bounds on how many of the group hold a value, in matching.io's JSON shape
    #: (``[{"field": ..., "value": ..., "min": ..., "max": ...}]``); docs/matching.md.
    quotas: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    #: Even shares over gender, age band, experience type and mandate: hard, soft or off.
    balance: str = Field(default=QuotaBalance.SOFT, sa_type=enum_column_type(QuotaBalance))
    #: A standing group (issue 19): a term of meetings added, moved and cancelled over time.
    is_standing: bool = Field(default=False)
    #: The term of a standing group: first and last local day.
    term_start: date | None = None
    term_end: date | None = None
    #: Expected meetings per period of ``period_months`` months (e.g. 6 per 12).
    meetings_per_period: int | None = None
    period_months: int | None = None
    #: The request whose term this one renews (same people asked again, or re-proposed).
    renewed_from_id: int | None = Field(default=None, foreign_key="booking_request.id")
    #: The council coordinator who is the booked people's named contact person.
    coordinator_id: int | None = Field(default=None, foreign_key="user_account.id")
    #: Cancelled by the orderer so close to the first session that the fee rules apply.
    late_cancellation: bool = Field(default=False)


class RequestArea(SQLModel, table=True):
    __tablename__ = "request_area"
    __table_args__ = (UniqueConstraint("request_id", "area_id", name="uq_request_area"),)

    #: Primary key.
    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="booking_request.id", index=True, ondelete="CASCADE")
    area_id: int = Field(foreign_key="area.id", index=True)


class RequestSession(SQLModel, table=True):
    __tablename__ = "request_session"
    __table_args__ = (CheckConstraint("ends_at > starts_at", name="ck_request_session_order"),)

    #: Primary key.
    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="booking_request.id", index=True, ondelete="CASCADE")
    starts_at: datetime = Field(sa_type=UTCDateTime)
    ends_at: datetime = Field(sa_type=UTCDateTime)
    #: Stable iCalendar UID of this session's event.
    ical_uid: str = Field(max_length=200)
    #: iCalendar SEQUENCE, raised on every change.
    sequence: int = Field(default=0)


class RequestEvent(SQLModel, table=True):
    """One line of a request's history: who did what, when, with what message."""

    __tablename__ = "request_event"

    #: Primary key.
    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="booking_request.id", index=True, ondelete="CASCADE")
    actor_id: int | None = Field(default=None, foreign_key="user_account.id")
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    #: Machine-readable action, e.g. "submitted", "approved", "swapped".
    action: str = Field(max_length=50)
    message: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    detail: dict = Field(default_factory=dict, sa_column=Column(JSON))
