"""Write audit events: who read or changed what (names of things, never health data)."""

from __future__ import annotations

from sqlmodel import Session

from app.models import AuditEvent

#: Where a session keeps the read events of its unit of work, to save them if it rolls back.
READS_KEY = "audit_reads"


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


def record_read(
    *,
    session: Session,
    actor_id: int | None,
    action: str,
    subject_type: str,
    subject_id: int | None = None,
    detail: dict | None = None,
) -> AuditEvent:
    """Record that someone saw protected data; the event outlives a rolled-back unit of work.

    The event joins the unit of work like any other; it is also remembered on the session, so
    whoever ends the unit of work without committing it (``app/db.py`` for web requests, on a
    4xx/5xx answer or a failed commit) writes it again in a transaction of its own with
    ``save_reads``. The data was shown either way, so the read must stay on record.
    """
    fields = {
        "actor_id": actor_id,
        "action": action,
        "subject_type": subject_type,
        "subject_id": subject_id,
        "detail": detail or {},
    }
    session.info.setdefault(READS_KEY, []).append(fields)
    return record_audit(session=session, **fields)


def take_reads(session: Session) -> list[dict]:
    """Return and forget the read events recorded in this session's unit of work."""
    return session.info.pop(READS_KEY, [])


def save_reads(session: Session, reads: list[dict]) -> None:
    """Write read events in ``session``'s own transaction and commit it."""
    for fields in reads:
        session.add(AuditEvent(**fields))
    session.commit()
