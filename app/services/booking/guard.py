"""No double booking: lock the members' rows, then look for overlapping commitments.

Every workflow that commits a member to a time (approval, acceptance, a replacement) first
takes ``SELECT … FOR UPDATE`` on the member rows, in id order so two workflows never deadlock.
A second workflow for the same member waits for the first to commit and then sees its rows
(PostgreSQL READ COMMITTED takes a fresh snapshot per statement). SQLite serialises writers.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session, select

from app.models import Assignment, BookingRequest, Invitation, Member, RequestSession
from app.services.errors import Conflict
from app.services.journey.coverage import covers
from app.services.messages import N_
from app.services.requests.states import (
    HOLDING_ASSIGNMENTS,
    HOLDING_INVITATIONS,
    LIVE_REQUEST_STATES,
)


def lock_members(*, session: Session, member_ids: Iterable[int]) -> list[Member]:
    """Lock the members' rows until the unit of work ends (id order, to avoid deadlocks)."""
    ids = sorted({int(member_id) for member_id in member_ids})
    if not ids:
        return []
    query = select(Member).where(Member.id.in_(ids)).order_by(Member.id).with_for_update()
    return list(session.exec(query.execution_options(populate_existing=True)))


def lock_request(*, session: Session, request_id: int) -> BookingRequest:
    """Lock a request's row until the unit of work ends (one decision about its places at a time)."""
    query = select(BookingRequest).where(BookingRequest.id == request_id).with_for_update()
    return session.exec(query.execution_options(populate_existing=True)).one()


def busy_member_ids(
    *,
    session: Session,
    member_ids: Iterable[int],
    booking_request: BookingRequest,
    count_invitations: bool = True,
    sessions: Iterable[RequestSession] | None = None,
) -> set[int]:
    """Return the members booked (or, optionally, invited) elsewhere at an overlapping time.

    ``sessions`` narrows the request's times to some of its meetings (a stand-in's one meeting).
    """
    ids = sorted({int(member_id) for member_id in member_ids})
    own = (
        list(sessions)
        if sessions is not None
        else list(
            session.exec(
                select(RequestSession).where(RequestSession.request_id == booking_request.id)
            )
        )
    )
    if not ids or not own:
        return set()
    holders = _holders(session, ids, booking_request.id, count_invitations)
    busy = set()
    for member_id, other in holders:
        if any(other.starts_at < mine.ends_at and mine.starts_at < other.ends_at for mine in own):
            busy.add(member_id)
    return busy


def _holders(session: Session, ids: list[int], request_id: int, count_invitations: bool):
    """Yield (member id, session) for every other live request holding the member.

    Only the meetings a booking covers hold her (a stand-in: one; an absence frees one).
    """
    booked = select(Assignment.member_id, RequestSession).join(
        RequestSession, covers(Assignment, RequestSession)
    )
    booked = booked.join(BookingRequest, BookingRequest.id == Assignment.request_id).where(
        Assignment.member_id.in_(ids),
        Assignment.request_id != request_id,
        Assignment.status.in_(HOLDING_ASSIGNMENTS),
    )
    invited = select(Invitation.member_id, RequestSession).join(
        RequestSession, covers(Invitation, RequestSession)
    )
    invited = invited.join(BookingRequest, BookingRequest.id == Invitation.request_id).where(
        Invitation.member_id.in_(ids),
        Invitation.request_id != request_id,
        Invitation.status.in_(HOLDING_INVITATIONS),
        ~Invitation.is_interest_check,
        BookingRequest.status.in_(LIVE_REQUEST_STATES),
    )
    yield from session.exec(booked)
    if count_invitations:
        yield from session.exec(invited)


def claim_members(
    *,
    session: Session,
    member_ids: Iterable[int],
    booking_request: BookingRequest,
    sessions: Iterable[RequestSession] | None = None,
) -> None:
    """Lock the members and refuse when any of them is committed elsewhere at the same time."""
    ids = list(member_ids)
    lock_members(session=session, member_ids=ids)
    if busy_member_ids(
        session=session, member_ids=ids, booking_request=booking_request, sessions=sessions
    ):
        raise Conflict(N_("A chosen person is already booked or invited at an overlapping time."))
