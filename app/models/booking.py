"""Proposals computed by matching, invitations sent to members, and the resulting assignments."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Column, Float, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime, enum_check, enum_column_type, utcnow
from app.models.enums import (
    AssignmentStatus,
    AttendanceStatus,
    InvitationStatus,
    ProposalStatus,
)


class Proposal(SQLModel, table=True):
    __tablename__ = "proposal"
    __table_args__ = (enum_check("status", ProposalStatus, "ck_proposal_status"),)

    #: Primary key.
    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="booking_request.id", index=True, ondelete="CASCADE")
    status: str = Field(default=ProposalStatus.PROPOSED, sa_type=enum_column_type(ProposalStatus))
    #: The ranking weights used, so a proposal can be explained later.
    weights: dict = Field(default_factory=dict, sa_column=Column(JSON))
    #: The acceptance model version used (None: the prior) and its figures at the time.
    model_version: int | None = None
    model_metrics: dict = Field(default_factory=dict, sa_column=Column(JSON))
    #: Excluded member ids with their rule code.
    excluded: dict = Field(default_factory=dict, sa_column=Column(JSON))
    #: Quotas the eligible people could not meet: ``[{"quota": {...}, "reason": {code, sv, en}}]``.
    unmet_quotas: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    decided_by_id: int | None = Field(default=None, foreign_key="user_account.id")


class ProposalEntry(SQLModel, table=True):
    """One ranked candidate of a proposal, in the group, in reserve, or only ranked."""

    __tablename__ = "proposal_entry"
    __table_args__ = (UniqueConstraint("proposal_id", "member_id", name="uq_proposal_entry"),)

    #: Primary key.
    id: int | None = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposal.id", index=True, ondelete="CASCADE")
    member_id: int = Field(foreign_key="member.id", index=True)
    rank: int
    score: float = Field(sa_column=Column(Float, nullable=False))
    #: Named score parts (relevance, load, acceptance, …).
    parts: dict = Field(default_factory=dict, sa_column=Column(JSON))
    reasons: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    is_in_group: bool = Field(default=False)
    #: Position in the reserve list, None when not a reserve.
    reserve_position: int | None = None


class MemberOpportunity(SQLModel, table=True):
    """A member was eligible for an approved request: her fair share of its seats.

    Written when a proposal is approved (seats ÷ the people eligible, dated by the request's
    first session) and read, summed over two years, by the load part (docs/matching.md,
    "Score"): people few requests fit get their turn when their load is alike.
    """

    __tablename__ = "member_opportunity"
    __table_args__ = (UniqueConstraint("request_id", "member_id", name="uq_member_opportunity"),)

    #: Primary key.
    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="booking_request.id", index=True, ondelete="CASCADE")
    member_id: int = Field(foreign_key="member.id", index=True, ondelete="CASCADE")
    #: The local date of the request's first session.
    day: date = Field(index=True)
    share: float = Field(sa_column=Column(Float, nullable=False))


class Invitation(SQLModel, table=True):
    __tablename__ = "invitation"
    __table_args__ = (
        enum_check("status", InvitationStatus, "ck_invitation_status"),
        UniqueConstraint("token", name="uq_invitation_token"),
    )

    #: Primary key.
    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="booking_request.id", index=True, ondelete="CASCADE")
    member_id: int = Field(foreign_key="member.id", index=True)
    status: str = Field(
        default=InvitationStatus.PENDING, sa_type=enum_column_type(InvitationStatus)
    )
    #: Secret for the invitation page link in the email.
    token: str = Field(max_length=64)
    #: True for an "are you interested?" message rather than a booking invitation.
    is_interest_check: bool = Field(default=False)
    sent_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    reply_deadline_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    responded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    response_message: str = Field(default="", max_length=1000)
    #: Agreed extra time (e.g. a reading day), set before the answer; copied to the assignment.
    extra_minutes: int = Field(default=0)
    #: Hourly fee agreed (efforts up to two hours including travel); copied to the assignment.
    is_hourly: bool = Field(default=False)
    #: Part of the member's employment at a patient organisation: no fee; copied on acceptance.
    is_part_of_employment: bool = Field(default=False)
    #: Set for a stand-in: the invitation is for this one meeting only (issue 19).
    stand_in_session_id: int | None = Field(default=None, foreign_key="request_session.id")


class Assignment(SQLModel, table=True):
    """A member booked on a request; the unit that compensation and feedback attach to."""

    __tablename__ = "assignment"
    __table_args__ = (
        UniqueConstraint("request_id", "member_id", name="uq_assignment_request_member"),
        enum_check("status", AssignmentStatus, "ck_assignment_status"),
        CheckConstraint(
            "conflict_decision IN ('', 'keep', 'replace')", name="ck_assignment_conflict_decision"
        ),
    )

    #: Primary key.
    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="booking_request.id", index=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    invitation_id: int | None = Field(default=None, foreign_key="invitation.id")
    status: str = Field(default=AssignmentStatus.BOOKED, sa_type=enum_column_type(AssignmentStatus))
    #: Agreed extra time (e.g. a reading day), paid by the same fee classes.
    extra_minutes: int = Field(default=0)
    #: Hourly fee instead of fee classes, as the agreement says.
    is_hourly: bool = Field(default=False)
    #: Member employed by a patient organisation doing this as part of the job: no fee.
    is_part_of_employment: bool = Field(default=False)
    #: When the member signed the conflict-of-interest declaration (jävsdeklaration).
    conflict_declared_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    #: Interests the member declared; empty when none.
    conflict_declaration: str = Field(default="", max_length=2000)
    #: The council's decision on a declared conflict: "" (undecided), keep or replace.
    conflict_decision: str = Field(default="", max_length=16)
    conflict_decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    conflict_decided_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    conflict_decision_note: str = Field(default="", max_length=2000)
    #: Set for a stand-in booked for this one meeting only; None: the whole assignment.
    stand_in_session_id: int | None = Field(default=None, foreign_key="request_session.id")
    #: What the orderer reported the contribution led to.
    outcome: str = Field(default="", max_length=4000)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class SessionAttendance(SQLModel, table=True):
    """Whether one booked person attended one session (docs/domain.md §6.2, attendance)."""

    __tablename__ = "session_attendance"
    __table_args__ = (
        UniqueConstraint("request_session_id", "member_id", name="uq_session_attendance"),
        enum_check("status", AttendanceStatus, "ck_session_attendance_status"),
    )

    #: Primary key.
    id: int | None = Field(default=None, primary_key=True)
    #: The session the mark is for.
    request_session_id: int = Field(
        foreign_key="request_session.id", index=True, ondelete="CASCADE"
    )
    #: The booking of the person on the session's request.
    assignment_id: int = Field(foreign_key="assignment.id", index=True)
    #: The person marked.
    member_id: int = Field(foreign_key="member.id", index=True)
    #: Attended, no-show or cancelled late.
    status: str = Field(sa_type=enum_column_type(AttendanceStatus))
    #: Who recorded the mark last (the orderer's contact or a council user) and when.
    recorded_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
