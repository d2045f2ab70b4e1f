"""Ordering organisations."""

from __future__ import annotations

from sqlmodel import Session, select

from app.models import Organisation
from app.models.enums import OrganisationKind
from app.services.compensation.payers import check_payer
from app.services.errors import Conflict, InvalidInput, NotFound
from app.services.messages import N_
from app.services.privacy.audit import record_audit
from app.services.text_rules import email_error, one_line_error

#: Told to the orderers of a disabled organisation on sign-in and when they try to send a request.
ORGANISATION_DISABLED = N_(
    "Your organisation is disabled, so it cannot send new requests. Earlier requests go on as"
    " planned. Contact the administrator if this is wrong."
)


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


def get_organisation(*, session: Session, organisation_id: int) -> Organisation:
    """Return the organisation or raise NotFound."""
    organisation = session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFound(N_("No such organisation."))
    return organisation


def _contact_errors(name: str, email: str, phone: str) -> dict[str, str]:
    errors = {}
    for field, value, limit in (("contact_name", name, 200), ("contact_phone", phone, 40)):
        if message := one_line_error(value):
            errors[field] = message
        elif len(value) > limit:
            errors[field] = N_("The text is too long.")
    if message := email_error(email):
        errors["contact_email"] = message
    return errors


def update_organisation(
    *,
    session: Session,
    organisation_id: int,
    name: str,
    kind: str,
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    actor_id: int | None,
) -> dict[str, list]:
    """Change an organisation's name, kind and contact; return the changes made (audited)."""
    organisation = get_organisation(session=session, organisation_id=organisation_id)
    name = name.strip()
    if not name or len(name) > 200 or one_line_error(name):
        message = one_line_error(name) or N_("A name is required (at most 200 characters).")
        raise InvalidInput(message, {"name": message})
    if kind not in set(OrganisationKind):
        message = N_("Choose one of the listed values.")
        raise InvalidInput(message, {"kind": message})
    wanted = {
        "name": name,
        "kind": str(kind),
        "contact_name": contact_name.strip(),
        "contact_email": contact_email.strip().lower(),
        "contact_phone": contact_phone.strip(),
    }
    if errors := _contact_errors(
        wanted["contact_name"], wanted["contact_email"], wanted["contact_phone"]
    ):
        raise InvalidInput(next(iter(errors.values())), errors)
    same_name = session.exec(select(Organisation.id).where(Organisation.name == name)).first()
    if same_name is not None and same_name != organisation.id:
        raise Conflict(N_("An organisation with that name exists already."))
    changes = {
        field: [getattr(organisation, field), value]
        for field, value in wanted.items()
        if getattr(organisation, field) != value
    }
    if changes:
        for field, (_before, after) in changes.items():
            setattr(organisation, field, after)
        session.add(organisation)
        record_audit(
            session=session,
            actor_id=actor_id,
            action="organisation.updated",
            subject_type="organisation",
            subject_id=organisation.id,
            detail={"changes": changes},
        )
    return changes


def set_organisation_enabled(
    *, session: Session, organisation_id: int, enabled: bool, actor_id: int | None
) -> Organisation:
    """Disable an organisation (its orderers can send no new requests) or enable it again."""
    organisation = get_organisation(session=session, organisation_id=organisation_id)
    if organisation.is_enabled == enabled:
        raise Conflict(
            N_("The organisation is already enabled.")
            if enabled
            else N_("The organisation is already disabled.")
        )
    organisation.is_enabled = enabled
    session.add(organisation)
    record_audit(
        session=session,
        actor_id=actor_id,
        action="organisation.enabled" if enabled else "organisation.disabled",
        subject_type="organisation",
        subject_id=organisation.id,
    )
    return organisation


def organisation_is_disabled(*, session: Session, organisation_id: int | None) -> bool:
    """Return True when the organisation exists and is disabled."""
    organisation = session.get(Organisation, organisation_id) if organisation_id else None
    return organisation is not None and not organisation.is_enabled
