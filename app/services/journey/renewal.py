"""Renew a standing group's term: a new request from the old one (issue 19, docs/journey.md).

The new request copies the old one (texts, areas, quotas, contact) with the new term and
``renewed_from_id`` set. Its meetings are the ones the council gives, or else the old
meetings moved by whole weeks to the new term (same weekday and local time), those inside
it. With the same people, the council approves the old group at once and everyone gets a
fresh invitation (consent and the conflict declaration asked again); people no longer
eligible (left the pool, consent withdrawn, not available) are left out and named. Otherwise
the new request waits for the council as a submitted one and gets a normal proposal.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlmodel import Session, select

from app import clock
from app.mail.context import MailContext
from app.models import Assignment, BookingRequest, Member, RequestArea, RequestSession, User
from app.models.base import utcnow
from app.models.enums import RequestAction, RequestStatus, Role
from app.services.booking.decisions import approve_group
from app.services.errors import Forbidden, InvalidInput
from app.services.matchmaking.proposals import decision_proposal, eligible_ids
from app.services.messages import N_
from app.services.requests.history import log_event
from app.services.requests.states import WORK_ASSIGNMENTS
from app.services.requests.submission import (
    MAX_TERM_DAYS,
    REQUEST_FIELDS,
    request_sessions,
)

#: Copied from the old request besides the submitted fields.
_ALSO_COPIED = ("title", "organisation_id", "orderer_id", "quotas", "balance", "replacement_mode")


@dataclass
class Renewal:
    """The new term's request, who was invited again and who was left out."""

    booking_request: BookingRequest
    invited: list[Member] = field(default_factory=list)
    left_out: list[Member] = field(default_factory=list)


def renew_term(
    *,
    session: Session,
    booking_request: BookingRequest,
    new_start: date,
    new_end: date,
    same_people: bool,
    actor: User,
    ctx: MailContext | None = None,
    now: datetime | None = None,
    meetings: list[tuple[datetime, datetime]] | None = None,
) -> Renewal:
    """Create the next term's request; invite the same people again or leave it to a proposal."""
    now, ctx = now or utcnow(), ctx or MailContext()
    if actor.role != Role.COUNCIL:
        raise Forbidden(N_("Only the council can renew a term."))
    _check_term(new_start, new_end)
    times = meetings or _shifted(session, booking_request, new_start)
    zone = clock.zone()
    times = [(s, e) for s, e in times if s > now and new_start <= s.astimezone(zone).date()]
    times = [(s, e) for s, e in times if s.astimezone(zone).date() <= new_end]
    if not times:
        message = N_("Give at least one meeting inside the new term, in the future.")
        raise InvalidInput(message, {"new_start": message})
    renewed = _copy(session, booking_request, new_start, new_end, times)
    log_event(session, booking_request, actor.id, RequestAction.TERM_RENEWED, renewed_to=renewed.id)
    log_event(
        session,
        renewed,
        actor.id,
        RequestAction.TERM_RENEWED,
        renewed_from=booking_request.id,
        same_people=same_people,
    )
    result = Renewal(renewed)
    if same_people:
        _invite_same_people(session, booking_request, renewed, result, actor, ctx, now)
    session.flush()
    return result


def _check_term(start: date, end: date) -> None:
    if end < start:
        message = N_("The term must not end before it starts.")
        raise InvalidInput(message, {"new_end": message})
    if (end - start).days > MAX_TERM_DAYS:
        message = N_("A term can last at most four years.")
        raise InvalidInput(message, {"new_end": message})


def _shifted(session, booking_request, new_start) -> list[tuple[datetime, datetime]]:
    """Return the old meetings moved by whole weeks so the old term's start meets the new one."""
    items = request_sessions(session=session, request_id=booking_request.id)
    if not items:
        return []
    zone = clock.zone()
    old_start = booking_request.term_start or items[0].starts_at.astimezone(zone).date()
    weeks = timedelta(weeks=round((new_start - old_start).days / 7))
    moved = []
    for item in items:
        start, end = item.starts_at.astimezone(zone), item.ends_at.astimezone(zone)
        # Local wall-clock times keep their hour across a change of daylight saving time.
        moved.append(
            (
                datetime.combine(start.date() + weeks, start.time(), tzinfo=zone),
                datetime.combine(end.date() + weeks, end.time(), tzinfo=zone),
            )
        )
    return moved


def _copy(session, old, new_start, new_end, times) -> BookingRequest:
    names = (*REQUEST_FIELDS, *_ALSO_COPIED)
    renewed = BookingRequest(
        **{name: getattr(old, name) for name in names},
        status=RequestStatus.SUBMITTED,
        renewed_from_id=old.id,
        coordinator_id=old.coordinator_id,
    )
    renewed.is_standing = True
    renewed.term_start, renewed.term_end = new_start, new_end
    renewed.meetings_per_period = old.meetings_per_period or len(times)
    renewed.period_months = old.period_months or 12
    session.add(renewed)
    session.flush()
    for area_id in session.exec(
        select(RequestArea.area_id).where(RequestArea.request_id == old.id)
    ):
        session.add(RequestArea(request_id=renewed.id, area_id=area_id))
    for starts_at, ends_at in sorted(times):
        session.add(
            RequestSession(
                request_id=renewed.id,
                starts_at=starts_at,
                ends_at=ends_at,
                ical_uid=f"{uuid.uuid4()}@levande-bibliotek",
            )
        )
    session.flush()
    return renewed


def _invite_same_people(session, old, renewed, result, actor, ctx, now) -> None:
    """Approve the old group on the new request (fresh invitations); name who is left out."""
    booked = list(
        session.exec(
            select(Member)
            .join(Assignment, Assignment.member_id == Member.id)
            .where(
                Assignment.request_id == old.id,
                Assignment.status.in_(WORK_ASSIGNMENTS),
                Assignment.stand_in_session_id.is_(None),
            )
            .order_by(Member.id)
        )
    )
    eligible = set(
        eligible_ids(decision_proposal(session=session, booking_request=renewed).proposal)
    )
    chosen = [member for member in booked if member.id in eligible][: renewed.people_count]
    result.left_out = [member for member in booked if member not in chosen]
    if chosen:
        approve_group(
            session=session,
            booking_request=renewed,
            member_ids=[member.id for member in chosen],
            actor=actor,
            ctx=ctx,
            now=now,
            # The routine's "at least two" (group_size): the council renewed with whoever of the
            # same people is still eligible; why the group is smaller is recorded, not refused.
            below_two_reason=_smaller_group_reason(ctx, result.left_out),
        )
        result.invited = chosen
    if result.left_out:
        log_event(
            session,
            renewed,
            actor.id,
            RequestAction.TERM_RENEWED,
            left_out=[member.id for member in result.left_out],
        )


def _smaller_group_reason(ctx: MailContext, left_out: list[Member]) -> str:
    """Return why a renewed group may be smaller than two: the others are no longer eligible."""
    if not left_out:
        return ""
    return ctx.translate(
        N_("Term renewed with the same people; no longer eligible: %(names)s."),
        names=", ".join(member.display_name for member in left_out),
    )
