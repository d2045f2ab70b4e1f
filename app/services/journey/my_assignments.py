"""The member's own list of assignments: upcoming ones with what she needs to get there, and
past ones with what came of them (issue 19). docs/journey.md.

Upcoming: booked with a meeting of hers still ahead — the meetings ahead, place or video
link, the contact person (and the council's coordinator), the material and the fee offered.
Past: the rest of her work — each meeting with her attendance mark, the claim, the survey and
what the orderer said it led to. A stand-in assignment has only its one meeting; a meeting she
said she cannot come to is shown as such and is not counted as hers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from app import clock
from app.models import (
    Assignment,
    BookingRequest,
    CompensationClaim,
    Organisation,
    RequestMaterial,
    RequestSession,
    SessionAbsence,
    Survey,
    User,
)
from app.models.enums import AssignmentStatus, FeedbackRespondent
from app.services.booking.attendance import marks_for
from app.services.compensation.offer import FeeOffer, fee_offer
from app.services.compensation.terms import terms_of
from app.services.errors import NotFound
from app.services.journey.covered_sessions import covered_sessions
from app.services.journey.materials_read import materials_for_request
from app.services.messages import N_

#: The assignments her list shows: booked, done, or marked a no-show (not withdrawn/cancelled).
LISTED = (AssignmentStatus.BOOKED, AssignmentStatus.COMPLETED, AssignmentStatus.NO_SHOW)


@dataclass(frozen=True)
class Meeting:
    """One meeting of her assignment, with her attendance mark ("" when none recorded)."""

    item: RequestSession
    mark: str = ""
    #: She said beforehand she cannot come: the meeting is no longer hers.
    is_absent: bool = False


@dataclass(frozen=True)
class MyAssignment:
    """Everything her list shows about one assignment."""

    assignment: Assignment
    request: BookingRequest
    organisation: str
    #: Her meetings (a stand-in: the one meeting) and the ones she reported she cannot come to.
    meetings: list[Meeting]
    coordinator: User | None
    materials: list[RequestMaterial]
    offer: FeeOffer | None
    claim: CompensationClaim | None
    survey: Survey | None
    now: datetime

    @property
    def is_stand_in(self) -> bool:
        return self.assignment.stand_in_session_id is not None

    @property
    def ahead(self) -> list[Meeting]:
        """Return her meetings not yet started (absent ones included, marked)."""
        return [m for m in self.meetings if m.item.starts_at > self.now]

    @property
    def is_upcoming(self) -> bool:
        """Return whether she is booked and a meeting of hers is still ahead."""
        return self.assignment.status == AssignmentStatus.BOOKED and any(
            not m.is_absent for m in self.ahead
        )


def own_assignment(*, session: Session, member_id: int, assignment_id: int) -> Assignment:
    """Return one of her assignments (another's, or none: NotFound)."""
    assignment = session.get(Assignment, assignment_id)
    if assignment is None or assignment.member_id != member_id:
        raise NotFound(N_("No such assignment."))
    return assignment


def describe_assignment(*, session: Session, assignment: Assignment, now: datetime) -> MyAssignment:
    """Return what her list shows about one assignment."""
    booking_request = session.get(BookingRequest, assignment.request_id)
    organisation = session.get(Organisation, booking_request.organisation_id)
    items = covered_sessions(session=session, assignment=assignment)
    absent = _absent_items(session, assignment)
    marks = marks_for(
        session=session, session_ids=[i.id for i in items], member_ids=[assignment.member_id]
    )
    meetings = sorted(
        [Meeting(item, marks.get((item.id, assignment.member_id), "")) for item in items]
        + [Meeting(item, is_absent=True) for item in absent],
        key=lambda meeting: (meeting.item.starts_at, meeting.item.id),
    )
    coordinator = (
        session.get(User, booking_request.coordinator_id)
        if booking_request.coordinator_id
        else None
    )
    return MyAssignment(
        assignment=assignment,
        request=booking_request,
        organisation=organisation.name if organisation else "",
        meetings=meetings,
        coordinator=coordinator,
        materials=materials_for_request(session=session, request_id=booking_request.id),
        offer=_offer(session, assignment, items),
        claim=session.exec(
            select(CompensationClaim)
            .where(CompensationClaim.assignment_id == assignment.id)
            .order_by(CompensationClaim.id.desc())
        ).first(),
        survey=session.exec(
            select(Survey).where(
                Survey.assignment_id == assignment.id,
                Survey.respondent == FeedbackRespondent.MEMBER,
            )
        ).first(),
        now=now,
    )


def _absent_items(session: Session, assignment: Assignment) -> list[RequestSession]:
    query = (
        select(RequestSession)
        .join(SessionAbsence, SessionAbsence.request_session_id == RequestSession.id)
        .where(
            SessionAbsence.assignment_id == assignment.id,
            SessionAbsence.member_id == assignment.member_id,
        )
    )
    return list(session.exec(query))


def _offer(session: Session, assignment: Assignment, items) -> FeeOffer | None:
    """Return the fee offered for her meetings under her terms (None without meetings)."""
    if not items:
        return None
    return fee_offer(session=session, items=items, terms=terms_of(assignment), zone=clock.zone())


@dataclass(frozen=True)
class MyAssignments:
    """Her list: the upcoming assignments (soonest first) and the past ones (latest first)."""

    upcoming: list[MyAssignment]
    past: list[MyAssignment]


def my_assignments(*, session: Session, member_id: int, now: datetime) -> MyAssignments:
    """Return her upcoming and past assignments."""
    rows = session.exec(
        select(Assignment)
        .where(Assignment.member_id == member_id, Assignment.status.in_(LISTED))
        .order_by(Assignment.id)
    )
    described = [
        describe_assignment(session=session, assignment=assignment, now=now) for assignment in rows
    ]
    described = [row for row in described if row.meetings]
    upcoming = [row for row in described if row.is_upcoming]
    past = [row for row in described if not row.is_upcoming]

    def first(row: MyAssignment):
        return min(m.item.starts_at for m in (row.ahead or row.meetings))

    def last(row: MyAssignment):
        return max(m.item.starts_at for m in row.meetings)

    return MyAssignments(
        upcoming=sorted(upcoming, key=first),
        past=sorted(past, key=last, reverse=True),
    )
