"""The estimated cost of a sent request, as the order form estimated it (fees and contributions).

The same estimate as the form's live figure (``compensation.fee_tables.estimate_request_cost``
over the request's sessions and number of people); nothing of the fee maths is repeated here.
"""

from __future__ import annotations

from sqlmodel import Session

from app import clock
from app.models import BookingRequest, RequestSession
from app.services.compensation import fees
from app.services.compensation.fee_tables import Estimate, estimate_request_cost, load_tables
from app.services.requests.submission import request_sessions


def request_cost_estimate(
    *,
    session: Session,
    booking_request: BookingRequest,
    hourly_rule: str = fees.HOURLY_STARTED,
    items: list[RequestSession] | None = None,
) -> Estimate | None:
    """Return the request's cost estimate, or None when its sessions cannot be priced.

    ``items`` are the request's sessions when the caller has read them.
    """
    zone = clock.zone()
    if items is None:
        items = request_sessions(session=session, request_id=booking_request.id)
    sessions = [
        (item.starts_at.astimezone(zone).date(), fees.minutes_between(item.starts_at, item.ends_at))
        for item in items
    ]
    try:
        return estimate_request_cost(
            tables=load_tables(session=session, with_mileage=False),
            sessions=sessions,
            people_count=booking_request.people_count,
            hourly_rule=hourly_rule,
        )
    except ValueError:  # fees.FeeError included; a missing figure is in ``missing``
        return None
