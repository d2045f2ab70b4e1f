"""What a member's calendar draws, and their secret-token iCalendar feed."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import update
from sqlmodel import Session, select

from app.models import Member, User
from app.models.base import utcnow
from app.services.booking.member_bookings import booked_sessions
from app.services.errors import NotFound
from app.services.messages import N_
from app.services.pool.availability import BLOCKING_KINDS, member_periods, member_windows
from scheduling.availability import MINUTES_PER_DAY, Window, minutes_into_day, window_occurrences
from scheduling.ical import FeedEvent, build_feed


@dataclass(frozen=True)
class CalendarItem:
    """One thing drawn on a day: a weekly window, a blocked day or a booked session."""

    kind: str  # "window" | "blocked" | "booked"
    start_minute: int
    end_minute: int
    title: str = ""
    detail: str = ""

    @property
    def times(self) -> str:
        return f"{_clock(self.start_minute)}–{_clock(self.end_minute)}"


@dataclass
class CalendarDay:
    day: date
    items: list[CalendarItem] = field(default_factory=list)

    @property
    def is_blocked(self) -> bool:
        return any(item.kind == "blocked" for item in self.items)


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def calendar_days(
    *,
    session: Session,
    member: Member,
    first: date,
    last: date,
    zone: ZoneInfo,
    windows: list | None = None,
    periods: list | None = None,
) -> list[CalendarDay]:
    """Return each date from ``first`` to ``last`` with its windows, blocks and bookings.

    ``windows`` and ``periods`` are the member's rows when the caller has read them already
    (the calendar page lists them too); otherwise they are read here.
    """
    if windows is None:
        windows = member_windows(session=session, member_id=member.id)
    if periods is None:
        periods = member_periods(session=session, member_id=member.id)
    days = {
        first + timedelta(n): CalendarDay(first + timedelta(n))
        for n in range((last - first).days + 1)
    }
    occurring = [Window(row.weekday, row.start_time, row.end_time, row.id) for row in windows]
    for begins, ends, _ in window_occurrences(occurring, first, last, zone):
        day = days[begins.astimezone(zone).date()]
        day.items.append(
            CalendarItem(
                "window",
                minutes_into_day(begins, day.day, zone),
                minutes_into_day(ends, day.day, zone),
            )
        )
    _add_blocks(periods, days)
    _add_bookings(session, member, days, zone)
    for day in days.values():
        day.items.sort(key=lambda item: (item.start_minute, item.kind))
    return list(days.values())


def _add_blocks(periods: list, days: dict[date, CalendarDay]) -> None:
    blocking = {kind.value for kind in BLOCKING_KINDS}
    for period in periods:
        if period.kind not in blocking:
            continue
        for day in days.values():
            if period.start_date <= day.day <= period.end_date:
                day.items.append(
                    CalendarItem(
                        "blocked", 0, MINUTES_PER_DAY, title=period.kind, detail=period.note
                    )
                )


def _add_bookings(session: Session, member: Member, days: dict[date, CalendarDay], zone) -> None:
    first, last = min(days), max(days)
    span_start = datetime.combine(first, time(0), tzinfo=zone)
    span_end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=zone)
    rows = booked_sessions(
        session=session, member_id=member.id, ends_after=span_start, starts_before=span_end
    )
    for row in rows:
        for day in days.values():
            start = minutes_into_day(row.item.starts_at, day.day, zone)
            end = minutes_into_day(row.item.ends_at, day.day, zone)
            if end > start:
                day.items.append(CalendarItem("booked", start, end, title=row.request.title))


def ensure_calendar_token(*, session: Session, member: Member | User) -> str:
    """Return the feed token of a member (or a council user), creating one on first use.

    Two first visits at once (two tabs) must agree on one token and must not deadlock on
    PostgreSQL, so the token is written only where none is yet, in one statement, and read
    back. Call it before anything in the request that refers to the row (an audit entry
    takes a key-share lock on it, which a write of this unique column would wait for).
    """
    if not member.calendar_token:
        model = type(member)
        session.execute(
            update(model)
            .where(model.id == member.id, model.calendar_token.is_(None))
            .values(calendar_token=secrets.token_urlsafe(32))
            .execution_options(synchronize_session=False)
        )
        session.refresh(member, ["calendar_token"])
    return member.calendar_token


def rotate_calendar_token(*, session: Session, member: Member | User) -> str:
    """Give a member (or a council user) a new feed token; the old feed URL stops working."""
    member.calendar_token = secrets.token_urlsafe(32)
    session.add(member)
    return member.calendar_token


def member_for_feed(*, session: Session, token: str) -> Member:
    """Return the member whose feed token this is."""
    if not token or len(token) < 16:
        raise NotFound(N_("No such calendar."))
    member = session.exec(select(Member).where(Member.calendar_token == token)).first()
    if member is None or not secrets.compare_digest(member.calendar_token or "", token):
        raise NotFound(N_("No such calendar."))
    return member


def booking_feed(*, session: Session, token: str, name: str, now: datetime | None = None) -> bytes:
    """Return the iCalendar feed of the token owner's booked sessions (past 90 days onward)."""
    member = member_for_feed(session=session, token=token)
    now = now or utcnow()
    rows = booked_sessions(
        session=session, member_id=member.id, ends_after=now - timedelta(days=90)
    )
    events = [
        FeedEvent(
            uid=row.item.ical_uid,
            start=row.item.starts_at,
            end=row.item.ends_at,
            summary=row.request.title,
            location=row.request.location or row.request.video_link,
            description=row.request.expectations,
            sequence=row.item.sequence,
        )
        for row in rows
    ]
    return build_feed(events, name=name, stamp=now.astimezone(UTC))
