"""A request with a pool of eligible people, for the booking tests."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from sqlmodel import select

from app.mail.outbox import QUEUE_KEY
from app.models import Invitation, RequestSession
from app.models.enums import Role
from app.services.booking.decisions import approve_group

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def booking_setting(factory, db_session, people: int = 4, people_count: int = 2):
    """Return (request, its session row, eligible members, orderer, council user)."""
    orderer = factory.user(Role.ORDERER)
    council = factory.user(Role.COUNCIL)
    request = factory.booking_request(
        orderer,
        areas=("cancer",),
        people_count=people_count,
        contact_name="Kim Kontakt",
        contact_email="kim@region.example",
        video_link="https://meet.example/abc",
    )
    row = db_session.exec(
        select(RequestSession).where(RequestSession.request_id == request.id)
    ).one()
    # A fixed local time of day, so that the members' windows hold it whenever the tests run.
    row.starts_at = local_time(row.starts_at.astimezone(STOCKHOLM).date(), 10)
    row.ends_at = local_time(row.starts_at.astimezone(STOCKHOLM).date(), 12)
    db_session.add(row)
    weekday = row.starts_at.astimezone(STOCKHOLM).weekday()
    members = []
    for index in range(people):
        member = factory.member(
            last_name=f"Person{index}",
            email=f"person{index}@example.org",
            birth_year=1950 + 10 * index,
            experiences=(("cancer", "own"),),
        )
        factory.weekly_window(member, weekday=weekday, start=0, end=23)
        members.append(member)
    return request, row, members, orderer, council


def local_time(day: date, hour: int, minute: int = 0) -> datetime:
    """Return a Stockholm wall-clock time on ``day`` as an aware UTC instant."""
    return datetime.combine(day, time(hour, minute), tzinfo=STOCKHOLM).astimezone(UTC)


def queued(session) -> list[dict]:
    """Return the mail queued on a session (not yet delivered)."""
    return list(session.info.get(QUEUE_KEY, []))


def approve(db_session, request, members, council, ctx, count: int = 2, mode: str | None = None):
    """Approve the first ``count`` members (optionally choosing the replacement mode)."""
    approve_group(
        session=db_session,
        booking_request=request,
        member_ids=[m.id for m in members[:count]],
        actor=council,
        ctx=ctx,
        replacement_mode=mode,
    )
    return request_invitations(db_session, request)


def request_invitations(db_session, request) -> list[Invitation]:
    """Return a request's invitations, oldest first."""
    query = select(Invitation).where(Invitation.request_id == request.id).order_by(Invitation.id)
    return list(db_session.exec(query))


def course_request(factory, orderer, starts: list[datetime], *, hours: float = 3, **fields):
    """Return a request whose sessions start at ``starts`` (one afternoon of ``hours`` each)."""
    request = factory.booking_request(orderer, **fields)
    session = factory.session
    default = session.exec(select(RequestSession).where(RequestSession.request_id == request.id))
    for row in list(default):
        session.delete(row)
    session.flush()
    for start in starts:
        factory.request_session(request, start, hours)
    return request
