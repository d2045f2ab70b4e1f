"""A member's time and travel report for an assignment, and the council's attestation.

A claim pays only sessions that have **happened** (ended) and were **not marked no-show**
(docs/domain.md §6.2, "Attendance"): a session not yet over is never a line, a no-show's line
is dropped, a session cancelled late is a line with no fee (its costs are still reimbursed),
and a session nobody has marked yet is claimable but flagged to the council when it attests.
Reading a claim never writes: ``preview_claim`` prices what would be claimed, ``open_claim``
creates the claim and its lines (on the member's POST).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from app import clock
from app.models import (
    Assignment,
    BookingRequest,
    ClaimLine,
    CompensationClaim,
    Member,
    RequestSession,
    SessionAttendance,
)
from app.models.base import utcnow
from app.models.enums import AttendanceStatus, ClaimStatus
from app.services.compensation import fees
from app.services.compensation.fee_tables import load_tables, unique_missing
from app.services.errors import Conflict, NotFound
from app.services.journey.covered_sessions import covered_sessions
from app.services.messages import N_
from app.services.requests.states import WORK_ASSIGNMENTS

EDITABLE = (ClaimStatus.DRAFT, ClaimStatus.REJECTED)


@dataclass
class ClaimInput:
    """What a member reports: minutes and travel per line, car, tickets, other costs, a note."""

    minutes: dict[int, int] = field(default_factory=dict)
    travel_minutes: dict[int, int] = field(default_factory=dict)
    car_km: int = 0
    ticket_cost_sek: Decimal = Decimal(0)
    other_cost_sek: Decimal = Decimal(0)
    note: str = ""


def list_member_assignments(*, session: Session, member: Member) -> list[tuple]:
    """Return the member's assignments with their request and claim (or None)."""
    query = (
        select(Assignment, BookingRequest, CompensationClaim)
        .join(BookingRequest, BookingRequest.id == Assignment.request_id)
        .join(
            CompensationClaim,
            CompensationClaim.assignment_id == Assignment.id,
            isouter=True,
        )
        .where(Assignment.member_id == member.id)
        .order_by(Assignment.id.desc())
    )
    return list(session.exec(query))


def own_assignment(*, session: Session, member: Member, assignment_id: int) -> Assignment:
    """Return one of the member's own assignments (others' are not found)."""
    assignment = session.get(Assignment, assignment_id)
    if assignment is None or assignment.member_id != member.id:
        raise NotFound(N_("No such assignment."))
    return assignment


def find_claim(*, session: Session, assignment_id: int) -> CompensationClaim | None:
    """Return the claim of an assignment, or None when none has been started."""
    query = select(CompensationClaim).where(CompensationClaim.assignment_id == assignment_id)
    return session.exec(query).first()


def open_claim(
    *,
    session: Session,
    member: Member,
    assignment_id: int,
    zone: ZoneInfo,
    now: datetime | None = None,
) -> CompensationClaim:
    """Return the member's claim for an assignment, creating it prefilled from the agreement."""
    assignment = own_assignment(session=session, member=member, assignment_id=assignment_id)
    claim = find_claim(session=session, assignment_id=assignment.id)
    if claim is not None:
        return claim
    if assignment.status not in WORK_ASSIGNMENTS:
        raise Conflict(N_("This assignment cannot be reported."))
    lines = _agreed_lines(session, assignment, zone, now or utcnow())
    if not lines:
        raise Conflict(NOTHING_TO_CLAIM)
    claim = CompensationClaim(assignment_id=assignment.id, member_id=member.id)
    session.add(claim)
    session.flush()
    for line in lines:
        line.claim_id = claim.id
        session.add(line)
    session.flush()
    recompute_claim(session=session, claim=claim)
    return claim


#: Why a claim cannot be opened: no session has happened yet, or none was attended.
NOTHING_TO_CLAIM = N_(
    "There is nothing to report yet: only sessions that have taken place and that you "
    "attended can be claimed."
)


@dataclass(frozen=True)
class ClaimPreview:
    """What a claim would hold, priced, without writing anything."""

    assignment: Assignment
    lines: list[ClaimLine]
    fee_sek: int


def preview_claim(
    *,
    session: Session,
    member: Member,
    assignment_id: int,
    zone: ZoneInfo,
    now: datetime,
    hourly_rule: str = fees.HOURLY_STARTED,
) -> ClaimPreview:
    """Return the lines a new claim would get and their fees (raises fees.FeeError); no writes."""
    assignment = own_assignment(session=session, member=member, assignment_id=assignment_id)
    if assignment.status not in WORK_ASSIGNMENTS:
        raise Conflict(N_("This assignment cannot be reported."))
    lines = _agreed_lines(session, assignment, zone, now)
    if not lines:
        raise Conflict(NOTHING_TO_CLAIM)
    _price(session, assignment, lines, hourly_rule)
    return ClaimPreview(assignment, lines, sum(line.fee_sek for line in lines))


def session_marks(*, session: Session, assignment: Assignment) -> dict[int, str]:
    """Return the attendance marks of the assignment's member: {session id: status}."""
    query = (
        select(SessionAttendance.request_session_id, SessionAttendance.status)
        .join(RequestSession, RequestSession.id == SessionAttendance.request_session_id)
        .where(
            RequestSession.request_id == assignment.request_id,
            SessionAttendance.member_id == assignment.member_id,
        )
    )
    return dict(session.exec(query).all())


def claimable_sessions(
    *, session: Session, assignment: Assignment, now: datetime
) -> list[RequestSession]:
    """Return the sessions a claim may pay: ended by ``now`` and not marked no-show."""
    marks = session_marks(session=session, assignment=assignment)
    items = covered_sessions(session=session, assignment=assignment)
    return [
        item
        for item in items
        if item.ends_at <= now and marks.get(item.id) != AttendanceStatus.NO_SHOW
    ]


def _agreed_lines(
    session: Session, assignment: Assignment, zone: ZoneInfo, now: datetime
) -> list[ClaimLine]:
    lines = [
        _session_line(item, zone)
        for item in claimable_sessions(session=session, assignment=assignment, now=now)
    ]
    if assignment.extra_minutes > 0 and lines:
        lines.append(
            ClaimLine(
                claim_id=0, activity_on=lines[-1].activity_on, minutes=assignment.extra_minutes
            )
        )
    return lines


def _session_line(item: RequestSession, zone: ZoneInfo) -> ClaimLine:
    return ClaimLine(
        claim_id=0,
        request_session_id=item.id,
        activity_on=item.starts_at.astimezone(zone).date(),
        minutes=fees.minutes_between(item.starts_at, item.ends_at),
    )


def sync_claim_lines(
    *, session: Session, claim: CompensationClaim, now: datetime, zone: ZoneInfo | None = None
) -> None:
    """Bring an editable claim's session lines in step with what has happened and been marked."""
    assignment = session.get(Assignment, claim.assignment_id)
    wanted = {
        item.id: item
        for item in claimable_sessions(session=session, assignment=assignment, now=now)
    }
    lines = claim_lines(session=session, claim_id=claim.id)
    have = {line.request_session_id for line in lines if line.request_session_id}
    for line in lines:
        if line.request_session_id and line.request_session_id not in wanted:
            session.delete(line)
    for session_id, item in wanted.items():
        if session_id not in have:
            line = _session_line(item, zone or clock.zone())
            line.claim_id = claim.id
            session.add(line)
    if not wanted:
        for line in lines:
            if line.request_session_id is None:
                session.delete(line)
    session.flush()


def claim_lines(*, session: Session, claim_id: int) -> list[ClaimLine]:
    """Return a claim's lines: sessions first in date order, extra time last."""
    query = select(ClaimLine).where(ClaimLine.claim_id == claim_id)
    lines = list(session.exec(query))
    return sorted(
        lines, key=lambda line: (line.request_session_id is None, line.activity_on, line.id)
    )


def recompute_claim(
    *, session: Session, claim: CompensationClaim, hourly_rule: str = fees.HOURLY_STARTED
) -> int:
    """Recompute every line's fee class and amount; return the claim's fee total."""
    assignment = session.get(Assignment, claim.assignment_id)
    lines = claim_lines(session=session, claim_id=claim.id)
    _price(session, assignment, lines, hourly_rule)
    claim.travel_minutes = sum(line.travel_minutes for line in lines)
    claim.fee_sek = sum(line.fee_sek for line in lines)
    session.flush()
    return claim.fee_sek


def _price(
    session: Session, assignment: Assignment, lines: list[ClaimLine], hourly_rule: str
) -> None:
    """Set each line's fee class, amount and no-fee reason (a late cancellation pays no fee)."""
    # People booked on an open information meeting speak there: they are paid (§6.2).
    reason = fees.no_fee_reason(is_part_of_employment=assignment.is_part_of_employment)
    marks = session_marks(session=session, assignment=assignment)
    tables = load_tables(session=session)
    for line in lines:
        late = marks.get(line.request_session_id) == AttendanceStatus.CANCELLED_LATE
        is_hourly = fees.hourly_applies(
            line.minutes + line.travel_minutes, is_hourly=assignment.is_hourly
        )
        try:
            result = fees.activity_fee(
                on=line.activity_on,
                minutes=line.minutes,
                travel_minutes=line.travel_minutes,
                pbb_table=tables.pbb,
                is_hourly=is_hourly,
                hourly_rule=hourly_rule,
                no_fee_reason=reason or (fees.REASON_CANCELLED_LATE if late else ""),
            )
        except fees.MissingFigure:
            # The year's PBB is not recorded: the fee is unknown, not zero. It stays 0 here,
            # claim_missing_figures names the gap and attestation waits for the figure.
            total = line.minutes + line.travel_minutes
            result = fees.FeeLine(fees.fee_class_for(total, is_hourly=is_hourly), total, 0, 0, 0)
        line.fee_class, line.fee_sek, line.no_fee_reason = (
            result.fee_class,
            result.fee,
            result.reason,
        )


def unpriced_years(tables, lines: list[ClaimLine]) -> tuple[fees.MissingFigure, ...]:
    """Return the missing PBB of each year whose lines (with a fee due) cannot be priced."""
    return unique_missing(
        fees.MissingPriceBaseAmount(line.activity_on.year)
        for line in lines
        if not line.no_fee_reason and line.activity_on.year not in tables.pbb
    )


def claim_missing_figures(
    *, session: Session, claim: CompensationClaim
) -> tuple[fees.MissingFigure, ...]:
    """Return the figures the claim's fees and car allowance need that are not recorded."""
    tables = load_tables(session=session)
    lines = claim_lines(session=session, claim_id=claim.id)
    missing = list(unpriced_years(tables, lines))
    if claim.car_km and lines:
        try:
            tables.mileage_rate_on(max(line.activity_on for line in lines))
        except fees.MissingFigure as error:
            missing.append(error)
    return unique_missing(missing)


def travel_cost(*, session: Session, claim: CompensationClaim, on: date) -> int:
    """Return the claim's travel reimbursement: car at the dated rate plus tickets and other."""
    if not claim.car_km:
        rate = Decimal(0)  # no car journey: the mileage rate is not needed
    else:
        rate = load_tables(session=session).mileage_rate_on(on)
    costs = Decimal(claim.ticket_cost_sek or 0) + Decimal(claim.other_cost_sek or 0)
    return fees.car_cost(claim.car_km, rate) + fees.round_kronor(costs)
