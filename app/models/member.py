"""Pool members and their experiences (health data: GDPR special category)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime, enum_check, enum_column_type, utcnow
from app.models.enums import ExperienceType, Gender, Mandate, MemberStatus, Pool


class Member(SQLModel, table=True):
    __tablename__ = "member"
    __table_args__ = (
        UniqueConstraint("user_id", name="uq_member_user_id"),
        UniqueConstraint("calendar_token", name="uq_member_calendar_token"),
        enum_check("gender", Gender, "ck_member_gender"),
        enum_check("pool", Pool, "ck_member_pool"),
        enum_check("mandate", Mandate, "ck_member_mandate"),
        enum_check("status", MemberStatus, "ck_member_status"),
        Index("ix_member_name", "last_name", "first_name", "id"),  # the pool list's order
        CheckConstraint("birth_year BETWEEN 1900 AND 2100", name="ck_member_birth_year"),
        CheckConstraint("max_per_month >= 0", name="ck_member_max_per_month"),
        CheckConstraint(
            "mandate = 'self' OR mandate_organisation_id IS NOT NULL",
            name="ck_member_mandate_organisation",
        ),
    )

    #: Primary key.
    id: int | None = Field(default=None, primary_key=True)
    #: The sign-in account of this member, if they have one.
    user_id: int | None = Field(default=None, foreign_key="user_account.id")
    first_name: str = Field(max_length=100)
    last_name: str = Field(max_length=100)
    email: str = Field(default="", max_length=254)
    phone: str = Field(default="", max_length=40)
    #: Birth year only (no full birth date is needed); set by the council after onboarding.
    birth_year: int
    #: Set by the council after onboarding.
    gender: str = Field(sa_type=enum_column_type(Gender))
    #: Home municipality, e.g. "Jönköping".
    municipality: str = Field(default="", max_length=100)
    #: ISO 639-1 codes of languages the member can take assignments in.
    languages: list[str] = Field(default_factory=lambda: ["sv"], sa_column=Column(JSON))
    #: Which pool: Levande bibliotek or Peer.
    pool: str = Field(sa_type=enum_column_type(Pool))
    #: Takes part for themselves or with a mandate from an organisation.
    mandate: str = Field(default=Mandate.SELF, sa_type=enum_column_type(Mandate))
    #: The organisation that gave the mandate.
    mandate_organisation_id: int | None = Field(default=None, foreign_key="organisation.id")
    #: When the mandate from the organisation ends; None: no end date (or no mandate).
    mandate_ends_on: date | None = None
    #: Employer's name, checked for conflicts of interest with the ordering organisation.
    employer: str = Field(default="", max_length=200)
    #: Assignment types the member wants; empty means all.
    assignment_types: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    is_onsite_ok: bool = Field(default=True)
    is_digital_ok: bool = Field(default=True)
    #: At most this many assignments in one calendar month.
    max_per_month: int = Field(default=2)
    status: str = Field(default=MemberStatus.ACTIVE, sa_type=enum_column_type(MemberStatus))
    #: While set and in the future, the member takes no assignments.
    paused_until: date | None = None
    training_completed_on: date | None = None
    #: Practical needs at assignments (``ApplicantNeed`` values) and a free-text note (issue 19).
    needs: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    needs_note: str = Field(default="", max_length=1000)
    has_signed_agreement: bool = Field(default=False)
    #: Consent to store and use health data; None when never given.
    consent_given_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    consent_withdrawn_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    #: Version of the consent text the member agreed to.
    consent_text_version: str = Field(default="", max_length=32)
    #: Secret for the personal calendar feed; rotating it disables the old URL.
    calendar_token: str | None = Field(default=None, max_length=64)
    joined_on: date = Field(default_factory=date.today)
    #: When the member left the pool; the retention period runs from here.
    left_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    #: Set when personal data has been anonymised under the retention rule.
    anonymised_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

    @property
    def has_valid_consent(self) -> bool:
        """Return True when consent is given and not withdrawn since."""
        if self.consent_given_at is None:
            return False
        return (
            self.consent_withdrawn_at is None or self.consent_withdrawn_at < self.consent_given_at
        )

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Experience(SQLModel, table=True):
    __tablename__ = "experience"
    __table_args__ = (
        UniqueConstraint("member_id", "area_id", "type", name="uq_experience_member_area_type"),
        enum_check("type", ExperienceType, "ck_experience_type"),
    )

    #: Primary key.
    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", index=True, ondelete="CASCADE")
    #: Area of the taxonomy the experience concerns.
    area_id: int = Field(foreign_key="area.id", index=True)
    #: Own (patient) or relative (närstående) experience.
    type: str = Field(sa_type=enum_column_type(ExperienceType))
    #: Optional free-text detail the member wants the council to know.
    note: str = Field(default="", max_length=500)
