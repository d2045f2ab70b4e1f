"""Claim transitions: the member saves and submits, the council attests or sends back."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlmodel import Session, func, select

from app.models import (
    Assignment,
    BookingRequest,
    ClaimReceipt,
    CompensationClaim,
    Member,
    RequestSession,
    User,
)
from app.models.base import utcnow
from app.models.enums import AttendanceStatus, ClaimStatus
from app.services.compensation import fees
from app.services.compensation.claims import (
    EDITABLE,
    NOTHING_TO_CLAIM,
    ClaimInput,
    claim_lines,
    claim_missing_figures,
    recompute_claim,
    session_marks,
    sync_claim_lines,
    travel_cost,
)
from app.services.compensation.settings import needs_receipt, receipt_threshold
from app.services.errors import Conflict, InvalidInput, NotFound
from app.services.messages import N_
from app.services.privacy.audit import record_audit

MAX_COST_SEK = Decimal(100_000)


def own_claim(*, session: Session, member: Member, claim_id: int) -> CompensationClaim:
    """Return one of the member's own claims; anybody else's is not found."""
    claim = session.get(CompensationClaim, claim_id)
    if claim is None or claim.member_id != member.id:
        raise NotFound(N_("No such claim."))
    return claim


def save_claim(
    *,
    session: Session,
    member: Member,
    claim_id: int,
    data: ClaimInput,
    submit: bool = False,
    hourly_rule: str = fees.HOURLY_STARTED,
    now: datetime | None = None,
) -> CompensationClaim:
    """Store the member's reported time and costs; with ``submit`` send it to the council."""
    claim = own_claim(session=session, member=member, claim_id=claim_id)
    if claim.status not in EDITABLE:
        raise Conflict(N_("This claim has been sent and can no longer be changed."))
    _validate(data)
    sync_claim_lines(session=session, claim=claim, now=now or utcnow())
    for line in claim_lines(session=session, claim_id=claim.id):
        line.minutes = data.minutes.get(line.id, line.minutes)
        line.travel_minutes = data.travel_minutes.get(line.id, line.travel_minutes)
    claim.car_km = data.car_km
    claim.ticket_cost_sek = data.ticket_cost_sek
    claim.other_cost_sek = data.other_cost_sek
    claim.note = data.note.strip()
    recompute_claim(session=session, claim=claim, hourly_rule=hourly_rule)
    if submit:
        _check_sendable(session, claim)
        claim.status = ClaimStatus.SUBMITTED
        claim.submitted_at = utcnow()
    session.flush()
    return claim


def _validate(data: ClaimInput) -> None:
    errors: dict[str, str] = {}
    if any(value <= 0 or value > 24 * 60 for value in data.minutes.values()):
        errors["lines"] = N_("Each activity must last between 1 minute and 24 hours.")
    if any(value < 0 or value > 24 * 60 for value in data.travel_minutes.values()):
        errors["lines"] = N_("Travel time must be between 0 and 24 hours.")
    if data.car_km < 0 or data.car_km > 5000:
        errors["car_km"] = N_("Give the distance in whole kilometres, 0 to 5 000.")
    for name in ("ticket_cost_sek", "other_cost_sek"):
        if not Decimal(0) <= getattr(data, name) <= MAX_COST_SEK:
            errors[name] = N_("Give an amount from 0 to 100 000 kronor.")
    has_costs = data.car_km or data.ticket_cost_sek or data.other_cost_sek
    if has_costs and not data.note.strip():
        errors["note"] = N_("Describe the journey or the costs (from, to, what for).")
    if errors:
        raise InvalidInput(N_("Check the report."), fields=errors)


#: Why a claim with costs above the threshold cannot be sent or attested without a receipt.
RECEIPT_NEEDED = N_("Attach a receipt: your ticket and other costs are above the receipt limit.")


def missing_receipt(*, session: Session, claim: CompensationClaim) -> bool:
    """Return whether the claim's costs need a receipt under the threshold and have none."""
    if not needs_receipt(
        threshold_sek=receipt_threshold(session=session),
        ticket_cost_sek=claim.ticket_cost_sek,
        other_cost_sek=claim.other_cost_sek,
    ):
        return False
    count = session.exec(
        select(func.count(ClaimReceipt.id)).where(ClaimReceipt.claim_id == claim.id)
    ).one()
    return count == 0


def _check_sendable(session: Session, claim: CompensationClaim) -> None:
    if not claim_lines(session=session, claim_id=claim.id):
        raise InvalidInput(NOTHING_TO_CLAIM, fields={"lines": NOTHING_TO_CLAIM})
    if missing_receipt(session=session, claim=claim):
        raise InvalidInput(RECEIPT_NEEDED, fields={"receipt": RECEIPT_NEEDED})


def unmarked_sessions(*, session: Session, claim: CompensationClaim) -> list[RequestSession]:
    """Return the claimed sessions nobody has marked attended yet (flagged to the council)."""
    assignment = session.get(Assignment, claim.assignment_id)
    marks = session_marks(session=session, assignment=assignment)
    ids = [line.request_session_id for line in claim_lines(session=session, claim_id=claim.id)]
    return [
        session.get(RequestSession, session_id)
        for session_id in ids
        if session_id and session_id not in marks
    ]


def _check_attestable(session: Session, claim: CompensationClaim, now: datetime) -> None:
    assignment = session.get(Assignment, claim.assignment_id)
    marks = session_marks(session=session, assignment=assignment)
    for line in claim_lines(session=session, claim_id=claim.id):
        if line.request_session_id is None:
            continue
        item = session.get(RequestSession, line.request_session_id)
        if item.ends_at > now:
            raise Conflict(N_("The claim includes a session that has not taken place yet."))
        if marks.get(item.id) == AttendanceStatus.NO_SHOW:
            raise Conflict(N_("The claim includes a session the member did not attend."))
    if missing_receipt(session=session, claim=claim):
        raise Conflict(N_("The claim's costs need a receipt; send it back to the member."))


def list_claims_for_council(*, session: Session, status: str = ClaimStatus.SUBMITTED) -> list:
    """Return claims in one status with member and request, oldest first."""
    query = (
        select(CompensationClaim, Member, BookingRequest)
        .join(Member, Member.id == CompensationClaim.member_id)
        .join(Assignment, Assignment.id == CompensationClaim.assignment_id)
        .join(BookingRequest, BookingRequest.id == Assignment.request_id)
        .where(CompensationClaim.status == status)
        .order_by(CompensationClaim.submitted_at, CompensationClaim.id)
    )
    return list(session.exec(query))


def _submitted(session: Session, claim_id: int) -> CompensationClaim:
    claim = session.get(CompensationClaim, claim_id)
    if claim is None:
        raise NotFound(N_("No such claim."))
    if claim.status != ClaimStatus.SUBMITTED:
        raise Conflict(N_("Only submitted claims can be attested or sent back."))
    return claim


def attest_claim(
    *,
    session: Session,
    claim_id: int,
    actor: User,
    now: datetime | None = None,
    hourly_rule: str = fees.HOURLY_STARTED,
) -> CompensationClaim:
    """Attest a submitted claim, freezing its fee and travel amounts."""
    claim = _submitted(session, claim_id)
    _check_attestable(session, claim, now or utcnow())
    missing = claim_missing_figures(session=session, claim=claim)
    if missing:  # never attest an amount computed without its figure
        raise missing[0]
    # The fees as the recorded figures give them now (a figure added since the report counts).
    recompute_claim(session=session, claim=claim, hourly_rule=hourly_rule)
    lines = claim_lines(session=session, claim_id=claim.id)
    last_day = max((line.activity_on for line in lines), default=utcnow().date())
    claim.travel_sek = travel_cost(session=session, claim=claim, on=last_day)
    claim.fee_sek = sum(line.fee_sek for line in lines)
    claim.status = ClaimStatus.ATTESTED
    claim.attested_at = utcnow()
    claim.attested_by_id = actor.id
    claim.review_comment = ""
    record_audit(
        session=session,
        actor_id=actor.id,
        action="claim.attested",
        subject_type="compensation_claim",
        subject_id=claim.id,
        detail={"fee_sek": claim.fee_sek, "travel_sek": claim.travel_sek},
    )
    session.flush()
    return claim


def return_claim(
    *, session: Session, claim_id: int, actor: User, comment: str
) -> CompensationClaim:
    """Send a submitted claim back to the member with a comment saying what to fix."""
    claim = _submitted(session, claim_id)
    if not comment.strip():
        raise InvalidInput(
            N_("Say what the member should change."),
            fields={"comment": N_("Say what the member should change.")},
        )
    claim.status = ClaimStatus.REJECTED
    claim.review_comment = comment.strip()
    record_audit(
        session=session,
        actor_id=actor.id,
        action="claim.returned",
        subject_type="compensation_claim",
        subject_id=claim.id,
        detail={"member_id": claim.member_id},
    )
    session.flush()
    return claim
