"""A request with a pool of eligible people, for the booking tests."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlmodel import select

from app.models import RequestSession
from app.models.enums import Role
from scheduling.outbox import QUEUE_KEY

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


def queued(session) -> list[dict]:
    """Return the mail queued on a session (not yet delivered)."""
    return list(session.info.get(QUEUE_KEY, []))
