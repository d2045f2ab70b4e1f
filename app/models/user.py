"""Sign-in accounts: one role each; orderers belong to an organisation, members to a pool row."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime, enum_check, enum_column_type, utcnow
from app.models.enums import Role


class User(SQLModel, table=True):
    __tablename__ = "user_account"
    __table_args__ = (
        UniqueConstraint("email", name="uq_user_account_email"),
        UniqueConstraint("calendar_token", name="uq_user_account_calendar_token"),
        enum_check("role", Role, "ck_user_account_role"),
    )

    #: Primary key.
    id: int | None = Field(default=None, primary_key=True)
    #: Sign-in name, stored lower-case.
    email: str = Field(sa_column=Column(String(254), nullable=False))
    #: argon2id hash of the password.
    password_hash: str = Field(sa_column=Column(String(255), nullable=False))
    #: What the user may do: admin, council, orderer or member.
    role: str = Field(sa_type=enum_column_type(Role))
    #: Display name.
    full_name: str = Field(default="", max_length=200)
    #: The organisation an orderer acts for.
    organisation_id: int | None = Field(default=None, foreign_key="organisation.id", index=True)
    #: Preferred UI language.
    locale: str = Field(default="sv", max_length=5)
    #: False blocks sign-in without deleting the account.
    is_enabled: bool = Field(default=True)
    #: Rotated at logout so every earlier session cookie stops working.
    session_token: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_login_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    #: Secret for the council's calendar feed of all bookings; rotating it disables the old URL.
    calendar_token: str | None = Field(default=None, max_length=64)

    # flask-login protocol, kept here to avoid a Flask import in models.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.is_enabled

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"
