"""Ordering organisations: departments, municipalities, universities, national bodies, regions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime, enum_check, enum_column_type, utcnow
from app.models.enums import OrganisationKind


class Organisation(SQLModel, table=True):
    __tablename__ = "organisation"
    __table_args__ = (
        UniqueConstraint("name", name="uq_organisation_name"),
        enum_check("kind", OrganisationKind, "ck_organisation_kind"),
        UniqueConstraint("report_token_hash", name="uq_organisation_report_token_hash"),
    )

    #: Primary key.
    id: int | None = Field(default=None, primary_key=True)
    #: Official name, unique.
    name: str = Field(max_length=200)
    #: What kind of body it is.
    kind: str = Field(sa_type=enum_column_type(OrganisationKind))
    #: Invoice reference or cost centre for compensation.
    cost_centre: str = Field(default="", max_length=64)
    #: The legal body that pays this organisation's fees (docs/domain.md §6.5); None: itself.
    payer_id: int | None = Field(default=None, foreign_key="organisation.id", index=True)
    #: The organisation this one is part of (a region's department, a municipality's unit);
    #: None: top level. Conflicts of interest follow this tree (docs/domain.md §4).
    parent_id: int | None = Field(default=None, foreign_key="organisation.id", index=True)
    #: Who the council and the administrator contact about the organisation.
    contact_name: str = Field(default="", max_length=200)
    contact_email: str = Field(default="", max_length=254)
    contact_phone: str = Field(default="", max_length=40)
    #: False stops new requests from its orderers; their earlier requests stay as they are.
    is_enabled: bool = Field(default=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    #: A patient or relative organisation's number of members, where known.
    member_count: int | None = Field(default=None)
    #: SHA-256 of the secret in the report link mailed to the contact (None: no link yet).
    report_token_hash: str | None = Field(default=None, max_length=64)
    #: When the report link stops working.
    report_link_expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class OrganisationArea(SQLModel, table=True):
    """An area of experience a patient or relative organisation serves."""

    __tablename__ = "organisation_area"
    __table_args__ = (UniqueConstraint("organisation_id", "area_id", name="uq_organisation_area"),)

    #: Primary key.
    id: int | None = Field(default=None, primary_key=True)
    #: The organisation.
    organisation_id: int = Field(foreign_key="organisation.id", index=True, ondelete="CASCADE")
    #: The area it serves.
    area_id: int = Field(foreign_key="area.id", index=True)
