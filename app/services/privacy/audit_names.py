"""Names for the things audit events point at, looked up in one query per kind of thing.

The audit log stores ids (``subject_type``/``subject_id`` and a few ids in ``detail``); a
person reading the log wants names. ``audit_names`` collects every id a page of events mentions
and loads the people, requests, organisations and areas behind them at once (no query per row).

Members' names are shown only to a viewer whose role may see the pool (the council): to anyone
else a member is "a pool member", since being in the pool says something about one's health.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlmodel import Session, select

from app.models import (
    Area,
    Assignment,
    AuditEvent,
    BookingRequest,
    ClaimReceipt,
    CompensationClaim,
    Member,
    Organisation,
    PayoutBatch,
    User,
)


@dataclass
class AuditNames:
    """What a page of events refers to, by id; a missing id was deleted or anonymised."""

    show_members: bool
    users: dict[int, User] = field(default_factory=dict)
    members: dict[int, str] = field(default_factory=dict)
    requests: dict[int, str] = field(default_factory=dict)
    organisations: dict[int, str] = field(default_factory=dict)
    areas: dict[int, Area] = field(default_factory=dict)
    #: assignment id → (member id, request id)
    assignments: dict[int, tuple[int, int]] = field(default_factory=dict)
    #: claim id → (member id, request id)
    claims: dict[int, tuple[int, int]] = field(default_factory=dict)
    #: receipt id → claim id
    receipts: dict[int, int] = field(default_factory=dict)
    batches: dict[int, PayoutBatch] = field(default_factory=dict)

    def member(self, member_id: int | None) -> str | None:
        """Return the member's name when the viewer may see it, else None."""
        if not self.show_members or member_id is None:
            return None
        return self.members.get(member_id)


def _ids(events: Iterable[AuditEvent], subject_type: str) -> set[int]:
    return {e.subject_id for e in events if e.subject_type == subject_type and e.subject_id}


def _detail_ids(events: Iterable[AuditEvent], key: str) -> set[int]:
    found = set()
    for event in events:
        value = (event.detail or {}).get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            found.add(value)
    return found


def _changed_ids(events: Iterable[AuditEvent], key: str) -> set[int]:
    """Ids named in a before/after ``changes`` entry, e.g. an account's organisation."""
    found = set()
    for event in events:
        pair = ((event.detail or {}).get("changes") or {}).get(key) or []
        found |= {value for value in pair if isinstance(value, int)}
    return found


def _by_id(session: Session, model, ids: set[int]) -> dict:
    if not ids:
        return {}
    return {row.id: row for row in session.exec(select(model).where(model.id.in_(ids)))}


def audit_names(*, session: Session, events: list[AuditEvent], show_members: bool) -> AuditNames:
    """Load the names a page of events mentions; members only when ``show_members``."""
    names = AuditNames(show_members=show_members)
    receipts = _by_id(session, ClaimReceipt, _ids(events, "claim_receipt"))
    names.receipts = {rid: row.claim_id for rid, row in receipts.items()}
    claims = _by_id(
        session,
        CompensationClaim,
        _ids(events, "compensation_claim") | set(names.receipts.values()),
    )
    assignment_ids = _ids(events, "assignment") | {c.assignment_id for c in claims.values()}
    assignments = _by_id(session, Assignment, assignment_ids)
    names.assignments = {a.id: (a.member_id, a.request_id) for a in assignments.values()}
    names.claims = {
        c.id: (c.member_id, names.assignments.get(c.assignment_id, (None, None))[1])
        for c in claims.values()
    }
    request_ids = (
        _ids(events, "booking_request")
        | _detail_ids(events, "request_id")
        | {request_id for _member, request_id in names.assignments.values()}
    )
    names.requests = {r.id: r.title for r in _by_id(session, BookingRequest, request_ids).values()}
    names.users = _by_id(session, User, _ids(events, "user"))
    organisation_ids = _ids(events, "organisation") | _changed_ids(events, "organisation_id")
    organisation_ids |= {u.organisation_id for u in names.users.values() if u.organisation_id}
    names.organisations = {
        o.id: o.name for o in _by_id(session, Organisation, organisation_ids).values()
    }
    names.areas = _by_id(session, Area, _ids(events, "area"))
    names.batches = _by_id(session, PayoutBatch, _ids(events, "payout_batch"))
    if show_members:
        member_ids = (
            _ids(events, "member")
            | _detail_ids(events, "member_id")
            | {member_id for member_id, _request in names.assignments.values()}
            | {member_id for member_id, _request in names.claims.values()}
        )
        names.members = {m.id: m.display_name for m in _by_id(session, Member, member_ids).values()}
    return names
