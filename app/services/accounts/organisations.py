"""Ordering organisations and their tree (a region and its departments, a municipality and its
units): ``Organisation.parent_id`` names the organisation one is part of (docs/domain.md §4)."""

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
    *,
    session: Session,
    name: str,
    kind: str,
    payer_id: int | None = None,
    parent_id: int | None = None,
) -> Organisation:
    """Add an organisation with a unique name, its legal payer (None: it pays itself) and the
    organisation it is part of (None: top level)."""
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
    _check_parent(session, None, parent_id)
    organisation = Organisation(name=name, kind=kind, payer_id=payer_id, parent_id=parent_id)
    session.add(organisation)
    session.flush()
    return organisation


def _parents(session: Session) -> dict[int, int | None]:
    """Return organisation id -> parent id for every organisation (the table is small)."""
    return dict(session.exec(select(Organisation.id, Organisation.parent_id)).all())


def _check_parent(session: Session, organisation_id: int | None, parent_id: int | None) -> None:
    """Refuse a parent that does not exist or lies inside the organisation itself."""
    if parent_id is None:
        return
    parents = _parents(session)
    if parent_id not in parents:
        message = N_("Choose one of the listed values.")
        raise InvalidInput(message, {"parent_id": message})
    step: int | None = parent_id
    while step is not None:
        if step == organisation_id:
            message = N_("An organisation cannot be part of itself or of one of its own units.")
            raise InvalidInput(message, {"parent_id": message})
        step = parents.get(step)


def set_parent(*, session: Session, organisation_id: int, parent_id: int | None) -> Organisation:
    """Make ``organisation_id`` part of ``parent_id`` (None: a top-level organisation)."""
    organisation = session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFound(N_("No such organisation."))
    _check_parent(session, organisation_id, parent_id)
    organisation.parent_id = parent_id
    session.flush()
    return organisation


def organisation_family(
    *, session: Session, organisation_id: int
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Return the names of the organisations above one (parent first) and of all below it."""
    _name, above, below = organisation_and_family(session=session, organisation_id=organisation_id)
    return above, below


def organisation_and_family(
    *, session: Session, organisation_id: int | None
) -> tuple[str | None, tuple[str, ...], tuple[str, ...]]:
    """Return an organisation's name (None if there is no such one) and ``organisation_family``.

    One statement for both: the family reads every organisation's name anyway.
    """
    return family_in(organisation_rows(session=session), organisation_id)


def organisation_rows(*, session: Session) -> list[tuple[int, int | None, str]]:
    """Return (id, parent id, name) of every organisation, oldest first: the tree ``family_in``
    walks (ordered, so a family lists in the same order on every database and every run)."""
    rows = session.exec(
        select(Organisation.id, Organisation.parent_id, Organisation.name).order_by(Organisation.id)
    )
    return [(row_id, parent_id, name) for row_id, parent_id, name in rows]


def family_in(
    rows, organisation_id: int | None
) -> tuple[str | None, tuple[str, ...], tuple[str, ...]]:
    """Return ``organisation_and_family`` from every organisation's (id, parent id, name)."""
    parent = {row_id: parent_id for row_id, parent_id, _ in rows}
    name = {row_id: row_name for row_id, _, row_name in rows}
    children: dict[int, list[int]] = {}
    for row_id, parent_id, _ in rows:
        if parent_id is not None:
            children.setdefault(parent_id, []).append(row_id)
    above, seen = [], {organisation_id}
    step = parent.get(organisation_id)
    while step is not None and step not in seen:
        above.append(name[step])
        seen.add(step)
        step = parent.get(step)
    below, queue = [], list(children.get(organisation_id, ()))
    while queue:
        child = queue.pop(0)
        if child in seen:
            continue
        seen.add(child)
        below.append(name[child])
        queue += children.get(child, ())
    return name.get(organisation_id), tuple(above), tuple(below)


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
