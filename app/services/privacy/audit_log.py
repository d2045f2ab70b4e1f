"""Searching and exporting the audit log (for the council and the administrator)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_
from sqlmodel import Session, select

from app.models import AuditEvent, User
from app.services.exports import csv_text

#: This many events are shown on a page; the export has them all.
PAGE_SIZE = 50
CSV_HEADER = ["at", "actor", "action", "subject_type", "subject_id", "detail"]


@dataclass(frozen=True)
class AuditFilters:
    """What to look for; empty fields match everything. Dates are local calendar days."""

    #: Part of the acting person's name or email.
    actor: str = ""
    action: str = ""
    subject_type: str = ""
    subject_id: int | None = None
    since: date | None = None
    until: date | None = None


def _query(filters: AuditFilters, zone: ZoneInfo):
    query = select(AuditEvent, User).join(User, User.id == AuditEvent.actor_id, isouter=True)
    if text := filters.actor.strip():
        query = query.where(
            or_(
                User.email.contains(text.lower(), autoescape=True),
                func.lower(User.full_name).contains(text.lower(), autoescape=True),
                User.full_name.contains(text, autoescape=True),
            )
        )
    if filters.action:
        query = query.where(AuditEvent.action.startswith(filters.action.strip(), autoescape=True))
    if filters.subject_type:
        query = query.where(AuditEvent.subject_type == filters.subject_type)
    if filters.subject_id is not None:
        query = query.where(AuditEvent.subject_id == filters.subject_id)
    if filters.since:
        query = query.where(AuditEvent.at >= datetime.combine(filters.since, time(), tzinfo=zone))
    if filters.until:
        end = datetime.combine(filters.until + timedelta(days=1), time(), tzinfo=zone)
        query = query.where(AuditEvent.at < end)
    return query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())


def search_audit(
    *,
    session: Session,
    filters: AuditFilters,
    zone: ZoneInfo,
    limit: int | None = PAGE_SIZE,
    offset: int = 0,
) -> list[tuple[AuditEvent, User | None]]:
    """Return matching events with their actors, newest first (at most ``limit``)."""
    query = _query(filters, zone)
    if limit is not None:
        query = query.limit(limit).offset(offset)
    return list(session.exec(query))


def count_audit(*, session: Session, filters: AuditFilters, zone: ZoneInfo) -> int:
    """Return how many events match (for the page count)."""
    query = _query(filters, zone).order_by(None).subquery()
    return session.exec(select(func.count()).select_from(query)).one()


def audit_csv(rows: list[tuple[AuditEvent, User | None]], zone: ZoneInfo) -> str:
    """Return events as CSV (semicolon-separated, local times) for a spreadsheet."""
    body = (
        (
            event.at.astimezone(zone).isoformat(timespec="seconds"),
            actor.email if actor else "system",
            event.action,
            event.subject_type,
            event.subject_id,
            json.dumps(event.detail, ensure_ascii=False, sort_keys=True),
        )
        for event, actor in rows
    )
    return csv_text([CSV_HEADER, *body])
