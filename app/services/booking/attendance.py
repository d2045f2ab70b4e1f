"""Attendance: after each session, who came, who did not, and whose session was called off late.

The orderer's contact (the orderer user who owns the request) or the council records, per
session and booked person, ``attended``, ``no_show`` or ``cancelled_late`` (docs/domain.md §6.2,
"Attendance"). Only sessions that have started can be marked; each mark is audited and can be
corrected. A no-show or a late cancellation is not work: ``work_units`` leaves those sessions
out, and a person marked no-show on every session of a request has the assignment moved to
``no_show``. Claims pay only sessions that have happened and were not no-shows
(``app/services/compensation/claims.py``).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import bindparam
from sqlmodel import Session, select

from app.models import (
    Assignment,
    BookingRequest,
    Member,
    RequestSession,
    SessionAbsence,
    SessionAttendance,
    User,
)
from app.models.enums import AssignmentStatus, AttendanceStatus, Role
from app.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.services.journey.covered_sessions import covered_sessions
from app.services.messages import N_
from app.services.privacy.audit import record_audit
from app.services.requests.states import move_assignment

#: Assignments whose people can be marked: booked, done, or already marked a no-show.
MARKABLE_ASSIGNMENTS = (
    AssignmentStatus.BOOKED,
    AssignmentStatus.COMPLETED,
    AssignmentStatus.NO_SHOW,
)
#: Marks that mean the session was not work done (never load, never a fee).
NOT_WORK = (AttendanceStatus.NO_SHOW, AttendanceStatus.CANCELLED_LATE)


@dataclass(frozen=True)
class Mark:
    """One person's mark for one session."""

    member_id: int
    status: str


@dataclass(frozen=True)
class SheetRow:
    """One booked person on a session, with the mark recorded so far ("" when none)."""

    member_id: int
    name: str
    status: str
    #: She said beforehand she cannot come (``SessionAbsence``): shown, never marked.
    is_absent: bool = False


@dataclass(frozen=True)
class SessionSheet:
    """A session of the request and its booked people, for the one-click list."""

    session: RequestSession
    has_started: bool
    rows: tuple[SheetRow, ...]


def may_record(user: User, booking_request: BookingRequest) -> bool:
    """Return whether the user may record attendance: the request's own orderer or the council."""
    if user.role == Role.COUNCIL:
        return True
    return user.role == Role.ORDERER and booking_request.orderer_id == user.id


def marks_for(
    *, session: Session, session_ids: Collection[int], member_ids: Collection[int] | None = None
) -> dict[tuple[int, int], str]:
    """Return the recorded marks as {(session id, member id): status}."""
    if not session_ids:
        return {}
    query = select(SessionAttendance).where(
        SessionAttendance.request_session_id.in_(list(session_ids))
    )
    if member_ids is not None:
        query = query.where(SessionAttendance.member_id.in_(list(member_ids)))
    return {(row.request_session_id, row.member_id): row.status for row in session.exec(query)}


def booked_people(*, session: Session, request_id: int) -> list[tuple[Assignment, Member]]:
    """Return the request's markable assignments with their members, by first name.

    A request page reads them once for its attendance list and its needs (``needs_of_booked``).
    """
    return list(session.exec(_booked_people(), params={"request_id": request_id}))


@cache
def _booked_people():
    return (
        select(Assignment, Member)
        .join(Member, Member.id == Assignment.member_id)
        .where(
            Assignment.request_id == bindparam("request_id"),
            Assignment.status.in_(MARKABLE_ASSIGNMENTS),
        )
        .order_by(Member.first_name, Member.id, Assignment.id)
    )


def attendance_sheet(
    *,
    session: Session,
    booking_request: BookingRequest,
    now: datetime,
    full_names: bool = True,
    items: list[RequestSession] | None = None,
    people: list[tuple[Assignment, Member]] | None = None,
) -> list[SessionSheet]:
    """Return each session of the request with its booked people and their marks.

    ``items`` (the sessions in time order) and ``people`` (``booked_people``) when the caller
    has read them.
    """
    if items is None:
        items = list(
            session.exec(
                select(RequestSession)
                .where(RequestSession.request_id == booking_request.id)
                .order_by(RequestSession.starts_at)
            )
        )
    if people is None:
        people = booked_people(session=session, request_id=booking_request.id)
    if not people:
        return []
    marks = marks_for(session=session, session_ids=[item.id for item in items])
    absent = _absences(session, [item.id for item in items])
    return [
        SessionSheet(
            session=item,
            has_started=item.starts_at <= now,
            rows=tuple(
                SheetRow(
                    member_id=member.id,
                    name=member.display_name if full_names else member.first_name,
                    status=marks.get((item.id, member.id), ""),
                    is_absent=(item.id, member.id) in absent,
                )
                for assignment, member in people
                if assignment.stand_in_session_id in (None, item.id)
            ),
        )
        for item in items
    ]


def _absences(session: Session, session_ids: list[int]) -> set[tuple[int, int]]:
    """Return (session id, member id) of the absences reported beforehand."""
    if not session_ids:
        return set()
    query = select(SessionAbsence.request_session_id, SessionAbsence.member_id).where(
        SessionAbsence.request_session_id.in_(session_ids)
    )
    return {(session_id, member_id) for session_id, member_id in session.exec(query)}


def _check_marks(marks: Iterable[Mark], booked: dict[int, Assignment]) -> list[Mark]:
    marks = list(marks)
    errors: dict[str, str] = {}
    if not marks:
        errors["marks"] = N_("Mark at least one person.")
    seen: set[int] = set()
    for index, mark in enumerate(marks):
        if mark.status not in set(AttendanceStatus):
            errors[f"{index}.status"] = N_("Choose attended, no-show or cancelled late.")
        if mark.member_id not in booked:
            errors[f"{index}.member_id"] = N_("This person is not booked on the request.")
        if mark.member_id in seen:
            errors[f"{index}.member_id"] = N_("Each person can be marked once per session.")
        seen.add(mark.member_id)
    if errors:
        raise InvalidInput(N_("Check the attendance."), fields=errors)
    return marks


def record_attendance(
    *,
    session: Session,
    booking_request: BookingRequest,
    session_id: int,
    marks: Iterable[Mark],
    actor: User,
    now: datetime,
) -> list[SessionAttendance]:
    """Record (or correct) attendance for people booked on one started session; audit each."""
    if not may_record(actor, booking_request):
        raise Forbidden(N_("Only the request's contact or the council can record attendance."))
    item = session.get(RequestSession, session_id)
    if item is None or item.request_id != booking_request.id:
        raise NotFound(N_("No such session."))
    if item.starts_at > now:
        raise Conflict(N_("Attendance can be recorded once the session has started."))
    absent = _absences(session, [item.id])
    booked = {
        a.member_id: a
        for a, _ in booked_people(session=session, request_id=booking_request.id)
        if a.stand_in_session_id in (None, item.id) and (item.id, a.member_id) not in absent
    }
    rows = []
    for mark in _check_marks(marks, booked):
        rows.append(_store(session, item, booked[mark.member_id], mark.status, actor, now))
    session.flush()
    for member_id in {mark.member_id for mark in marks}:
        _follow(session, booked[member_id], actor, now)
    session.flush()
    return rows


def _store(session, item, assignment, status, actor, now) -> SessionAttendance:
    row = session.exec(
        select(SessionAttendance).where(
            SessionAttendance.request_session_id == item.id,
            SessionAttendance.member_id == assignment.member_id,
        )
    ).first()
    before = row.status if row else ""
    if row is None:
        row = SessionAttendance(
            request_session_id=item.id,
            assignment_id=assignment.id,
            member_id=assignment.member_id,
            status=status,
        )
    row.status, row.recorded_by_id, row.recorded_at = status, actor.id, now
    session.add(row)
    record_audit(
        session=session,
        actor_id=actor.id,
        action="attendance.recorded",
        subject_type="assignment",
        subject_id=assignment.id,
        detail={"session_id": item.id, "status": str(status), "before": str(before)},
    )
    return row


def _follow(session, assignment: Assignment, actor: User, now) -> None:
    """Move the assignment to no-show when every session was a no-show, and back when corrected."""
    items = [
        (item.id, item.ends_at) for item in covered_sessions(session=session, assignment=assignment)
    ]
    marks = marks_for(
        session=session, session_ids=[i for i, _ in items], member_ids=[assignment.member_id]
    )
    all_no_show = bool(items) and all(
        marks.get((i, assignment.member_id)) == AttendanceStatus.NO_SHOW for i, _ in items
    )
    if all_no_show and assignment.status != AssignmentStatus.NO_SHOW:
        move_assignment(
            session=session, assignment=assignment, to=AssignmentStatus.NO_SHOW, actor_id=actor.id
        )
    elif not all_no_show and assignment.status == AssignmentStatus.NO_SHOW:
        over = all(ends_at <= now for _, ends_at in items)
        target = AssignmentStatus.COMPLETED if over else AssignmentStatus.BOOKED
        move_assignment(session=session, assignment=assignment, to=target, actor_id=actor.id)
