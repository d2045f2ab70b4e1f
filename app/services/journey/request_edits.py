"""The orderer edits a request the council has not approved yet (issue 19, docs/journey.md).

While a request is submitted or sent back with a question, nobody is invited, so the orderer
may change everything she stated, session times included. The edit is checked by the same
rules as a new request, recorded as ``edited`` with the changed fields, and the council's next
look ranks the pool again: proposals are computed from the live request, and a stored
proposal not yet approved is marked superseded.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import Session, select

from app.models import BookingRequest, Proposal, RequestSession, User
from app.models.enums import ProposalStatus, RequestAction, RequestStatus, Role
from app.services.errors import Conflict, Forbidden, InvalidInput
from app.services.journey.request_fields import (
    apply_values,
    differences,
    input_values,
    stored_values,
)
from app.services.messages import N_
from app.services.requests.history import log_event
from app.services.requests.submission import (
    RequestInput,
    SessionInput,
    request_sessions,
    validate_request_input,
)

#: Requests the orderer may still edit herself: not yet approved by the council.
EDITABLE_STATES = (RequestStatus.SUBMITTED, RequestStatus.QUESTION)


def check_orderer(booking_request: BookingRequest, actor: User) -> None:
    """Refuse anyone but an orderer of the request's organisation."""
    if actor.role != Role.ORDERER or actor.organisation_id != booking_request.organisation_id:
        raise Forbidden(N_("Only the ordering organisation can change the request."))


def is_editable(booking_request: BookingRequest) -> bool:
    """Return whether the orderer may still edit the request herself."""
    return booking_request.status in EDITABLE_STATES


def edit_request(
    *,
    session: Session,
    booking_request: BookingRequest,
    data: RequestInput,
    actor: User,
    now: datetime,
) -> dict[str, list]:
    """Apply the orderer's edit to an unapproved request; return ``{field: [old, new]}``."""
    check_orderer(booking_request, actor)
    if not is_editable(booking_request):
        raise Conflict(N_("The council has approved the request: propose a change instead."))
    errors = validate_request_input(session=session, data=data, now=now)
    if errors:
        raise InvalidInput(N_("The request has errors."), errors)
    changes = differences(
        stored_values(session=session, booking_request=booking_request), input_values(data)
    )
    before = _session_values(request_sessions(session=session, request_id=booking_request.id))
    after = [[s.starts_at.isoformat(), s.ends_at.isoformat()] for s in _ordered(data.sessions)]
    if _normalised(before) != _normalised(after):
        changes["sessions"] = [before, after]
    if not changes:
        return {}
    apply_values(session=session, booking_request=booking_request, changes=changes)
    if "sessions" in changes:
        _replace_sessions(session, booking_request, _ordered(data.sessions))
    _supersede_open_proposals(session, booking_request.id)
    log_event(session, booking_request, actor.id, RequestAction.EDITED, changes=changes)
    session.flush()
    return changes


def _ordered(sessions: list[SessionInput]) -> list[SessionInput]:
    return sorted(sessions, key=lambda item: item.starts_at)


def _session_values(items: list[RequestSession]) -> list[list[str]]:
    return [[item.starts_at.isoformat(), item.ends_at.isoformat()] for item in items]


def _normalised(values: list[list[str]]) -> list[tuple[datetime, datetime]]:
    """Compare instants, not spellings (a stored UTC time and a local one are equal)."""
    return [(datetime.fromisoformat(a), datetime.fromisoformat(b)) for a, b in values]


def _replace_sessions(session: Session, booking_request: BookingRequest, wanted) -> None:
    """Give the request the wanted sessions, keeping each kept row's calendar UID."""
    rows = request_sessions(session=session, request_id=booking_request.id)
    for row, item in zip(rows, wanted, strict=False):
        if (row.starts_at, row.ends_at) != (item.starts_at, item.ends_at):
            row.starts_at, row.ends_at = item.starts_at, item.ends_at
            row.sequence += 1
            session.add(row)
    for row in rows[len(wanted) :]:
        session.delete(row)
    for item in wanted[len(rows) :]:
        session.add(
            RequestSession(
                request_id=booking_request.id,
                starts_at=item.starts_at,
                ends_at=item.ends_at,
                ical_uid=f"{uuid.uuid4()}@levande-bibliotek",
            )
        )
    session.flush()


def _supersede_open_proposals(session: Session, request_id: int) -> None:
    """Mark stored proposals not yet approved as superseded: the next look ranks again."""
    query = select(Proposal).where(
        Proposal.request_id == request_id, Proposal.status == ProposalStatus.PROPOSED
    )
    for proposal in session.exec(query):
        proposal.status = ProposalStatus.SUPERSEDED
        session.add(proposal)
