"""Yearly figures as dated data, and members' compensation claims."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Column, Numeric, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime, enum_check, enum_column_type, utcnow
from app.models.enums import ClaimStatus, PayoutFrequency


class PriceBaseAmount(SQLModel, table=True):
    """The year's prisbasbelopp (PBB); fees are shares of it."""

    __tablename__ = "price_base_amount"
    __table_args__ = (
        UniqueConstraint("year", name="uq_price_base_amount_year"),
        CheckConstraint("amount_sek > 0", name="ck_price_base_amount_positive"),
    )

    #: Primary key.
    id: int | None = Field(default=None, primary_key=True)
    year: int
    #: Whole kronor.
    amount_sek: int
    #: The official table the figure comes from (docs/domain.md §4).
    source: str = Field(default="", max_length=200)


class EmployerContributionRate(SQLModel, table=True):
    """Employer contribution rate for people born in a year band, valid over a period."""

    __tablename__ = "employer_contribution_rate"
    __table_args__ = (
        CheckConstraint("rate_percent >= 0 AND rate_percent <= 100", name="ck_ecr_rate"),
        CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="ck_ecr_period"),
    )

    #: Primary key.
    id: int | None = Field(default=None, primary_key=True)
    #: First and last day (inclusive) of pay dates the rate applies to; open-ended when None.
    valid_from: date
    valid_to: date | None = None
    #: Birth-year band (inclusive); None means unbounded on that side.
    born_from: int | None = None
    born_to: int | None = None
    rate_percent: Decimal = Field(sa_column=Column(Numeric(6, 2), nullable=False))
    label: str = Field(default="", max_length=200)
    #: The official table the figure comes from (docs/domain.md §4).
    source: str = Field(default="", max_length=200)


class MileageRate(SQLModel, table=True):
    """Tax-free car mileage rate, in kronor per 10 km, from a date on."""

    __tablename__ = "mileage_rate"
    __table_args__ = (UniqueConstraint("valid_from", name="uq_mileage_rate_valid_from"),)

    #: Primary key.
    id: int | None = Field(default=None, primary_key=True)
    valid_from: date
    #: Last day (inclusive) the rate applies to; open-ended (until a later rate) when None.
    valid_to: date | None = None
    kr_per_10km: Decimal = Field(sa_column=Column(Numeric(8, 2), nullable=False))
    #: The official table the figure comes from (docs/domain.md §4).
    source: str = Field(default="", max_length=200)


class PayoutBatch(SQLModel, table=True):
    """Attested claims paid out together for one month or quarter; frozen once closed."""

    __tablename__ = "payout_batch"
    __table_args__ = (
        enum_check("frequency", PayoutFrequency, "ck_payout_batch_frequency"),
        CheckConstraint("period_end >= period_start", name="ck_payout_batch_period"),
    )

    #: Primary key.
    id: int | None = Field(default=None, primary_key=True)
    period_start: date
    period_end: date
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    is_closed: bool = Field(default=False)
    #: Monthly or quarterly, as configured when the batch was made.
    frequency: str = Field(
        default=PayoutFrequency.MONTHLY, sa_type=enum_column_type(PayoutFrequency)
    )
    #: When the batch was closed for payment; nothing in it changes after that.
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    #: The day the fees are paid, set on closing; it decides the income year and the
    #: contribution rate (docs/domain.md §6.5).
    pay_date: date | None = None


class CompensationClaim(SQLModel, table=True):
    """A member's time and travel report for one assignment."""

    __tablename__ = "compensation_claim"
    __table_args__ = (
        enum_check("status", ClaimStatus, "ck_compensation_claim_status"),
        CheckConstraint("travel_minutes >= 0", name="ck_claim_travel_minutes"),
        CheckConstraint("car_km >= 0", name="ck_claim_car_km"),
    )

    #: Primary key.
    id: int | None = Field(default=None, primary_key=True)
    assignment_id: int = Field(foreign_key="assignment.id", index=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    status: str = Field(default=ClaimStatus.DRAFT, sa_type=enum_column_type(ClaimStatus))
    #: Travel time counted into the fee class, in minutes.
    travel_minutes: int = Field(default=0)
    car_km: int = Field(default=0)
    ticket_cost_sek: Decimal = Field(default=Decimal("0"), sa_column=Column(Numeric(10, 2)))
    other_cost_sek: Decimal = Field(default=Decimal("0"), sa_column=Column(Numeric(10, 2)))
    note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    #: Computed fee in whole kronor, frozen at attestation.
    fee_sek: int | None = None
    submitted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    attested_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    attested_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    payout_batch_id: int | None = Field(default=None, foreign_key="payout_batch.id")
    #: Travel reimbursement (car, tickets, other) in whole kronor, frozen at attestation.
    travel_sek: int | None = None
    #: The council's comment when sending the claim back.
    review_comment: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))


class ClaimLine(SQLModel, table=True):
    """One paid activity of a claim: a session as it actually went, or agreed extra time."""

    __tablename__ = "claim_line"
    __table_args__ = (
        CheckConstraint("minutes > 0", name="ck_claim_line_minutes"),
        CheckConstraint("travel_minutes >= 0", name="ck_claim_line_travel"),
    )

    #: Primary key.
    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = Field(foreign_key="compensation_claim.id", index=True, ondelete="CASCADE")
    #: The session this line reports; None for agreed extra time.
    request_session_id: int | None = Field(default=None, foreign_key="request_session.id")
    #: Local date of the activity; its year picks the PBB.
    activity_on: date
    #: Actual time of the activity, excluding travel.
    minutes: int
    travel_minutes: int = Field(default=0)
    #: Fee class and amount as last computed (frozen at attestation).
    fee_class: str = Field(default="", max_length=20)
    fee_sek: int = Field(default=0)
    #: Why the fee is zero, when it is.
    no_fee_reason: str = Field(default="", max_length=40)


class ClaimReceipt(SQLModel, table=True):
    """A receipt file attached to a claim, stored in the instance folder."""

    __tablename__ = "claim_receipt"

    #: Primary key.
    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = Field(foreign_key="compensation_claim.id", index=True, ondelete="CASCADE")
    #: Name the member's file had (shown only).
    original_name: str = Field(max_length=200)
    #: Random name on disk, under the receipts folder.
    stored_name: str = Field(max_length=80)
    content_type: str = Field(max_length=80)
    size_bytes: int
    uploaded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class CompensationSetting(SQLModel, table=True):
    """Compensation settings an administrator edits; a single row (id 1)."""

    __tablename__ = "compensation_setting"
    __table_args__ = (
        CheckConstraint("receipt_threshold_sek >= 0", name="ck_compensation_setting_threshold"),
    )

    #: Primary key; the one row has id 1.
    id: int | None = Field(default=None, primary_key=True)
    #: Ticket and other costs above this many kronor need a receipt (0: every cost does).
    receipt_threshold_sek: int = Field(default=0)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_by_id: int | None = Field(default=None, foreign_key="user_account.id")
