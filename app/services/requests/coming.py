"""Who is coming to a request, as far as the orderer may know them."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from sqlalchemy import bindparam
from sqlmodel import Session, select

from app.models import (
    Area,
    Assignment,
    BookingRequest,
    Experience,
    Member,
    RequestArea,
    RequestSession,
)
from app.services.journey.coverage import covers
from app.services.requests.states import WORK_ASSIGNMENTS
from app.services.requests.submission import request_sessions


@dataclass(frozen=True)
class ComingPerson:
    """What an orderer may know of a booked person: first name and relevant experience."""

    first_name: str
    experiences: tuple[tuple[Area, str], ...]


def orderer_name(member: Member) -> str:
    """Return the name an orderer may know a member by: the first name only."""
    return member.first_name


def coming_people(*, session: Session, booking_request: BookingRequest) -> list[ComingPerson]:
    """Return the people booked (or done) with only the experience relevant to its areas."""
    request_id = {"request_id": booking_request.id}
    members = list(session.exec(_coming_members(), params=request_id))
    if not members:
        return []
    rows = session.exec(
        _relevant_experience(), params={**request_id, "member_ids": [m.id for m in members]}
    )
    by_member: dict[int, list] = {}
    for experience, area in rows:
        by_member.setdefault(experience.member_id, []).append((area, experience.type))
    return [ComingPerson(orderer_name(m), tuple(by_member.get(m.id, ()))) for m in members]


@cache
def _coming_members():
    return (
        select(Member)
        .join(Assignment, Assignment.member_id == Member.id)
        .where(
            Assignment.request_id == bindparam("request_id"),
            Assignment.status.in_(WORK_ASSIGNMENTS),
        )
        .order_by(Member.first_name, Member.id)
    )


@cache
def _relevant_experience():
    areas = select(RequestArea.area_id).where(RequestArea.request_id == bindparam("request_id"))
    return (
        select(Experience, Area)
        .join(Area, Area.id == Experience.area_id)
        .where(
            Experience.member_id.in_(bindparam("member_ids", expanding=True)),
            Experience.area_id.in_(areas),
        )
    )


@dataclass(frozen=True)
class MeetingComing:
    """Who is coming to one meeting, by first name; ``stand_ins`` come for that meeting only."""

    meeting: RequestSession
    names: tuple[str, ...]
    stand_ins: tuple[str, ...]


def coming_by_meeting(
    *,
    session: Session,
    booking_request: BookingRequest,
    meetings: list[RequestSession] | None = None,
) -> list[MeetingComing]:
    """Return per meeting the first names of the people it is covered by, stand-ins marked.

    Someone who said she cannot come to a meeting is left out of it (``coverage.covers``).
    ``meetings`` are the request's sessions in time order when the caller has read them.
    """
    rows = session.exec(_coming_by_meeting(), params={"request_id": booking_request.id})
    by_meeting: dict[int, tuple[list[str], list[str]]] = {}
    for meeting, assignment, member in rows:
        names = by_meeting.setdefault(meeting.id, ([], []))
        names[assignment.stand_in_session_id is not None].append(orderer_name(member))
    if meetings is None:
        meetings = request_sessions(session=session, request_id=booking_request.id)
    return [
        MeetingComing(
            m, tuple(by_meeting.get(m.id, ([], []))[0]), tuple(by_meeting.get(m.id, ([], []))[1])
        )
        for m in meetings
    ]


@cache
def _coming_by_meeting():
    return (
        select(RequestSession, Assignment, Member)
        .select_from(RequestSession)
        .join(Assignment, covers(Assignment, RequestSession))
        .join(Member, Member.id == Assignment.member_id)
        .where(
            RequestSession.request_id == bindparam("request_id"),
            Assignment.status.in_(WORK_ASSIGNMENTS),
        )
        .order_by(RequestSession.starts_at, Member.first_name, Member.id)
    )
