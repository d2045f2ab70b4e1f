"""The register of patient and relative organisations: contact, areas served, member count."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session, delete, func, select

from app.models import Area, Member, Organisation
from app.models.enums import Mandate, OrganisationKind
from app.models.organisation import OrganisationArea
from app.services.accounts.organisations import create_organisation, update_organisation
from app.services.errors import InvalidInput, NotFound
from app.services.messages import N_
from app.services.privacy.audit import record_audit


@dataclass(frozen=True)
class OrganisationInput:
    """What the council enters for a patient or relative organisation."""

    name: str
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    member_count: int | None = None
    area_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class RegisterRow:
    """One organisation in the register, with the areas it serves and its representatives."""

    organisation: Organisation
    area_ids: tuple[int, ...]
    representatives: int


def patient_organisation(*, session: Session, organisation_id: int) -> Organisation:
    """Return a patient or relative organisation or raise NotFound."""
    organisation = session.get(Organisation, organisation_id)
    if organisation is None or organisation.kind != OrganisationKind.PATIENT_ORGANISATION:
        raise NotFound(N_("No such organisation."))
    return organisation


def served_areas(*, session: Session, organisation_id: int) -> tuple[int, ...]:
    """Return the ids of the areas an organisation serves."""
    query = select(OrganisationArea.area_id).where(
        OrganisationArea.organisation_id == organisation_id
    )
    return tuple(sorted(session.exec(query)))


def list_register(*, session: Session) -> list[RegisterRow]:
    """Return the patient and relative organisations by name, with areas and representatives."""
    organisations = session.exec(
        select(Organisation)
        .where(Organisation.kind == OrganisationKind.PATIENT_ORGANISATION)
        .order_by(Organisation.name)
    ).all()
    areas: dict[int, list[int]] = defaultdict(list)
    for organisation_id, area_id in session.exec(
        select(OrganisationArea.organisation_id, OrganisationArea.area_id)
    ):
        areas[organisation_id].append(area_id)
    counts = dict(
        session.exec(
            select(Member.mandate_organisation_id, func.count(Member.id))
            .where(Member.mandate == Mandate.ORGANISATION, Member.anonymised_at.is_(None))
            .group_by(Member.mandate_organisation_id)
        ).all()
    )
    return [
        RegisterRow(org, tuple(sorted(areas.get(org.id, ()))), counts.get(org.id, 0))
        for org in organisations
    ]


def _check(session: Session, data: OrganisationInput) -> None:
    if data.member_count is not None and not 0 <= data.member_count <= 10_000_000:
        message = N_("Give a whole number of members, or leave the field empty.")
        raise InvalidInput(message, {"member_count": message})
    known = set(session.exec(select(Area.id).where(Area.id.in_(data.area_ids))))
    if set(data.area_ids) - known:
        message = N_("Choose one of the listed values.")
        raise InvalidInput(message, {"area_ids": message})


def _set_areas(session: Session, organisation_id: int, area_ids: Iterable[int]) -> None:
    session.exec(
        delete(OrganisationArea).where(OrganisationArea.organisation_id == organisation_id)
    )
    for area_id in sorted(set(area_ids)):
        session.add(OrganisationArea(organisation_id=organisation_id, area_id=area_id))
    session.flush()


def create_patient_organisation(
    *, session: Session, data: OrganisationInput, actor_id: int | None
) -> Organisation:
    """Add a patient or relative organisation to the register."""
    _check(session, data)
    organisation = create_organisation(
        session=session, name=data.name, kind=OrganisationKind.PATIENT_ORGANISATION
    )
    return _save(session, organisation, data, actor_id, "organisation.registered")


def update_patient_organisation(
    *, session: Session, organisation_id: int, data: OrganisationInput, actor_id: int | None
) -> Organisation:
    """Change a registered organisation's name, contact, member count and areas."""
    organisation = patient_organisation(session=session, organisation_id=organisation_id)
    _check(session, data)
    return _save(session, organisation, data, actor_id, "organisation.register_updated")


def _save(session, organisation, data: OrganisationInput, actor_id, action) -> Organisation:
    update_organisation(
        session=session,
        organisation_id=organisation.id,
        name=data.name,
        kind=OrganisationKind.PATIENT_ORGANISATION,
        contact_name=data.contact_name,
        contact_email=data.contact_email,
        contact_phone=data.contact_phone,
        actor_id=actor_id,
    )
    organisation.member_count = data.member_count
    session.add(organisation)
    _set_areas(session, organisation.id, data.area_ids)
    record_audit(
        session=session,
        actor_id=actor_id,
        action=action,
        subject_type="organisation",
        subject_id=organisation.id,
        detail={"member_count": data.member_count, "areas": sorted(set(data.area_ids))},
    )
    return organisation
