"""The legal payer of an organisation's fees (docs/domain.md §6.5).

A region pays for its departments and process groups, a municipality for itself, and a national
group is paid by its host region. ``Organisation.payer_id`` names the paying organisation; None
means the organisation pays for itself. A payer always pays for itself, so there are no chains.
"""

from __future__ import annotations

from sqlmodel import Session, select

from app.models import Organisation
from app.services.errors import InvalidInput, NotFound
from app.services.messages import N_


def payer_id_of(organisation: Organisation) -> int:
    """Return the id of the organisation that pays for ``organisation``."""
    return organisation.payer_id if organisation.payer_id is not None else organisation.id


def check_payer(*, session: Session, organisation_id: int | None, payer_id: int | None) -> None:
    """Refuse a payer that does not exist, is paid by another or would make a chain."""
    if payer_id is None or payer_id == organisation_id:
        return
    payer = session.get(Organisation, payer_id)
    if payer is None:
        raise InvalidInput(
            N_("Choose one of the listed values."),
            {"payer_id": N_("Choose one of the listed values.")},
        )
    if payer.payer_id is not None:
        message = N_("The payer must pay for itself; choose the organisation that pays for it.")
        raise InvalidInput(message, {"payer_id": message})
    if (
        organisation_id is not None
        and session.exec(
            select(Organisation.id).where(Organisation.payer_id == organisation_id)
        ).first()
    ):
        message = N_("Other organisations are paid by this one, so it must pay for itself.")
        raise InvalidInput(message, {"payer_id": message})


def set_payer(*, session: Session, organisation_id: int, payer_id: int | None) -> Organisation:
    """Make ``payer_id`` the legal payer of an organisation (None or itself: it pays itself)."""
    organisation = session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFound(N_("No such organisation."))
    check_payer(session=session, organisation_id=organisation_id, payer_id=payer_id)
    organisation.payer_id = None if payer_id in (None, organisation_id) else payer_id
    session.flush()
    return organisation
