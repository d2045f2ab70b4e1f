"""What happened to a request: its history (written and read) and its invitations."""

from __future__ import annotations

from functools import cache

from sqlalchemy import bindparam
from sqlmodel import Session, select

from app.models import BookingRequest, Invitation, Member, RequestEvent, User
from app.services.privacy.audit import record_audit


def log_event(
    session: Session,
    booking_request: BookingRequest,
    actor_id: int | None,
    action: str,
    message: str = "",
    **detail,
) -> None:
    """Write one line of the request's history and the matching audit event."""
    session.add(
        RequestEvent(
            request_id=booking_request.id,
            actor_id=actor_id,
            action=action,
            message=message,
            detail=detail,
        )
    )
    record_audit(
        session=session,
        actor_id=actor_id,
        action=f"request.{action}",
        subject_type="booking_request",
        subject_id=booking_request.id,
        detail=detail,
    )


def request_history(*, session: Session, request_id: int) -> list[tuple[RequestEvent, User | None]]:
    """Return the request's events, oldest first, with the acting user."""
    return list(session.exec(_request_history(), params={"request_id": request_id}))


@cache
def _request_history():
    return (
        select(RequestEvent, User)
        .join(User, User.id == RequestEvent.actor_id, isouter=True)
        .where(RequestEvent.request_id == bindparam("request_id"))
        .order_by(RequestEvent.at, RequestEvent.id)
    )


def history_member_names(*, session: Session, events) -> dict[int, str]:
    """Return the names of the members the history lines are about (member_id in the detail)."""
    ids = {(event.detail or {}).get("member_id") for event, _ in events}
    ids = sorted(member_id for member_id in ids if isinstance(member_id, int))
    if not ids:
        return {}
    return {m.id: m.display_name for m in session.exec(select(Member).where(Member.id.in_(ids)))}


def request_invitations(*, session: Session, request_id: int) -> list[tuple[Invitation, Member]]:
    """Return the request's invitations with their members, oldest first."""
    return list(session.exec(_request_invitations(), params={"request_id": request_id}))


@cache
def _request_invitations():
    return (
        select(Invitation, Member)
        .join(Member, Member.id == Invitation.member_id)
        .where(Invitation.request_id == bindparam("request_id"))
        .order_by(Invitation.id)
    )
