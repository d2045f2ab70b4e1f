"""One unit of work: an assignment, however many sessions it has (DOMAIN §6).

A course of three afternoons counts once, the same on every page and in every rule:

- work is an assignment booked or done (``WORK_ASSIGNMENTS``); declines, no answers,
  withdrawals and no-shows never count; a session marked no-show or cancelled late
  (``attendance.py``) is left out of its unit, and a unit left with no session is not work;
- a unit is dated by its first session: a member's load for a request is the units whose first
  session lies in the 12 months before the request's first session, done and booked alike;
- the monthly maximum counts a unit once in each calendar month one of its sessions falls in
  (open invitations count there too until answered: the matching input adds them).

The matching engine gets these units as its ``history`` (units that are over) and ``bookings``
(the rest, every session sharing the assignment's id); the member page and insight count them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select
from sqlmodel import Session, select

from app.models import Assignment, RequestSession, SessionAttendance
from app.models.enums import AttendanceStatus
from app.services.journey.coverage import covers
from app.services.requests.states import WORK_ASSIGNMENTS

#: How far back from a request's first session its load looks.
LOAD_WINDOW = timedelta(days=365)


def month_of(moment: datetime, zone: ZoneInfo) -> str:
    """Return the local calendar month of an instant as "YYYY-MM"."""
    local = moment.astimezone(zone)
    return f"{local.year:04d}-{local.month:02d}"


def session_months(starts: Iterable[datetime], zone: ZoneInfo) -> frozenset[str]:
    """Return the local months a unit's sessions start in (each month once)."""
    return frozenset(month_of(start, zone) for start in starts)


def in_load_window(first_start: datetime, moment: datetime) -> bool:
    """Return whether a unit starting at ``first_start`` counts as load at ``moment``."""
    return moment - LOAD_WINDOW <= first_start < moment


@dataclass(frozen=True)
class WorkUnit:
    """One assignment that is work, with its sessions as (start, end) in time order."""

    assignment_id: int
    request_id: int
    member_id: int
    sessions: tuple[tuple[datetime, datetime], ...]

    @property
    def first_start(self) -> datetime:
        return self.sessions[0][0]

    @property
    def last_end(self) -> datetime:
        return max(end for _, end in self.sessions)

    @property
    def hours(self) -> float:
        return sum((end - start).total_seconds() for start, end in self.sessions) / 3600

    def is_over(self, now: datetime) -> bool:
        """Return whether every session has ended."""
        return self.last_end <= now

    def months(self, zone: ZoneInfo) -> frozenset[str]:
        """Return the local months the unit counts in for a monthly maximum."""
        return session_months((start for start, _ in self.sessions), zone)


def _not_attended(member_id, session_id):
    """Return a condition: the member was marked no-show or cancelled late on the session."""
    return (
        select(SessionAttendance.id)
        .where(
            SessionAttendance.member_id == member_id,
            SessionAttendance.request_session_id == session_id,
            SessionAttendance.status.in_(
                (AttendanceStatus.NO_SHOW, AttendanceStatus.CANCELLED_LATE)
            ),
        )
        .exists()
    )


def work_units(
    *,
    session: Session,
    member_ids: Collection[int] | Select | None = None,
    exclude_request_id: int | None = None,
) -> list[WorkUnit]:
    """Return the work assignments (of some members, not of one request) as units."""
    query = (
        select(
            Assignment.id,
            Assignment.request_id,
            Assignment.member_id,
            RequestSession.starts_at,
            RequestSession.ends_at,
        )
        .join(RequestSession, covers(Assignment, RequestSession))
        .where(Assignment.status.in_(WORK_ASSIGNMENTS))
        .where(~_not_attended(Assignment.member_id, RequestSession.id))
    )
    if member_ids is not None:
        query = query.where(Assignment.member_id.in_(member_ids))
    if exclude_request_id is not None:
        query = query.where(Assignment.request_id != exclude_request_id)
    rows = session.exec(query.order_by(Assignment.id, RequestSession.starts_at))
    sessions: dict[tuple[int, int, int], list] = defaultdict(list)
    for assignment_id, request_id, member_id, starts_at, ends_at in rows:
        sessions[(assignment_id, request_id, member_id)].append((starts_at, ends_at))
    return [WorkUnit(*key, tuple(items)) for key, items in sessions.items()]


def current_load(units: Iterable[WorkUnit], now: datetime) -> list[WorkUnit]:
    """Return the units a member carries now: first session in the last 12 months or ahead."""
    return [unit for unit in units if unit.first_start >= now - LOAD_WINDOW]
