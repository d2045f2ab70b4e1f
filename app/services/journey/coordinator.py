"""The named contact person: the council user the booked people turn to (issue 19, support).

The council names the coordinator on the request page; when it approves a group and nobody is
named yet, the approving user becomes the contact person. The name and e-mail appear in the
invitation (mail, calendar text and page) and the booked mail as "Din kontaktperson i rådet".
"""

from __future__ import annotations

from functools import cache

from sqlmodel import Session, select

from app.models import BookingRequest, User
from app.models.enums import RequestAction, Role
from app.services.errors import InvalidInput
from app.services.messages import N_
from app.services.requests.history import log_event


def council_users(*, session: Session) -> list[tuple[int, str]]:
    """Return (id, name) of the enabled council users who can be named contact person, by name.

    The name is the full name, else the e-mail. Plain columns: the request page lists them in
    a select on every view, and building whole users cost more than the rest of its part.
    """
    return [(user_id, name or email) for user_id, name, email in session.exec(_council_users())]


@cache
def _council_users():
    return (
        select(User.id, User.full_name, User.email)
        .where(User.role == Role.COUNCIL, User.is_enabled)
        .order_by(User.full_name, User.email)
    )


def set_coordinator(
    *,
    session: Session,
    booking_request: BookingRequest,
    coordinator_id: int,
    actor: User,
) -> BookingRequest:
    """Name a council user as the booked people's contact person."""
    coordinator = session.get(User, coordinator_id)
    if coordinator is None or coordinator.role != Role.COUNCIL or not coordinator.is_enabled:
        raise InvalidInput(
            N_("Choose a member of the council."),
            {"coordinator_id": N_("Choose one of the listed values.")},
        )
    if booking_request.coordinator_id == coordinator.id:
        return booking_request
    booking_request.coordinator_id = coordinator.id
    session.add(booking_request)
    log_event(
        session,
        booking_request,
        actor.id,
        RequestAction.COORDINATOR_SET,
        coordinator.full_name or coordinator.email,
        coordinator_id=coordinator.id,
    )
    session.flush()
    return booking_request


def default_coordinator(*, session: Session, booking_request: BookingRequest, actor: User) -> None:
    """Name the approving council user as contact person when nobody is named yet.

    No history line of its own: the approval's line already names who approved.
    """
    if booking_request.coordinator_id is None and actor.role == Role.COUNCIL:
        booking_request.coordinator_id = actor.id
        session.add(booking_request)


def coordinator_of(*, session: Session, booking_request: BookingRequest) -> User | None:
    """Return the request's named contact person in the council, if any."""
    if booking_request.coordinator_id is None:
        return None
    return session.get(User, booking_request.coordinator_id)


def coordinator_line(*, session: Session, booking_request: BookingRequest, translate) -> str:
    """Return "Your contact person at the council: name, e-mail" (empty when none is named)."""
    coordinator = coordinator_of(session=session, booking_request=booking_request)
    if coordinator is None:
        return ""
    return translate(
        N_("Your contact person at the council: %(name)s, %(email)s"),
        name=coordinator.full_name or coordinator.email,
        email=coordinator.email,
    )
