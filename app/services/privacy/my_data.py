"""Everything stored about a member, as one JSON-ready document (GDPR right of access)."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlmodel import Session, select

from app.models import AuditEvent, Invitation, Member, TrainingBooking, TrainingEvent, User
from app.models.enums import AssignmentStatus
from app.services.booking.member_bookings import booked_sessions
from app.services.pool.availability import member_periods, member_windows
from app.services.pool.profile import member_experiences

#: Secrets and internal keys never leave in the export.
_LEFT_OUT = {"calendar_token", "password_hash", "session_token"}


def _plain(value):
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return value


def _row(row, fields: list[str] | None = None) -> dict:
    data = row.model_dump()
    return {
        k: _plain(v)
        for k, v in data.items()
        if k not in _LEFT_OUT and (fields is None or k in fields)
    }


def export_member_data(*, session: Session, member: Member) -> dict:
    """Return the member's profile, account, experiences, availability, assignments, training, log."""
    user = session.get(User, member.user_id) if member.user_id else None
    return {
        "profile": _row(member),
        "account": _row(
            user, ["email", "role", "full_name", "locale", "created_at", "last_login_at"]
        )
        if user
        else None,
        "experiences": [
            {"area": area.code, "area_name": area.name_en, "type": exp.type, "note": exp.note}
            for exp, area in member_experiences(session=session, member_id=member.id)
        ],
        "weekly_windows": [_row(w) for w in member_windows(session=session, member_id=member.id)],
        "periods": [_row(p) for p in member_periods(session=session, member_id=member.id)],
        "assignments": _assignments(session, member),
        "invitations": [
            _row(i, ["request_id", "status", "sent_at", "responded_at", "response_message"])
            for i in session.exec(select(Invitation).where(Invitation.member_id == member.id))
        ],
        "training_events": _training(session, member),
        "audit_log": [
            _row(e, ["at", "action", "subject_type", "subject_id"])
            for e in session.exec(
                select(AuditEvent)
                .where(AuditEvent.subject_type == "member", AuditEvent.subject_id == member.id)
                .order_by(AuditEvent.at)
            )
        ],
    }


def _training(session: Session, member: Member) -> list[dict]:
    rows = session.exec(
        select(TrainingBooking, TrainingEvent)
        .join(TrainingEvent, TrainingEvent.id == TrainingBooking.event_id)
        .where(TrainingBooking.member_id == member.id)
        .order_by(TrainingEvent.starts_at)
    )
    return [
        {
            "event": event.title,
            "kind": event.kind,
            "starts_at": _plain(event.starts_at),
            "status": booking.status,
            "attendance": booking.attendance,
        }
        for booking, event in rows
    ]


def _assignments(session: Session, member: Member) -> list[dict]:
    rows = booked_sessions(session=session, member_id=member.id, statuses=list(AssignmentStatus))
    return [
        {
            "request": row.request.title,
            "status": row.assignment.status,
            "starts_at": _plain(row.item.starts_at),
            "ends_at": _plain(row.item.ends_at),
        }
        for row in rows
    ]
