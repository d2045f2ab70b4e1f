"""A booked request with members and an orderer, and readers of the outbox, for the job tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import select

from app.mail.context import MailContext
from app.models import OutboxMessage, RequestSession
from app.models.enums import Role

CTX = MailContext(council_mailbox="radet@region.example", base_url="https://levbib.example")
#: The session every arrangement starts at (a Thursday, 09:00 in Stockholm).
START = datetime(2027, 3, 4, 8, 0, tzinfo=UTC)


def booked_request(factory, *, starts_at=START, people: int = 2, hours: float = 2, **fields):
    """Return (request, its session, members, orderer): a booked request starting at ``starts_at``."""
    orderer = factory.user(Role.ORDERER)
    request = factory.booking_request(
        orderer,
        status="booked",
        people_count=max(people, 1),
        video_link="https://meet.example/x",
        **fields,
    )
    session = factory.session
    item = session.exec(select(RequestSession).where(RequestSession.request_id == request.id)).one()
    item.starts_at, item.ends_at = starts_at, starts_at + timedelta(hours=hours)
    session.add(item)
    members = []
    for index in range(people):
        member = factory.member(
            first_name=f"Person{index}", email=f"p{index}-{request.id}@example.org"
        )
        factory.assignment(member, request)
        members.append(member)
    session.flush()
    return request, item, members, orderer


def outbox(session, **where) -> list[OutboxMessage]:
    """Return the outbox rows (optionally filtered by column values), oldest first."""
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    for name, value in where.items():
        query = query.where(getattr(OutboxMessage, name) == value)
    return list(session.exec(query.execution_options(populate_existing=True)))


def sent_to(session, kind: str | None = None) -> list[str]:
    """Return the recipients of written (not skipped) messages, optionally of one kind."""
    rows = outbox(session, kind=kind) if kind else outbox(session)
    return [row.recipient for row in rows if row.status != "skipped"]


#: Run times seen by ``probe_job`` (APScheduler imports it by reference, like the real jobs).
PROBE_RUNS: list = []


def probe_job(label: str) -> None:
    """A job for the APScheduler tests: records that it ran."""
    PROBE_RUNS.append(label)
