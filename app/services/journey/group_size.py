"""At least two in working groups: the national routine's rule (docs/domain.md §4).

A working group or a standing group asks for two or more patient or relative representatives,
so that nobody carries the perspective alone. The orderer's form and the API refuse fewer; the
council may approve fewer only with a reason, which goes into the request's history.
"""

from __future__ import annotations

from app.models import BookingRequest
from app.models.enums import AssignmentType, RequestAction
from app.services.errors import InvalidInput
from app.services.messages import N_
from app.services.requests.history import log_event

#: The fewest people a working group or standing group asks for.
MIN_GROUP_PEOPLE = 2
TOO_FEW_ASKED = N_(
    "A working group or standing group asks for at least two patient or relative "
    "representatives (the national routine), so that nobody is alone in the group."
)
REASON_NEEDED = N_(
    "The routine asks for at least two people in a working group or standing group. "
    "Write why fewer are approved."
)


def needs_two(*, assignment_type: str, is_standing: bool) -> bool:
    """Return whether the routine's "at least two" applies to such a request."""
    return assignment_type == AssignmentType.WORKING_GROUP or bool(is_standing)


def people_count_error(*, assignment_type: str, is_standing: bool, people_count: int) -> str | None:
    """Return the message when a working or standing group asks for fewer than two."""
    if needs_two(assignment_type=assignment_type, is_standing=is_standing):
        if people_count < MIN_GROUP_PEOPLE:
            return TOO_FEW_ASKED
    return None


def check_below_two(
    *, session, booking_request: BookingRequest, chosen: int, reason: str, actor_id: int
) -> None:
    """Refuse approving fewer than two for a working group without a reason; log the reason."""
    if chosen >= MIN_GROUP_PEOPLE or not needs_two(
        assignment_type=booking_request.assignment_type, is_standing=booking_request.is_standing
    ):
        return
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(REASON_NEEDED, {"below_two_reason": N_("Required for fewer than two.")})
    log_event(
        session, booking_request, actor_id, RequestAction.APPROVED_BELOW_TWO, reason, count=chosen
    )
