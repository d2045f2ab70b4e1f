"""A member's availability: weekly windows, blocked periods, pausing and resuming."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from functools import cache

from sqlalchemy import bindparam
from sqlmodel import Session, select

from app.models import AvailabilityException, Member, WeeklyWindow
from app.models.enums import AvailabilityKind
from app.services.errors import InvalidInput, NotFound
from app.services.messages import N_
from app.services.text_rules import one_line_error
from scheduling.availability import Period, Window, period_problem, window_problem

#: Kinds a member picks when blocking a period (``extra`` adds time, it does not block).
BLOCKING_KINDS = (AvailabilityKind.BLOCKED, AvailabilityKind.VACATION, AvailabilityKind.SICK)

_WINDOW_MESSAGES = {
    "weekday": ("weekday", N_("Choose a weekday.")),
    "inverted": ("end_time", N_("The end time must be after the start time.")),
    "overlap": ("start_time", N_("This overlaps another window on the same day.")),
}
_PERIOD_MESSAGES = {
    "inverted": ("end_date", N_("The last day must not be before the first day.")),
    "overlap": ("start_date", N_("This overlaps a period you have already blocked.")),
}


@dataclass(frozen=True)
class WindowInput:
    weekday: int
    start_time: time
    end_time: time


@dataclass(frozen=True)
class PeriodInput:
    start_date: date
    end_date: date
    kind: str = AvailabilityKind.BLOCKED
    note: str = ""


def member_windows(*, session: Session, member_id: int) -> list[WeeklyWindow]:
    """Return a member's weekly windows by weekday and start."""
    return list(session.exec(_member_windows(), params={"member_id": member_id}))


@cache
def _member_windows():
    query = select(WeeklyWindow).where(WeeklyWindow.member_id == bindparam("member_id"))
    return query.order_by(WeeklyWindow.weekday, WeeklyWindow.start_time)


def member_periods(*, session: Session, member_id: int) -> list[AvailabilityException]:
    """Return a member's dated periods (blocked and extra) by start date."""
    return list(session.exec(_member_periods(), params={"member_id": member_id}))


@cache
def _member_periods():
    query = select(AvailabilityException)
    return query.where(AvailabilityException.member_id == bindparam("member_id")).order_by(
        AvailabilityException.start_date
    )


def _as_window(row: WeeklyWindow) -> Window:
    return Window(row.weekday, row.start_time, row.end_time, row.id)


def _check_window(session: Session, member: Member, data: WindowInput, window_id=None) -> None:
    candidate = Window(data.weekday, data.start_time, data.end_time, window_id)
    others = [_as_window(row) for row in member_windows(session=session, member_id=member.id)]
    problem = window_problem(candidate, others)
    if problem:
        field, message = _WINDOW_MESSAGES[problem]
        raise InvalidInput(N_("The time window has errors."), {field: message})


def add_window(*, session: Session, member: Member, data: WindowInput) -> WeeklyWindow:
    """Add a weekly window after refusing inverted or overlapping times."""
    _check_window(session, member, data)
    window = WeeklyWindow(
        member_id=member.id,
        weekday=data.weekday,
        start_time=data.start_time,
        end_time=data.end_time,
    )
    session.add(window)
    session.flush()
    return window


def own_window(*, session: Session, member: Member, window_id: int) -> WeeklyWindow:
    """Return one of the member's own windows (another member's is 'not found')."""
    window = session.get(WeeklyWindow, window_id)
    if window is None or window.member_id != member.id:
        raise NotFound(N_("No such time window."))
    return window


def update_window(
    *, session: Session, member: Member, window_id: int, data: WindowInput
) -> WeeklyWindow:
    """Change one of the member's weekly windows."""
    window = own_window(session=session, member=member, window_id=window_id)
    _check_window(session, member, data, window_id=window.id)
    window.weekday, window.start_time, window.end_time = (
        data.weekday,
        data.start_time,
        data.end_time,
    )
    session.add(window)
    return window


def delete_window(*, session: Session, member: Member, window_id: int) -> None:
    """Delete one of the member's weekly windows."""
    session.delete(own_window(session=session, member=member, window_id=window_id))


def check_period(*, session: Session, member: Member, data: PeriodInput) -> None:
    """Raise InvalidInput when a new blocked period is inverted, overlapping or of a bad kind."""
    if data.kind not in {kind.value for kind in BLOCKING_KINDS}:
        raise InvalidInput(
            N_("The period has errors."), {"kind": N_("Choose one of the listed values.")}
        )
    if message := one_line_error(data.note):
        raise InvalidInput(N_("The period has errors."), {"note": message})
    others = [
        Period(row.start_date, row.end_date, row.id)
        for row in member_periods(session=session, member_id=member.id)
        if row.kind in {kind.value for kind in BLOCKING_KINDS}
    ]
    problem = period_problem(Period(data.start_date, data.end_date), others)
    if problem:
        field, message = _PERIOD_MESSAGES[problem]
        raise InvalidInput(N_("The period has errors."), {field: message})


def store_period(*, session: Session, member: Member, data: PeriodInput) -> AvailabilityException:
    """Store a validated blocked period (use ``block_period`` for the whole workflow)."""
    period = AvailabilityException(
        member_id=member.id,
        start_date=data.start_date,
        end_date=data.end_date,
        kind=data.kind,
        note=data.note.strip()[:200],
    )
    session.add(period)
    session.flush()
    return period


def own_period(*, session: Session, member: Member, period_id: int) -> AvailabilityException:
    """Return one of the member's own dated periods (another member's is 'not found')."""
    period = session.get(AvailabilityException, period_id)
    if period is None or period.member_id != member.id:
        raise NotFound(N_("No such period."))
    return period


def delete_period(*, session: Session, member: Member, period_id: int) -> None:
    """Delete one of the member's own dated periods."""
    session.delete(own_period(session=session, member=member, period_id=period_id))


def pause_member(*, session: Session, member: Member, until: date, today: date) -> Member:
    """Pause all assignments up to and including ``until`` (a future date)."""
    if until < today:
        raise InvalidInput(
            N_("The pause has errors."), {"until": N_("Choose today or a later date.")}
        )
    member.paused_until = until
    session.add(member)
    return member


def resume_member(*, session: Session, member: Member) -> Member:
    """End a pause at once."""
    member.paused_until = None
    session.add(member)
    return member
