"""The area taxonomy: lookups and the 'an area matches itself and its descendants' rule."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_
from sqlmodel import Session, select

from app.models import Area, Experience, RequestArea
from app.services.errors import Conflict, InvalidInput
from app.services.messages import N_
from app.services.privacy.audit import record_audit
from app.services.text_rules import one_line_error


def list_areas(*, session: Session, only_active: bool = True) -> list[Area]:
    """Return areas ordered by code (parents before their children)."""
    query = select(Area).order_by(Area.code)
    if only_active:
        query = query.where(Area.is_active)
    return list(session.exec(query))


@dataclass(frozen=True)
class AreaName:
    """An active area as a select shows it: read as plain columns, not as an ORM object."""

    id: int
    code: str
    name_sv: str
    name_en: str

    #: The area's name in the given UI language: the model's own rule, on these columns.
    name = Area.name


def list_area_names(*, session: Session) -> list[AreaName]:
    """Return the active areas' ids, codes and names, ordered by code (for select options).

    Forms on the busiest pages (the member's home, a new request) list every area; plain rows
    cost a tenth of building the ORM objects.
    """
    query = (
        select(Area.id, Area.code, Area.name_sv, Area.name_en)
        .where(Area.is_active)
        .order_by(Area.code)
    )
    return [AreaName(*row) for row in session.exec(query)]


def area_and_descendant_ids(*, session: Session, area_id: int) -> list[int]:
    """Return the ids of an area and every area below it."""
    area = session.get(Area, area_id)
    if area is None:
        return []
    query = select(Area.id).where(
        or_(Area.code == area.code, Area.code.startswith(area.code + "/"))
    )
    return list(session.exec(query))


def create_area(*, session: Session, code: str, name_sv: str, name_en: str) -> Area:
    """Add an area; its parent (the code up to the last slash) must exist already."""
    code = code.strip().strip("/").lower()
    if not code or " " in code:
        raise InvalidInput("Invalid area code.", {"code": "Use lower-case words joined by '/'."})
    _check_names(name_sv, name_en)
    if session.exec(select(Area).where(Area.code == code)).first() is not None:
        raise Conflict(f"The area {code} exists already.")
    parent = None
    if "/" in code:
        parent_code = code.rsplit("/", 1)[0]
        parent = session.exec(select(Area).where(Area.code == parent_code)).first()
        if parent is None:
            raise InvalidInput("Unknown parent area.", {"code": f"Add {parent_code} first."})
    area = Area(
        code=code, name_sv=name_sv, name_en=name_en, parent_id=parent.id if parent else None
    )
    session.add(area)
    session.flush()
    return area


def _check_names(name_sv: str, name_en: str) -> None:
    """Refuse area names with a line break or NUL (they appear in mail and calendar text)."""
    errors = {
        name: message
        for name, value in (("name_sv", name_sv), ("name_en", name_en))
        if (message := one_line_error(value))
    }
    if errors:
        raise InvalidInput(N_("The area has errors."), errors)


def rename_area(
    *, session: Session, area_id: int, name_sv: str, name_en: str, actor_id: int | None
) -> Area:
    """Change an area's names; its code, and so every experience and request, stays."""
    area = session.get(Area, area_id)
    if area is None:
        raise InvalidInput(N_("Unknown area."), {"area_id": N_("Unknown area.")})
    errors = {
        name: N_("A name is required.")
        for name, value in (("name_sv", name_sv), ("name_en", name_en))
        if not value.strip()
    }
    if errors:
        raise InvalidInput(N_("The area has errors."), errors)
    _check_names(name_sv, name_en)
    area.name_sv, area.name_en = name_sv.strip(), name_en.strip()
    session.add(area)
    record_audit(
        session=session,
        actor_id=actor_id,
        action="area.renamed",
        subject_type="area",
        subject_id=area.id,
    )
    return area


def merge_areas(*, session: Session, source_id: int, target_id: int, actor_id: int | None) -> Area:
    """Move every experience and request area from ``source`` to ``target``; retire ``source``."""
    source, target = session.get(Area, source_id), session.get(Area, target_id)
    _check_merge(session, source, target)
    moved = _move_rows(session, Experience, source.id, target.id, ("member_id", "type"))
    moved += _move_rows(session, RequestArea, source.id, target.id, ("request_id",))
    source.is_active = False
    source.name_sv = f"{source.name_sv} → {target.name_sv}"[:200]
    source.name_en = f"{source.name_en} → {target.name_en}"[:200]
    session.add(source)
    record_audit(
        session=session,
        actor_id=actor_id,
        action="area.merged",
        subject_type="area",
        subject_id=target.id,
        detail={"source": source.code, "target": target.code, "rows_moved": moved},
    )
    session.flush()
    return target


def _check_merge(session: Session, source: Area | None, target: Area | None) -> None:
    errors = {}
    if source is None or not source.is_active:
        errors["source_id"] = N_("Unknown area.")
    if target is None or not target.is_active:
        errors["target_id"] = N_("Unknown area.")
    elif source is not None and source.id == target.id:
        errors["target_id"] = N_("Choose two different areas.")
    elif (
        source is not None
        and session.exec(select(Area.id).where(Area.parent_id == source.id, Area.is_active)).first()
    ):
        errors["source_id"] = N_("Merge or move the sub-areas of this area first.")
    if errors:
        raise InvalidInput(N_("The areas cannot be merged."), errors)


def _move_rows(
    session: Session, model, source_id: int, target_id: int, keys: tuple[str, ...]
) -> int:
    """Point rows at the target area; drop a row the target already has (unique keys)."""
    existing = {
        tuple(getattr(row, key) for key in keys)
        for row in session.exec(select(model).where(model.area_id == target_id))
    }
    rows = list(session.exec(select(model).where(model.area_id == source_id)))
    for row in rows:
        if tuple(getattr(row, key) for key in keys) in existing:
            session.delete(row)
        else:
            row.area_id = target_id
            session.add(row)
    return len(rows)
