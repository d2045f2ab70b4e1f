"""Surveys after an assignment, from members and from orderers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, Text
from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime, enum_check, enum_column_type, utcnow
from app.models.enums import FeedbackRespondent


class Feedback(SQLModel, table=True):
    __tablename__ = "feedback"
    __table_args__ = (enum_check("respondent", FeedbackRespondent, "ck_feedback_respondent"),)

    #: Primary key.
    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="booking_request.id", index=True)
    #: The assignment a member's answer concerns; None for the orderer's answer.
    assignment_id: int | None = Field(default=None, foreign_key="assignment.id")
    respondent: str = Field(sa_type=enum_column_type(FeedbackRespondent))
    user_id: int | None = Field(default=None, foreign_key="user_account.id")
    #: Question code → score (1–5) or yes/no.
    answers: dict = Field(default_factory=dict, sa_column=Column(JSON))
    free_text: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    #: The orderer's answer to "what did it lead to?".
    led_to: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    submitted_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
