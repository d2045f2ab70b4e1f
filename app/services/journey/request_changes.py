"""Changes to an approved request go through the council (issue 19, docs/journey.md).

The orderer proposes a change (a ``RequestChange``: ``{field: [old, new]}`` and a reason);
the council is told and sees the change in words with the bookings it affects: everyone
invited or booked is checked against the new criteria with the matching rules the proposal
uses. Approving applies the change; each person still holding the request gets an update
saying what changed, and each person the change makes ineligible is released with thanks
(invitation or booking withdrawn, calendar CANCEL) and her place goes to replacement
(``start_replacement``) — never silently dropped. Rejecting tells the orderer why. Session
times are not part of a change: they have their own move flow (``booking/changes.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

from sqlalchemy import bindparam
from sqlmodel import Session, select

from app.mail.context import MailContext
from app.mail.outbox import queue_mail
from app.models import (
    Area,
    Assignment,
    BookingRequest,
    Invitation,
    Member,
    RequestChange,
    RequestEvent,
    RequestSession,
    User,
)
from app.models.enums import (
    AssignmentStatus,
    ChangeStatus,
    InvitationStatus,
    RequestAction,
    Role,
)
from app.services.booking.changes import request_holders
from app.services.booking.guard import lock_members
from app.services.booking.invitation_mail import queue_invitation_mail
from app.services.booking.replacements import start_replacement
from app.services.errors import Conflict, Forbidden, InvalidInput
from app.services.journey.orderer_mail import orderer_recipient, with_greeting
from app.services.journey.request_edits import check_orderer
from app.services.journey.request_fields import (
    apply_values,
    change_lines,
    differences,
    input_values,
    stored_values,
)
from app.services.matchmaking.proposals import current_exclusions
from app.services.messages import N_
from app.services.requests.history import log_event
from app.services.requests.states import LIVE_REQUEST_STATES, move_assignment
from app.services.requests.submission import (
    RequestInput,
    request_sessions,
    validate_request_input,
)

#: Matching rules a change of the request's criteria can break for a person already chosen.
CRITERIA_RULES = (
    "no_area",
    "wrong_experience_type",
    "assignment_type",
    "format",
    "language",
    "age_range",
)


@dataclass(frozen=True)
class AffectedPerson:
    """Someone invited or booked, and the rule the change would break for her (None: none)."""

    member: Member
    invitation: Invitation
    assignment: Assignment | None
    rule: str | None


@dataclass
class ChangeOutcome:
    """A decided change: who was released, and who got the update."""

    change: RequestChange
    released: list[Member] = field(default_factory=list)
    updated: list[Member] = field(default_factory=list)


def is_changeable(booking_request: BookingRequest) -> bool:
    """Return whether changes to the request go through the council (approved or booked)."""
    return booking_request.status in LIVE_REQUEST_STATES


def pending_change(*, session: Session, request_id: int) -> RequestChange | None:
    """Return the request's change waiting for the council, if any."""
    query = select(RequestChange).where(
        RequestChange.request_id == request_id, RequestChange.status == ChangeStatus.PENDING
    )
    return session.exec(query.order_by(RequestChange.id.desc())).first()


def request_changes(*, session: Session, request_id: int) -> list[RequestChange]:
    """Return the request's proposed changes, newest first."""
    return list(session.exec(_request_changes(), params={"request_id": request_id}))


@cache
def _request_changes():
    query = select(RequestChange).where(RequestChange.request_id == bindparam("request_id"))
    return query.order_by(RequestChange.id.desc())


@dataclass(frozen=True)
class ChangesOverview:
    """A request page's changes: all of them newest first, the waiting one, who was released."""

    changes: list[RequestChange]
    pending: RequestChange | None
    released: dict[int, int]


def changes_overview(*, session: Session, request_id: int) -> ChangesOverview:
    """Return the request's changes with the waiting one and the released counts.

    The waiting change is taken from the list (what ``pending_change`` returns), and the
    released counts are read only when a change was approved (only approval releases anyone).
    """
    changes = request_changes(session=session, request_id=request_id)
    pending = next((change for change in changes if change.status == ChangeStatus.PENDING), None)
    approved = any(change.status == ChangeStatus.APPROVED for change in changes)
    released = released_counts(session=session, request_id=request_id) if approved else {}
    return ChangesOverview(changes, pending, released)


def released_counts(*, session: Session, request_id: int) -> dict[int, int]:
    """Return change id → how many people its approval released (no one named)."""
    query = select(RequestEvent).where(
        RequestEvent.request_id == request_id,
        RequestEvent.action == RequestAction.CHANGE_APPROVED,
    )
    counts = {}
    for event in session.exec(query):
        detail = event.detail or {}
        counts[detail.get("change_id")] = len(detail.get("released") or [])
    return counts


def propose_change(
    *,
    session: Session,
    booking_request: BookingRequest,
    data: RequestInput,
    reason: str,
    actor: User,
    ctx: MailContext,
    now: datetime,
) -> RequestChange:
    """Store the orderer's change to an approved request and tell the council."""
    check_orderer(booking_request, actor)
    if not is_changeable(booking_request):
        raise Conflict(N_("This request cannot take that step in its current state."))
    if pending_change(session=session, request_id=booking_request.id) is not None:
        raise Conflict(N_("A change already waits for the council; wait for its decision."))
    errors = validate_request_input(session=session, data=data, now=now)
    errors.pop("sessions", None)  # times have their own flow; past meetings are no error here
    if not reason.strip():
        errors["reason"] = N_("Say why the request should change.")
    if errors:
        raise InvalidInput(N_("The request has errors."), errors)
    changes = differences(
        stored_values(session=session, booking_request=booking_request), input_values(data)
    )
    if not changes:
        raise InvalidInput(N_("Nothing was changed."), {"title": N_("Nothing was changed.")})
    change = RequestChange(
        request_id=booking_request.id,
        proposed_by_id=actor.id,
        proposed_at=now,
        changes=changes,
        reason=reason.strip(),
    )
    session.add(change)
    session.flush()
    log_event(
        session,
        booking_request,
        actor.id,
        RequestAction.CHANGE_PROPOSED,
        reason.strip(),
        change_id=change.id,
        fields=sorted(changes),
    )
    _tell_council(session, booking_request, change, ctx)
    session.flush()
    return change


def _tell_council(session, booking_request, change: RequestChange, ctx: MailContext) -> None:
    t = ctx.translate
    lines = change_lines(session=session, changes=change.changes, translate=t, locale=ctx.locale)
    queue_mail(
        session,
        to=ctx.council_mailbox,
        subject=t(N_("Change proposed: %(title)s"), title=booking_request.title),
        body="\n\n".join(
            [
                t(
                    N_("The orderer proposes a change to request no. %(request)s."),
                    request=booking_request.id,
                ),
                "\n".join(lines),
                t(N_("Reason: %(reason)s"), reason=change.reason),
                t(
                    N_("See who it affects and decide here: %(url)s"),
                    url=ctx.request_url(booking_request.id),
                ),
            ]
        ),
    )


def affected_people(
    *, session: Session, booking_request: BookingRequest, change: RequestChange
) -> list[AffectedPerson]:
    """Return everyone invited or booked, each with the rule the change would break for her."""
    holders = request_holders(session=session, request_id=booking_request.id)
    if not holders:
        return []
    ids = [invitation.member_id for invitation, _ in holders]
    overrides = _engine_overrides(session, booking_request, change.changes)
    new = (
        current_exclusions(
            session=session, booking_request=booking_request, member_ids=ids, changed=overrides
        )
        if overrides
        else {}
    )
    old = current_exclusions(session=session, booking_request=booking_request, member_ids=ids)
    members = {m.id: m for m in session.exec(select(Member).where(Member.id.in_(ids)))}
    return [
        AffectedPerson(
            member=members[invitation.member_id],
            invitation=invitation,
            assignment=assignment,
            rule=_broken(new.get(invitation.member_id), old.get(invitation.member_id)),
        )
        for invitation, assignment in holders
    ]


def _broken(new_rule: str | None, old_rule: str | None) -> str | None:
    """Return the rule the change breaks: a criteria rule that did not already exclude her."""
    return new_rule if new_rule in CRITERIA_RULES and new_rule != old_rule else None


def _engine_overrides(session: Session, booking_request: BookingRequest, changes: dict) -> dict:
    """Return the matching request's fields as the change would make them."""
    simple = {"language": "language", "format": "format", "experience": "experience"}
    out = {engine: changes[name][1] for name, engine in simple.items() if name in changes}
    if "assignment_type" in changes:
        out["type"] = changes["assignment_type"][1]
    if "age_min" in changes or "age_max" in changes:
        low = changes.get("age_min", [None, booking_request.age_min])[1]
        high = changes.get("age_max", [None, booking_request.age_max])[1]
        no_range = low is None and high is None
        out["age_range"] = None if no_range else (low or 0, high or 150)
    if "area_ids" in changes:
        ids = [int(i) for i in changes["area_ids"][1]]
        codes = session.exec(select(Area.code).where(Area.id.in_(ids)).order_by(Area.code))
        out["areas"] = tuple(codes)
    return out


def _check_decision(session: Session, change: RequestChange, actor: User) -> BookingRequest:
    if actor.role != Role.COUNCIL:
        raise Forbidden(N_("Only the council decides on changes."))
    if change.status != ChangeStatus.PENDING:
        raise Conflict(N_("This change has already been decided."))
    booking_request = session.get(BookingRequest, change.request_id)
    if not is_changeable(booking_request):
        raise Conflict(N_("This request cannot take that step in its current state."))
    return booking_request


def approve_change(
    *,
    session: Session,
    change: RequestChange,
    actor: User,
    ctx: MailContext,
    now: datetime,
) -> ChangeOutcome:
    """Apply a change: update everyone still matching, release and replace the rest."""
    booking_request = _check_decision(session, change, actor)
    people = affected_people(session=session, booking_request=booking_request, change=change)
    lock_members(session=session, member_ids=[p.member.id for p in people])
    apply_values(session=session, booking_request=booking_request, changes=change.changes)
    items = request_sessions(session=session, request_id=booking_request.id)
    _raise_sequences(session, items)
    t = ctx.translate
    lines = change_lines(session=session, changes=change.changes, translate=t, locale=ctx.locale)
    outcome = ChangeOutcome(change)
    for person in people:
        if person.rule is None:
            _queue_update(session, booking_request, person, items, lines, ctx, now)
            outcome.updated.append(person.member)
        else:
            _release(session, booking_request, person, items, ctx, now, actor)
            outcome.released.append(person.member)
    _decide(change, ChangeStatus.APPROVED, actor, now, "")
    session.add(change)
    log_event(
        session,
        booking_request,
        actor.id,
        RequestAction.CHANGE_APPROVED,
        change_id=change.id,
        fields=sorted(change.changes),
        released=[member.id for member in outcome.released],
    )
    _tell_orderer_approved(session, booking_request, lines, len(outcome.released), ctx)
    for member in outcome.released:
        start_replacement(
            session=session,
            booking_request=booking_request,
            ctx=ctx,
            now=now,
            member_id=member.id,
            reason="request_changed",
        )
    session.flush()
    return outcome


def _raise_sequences(session: Session, items: list[RequestSession]) -> None:
    """Every calendar copy is updated (place, link or title may have changed): SEQUENCE + 1."""
    for item in items:
        item.sequence += 1
        session.add(item)
    session.flush()


def _queue_update(session, booking_request, person, items, lines, ctx, now) -> None:
    t = ctx.translate
    intro = "\n".join([t(N_("The request has changed. What is new:")), *lines])
    queue_invitation_mail(
        session=session,
        ctx=ctx,
        booking_request=booking_request,
        invitation=person.invitation,
        member=person.member,
        items=items,
        now=now,
        intro_text=intro,
    )


def _release(session, booking_request, person, items, ctx, now, actor) -> None:
    """Withdraw someone the change makes ineligible and send her a calendar cancellation."""
    person.invitation.status = InvitationStatus.WITHDRAWN
    session.add(person.invitation)
    if person.assignment is not None:
        move_assignment(
            session=session,
            assignment=person.assignment,
            to=AssignmentStatus.WITHDRAWN,
            actor_id=actor.id,
            reason="request_changed",
        )
    queue_invitation_mail(
        session=session,
        ctx=ctx,
        booking_request=booking_request,
        invitation=person.invitation,
        member=person.member,
        items=items,
        now=now,
        method="CANCEL",
        intro_text=ctx.translate(
            N_(
                "The orderer has changed the assignment and it no longer matches what you "
                "offer, so you are released from it. Thank you for saying yes; we will "
                "gladly ask you again."
            )
        ),
    )


def _decide(change: RequestChange, status: str, actor: User, now: datetime, note: str) -> None:
    change.status = status
    change.decided_at = now
    change.decided_by_id = actor.id
    change.decision_note = note


def _tell_orderer_approved(session, booking_request, lines, released: int, ctx) -> None:
    address, name = orderer_recipient(session=session, booking_request=booking_request)
    if not address:
        return
    t = ctx.translate
    parts = [t(N_("The council has approved your change.")), "\n".join(lines)]
    if released:
        parts.append(
            t(
                N_(
                    "Booked people who no longer match the changed request: %(count)s. "
                    "The council finds replacements."
                ),
                count=released,
            )
        )
    queue_mail(
        session,
        to=address,
        subject=t(N_("News about your request: %(title)s"), title=booking_request.title),
        body=with_greeting(ctx, name, "\n\n".join(parts)),
    )


def reject_change(
    *,
    session: Session,
    change: RequestChange,
    note: str,
    actor: User,
    ctx: MailContext,
    now: datetime,
) -> RequestChange:
    """Refuse a change with a note the orderer gets; the request stays as it was."""
    booking_request = _check_decision(session, change, actor)
    if not note.strip():
        raise InvalidInput(N_("Write a message to the orderer."), {"note": N_("Required.")})
    _decide(change, ChangeStatus.REJECTED, actor, now, note.strip())
    session.add(change)
    log_event(
        session,
        booking_request,
        actor.id,
        RequestAction.CHANGE_REJECTED,
        note.strip(),
        change_id=change.id,
    )
    address, name = orderer_recipient(session=session, booking_request=booking_request)
    if address:
        t = ctx.translate
        body = "\n\n".join([t(N_("The council did not approve your change.")), note.strip()])
        queue_mail(
            session,
            to=address,
            subject=t(N_("News about your request: %(title)s"), title=booking_request.title),
            body=with_greeting(ctx, name, body),
        )
    session.flush()
    return change


def close_pending_change(
    *, session: Session, booking_request: BookingRequest, actor: User, now: datetime
) -> None:
    """Close a change still waiting when the request is cancelled (nothing left to change)."""
    change = pending_change(session=session, request_id=booking_request.id)
    if change is not None:
        _decide(change, ChangeStatus.REJECTED, actor, now, "")
        session.add(change)
