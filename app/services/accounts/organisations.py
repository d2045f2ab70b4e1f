"""Ordering organisations."""

from __future__ import annotations

from sqlmodel import Session, select

from app.models import Organisation
from app.models.enums import OrganisationKind
from app.services.errors import Conflict, InvalidInput
from app.services.messages import N_
from app.services.text_rules import one_line_error


def list_organisations(*, session: Session) -> list[Organisation]:
    """Return organisations ordered by name."""
    return list(session.exec(select(Organisation).order_by(Organisation.name)))


def create_organisation(*, session: Session, name: str, kind: str) -> Organisation:
    """Add an organisation with a unique name."""
    name = name.strip()
    if not name:
        raise InvalidInput(N_("A name is required."), {"name": N_("A name is required.")})
    if message := one_line_error(name):
        raise InvalidInput(message, {"name": message})
    if kind not in set(OrganisationKind):
        raise InvalidInput(
            N_("Choose one of the listed values."), {"kind": N_("Choose one of the listed values.")}
        )
    if session.exec(select(Organisation).where(Organisation.name == name)).first():
        raise Conflict(N_("An organisation with that name exists already."))
    organisation = Organisation(name=name, kind=kind)
    session.add(organisation)
    session.flush()
    return organisation
