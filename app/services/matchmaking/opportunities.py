"""Members' opportunities: their fair share of the seats of approved requests they were eligible for.

The load part of the score orders members by their load and, among alike loads, lets those whom
few requests fit go first (docs/matching.md, "Score"). What fits whom is known when a proposal
is approved: every eligible member gets the request's seats ÷ the people eligible, dated by its
first session. The engine reads each member's sum over two years.

Written only for proposals ranked over the whole pool: an interest round ranks the yes-sayers
alone, whose share of it says nothing about how many requests fit them. ``backfill_opportunities``
gives the staffed requests of the last two years that have none (history from before, imported
or demo) the shares the pool as it is now would give them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from sqlalchemy import Select, delete, func, insert
from sqlmodel import Session, select

import matching
from app import clock
from app.models import Assignment, BookingRequest, MemberOpportunity, RequestSession
from app.models.base import utcnow
from matching.features import OPPORTUNITY_WINDOW_DAYS, opportunity_share
from matching.index import local


def record_opportunities(
    *,
    session: Session,
    request_id: int,
    request: matching.Request | None,
    eligible: Iterable[str],
    whole_pool: bool = True,
) -> int:
    """Replace the request's opportunities by one per eligible member; return how many."""
    session.exec(delete(MemberOpportunity).where(MemberOpportunity.request_id == request_id))
    eligible = [int(member_id) for member_id in eligible]
    if request is None or not request.sessions or not whole_pool or not eligible:
        return 0
    share = opportunity_share(request.count, len(eligible))
    day = local(request.first_start).date()
    session.exec(
        insert(MemberOpportunity),
        params=[
            {"request_id": request_id, "member_id": m, "day": day, "share": share} for m in eligible
        ],
    )
    return len(eligible)


def opportunities_by_member(
    session: Session, ids: Select, today: date
) -> dict[int, tuple[matching.Opportunity, ...]]:
    """Return each member's opportunities of the last two years as one sum dated ``today``.

    Requests still to come count too: they were approved, so who fits them is known.
    """
    since = today - timedelta(days=OPPORTUNITY_WINDOW_DAYS)
    rows = session.exec(
        select(MemberOpportunity.member_id, func.sum(MemberOpportunity.share))
        .where(MemberOpportunity.member_id.in_(ids), MemberOpportunity.day >= since)
        .group_by(MemberOpportunity.member_id)
    )
    return {
        member_id: (matching.Opportunity(today, float(total)),)
        for member_id, total in rows
        if total
    }


def prune_opportunities(*, session: Session, now: datetime) -> int:
    """Delete opportunities older than the two years the engine reads; return how many."""
    since = now.astimezone(clock.zone()).date() - timedelta(days=OPPORTUNITY_WINDOW_DAYS)
    result = session.exec(delete(MemberOpportunity).where(MemberOpportunity.day < since))
    return result.rowcount or 0


def backfill_opportunities(*, session: Session, now: datetime | None = None) -> tuple[int, int]:
    """Record opportunities for staffed requests of the last two years that have none.

    A request is staffed when someone was assigned to it; its eligible people are those the
    pool as it is now would rank for it (people who have left since are missing, and today's
    availability stands in for then's). Returns (requests, rows) recorded.
    """
    from app.services.matchmaking.proposals import compute_proposal  # imports this module

    now = now or utcnow()
    since = now - timedelta(days=OPPORTUNITY_WINDOW_DAYS)
    first = (
        select(RequestSession.request_id, func.min(RequestSession.starts_at).label("first"))
        .group_by(RequestSession.request_id)
        .subquery()
    )
    query = (
        select(BookingRequest)
        .join(first, first.c.request_id == BookingRequest.id)
        .where(
            first.c.first >= since,
            BookingRequest.id.in_(select(Assignment.request_id)),
            BookingRequest.id.not_in(select(MemberOpportunity.request_id)),
        )
        .order_by(first.c.first, BookingRequest.id)
    )
    requests = rows = 0
    for booking_request in session.exec(query).all():
        view = compute_proposal(session=session, booking_request=booking_request)
        added = record_opportunities(
            session=session,
            request_id=booking_request.id,
            request=view.request,
            eligible=view.proposal.eligible,
        )
        requests, rows = requests + (added > 0), rows + added
    return requests, rows
