"""Feedback surveys sent after an assignment, and the 6-monthly reviews of members."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime, enum_check, enum_column_type, utcnow
from app.models.enums import FeedbackRespondent, ReviewStatus


class Survey(SQLModel, table=True):
    """A survey sent to one member about an assignment, or to the orderer about a request."""

    __tablename__ = "survey"
    __table_args__ = (
        UniqueConstraint("key", name="uq_survey_key"),
        UniqueConstraint("token", name="uq_survey_token"),
        enum_check("respondent", FeedbackRespondent, "ck_survey_respondent"),
    )

    #: Primary key.
    id: int | None = Field(default=None, primary_key=True)
    #: "member:<assignment id>" or "orderer:<request id>": one survey each, ever.
    key: str = Field(max_length=40)
    request_id: int = Field(foreign_key="booking_request.id", index=True)
    #: The member's assignment; None for the orderer's survey.
    assignment_id: int | None = Field(default=None, foreign_key="assignment.id", index=True)
    respondent: str = Field(sa_type=enum_column_type(FeedbackRespondent))
    #: Secret for the survey link in the mail.
    token: str = Field(max_length=64)
    sent_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    answered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    feedback_id: int | None = Field(default=None, foreign_key="feedback.id")


class MemberReview(SQLModel, table=True):
    """Every 6 months a member confirms availability and consent; no answer pauses them."""

    __tablename__ = "member_review"
    __table_args__ = (
        UniqueConstraint("member_id", "due_on", name="uq_member_review_member_due"),
        UniqueConstraint("token", name="uq_member_review_token"),
        enum_check("status", ReviewStatus, "ck_member_review_status"),
    )

    #: Primary key.
    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", index=True, ondelete="CASCADE")
    #: The day the review fell due (6 months after the last confirmation, consent or joining).
    due_on: date
    status: str = Field(default=ReviewStatus.OPEN, sa_type=enum_column_type(ReviewStatus))
    #: Secret for the review link in the mail.
    token: str = Field(max_length=64)
    requested_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    #: When the second (last) reminder went out.
    reminded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    answered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    #: When the member was paused for not answering.
    lapsed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
