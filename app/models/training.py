"""Introduction sessions and continuing training that members book (issue 20)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime, enum_check, enum_column_type, utcnow
from app.models.enums import TrainingAttendance, TrainingBookingStatus, TrainingKind


class TrainingEvent(SQLModel, table=True):
    """One introduction session or training occasion, with a start, an end and a capacity."""

    __tablename__ = "training_event"
    __table_args__ = (
        enum_check("kind", TrainingKind, "ck_training_event_kind"),
        CheckConstraint("capacity >= 1", name="ck_training_event_capacity"),
        CheckConstraint("ends_at > starts_at", name="ck_training_event_times"),
        UniqueConstraint("ical_uid", name="uq_training_event_ical_uid"),
    )

    #: Primary key.
    id: int | None = Field(default=None, primary_key=True)
    #: Introduction (attending it completes the member's introduction) or continuing training.
    kind: str = Field(sa_type=enum_column_type(TrainingKind))
    title: str = Field(max_length=200)
    #: What the event is about and what to bring; shown to members and in the invitation.
    description: str = Field(default="")
    #: When it begins and ends (stored UTC, shown in Europe/Stockholm).
    starts_at: datetime = Field(sa_type=UTCDateTime, index=True)
    ends_at: datetime = Field(sa_type=UTCDateTime)
    #: Where it is held (an address), if on site.
    place: str = Field(default="", max_length=200)
    #: The video meeting's link, if digital.
    video_link: str = Field(default="", max_length=500)
    #: How many members can book a place.
    capacity: int
    #: Stable iCalendar UID of the event, the same in every invitation and change.
    ical_uid: str = Field(max_length=200)
    #: iCalendar SEQUENCE of the event's time and place, raised when the council moves it.
    sequence: int = Field(default=0)
    #: When the council cancelled the event (None: it takes place).
    cancelled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    #: The council user who created the event.
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id")


class TrainingBooking(SQLModel, table=True):
    """One member's place on a training event, and whether they came."""

    __tablename__ = "training_booking"
    __table_args__ = (
        UniqueConstraint("event_id", "member_id", name="uq_training_booking_member"),
        enum_check("status", TrainingBookingStatus, "ck_training_booking_status"),
        enum_check("attendance", TrainingAttendance, "ck_training_booking_attendance"),
    )

    #: Primary key.
    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="training_event.id", index=True, ondelete="CASCADE")
    member_id: int = Field(foreign_key="member.id", index=True)
    #: Booked, or cancelled by the member (or with the event).
    status: str = Field(
        default=TrainingBookingStatus.BOOKED, sa_type=enum_column_type(TrainingBookingStatus)
    )
    #: Attended or absent, as the council recorded it; None until recorded.
    attendance: str | None = Field(
        default=None, sa_type=enum_column_type(TrainingAttendance), nullable=True
    )
    booked_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    cancelled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    #: The SEQUENCE of the last calendar message sent to this member for the event.
    sequence: int = Field(default=0)
    #: Who recorded the attendance last and when.
    attendance_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    attendance_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
