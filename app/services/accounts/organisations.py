"""Ordering organisations."""

from __future__ import annotations

from sqlmodel import Session, select

from app.models import Organisation
from app.models.enums import OrganisationKind
from app.services.compensation.payers import check_payer
from app.services.errors import Conflict, InvalidInput
from app.services.messages import N_
from app.services.text_rules import one_line_error


def list_organisations(*, session: Session) -> list[Organisation]:
    """Return organisations ordered by name."""
    return list(session.exec(select(Organisation).order_by(Organisation.name)))


def create_organisation(
    *, session: Session, name: str, kind: str, payer_id: int | None = None
) -> Organisation:
    """Add an organisation with a unique name and its legal payer (None: it pays itself)."""
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
    check_payer(session=session, organisation_id=None, payer_id=payer_id)
    organisation = Organisation(name=name, kind=kind, payer_id=payer_id)
    session.add(organisation)
    session.flush()
    return organisation
