"""The area taxonomy: lookups and the 'an area matches itself and its descendants' rule."""

from __future__ import annotations

from sqlalchemy import or_
from sqlmodel import Session, select

from app.models import Area
from app.services.errors import Conflict, InvalidInput


def list_areas(*, session: Session, only_active: bool = True) -> list[Area]:
    """Return areas ordered by code (parents before their children)."""
    query = select(Area).order_by(Area.code)
    if only_active:
        query = query.where(Area.is_active)
    return list(session.exec(query))


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
