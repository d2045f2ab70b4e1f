"""Work that is over: bookings and booked requests whose sessions have all ended are completed.

The scheduled job ``complete_finished_work`` runs this. A request with several sessions stays
booked (and its people keep their bookings, reminders and updates) until the last one has
ended. Running it again changes nothing.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, func, select

from app.models import Assignment, BookingRequest, RequestSession
from app.models.enums import AssignmentStatus, RequestAction, RequestStatus
from app.services.job_log import Tally
from app.services.requests.states import HOLDING_ASSIGNMENTS, move_assignment, move_request


def _ended_requests(now: datetime):
    """Return a query of the ids of requests whose every session has ended by ``now``."""
    return (
        select(RequestSession.request_id)
        .group_by(RequestSession.request_id)
        .having(func.max(RequestSession.ends_at) <= now)
    )


def complete_finished_work(*, session: Session, now: datetime) -> Tally:
    """Complete the bookings, then the booked requests, whose sessions have all ended."""
    tally = Tally()
    ended = _ended_requests(now)
    held = select(Assignment).where(
        Assignment.status.in_(HOLDING_ASSIGNMENTS), Assignment.request_id.in_(ended)
    )
    for assignment in list(session.exec(held.order_by(Assignment.id))):
        move_assignment(session=session, assignment=assignment, to=AssignmentStatus.COMPLETED)
        tally.count("assignments_completed")
    booked = select(BookingRequest).where(
        BookingRequest.status == RequestStatus.BOOKED, BookingRequest.id.in_(ended)
    )
    for booking_request in list(session.exec(booked.order_by(BookingRequest.id))):
        move_request(
            session=session,
            booking_request=booking_request,
            action=RequestAction.COMPLETED,
            now=now,
        )
        tally.count("requests_completed")
    session.flush()
    return tally
