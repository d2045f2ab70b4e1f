"""A member's practical needs at assignments, and what the orderer must arrange for the booked.

Needs are categories (``ApplicantNeed``) plus a note in the member's words. They are personal
but practical: the orderer sees them only for the people booked on her own request, by first
name, and never next to a diagnosis or an experience (docs/journey.md, "Needs and material").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from app.models import Applicant, Assignment, BookingRequest, Member, RequestSession
from app.models.enums import ApplicantNeed
from app.services.errors import InvalidInput
from app.services.messages import N_
from app.services.privacy.audit import record_audit
from app.services.requests.coming import orderer_name
from app.services.requests.states import WORK_ASSIGNMENTS

#: The longest note (``Member.needs_note``).
NEEDS_NOTE_MAX = 1000
#: The needs in words, for mail (the same texts as the pages' labels).
NEED_WORDS = {
    ApplicantNeed.HEARING_LOOP: N_("Hearing loop"),
    ApplicantNeed.INTERPRETER: N_("Interpreter"),
    ApplicantNeed.COMPANION: N_("A companion with me"),
    ApplicantNeed.EASY_READ: N_("Texts in easy Swedish (lättläst)"),
    ApplicantNeed.STEP_FREE: N_("Step-free access"),
}


@dataclass(frozen=True)
class BookedNeeds:
    """What the orderer must arrange for one booked person: first name, needs, her note."""

    first_name: str
    needs: tuple[str, ...]
    note: str
    #: For a stand-in: the start of the one meeting she comes to; None: every meeting.
    stand_in_starts_at: datetime | None = None


def clean_needs(codes, note: str) -> tuple[list[str], str]:
    """Return the needs in the enum's order and the trimmed note, or raise ``InvalidInput``."""
    codes = set(codes or ())
    if codes - set(ApplicantNeed):
        raise InvalidInput(
            N_("Choose one of the listed values."),
            {"needs": N_("Choose one of the listed values.")},
        )
    note = (note or "").strip()
    if len(note) > NEEDS_NOTE_MAX:
        message = N_("Write at most 1000 characters.")
        raise InvalidInput(message, {"needs_note": message})
    return [need.value for need in ApplicantNeed if need in codes], note


def set_member_needs(
    *, session: Session, member: Member, needs, note: str, actor_id: int | None
) -> Member:
    """Record the member's needs and note (by herself or the council), audited without them."""
    member.needs, member.needs_note = clean_needs(needs, note)
    session.add(member)
    record_audit(
        session=session,
        actor_id=actor_id,
        action="member.needs.updated",
        subject_type="member",
        subject_id=member.id,
    )
    return member


def copy_applicant_needs(applicant: Applicant, member: Member) -> None:
    """Give a new member the needs the applicant ticked and wrote (unknown codes dropped)."""
    codes = set(applicant.need_codes or ())
    member.needs = [need.value for need in ApplicantNeed if need in codes]
    member.needs_note = (applicant.needs or "").strip()[:NEEDS_NOTE_MAX]


def needs_of_booked(
    *,
    session: Session,
    booking_request: BookingRequest,
    booked: list[tuple[Assignment, Member]] | None = None,
) -> list[BookedNeeds]:
    """Return the needs of the people booked on the request (stand-ins too), who have any.

    ``booked``: the request's assignments with their members by first name, when the caller
    has read them (``booking.attendance.booked_people``; only booked and done ones count here).
    """
    if booked is None:
        booked = session.exec(
            select(Assignment, Member)
            .join(Member, Member.id == Assignment.member_id)
            .where(
                Assignment.request_id == booking_request.id,
                Assignment.status.in_(WORK_ASSIGNMENTS),
            )
            .order_by(Member.first_name, Member.id, Assignment.id)
        )
    found = []
    for assignment, member in booked:
        if assignment.status not in WORK_ASSIGNMENTS:
            continue
        if not member.needs and not member.needs_note:
            continue
        meeting = (
            session.get(RequestSession, assignment.stand_in_session_id)
            if assignment.stand_in_session_id
            else None
        )
        found.append(
            BookedNeeds(
                first_name=orderer_name(member),
                needs=tuple(member.needs),
                note=member.needs_note,
                stand_in_starts_at=meeting.starts_at if meeting else None,
            )
        )
    return found


def needs_mail_lines(people: list[BookedNeeds], translate) -> list[str]:
    """Return the needs as lines of the orderer's mail (empty when nobody has any)."""
    if not people:
        return []
    lines = ["", translate(N_("To arrange before the meeting:"))]
    for person in people:
        words = [translate(NEED_WORDS[ApplicantNeed(code)]) for code in person.needs]
        if person.note:
            words.append(person.note)
        lines.append(f"- {person.first_name}: " + "; ".join(words))
    lines.append(translate(N_("Please arrange this, and tell the council if something cannot be.")))
    return lines
