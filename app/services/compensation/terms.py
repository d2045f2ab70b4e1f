"""The agreement terms of one person on one request: extra time, hourly fee, employment.

The council sets them per request and person (docs/domain.md §6.1–§6.2): before the member
answers they live on the invitation, so the invitation shows them; the assignment takes them
over on acceptance, and the agreement, the claim and the API read them from there.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from app.models import Assignment, ClaimLine, CompensationClaim, Invitation, Member
from app.models.enums import InvitationStatus
from app.services.compensation import fees
from app.services.compensation.claims import EDITABLE, claim_lines, recompute_claim
from app.services.errors import Conflict, InvalidInput, NotFound
from app.services.messages import N_
from app.services.privacy.audit import record_audit
from app.services.requests.states import WORK_ASSIGNMENTS
from app.services.requests.submission import request_sessions

#: The longest extra agreed time: a week of full days is far more than any reading day.
MAX_EXTRA_MINUTES = 40 * 60


@dataclass(frozen=True)
class Terms:
    """What the agreement says beyond the sessions themselves."""

    extra_minutes: int = 0
    is_hourly: bool = False
    is_part_of_employment: bool = False

    def as_json(self) -> dict:
        return {
            "extra_minutes": self.extra_minutes,
            "is_hourly": self.is_hourly,
            "is_part_of_employment": self.is_part_of_employment,
        }


def terms_of(row: Assignment | Invitation | None) -> Terms:
    """Return the terms stored on an assignment or invitation (none: the defaults)."""
    if row is None:
        return Terms()
    return Terms(row.extra_minutes, row.is_hourly, row.is_part_of_employment)


def _check(session: Session, request_id: int, terms: Terms) -> None:
    if not 0 <= terms.extra_minutes <= MAX_EXTRA_MINUTES:
        raise InvalidInput(
            N_("Check the agreement terms."),
            fields={"extra_minutes": N_("Extra time must be between 0 and 40 hours.")},
        )
    if not terms.is_hourly:
        return
    longest = max(
        (
            fees.minutes_between(item.starts_at, item.ends_at)
            for item in request_sessions(session=session, request_id=request_id)
        ),
        default=0,
    )
    if max(longest, terms.extra_minutes) > fees.HOURLY_MAX_MINUTES:
        raise InvalidInput(
            N_("Check the agreement terms."),
            fields={
                "is_hourly": N_(
                    "The hourly fee is only for efforts up to two hours including travel."
                )
            },
        )


def _rows(session: Session, request_id: int, member_id: int):
    assignment = session.exec(
        select(Assignment).where(
            Assignment.request_id == request_id, Assignment.member_id == member_id
        )
    ).first()
    invitation = session.exec(
        select(Invitation)
        .where(
            Invitation.request_id == request_id,
            Invitation.member_id == member_id,
            Invitation.is_interest_check.is_(False),
        )
        .order_by(Invitation.id.desc())
    ).first()
    return assignment, invitation


def _sync_extra_line(session: Session, claim: CompensationClaim, extra_minutes: int) -> None:
    """Make an editable claim's extra-time line match the agreed extra time."""
    lines = claim_lines(session=session, claim_id=claim.id)
    extra = next((line for line in lines if line.request_session_id is None), None)
    if extra is not None and not extra_minutes:
        session.delete(extra)
    elif extra is not None:
        extra.minutes = extra_minutes
        session.add(extra)
    elif extra_minutes:
        last = lines[-1].activity_on if lines else None
        if last is not None:
            session.add(ClaimLine(claim_id=claim.id, activity_on=last, minutes=extra_minutes))
    session.flush()


def terms_for(*, session: Session, request_id: int, member_id: int) -> Terms:
    """Return the terms of a person on a request: the assignment's, else the invitation's."""
    assignment, invitation = _rows(session, request_id, member_id)
    return terms_of(assignment if assignment is not None else invitation)


def set_agreement_terms(
    *, session: Session, request_id: int, member_id: int, terms: Terms, actor_id: int | None
) -> Terms:
    """Set a person's agreement terms on a request (invitation and assignment alike)."""
    assignment, invitation = _rows(session, request_id, member_id)
    live_invitation = invitation is not None and invitation.status == InvitationStatus.PENDING
    live_assignment = assignment is not None and assignment.status in WORK_ASSIGNMENTS
    if not (live_invitation or live_assignment):
        raise NotFound(N_("This person is neither invited nor booked on the request."))
    _check(session, request_id, terms)
    claim = None
    if live_assignment:
        claim = session.exec(
            select(CompensationClaim).where(CompensationClaim.assignment_id == assignment.id)
        ).first()
        if claim is not None and claim.status not in EDITABLE:
            raise Conflict(N_("The claim is already submitted; the terms can no longer change."))
    for row in (invitation, assignment):
        if row is not None:
            row.extra_minutes = terms.extra_minutes
            row.is_hourly = terms.is_hourly
            row.is_part_of_employment = terms.is_part_of_employment
            session.add(row)
    session.flush()
    if claim is not None:
        _sync_extra_line(session, claim, terms.extra_minutes)
        recompute_claim(session=session, claim=claim)
    record_audit(
        session=session,
        actor_id=actor_id,
        action="assignment.terms.set",
        subject_type="booking_request",
        subject_id=request_id,
        detail={"member_id": member_id, **terms.as_json()},
    )
    return terms


@dataclass(frozen=True)
class PersonTerms:
    """One invited or booked person on a request, with the terms that apply to them."""

    member_id: int
    name: str
    #: "invited" (answer pending) or "booked".
    status: str
    terms: Terms


def request_terms(
    *,
    session: Session,
    request_id: int,
    invitations: list[tuple[Invitation, Member]] | None = None,
    assignments: list[tuple[Assignment, Member]] | None = None,
) -> list[PersonTerms]:
    """Return the terms of everyone booked or still invited on a request, by name.

    ``invitations``: all the request's invitations with their members (``request_invitations``),
    when the caller has read them already; the pending ones are taken from them. Likewise
    ``assignments``: at least the request's work assignments with their members.
    """
    people: dict[int, PersonTerms] = {}
    if invitations is None:
        invitations = session.exec(
            select(Invitation, Member)
            .join(Member, Member.id == Invitation.member_id)
            .where(
                Invitation.request_id == request_id,
                Invitation.is_interest_check.is_(False),
                Invitation.status == InvitationStatus.PENDING,
            )
        )
    else:
        invitations = [
            (invitation, member)
            for invitation, member in invitations
            if not invitation.is_interest_check and invitation.status == InvitationStatus.PENDING
        ]
    for invitation, member in invitations:
        people[member.id] = PersonTerms(
            member.id, member.display_name, "invited", terms_of(invitation)
        )
    if assignments is None:
        assignments = session.exec(
            select(Assignment, Member)
            .join(Member, Member.id == Assignment.member_id)
            .where(Assignment.request_id == request_id, Assignment.status.in_(WORK_ASSIGNMENTS))
        )
    else:
        assignments = [
            (assignment, member)
            for assignment, member in assignments
            if assignment.status in WORK_ASSIGNMENTS
        ]
    for assignment, member in assignments:
        people[member.id] = PersonTerms(
            member.id, member.display_name, "booked", terms_of(assignment)
        )
    return sorted(people.values(), key=lambda person: (person.name, person.member_id))


def assignment_terms(*, session: Session, assignment_id: int) -> Terms:
    """Return the agreed terms of one assignment (the defaults if it is gone)."""
    return terms_of(session.get(Assignment, assignment_id))
