"""The council's secret-token iCalendar feed of every approved and booked session.

Each event names who is coming by first name only (and who has not answered yet): no
surnames, no experiences or areas, nothing of the members' health data.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, select

from app.models import (
    Assignment,
    BookingRequest,
    Invitation,
    Member,
    Organisation,
    RequestSession,
    User,
)
from app.models.base import utcnow
from app.models.enums import InvitationStatus, Role
from app.services.errors import NotFound
from app.services.messages import N_
from app.services.requests.states import STAFFED_REQUEST_STATES, WORK_ASSIGNMENTS
from scheduling.ical import FeedEvent, build_feed

#: How far back the feed reaches.
HISTORY_DAYS = 90


def council_for_feed(*, session: Session, token: str) -> User:
    """Return the enabled council user whose feed token this is."""
    if not token or len(token) < 16:
        raise NotFound(N_("No such calendar."))
    user = session.exec(select(User).where(User.calendar_token == token)).first()
    if (
        user is None
        or user.role != Role.COUNCIL
        or not user.is_enabled
        or not secrets.compare_digest(user.calendar_token or "", token)
    ):
        raise NotFound(N_("No such calendar."))
    return user


def council_feed(
    *,
    session: Session,
    token: str,
    name: str,
    request_url: Callable[[int], str],
    translate: Callable[..., str] = lambda message, **params: message % params,
    now: datetime | None = None,
) -> bytes:
    """Return the feed of every approved or booked session, with first names of who comes."""
    council_for_feed(session=session, token=token)
    now = now or utcnow()
    rows = list(
        session.exec(
            select(RequestSession, BookingRequest, Organisation)
            .join(BookingRequest, BookingRequest.id == RequestSession.request_id)
            .join(Organisation, Organisation.id == BookingRequest.organisation_id)
            .where(
                BookingRequest.status.in_(STAFFED_REQUEST_STATES),
                RequestSession.ends_at > now - timedelta(days=HISTORY_DAYS),
            )
            .order_by(RequestSession.starts_at, RequestSession.id)
        )
    )
    coming, waiting = _first_names(session, {booking_request.id for _, booking_request, _ in rows})
    events = [
        FeedEvent(
            uid=f"council-{item.ical_uid}",
            start=item.starts_at,
            end=item.ends_at,
            summary=booking_request.title,
            location=booking_request.location or booking_request.video_link,
            description=_describe(
                translate,
                organisation.name,
                coming.get(booking_request.id, []),
                waiting.get(booking_request.id, []),
                request_url(booking_request.id),
            ),
            sequence=item.sequence,
        )
        for item, booking_request, organisation in rows
    ]
    return build_feed(events, name=name, stamp=now.astimezone(UTC))


def _first_names(session: Session, request_ids: set[int]):
    """Return per request the first names of the booked people and of those not answered yet."""
    coming: dict[int, list[str]] = defaultdict(list)
    waiting: dict[int, list[str]] = defaultdict(list)
    if not request_ids:
        return coming, waiting
    booked = session.exec(
        select(Assignment.request_id, Member.first_name)
        .join(Member, Member.id == Assignment.member_id)
        .where(
            Assignment.request_id.in_(request_ids),
            Assignment.status.in_(WORK_ASSIGNMENTS),
        )
        .order_by(Member.first_name, Member.id)
    )
    for request_id, first_name in booked:
        coming[request_id].append(first_name)
    pending = session.exec(
        select(Invitation.request_id, Member.first_name)
        .join(Member, Member.id == Invitation.member_id)
        .where(
            Invitation.request_id.in_(request_ids),
            Invitation.status == InvitationStatus.PENDING,
            ~Invitation.is_interest_check,
        )
        .order_by(Member.first_name, Member.id)
    )
    for request_id, first_name in pending:
        waiting[request_id].append(first_name)
    return coming, waiting


def _describe(t, organisation: str, coming: list[str], waiting: list[str], url: str) -> str:
    lines = [
        t(N_("Ordered by: %(name)s"), name=organisation),
        t(N_("Coming: %(names)s"), names=", ".join(coming) or "–"),
    ]
    if waiting:
        lines.append(t(N_("Invited, no answer yet: %(names)s"), names=", ".join(waiting)))
    lines.append(url)
    return "\n".join(lines)
