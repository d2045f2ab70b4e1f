"""The outbox: every message is written here first, in the unit of work that decides to send it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime, enum_check, enum_column_type, utcnow
from app.models.enums import OutboxStatus


class OutboxMessage(SQLModel, table=True):
    """One e-mail: written once (unique key), claimed under a lease, sent once, outcome kept."""

    __tablename__ = "outbox_message"
    __table_args__ = (
        UniqueConstraint("key", name="uq_outbox_message_key"),
        enum_check("status", OutboxStatus, "ck_outbox_message_status"),
        Index("ix_outbox_message_status_id", "status", "id"),
    )

    #: Primary key; also orders delivery.
    id: int | None = Field(default=None, primary_key=True)
    #: What the message is about, e.g. "reminder:7d:assignment=3:session=9"; a message with a key
    #: is written at most once. None for one-off mail (invitations, notices).
    key: str | None = Field(default=None, max_length=200)
    #: Kind of message ("mail", "reminder_7d", "survey_member", …) for the council's job page.
    kind: str = Field(default="mail", max_length=40)
    status: str = Field(default=OutboxStatus.PENDING, sa_type=enum_column_type(OutboxStatus))
    recipient: str = Field(default="", max_length=254)
    subject: str = Field(default="", max_length=300)
    body: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    #: iCalendar text sent as a text/calendar part and attachment, if any.
    calendar: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    calendar_method: str = Field(default="REQUEST", max_length=10)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    #: Delivery attempts so far.
    attempts: int = Field(default=0)
    #: A failed attempt is retried no earlier than this.
    next_attempt_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    #: The sender that claimed the message; its claim runs out at ``lease_until``.
    claim_token: str | None = Field(default=None, max_length=32)
    lease_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    #: The last delivery error (SMTP or file system), for the council's job page.
    last_error: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    #: Why a skipped message was not sent (e.g. the session had already started).
    skip_reason: str = Field(default="", max_length=200)
