"""A member's booked sessions: the rows behind the calendar, the feed, withdrawals and load."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import Integer, bindparam
from sqlmodel import Session, select

from app.models import Assignment, BookingRequest, RequestSession
from app.services.journey.coverage import covers
from app.services.requests.states import HOLDING_ASSIGNMENTS


@dataclass(frozen=True)
class BookedSession:
    """One session of a request a member is assigned to."""

    assignment: Assignment
    request: BookingRequest
    item: RequestSession

    @property
    def hours(self) -> float:
        return (self.item.ends_at - self.item.starts_at).total_seconds() / 3600


def booked_sessions(
    *,
    session: Session,
    member_id: int,
    statuses: Iterable[str] = HOLDING_ASSIGNMENTS,
    ends_after: datetime | None = None,
    starts_before: datetime | None = None,
    limit: int | None = None,
) -> list[BookedSession]:
    """Return the member's assigned sessions in time order, optionally limited to a span.

    ``limit``: only the first this many (the member's home lists the next few).
    """
    query = _booked_sessions(
        tuple(str(status) for status in statuses),
        ends_after is not None,
        starts_before is not None,
        limit is not None,
    )
    values = dict(
        member_id=member_id, ends_after=ends_after, starts_before=starts_before, limit=limit
    )
    rows = session.exec(query, params={k: v for k, v in values.items() if v is not None})
    return [BookedSession(assignment, request, item) for assignment, request, item in rows]


@cache
def _booked_sessions(
    statuses: tuple[str, ...], ends_after: bool, starts_before: bool, limited: bool
):
    """Build ``booked_sessions``' select once per shape; the values are bound parameters (the
    member's home and calendar run it on every page; building it cost more than running it)."""
    query = (
        select(Assignment, BookingRequest, RequestSession)
        .join(BookingRequest, BookingRequest.id == Assignment.request_id)
        .join(RequestSession, covers(Assignment, RequestSession))
        .where(Assignment.member_id == bindparam("member_id"), Assignment.status.in_(statuses))
    )
    if ends_after:
        query = query.where(RequestSession.ends_at > bindparam("ends_after"))
    if starts_before:
        query = query.where(RequestSession.starts_at < bindparam("starts_before"))
    query = query.order_by(RequestSession.starts_at, RequestSession.id)
    return query.limit(bindparam("limit", type_=Integer)) if limited else query
