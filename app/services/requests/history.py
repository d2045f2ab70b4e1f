"""What happened to a request: its history, its invitations, and who is coming."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from app.models import (
    Area,
    Assignment,
    BookingRequest,
    Experience,
    Invitation,
    Member,
    RequestArea,
    RequestEvent,
    User,
)
from app.models.enums import AssignmentStatus


def request_history(*, session: Session, request_id: int) -> list[tuple[RequestEvent, User | None]]:
    """Return the request's events, oldest first, with the acting user."""
    query = (
        select(RequestEvent, User)
        .join(User, User.id == RequestEvent.actor_id, isouter=True)
        .where(RequestEvent.request_id == request_id)
        .order_by(RequestEvent.at, RequestEvent.id)
    )
    return list(session.exec(query))


def history_member_names(*, session: Session, events) -> dict[int, str]:
    """Return the names of the members the history lines are about (member_id in the detail)."""
    ids = {(event.detail or {}).get("member_id") for event, _ in events}
    ids = sorted(member_id for member_id in ids if isinstance(member_id, int))
    if not ids:
        return {}
    return {m.id: m.display_name for m in session.exec(select(Member).where(Member.id.in_(ids)))}


def request_invitations(*, session: Session, request_id: int) -> list[tuple[Invitation, Member]]:
    """Return the request's invitations with their members, oldest first."""
    query = (
        select(Invitation, Member)
        .join(Member, Member.id == Invitation.member_id)
        .where(Invitation.request_id == request_id)
        .order_by(Invitation.id)
    )
    return list(session.exec(query))


@dataclass(frozen=True)
class ComingPerson:
    """What an orderer may know of a booked person: first name and relevant experience."""

    first_name: str
    experiences: tuple[tuple[Area, str], ...]


def coming_people(*, session: Session, booking_request: BookingRequest) -> list[ComingPerson]:
    """Return the booked people with only the experience relevant to the request's areas."""
    members = list(
        session.exec(
            select(Member)
            .join(Assignment, Assignment.member_id == Member.id)
            .where(
                Assignment.request_id == booking_request.id,
                Assignment.status == AssignmentStatus.BOOKED,
            )
            .order_by(Member.first_name, Member.id)
        )
    )
    areas = select(RequestArea.area_id).where(RequestArea.request_id == booking_request.id)
    rows = session.exec(
        select(Experience, Area)
        .join(Area, Area.id == Experience.area_id)
        .where(
            Experience.member_id.in_([m.id for m in members] or [0]),
            Experience.area_id.in_(areas),
        )
    )
    by_member: dict[int, list] = {}
    for experience, area in rows:
        by_member.setdefault(experience.member_id, []).append((area, experience.type))
    return [ComingPerson(m.first_name, tuple(by_member.get(m.id, ()))) for m in members]
