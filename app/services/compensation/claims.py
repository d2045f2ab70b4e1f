"""A member's time and travel report for an assignment, and the council's attestation."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from app.models import (
    Assignment,
    BookingRequest,
    ClaimLine,
    CompensationClaim,
    Member,
    RequestSession,
)
from app.models.base import utcnow
from app.models.enums import ClaimStatus
from app.services.compensation import fees
from app.services.compensation.fee_tables import load_tables, unique_missing
from app.services.errors import Conflict, NotFound
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


def open_claim(
    *, session: Session, member: Member, assignment_id: int, zone: ZoneInfo
) -> CompensationClaim:
    """Return the member's claim for an assignment, creating it prefilled from the agreement."""
    assignment = own_assignment(session=session, member=member, assignment_id=assignment_id)
    claim = session.exec(
        select(CompensationClaim).where(CompensationClaim.assignment_id == assignment.id)
    ).first()
    if claim is not None:
        return claim
    if assignment.status not in WORK_ASSIGNMENTS:
        raise Conflict(N_("This assignment cannot be reported."))
    claim = CompensationClaim(assignment_id=assignment.id, member_id=member.id)
    session.add(claim)
    session.flush()
    for line in _agreed_lines(session, assignment, zone):
        line.claim_id = claim.id
        session.add(line)
    session.flush()
    recompute_claim(session=session, claim=claim)
    return claim


def _agreed_lines(session: Session, assignment: Assignment, zone: ZoneInfo) -> list[ClaimLine]:
    sessions = session.exec(
        select(RequestSession)
        .where(RequestSession.request_id == assignment.request_id)
        .order_by(RequestSession.starts_at)
    ).all()
    lines = [
        ClaimLine(
            claim_id=0,
            request_session_id=item.id,
            activity_on=item.starts_at.astimezone(zone).date(),
            minutes=fees.minutes_between(item.starts_at, item.ends_at),
        )
        for item in sessions
    ]
    if assignment.extra_minutes > 0:
        last = lines[-1].activity_on if lines else utcnow().astimezone(zone).date()
        lines.append(ClaimLine(claim_id=0, activity_on=last, minutes=assignment.extra_minutes))
    return lines


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
    booking_request = session.get(BookingRequest, assignment.request_id)
    reason = fees.no_fee_reason(
        is_open_information_meeting=booking_request.is_open_information_meeting,
        is_part_of_employment=assignment.is_part_of_employment,
    )
    tables = load_tables(session=session)
    lines = claim_lines(session=session, claim_id=claim.id)
    for line in lines:
        try:
            result = fees.activity_fee(
                on=line.activity_on,
                minutes=line.minutes,
                travel_minutes=line.travel_minutes,
                pbb_table=tables.pbb,
                is_hourly=assignment.is_hourly,
                hourly_rule=hourly_rule,
                no_fee_reason=reason,
            )
        except fees.MissingFigure:
            # The year's PBB is not recorded: the fee is unknown, not zero. It stays 0 here,
            # claim_missing_figures names the gap and attestation waits for the figure.
            total = line.minutes + line.travel_minutes
            result = fees.FeeLine(
                fees.fee_class_for(total, is_hourly=assignment.is_hourly), total, 0, 0, 0
            )
        line.fee_class, line.fee_sek, line.no_fee_reason = (
            result.fee_class,
            result.fee,
            result.reason,
        )
    claim.travel_minutes = sum(line.travel_minutes for line in lines)
    claim.fee_sek = sum(line.fee_sek for line in lines)
    session.flush()
    return claim.fee_sek


def claim_missing_figures(
    *, session: Session, claim: CompensationClaim
) -> tuple[fees.MissingFigure, ...]:
    """Return the figures the claim's fees and car allowance need that are not recorded."""
    tables = load_tables(session=session)
    lines = claim_lines(session=session, claim_id=claim.id)
    missing: list[fees.MissingFigure] = [
        fees.MissingPriceBaseAmount(line.activity_on.year)
        for line in lines
        if not line.no_fee_reason and line.activity_on.year not in tables.pbb
    ]
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
