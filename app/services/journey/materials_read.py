"""Reading a request's material: shared by the member's list, the orderer's and the council's pages."""

from __future__ import annotations

from functools import cache

from sqlalchemy import bindparam
from sqlmodel import Session, select

from app.models import RequestMaterial


def materials_for_request(*, session: Session, request_id: int) -> list[RequestMaterial]:
    """Return the request's material rows, soonest ``send_by`` first (undated last)."""
    return list(session.exec(_materials(), params={"request_id": request_id}))


@cache
def _materials():
    return (
        select(RequestMaterial)
        .where(RequestMaterial.request_id == bindparam("request_id"))
        .order_by(RequestMaterial.send_by.is_(None), RequestMaterial.send_by, RequestMaterial.id)
    )
