"""The request and assignment state machines: named sets of states, the allowed moves, the moves.

Every status change of a request or an assignment goes through ``move_request`` or
``move_assignment``. A request moves by a named step (the history line it writes, e.g.
``approved``): the step says which states it may start from and where it leads, and the move
checks the source state, sets the status and the decision stamps, and writes the request's
history and the audit trail. An assignment moves to a state its current one may lead to.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from app.models import Assignment, BookingRequest
from app.models.base import utcnow
from app.models.enums import AssignmentStatus, InvitationStatus, RequestAction, RequestStatus
from app.services.errors import Conflict
from app.services.messages import N_
from app.services.privacy.audit import record_audit
from app.services.requests.history import log_event

#: Requests waiting for the council, the orderer or the invited people.
OPEN_REQUEST_STATES = (
    RequestStatus.SUBMITTED,
    RequestStatus.QUESTION,
    RequestStatus.INTEREST,
    RequestStatus.APPROVED,
)
#: Requests that will not change any more.
CLOSED_REQUEST_STATES = (RequestStatus.DECLINED, RequestStatus.CANCELLED, RequestStatus.COMPLETED)
#: Requests sent in and not closed: their times may change and they may be cancelled.
RUNNING_REQUEST_STATES = (*OPEN_REQUEST_STATES, RequestStatus.BOOKED)
#: Requests whose invitations and bookings hold people's time.
LIVE_REQUEST_STATES = (RequestStatus.APPROVED, RequestStatus.BOOKED)
#: Requests people were invited to or booked on, finished ones included (feeds, surveys).
STAFFED_REQUEST_STATES = (*LIVE_REQUEST_STATES, RequestStatus.COMPLETED)
#: Requests the council still decides on: it may ask the orderer or decline.
DECIDABLE_REQUEST_STATES = (RequestStatus.SUBMITTED, RequestStatus.QUESTION)
#: Requests the council may ask for interest on, swap people in and approve a group for.
APPROVABLE_REQUEST_STATES = (*DECIDABLE_REQUEST_STATES, RequestStatus.INTEREST)

#: Invitations that hold a member's time: not answered yet, or accepted.
HOLDING_INVITATIONS = (InvitationStatus.PENDING, InvitationStatus.ACCEPTED)
#: Assignments that hold a member's time.
HOLDING_ASSIGNMENTS = (AssignmentStatus.BOOKED,)
#: Assignments that are work, booked or done (withdrawals, cancellations, no-shows are not).
WORK_ASSIGNMENTS = (AssignmentStatus.BOOKED, AssignmentStatus.COMPLETED)


@dataclass(frozen=True)
class Step:
    """A step of a request's workflow: the states it may start from and the state it leads to."""

    sources: tuple[RequestStatus, ...]
    target: RequestStatus
    #: A decision on the request: stamps ``decided_at`` and ``decided_by_id``.
    is_decision: bool = False


#: The request's workflow, each step named by the history line it writes.
REQUEST_STEPS: dict[RequestAction, Step] = {
    RequestAction.SUBMITTED: Step((RequestStatus.DRAFT,), RequestStatus.SUBMITTED),
    RequestAction.ASKED: Step(DECIDABLE_REQUEST_STATES, RequestStatus.QUESTION, True),
    RequestAction.ANSWERED: Step((RequestStatus.QUESTION,), RequestStatus.SUBMITTED),
    RequestAction.DECLINED: Step(DECIDABLE_REQUEST_STATES, RequestStatus.DECLINED, True),
    RequestAction.INTEREST_ASKED: Step(APPROVABLE_REQUEST_STATES, RequestStatus.INTEREST),
    RequestAction.INTEREST_ENDED: Step((RequestStatus.INTEREST,), RequestStatus.SUBMITTED),
    RequestAction.APPROVED: Step(APPROVABLE_REQUEST_STATES, RequestStatus.APPROVED, True),
    RequestAction.BOOKED: Step((RequestStatus.APPROVED,), RequestStatus.BOOKED),
    RequestAction.REOPENED: Step((RequestStatus.BOOKED,), RequestStatus.APPROVED),
    RequestAction.CANCELLED: Step(RUNNING_REQUEST_STATES, RequestStatus.CANCELLED, True),
    RequestAction.COMPLETED: Step((RequestStatus.BOOKED,), RequestStatus.COMPLETED),
}
#: Where each assignment state may lead (a no-show may be recorded after completion, and a
#: no-show corrected when the attendance marks are, docs/domain.md §6.2).
ASSIGNMENT_MOVES: dict[AssignmentStatus, tuple[AssignmentStatus, ...]] = {
    AssignmentStatus.BOOKED: (
        AssignmentStatus.WITHDRAWN,
        AssignmentStatus.CANCELLED,
        AssignmentStatus.COMPLETED,
        AssignmentStatus.NO_SHOW,
    ),
    AssignmentStatus.COMPLETED: (AssignmentStatus.NO_SHOW,),
    AssignmentStatus.WITHDRAWN: (),
    AssignmentStatus.CANCELLED: (),
    AssignmentStatus.NO_SHOW: (AssignmentStatus.BOOKED, AssignmentStatus.COMPLETED),
}


def request_transitions() -> dict[RequestStatus, set[RequestStatus]]:
    """Return where each request state may lead, drawn from the workflow's steps."""
    graph: dict[RequestStatus, set[RequestStatus]] = {state: set() for state in RequestStatus}
    for step in REQUEST_STEPS.values():
        for source in step.sources:
            graph[source].add(step.target)
    return graph


def allowed_steps(booking_request: BookingRequest) -> set[str]:
    """Return the steps the request may take in its current state (for pages and checks)."""
    return {
        str(action)
        for action, step in REQUEST_STEPS.items()
        if booking_request.status in step.sources
    }


def check_request_step(booking_request: BookingRequest, action: str) -> Step:
    """Return the step, or refuse it when the request's state does not allow it."""
    step = REQUEST_STEPS[RequestAction(action)]
    if booking_request.status not in step.sources:
        raise Conflict(N_("This request cannot take that step in its current state."))
    return step


def move_request(
    *,
    session: Session,
    booking_request: BookingRequest,
    action: str,
    actor_id: int | None = None,
    now: datetime | None = None,
    message: str = "",
    **detail,
) -> BookingRequest:
    """Take a step of the request's workflow: check it, set status and stamps, log it."""
    step = check_request_step(booking_request, action)
    booking_request.status = step.target
    if step.is_decision:
        booking_request.decided_at = now or utcnow()
        booking_request.decided_by_id = actor_id
    session.add(booking_request)
    log_event(session, booking_request, actor_id, str(RequestAction(action)), message, **detail)
    return booking_request


def move_assignment(
    *, session: Session, assignment: Assignment, to: str, actor_id: int | None = None, **detail
) -> Assignment:
    """Move an assignment to a state its current one may lead to, and audit the move."""
    target = AssignmentStatus(to)
    if target not in ASSIGNMENT_MOVES[AssignmentStatus(assignment.status)]:
        raise Conflict(N_("This assignment cannot take that step in its current state."))
    assignment.status = target
    session.add(assignment)
    record_audit(
        session=session,
        actor_id=actor_id,
        action=f"assignment.{target}",
        subject_type="assignment",
        subject_id=assignment.id,
        detail={"request_id": assignment.request_id, "member_id": assignment.member_id, **detail},
    )
    return assignment
