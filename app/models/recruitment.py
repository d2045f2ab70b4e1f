"""People who applied to (or were nominated for) the pool, before they become members.

An applicant's experiences and needs are health data (GDPR special category), as a member's are:
reads are audited and the rows follow the retention rule (``docs/domain.md`` §2).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Column, Text
from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime, enum_check, enum_column_type, utcnow
from app.models.enums import ApplicantSource, ApplicantStatus, Gender


class Applicant(SQLModel, table=True):
    __tablename__ = "applicant"
    __table_args__ = (
        enum_check("status", ApplicantStatus, "ck_applicant_status"),
        enum_check("source", ApplicantSource, "ck_applicant_source"),
        enum_check("gender", Gender, "ck_applicant_gender"),  # NULL passes a CHECK
        CheckConstraint("birth_year BETWEEN 1900 AND 2100", name="ck_applicant_birth_year"),
    )

    #: Primary key.
    id: int | None = Field(default=None, primary_key=True)
    #: When the application or nomination arrived.
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    #: Step of the pipeline (``ApplicantStatus``).
    status: str = Field(
        default=ApplicantStatus.APPLIED, sa_type=enum_column_type(ApplicantStatus), index=True
    )
    #: Given name(s).
    first_name: str = Field(max_length=100)
    #: Family name.
    last_name: str = Field(max_length=100)
    #: Address the council writes to (lower-case).
    email: str = Field(default="", max_length=254)
    #: Telephone number as typed.
    phone: str = Field(default="", max_length=40)
    #: Birth year only; None when not given (a nomination may lack it).
    birth_year: int | None = None
    #: ``Gender`` value, or None when the person chose not to say.
    gender: str | None = Field(default=None, sa_type=enum_column_type(Gender))
    #: Home municipality, e.g. "Jönköping".
    municipality: str = Field(default="", max_length=100)
    #: Experiences: a list of {"area_id": int, "type": "own" | "relative"} (health data).
    experiences: list[dict] = Field(default_factory=list, sa_column=Column(JSON))
    #: How they wish to take part: ``AssignmentType`` values.
    participation: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    #: ISO 639-1 codes of the languages they can take part in.
    languages: list[str] = Field(default_factory=lambda: ["sv"], sa_column=Column(JSON))
    #: Needs ticked on the form: ``ApplicantNeed`` values (health data).
    need_codes: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    #: Needs in their own words (health data).
    needs: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    #: Own application or an organisation's nomination.
    source: str = Field(
        default=ApplicantSource.APPLICATION, sa_type=enum_column_type(ApplicantSource)
    )
    #: The organisation giving a mandate (nominations); None: takes part for themselves.
    organisation_id: int | None = Field(default=None, foreign_key="organisation.id", index=True)
    #: When the organisation's mandate ends.
    mandate_ends_on: date | None = None
    #: Why the status was set (required for not now / declined; told to the person).
    status_reason: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    #: When the status last changed; None while still as submitted.
    status_changed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    #: Who changed the status last.
    status_changed_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    #: The pool member created on activation.
    member_id: int | None = Field(default=None, foreign_key="member.id")
    #: When the person consented to the processing described in the privacy notice.
    consent_given_at: datetime = Field(sa_type=UTCDateTime)
    #: Version of the privacy notice text they consented to.
    consent_text_version: str = Field(max_length=32)
    #: The recruitment target this applicant helps fill (set by recruitment targets); "" none.
    fills_gap: str = Field(default="", max_length=200)
    #: Set when personal data has been anonymised under the retention rule.
    anonymised_at: datetime | None = Field(default=None, sa_type=UTCDateTime)

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}"
