"""Reads of members' health data by someone other than the member, written to the audit log."""

from __future__ import annotations

from sqlmodel import Session, select

from app.models import Assignment, BookingRequest
from app.services.privacy.audit import record_read
from app.services.requests.coming import ComingPerson, coming_people
from app.services.requests.states import WORK_ASSIGNMENTS


def read_coming_people(
    *,
    session: Session,
    booking_request: BookingRequest,
    actor_id: int | None,
    via: str = "request.coming",
) -> list[ComingPerson]:
    """Return who is booked or came (first name, relevant experience); log a read per person.

    ``actor_id`` is who gets to see it (the orderer on the page, or the recipient of a mail);
    ``via`` says where (``request.coming`` on the page, ``mail.booked`` in the booked mail).
    """
    people = coming_people(session=session, booking_request=booking_request)
    if not people:
        return people
    member_ids = session.exec(
        select(Assignment.member_id).where(
            Assignment.request_id == booking_request.id,
            Assignment.status.in_(WORK_ASSIGNMENTS),
        )
    )
    for member_id in sorted(member_ids):
        record_read(
            session=session,
            actor_id=actor_id,
            action="member.health_data.read",
            subject_type="member",
            subject_id=member_id,
            detail={"via": via, "request_id": booking_request.id},
        )
    return people
