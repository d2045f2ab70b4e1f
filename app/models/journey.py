"""The assignment journey after booking (issue 19): absences from one meeting, debriefs,
material, changes through the council, and term evaluations of standing groups.

docs/domain.md describes standing working groups; docs/journey.md the flows on these tables.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime, enum_check, enum_column_type, utcnow
from app.models.enums import ChangeStatus, DebriefStatus


class SessionAbsence(SQLModel, table=True):
    """A booked person said beforehand that she cannot come to one meeting.

    The meeting is then not hers: it leaves her calendar, reminders, load and claim, and a
    stand-in may be invited for that meeting only (``Invitation.stand_in_session_id``).
    """

    __tablename__ = "session_absence"
    __table_args__ = (
        UniqueConstraint("request_session_id", "member_id", name="uq_session_absence"),
    )

    #: Primary key.
    id: int | None = Field(default=None, primary_key=True)
    request_session_id: int = Field(
        foreign_key="request_session.id", index=True, ondelete="CASCADE"
    )
    assignment_id: int = Field(foreign_key="assignment.id", index=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    #: The member's reason, in her words (may be empty).
    reason: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    reported_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    #: Who recorded it: the member herself, or the council on her behalf.
    reported_by_id: int | None = Field(default=None, foreign_key="user_account.id")


class DebriefRequest(SQLModel, table=True):
    """A member asks for a talk with a coordinator after a meeting (support, issue 19)."""

    __tablename__ = "debrief_request"
    __table_args__ = (enum_check("status", DebriefStatus, "ck_debrief_request_status"),)

    #: Primary key.
    id: int | None = Field(default=None, primary_key=True)
    assignment_id: int = Field(foreign_key="assignment.id", index=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    request_id: int = Field(foreign_key="booking_request.id", index=True)
    #: What the member wants to talk about and how to reach her (may be empty).
    message: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    asked_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    status: str = Field(default=DebriefStatus.OPEN, sa_type=enum_column_type(DebriefStatus))
    handled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    handled_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    #: The coordinator's note when closing it (not shown to anyone outside the council).
    handled_note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))


class RequestMaterial(SQLModel, table=True):
    """Material the orderer sends the booked people before the work: expected by a date.

    A row is created when the orderer says what will come and by when (``send_by``); the file
    or link is attached then or later; ``sent_at`` is when the booked people were mailed it.
    A row still without a file after ``send_by`` is late: the orderer is reminded once.
    """

    __tablename__ = "request_material"

    #: Primary key.
    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="booking_request.id", index=True, ondelete="CASCADE")
    title: str = Field(max_length=200)
    #: The last local day the material should reach the booked people.
    send_by: date | None = None
    #: A link instead of (or beside) a file.
    link: str = Field(default="", max_length=500)
    #: The uploaded file: the name the orderer gave it, and where it lies in the material folder.
    file_name: str = Field(default="", max_length=255)
    stored_name: str = Field(default="", max_length=100)
    content_type: str = Field(default="", max_length=100)
    size_bytes: int = Field(default=0)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    attached_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    late_reminded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class RequestChange(SQLModel, table=True):
    """A change to an approved request, proposed by the orderer and decided by the council.

    ``changes`` maps a field name to ``[old, new]`` (JSON values); the council sees that diff
    with the bookings it affects, and approving applies it and tells the people booked.
    """

    __tablename__ = "request_change"
    __table_args__ = (enum_check("status", ChangeStatus, "ck_request_change_status"),)

    #: Primary key.
    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="booking_request.id", index=True, ondelete="CASCADE")
    proposed_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    proposed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    changes: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    #: Why the orderer wants the change.
    reason: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    status: str = Field(default=ChangeStatus.PENDING, sa_type=enum_column_type(ChangeStatus))
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    decided_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    decision_note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))


class TermEvaluation(SQLModel, table=True):
    """The evaluation of one period of a standing group: how it went, with attendance."""

    __tablename__ = "term_evaluation"

    #: Primary key.
    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="booking_request.id", index=True, ondelete="CASCADE")
    period_start: date
    period_end: date
    #: Attendance figures when written: ``{"meetings": n, "attended": n, "no_show": n, ...}``.
    figures: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    went_well: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    to_improve: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    #: Whether the group should go on with the same people.
    recommend_renewal: bool | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id")
