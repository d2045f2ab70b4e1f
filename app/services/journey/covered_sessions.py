"""The meetings one assignment covers, in time order (claims, agreements, attendance, her list)."""

from __future__ import annotations

from sqlmodel import Session, select

from app.models import Assignment, RequestSession
from app.services.journey.coverage import covers


def covered_sessions(*, session: Session, assignment: Assignment) -> list[RequestSession]:
    """Return the request sessions the assignment covers, earliest first."""
    query = (
        select(RequestSession)
        .join(Assignment, covers(Assignment, RequestSession))
        .where(Assignment.id == assignment.id)
        .order_by(RequestSession.starts_at, RequestSession.id)
    )
    return list(session.exec(query))
