"""Declared conflicts of interest (jäv) go to the council, who keeps or replaces the person.

A member declares a conflict when she accepts an invitation (``accept_invitation`` stores the
text on the assignment). The council is mailed at once with a link to the request page, the
conflict waits on the worklist until decided, and the decision (keep or replace, who, when,
a note) is recorded on the assignment and in the request's history. Replacing releases the
person as a time change does (a polite mail with a calendar CANCEL) and starts the
replacement as the request's replacement mode says. A note is required to replace.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache

from sqlalchemy import bindparam
from sqlmodel import Session, select

from app.mail.context import MailContext
from app.mail.outbox import queue_mail
from app.models import Assignment, BookingRequest, Invitation, Member, User
from app.models.enums import AssignmentStatus, ConflictDecision, RequestAction
from app.services.booking.changes import release_holder
from app.services.booking.replacements import start_replacement
from app.services.errors import Conflict, InvalidInput
from app.services.messages import N_
from app.services.requests.history import log_event
from app.services.requests.states import HOLDING_ASSIGNMENTS, move_assignment
from app.services.requests.submission import request_sessions

#: The longest note the council may give with a decision (the column's length).
NOTE_LENGTH = 2000


def tell_council_of_conflict(
    *, session: Session, assignment: Assignment, booking_request: BookingRequest, ctx: MailContext
) -> dict | None:
    """Mail the council that a booked person declared a conflict; the text stays on the page."""
    if not assignment.conflict_declaration.strip():
        return None
    member = session.get(Member, assignment.member_id)
    t = ctx.translate
    return queue_mail(
        session,
        to=ctx.council_mailbox,
        subject=t(N_("Conflict of interest declared: %(title)s"), title=booking_request.title),
        body="\n\n".join(
            [
                t(
                    N_(
                        "%(name)s accepted request no. %(request)s and declared a conflict of "
                        "interest. Read the declaration and decide whether to keep or replace "
                        "the person: %(url)s"
                    ),
                    name=member.display_name if member else "",
                    request=booking_request.id,
                    url=ctx.request_url(booking_request.id) + "#conflicts",
                ),
            ]
        ),
    )


def declared_conflicts(*, session: Session, request_id: int) -> list[tuple[Assignment, Member]]:
    """Return the request's assignments with a declared conflict, with their members."""
    return list(session.exec(_declared_conflicts(), params={"request_id": request_id}))


@cache
def _declared_conflicts():
    return (
        select(Assignment, Member)
        .join(Member, Member.id == Assignment.member_id)
        .where(
            Assignment.request_id == bindparam("request_id"), Assignment.conflict_declaration != ""
        )
        .order_by(Assignment.conflict_declared_at, Assignment.id)
    )


def decide_conflict(
    *,
    session: Session,
    assignment: Assignment,
    decision: str,
    note: str,
    actor: User,
    ctx: MailContext,
    now: datetime,
) -> Assignment:
    """Record the council's keep-or-replace decision; replacing releases the person."""
    note = (note or "").strip()
    _check_decision(assignment, decision, note)
    booking_request = session.get(BookingRequest, assignment.request_id)
    assignment.conflict_decision = decision
    assignment.conflict_decided_at = now
    assignment.conflict_decided_by_id = actor.id
    assignment.conflict_decision_note = note
    session.add(assignment)
    log_event(
        session,
        booking_request,
        actor.id,
        RequestAction.CONFLICT_DECIDED,
        note,
        assignment_id=assignment.id,
        member_id=assignment.member_id,
        decision=decision,
    )
    if decision == ConflictDecision.REPLACE:
        _replace(session, booking_request, assignment, actor, ctx, now)
    session.flush()
    return assignment


def _check_decision(assignment: Assignment, decision: str, note: str) -> None:
    if decision not in set(ConflictDecision):
        raise InvalidInput(
            N_("Choose one of the listed values."),
            {"decision": N_("Choose one of the listed values.")},
        )
    if not assignment.conflict_declaration.strip():
        raise Conflict(N_("This person has declared no conflict of interest."))
    if assignment.conflict_decision:
        raise Conflict(N_("The council has already decided on this conflict of interest."))
    if assignment.status not in HOLDING_ASSIGNMENTS:
        raise Conflict(N_("This person is no longer booked on the request."))
    if decision == ConflictDecision.REPLACE and not note:
        raise InvalidInput(
            N_("Write why the person is replaced."), {"note": N_("Required to replace.")}
        )
    if len(note) > NOTE_LENGTH:
        raise InvalidInput(N_("The note is too long."), {"note": N_("At most 2000 characters.")})


def _replace(session, booking_request, assignment, actor, ctx, now) -> None:
    """Release the person with a polite CANCEL and start finding someone else."""
    member = session.get(Member, assignment.member_id)
    invitation = (
        session.get(Invitation, assignment.invitation_id) if assignment.invitation_id else None
    )
    if invitation is None:
        invitation = session.exec(
            select(Invitation).where(
                Invitation.request_id == assignment.request_id,
                Invitation.member_id == assignment.member_id,
                ~Invitation.is_interest_check,
            )
        ).first()
    if invitation is None:  # booked without an invitation (e.g. imported): no calendar to cancel
        move_assignment(
            session=session, assignment=assignment, to=AssignmentStatus.WITHDRAWN, actor_id=actor.id
        )
        log_event(session, booking_request, actor.id, "member_released", member_id=member.id)
    else:
        _release(session, booking_request, invitation, assignment, member, actor, ctx, now)
    session.flush()
    start_replacement(
        session=session,
        booking_request=booking_request,
        ctx=ctx,
        now=now,
        member_id=member.id,
        reason="conflict_replaced",
        tell_council=False,
    )


def _release(session, booking_request, invitation, assignment, member, actor, ctx, now) -> None:
    release_holder(
        session=session,
        booking_request=booking_request,
        invitation=invitation,
        assignment=assignment,
        member=member,
        ctx=ctx,
        items=request_sessions(session=session, request_id=booking_request.id),
        now=now,
        actor_id=actor.id,
        intro_text=ctx.translate(
            N_(
                "Thank you for telling us about your conflict of interest. The council has "
                "decided that someone else takes this assignment, so you are released from it. "
                "This says nothing about you; we look forward to asking you again."
            )
        ),
    )
