"""Write audit events: who read or changed what (names of things, never health data)."""

from __future__ import annotations

from sqlmodel import Session

from app.models import AuditEvent


def record_audit(
    *,
    session: Session,
    actor_id: int | None,
    action: str,
    subject_type: str,
    subject_id: int | None = None,
    detail: dict | None = None,
) -> AuditEvent:
    """Add an audit event to the session (committed with the rest of the unit of work)."""
    event = AuditEvent(
        actor_id=actor_id,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        detail=detail or {},
    )
    session.add(event)
    return event
