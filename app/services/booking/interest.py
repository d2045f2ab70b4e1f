"""Asking for interest first: the top ranked people answer "are you interested?" before a group.

The council asks the N best ranked eligible people (the proposal's ranking) with a reply
deadline; people whose availability is unknown (no weekly window, e.g. imported from a register)
may be asked too, flagged, since the question lists the times (docs/matching.md). The request is then in ``RequestStatus.INTEREST``. Answers are not bookings: no
member is claimed, no agreement is signed, nothing holds anyone's time. When everyone has
answered or the deadline has passed the round is closed and the council is told how many said
yes; the proposal it decides on is then the matching engine's choice among the yes-sayers
(``proposals.decision_proposal``), approved and invited as usual. With too few yes-sayers the
council asks more people, approves fewer, or ends the round and uses the regular proposal.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlmodel import Session, func, select

from app import clock
from app.mail.context import MailContext
from app.mail.outbox import queue_mail
from app.models import BookingRequest, Invitation, Member, User
from app.models.base import utcnow
from app.models.enums import InvitationStatus, RequestAction, RequestStatus
from app.services.booking.guard import lock_request
from app.services.booking.invitation_mail import member_address
from app.services.booking.invitations import invitation_by_token
from app.services.errors import Conflict, InvalidInput
from app.services.matchmaking.proposals import compute_proposal, eligible_ids, interested_member_ids
from app.services.messages import N_
from app.services.requests.history import log_event
from app.services.requests.states import check_request_step, move_request
from app.services.requests.submission import request_sessions

#: At most this many people per round (the proposal ranks the best 20).
MAX_ASKED = 20


def ask_for_interest(
    *,
    session: Session,
    booking_request: BookingRequest,
    count: int,
    deadline: datetime,
    actor: User,
    ctx: MailContext | None = None,
    now: datetime | None = None,
) -> list[Invitation]:
    """Ask the next ``count`` ranked eligible people whether they are interested (no booking)."""
    now, ctx = now or utcnow(), ctx or MailContext()
    check_request_step(booking_request, RequestAction.INTEREST_ASKED)
    items = request_sessions(session=session, request_id=booking_request.id)
    _check_question(count, deadline, items, now)
    view = compute_proposal(session=session, booking_request=booking_request, interest_round=True)
    asked = set(_asked_ids(session, booking_request.id))
    chosen = [m for m in eligible_ids(view.proposal) if m not in asked][:count]
    if not chosen:
        raise Conflict(N_("Nobody else in the ranking can be asked."))
    invitations = []
    for member_id in chosen:
        invitation = Invitation(
            request_id=booking_request.id,
            member_id=member_id,
            token=secrets.token_urlsafe(32),
            is_interest_check=True,
            sent_at=now,
            reply_deadline_at=deadline,
        )
        session.add(invitation)
        invitations.append(invitation)
    session.flush()
    for invitation in invitations:
        member = session.get(Member, invitation.member_id)
        _queue_question(session, ctx, booking_request, invitation, member, items)
    move_request(
        session=session,
        booking_request=booking_request,
        action=RequestAction.INTEREST_ASKED,
        actor_id=actor.id,
        now=now,
        member_ids=chosen,
        deadline=deadline.isoformat(),
    )
    session.flush()
    return invitations


def _check_question(count: int, deadline: datetime, items, now: datetime) -> None:
    errors = {}
    if not 1 <= count <= MAX_ASKED:
        errors["count"] = N_("Ask between 1 and 20 people.")
    if deadline <= now:
        errors["deadline"] = N_("The deadline must lie in the future.")
    elif items and deadline >= items[0].starts_at:
        errors["deadline"] = N_("The deadline must be before the first session.")
    if errors:
        raise InvalidInput(N_("The question about interest has errors."), errors)


def _asked_ids(session: Session, request_id: int) -> list[int]:
    query = select(Invitation.member_id).where(
        Invitation.request_id == request_id, Invitation.is_interest_check
    )
    return list(session.exec(query))


def answer_interest(
    *,
    session: Session,
    token: str,
    interested: bool,
    ctx: MailContext | None = None,
    now: datetime | None = None,
) -> Invitation:
    """Record a yes or no; the last answer of a round closes it and tells the council."""
    now, ctx = now or utcnow(), ctx or MailContext()
    invitation = invitation_by_token(session=session, token=token)
    if not invitation.is_interest_check:
        raise Conflict(N_("This link is an invitation; answer it with accept or decline."))
    # One answer at a time per request, so exactly one of them sees the round complete.
    booking_request = lock_request(session=session, request_id=invitation.request_id)
    session.refresh(invitation)
    if invitation.status != InvitationStatus.PENDING:
        raise Conflict(N_("You have already answered."))
    if booking_request.status != RequestStatus.INTEREST:
        raise Conflict(N_("This request is no longer asking for interest."))
    if invitation.reply_deadline_at is not None and invitation.reply_deadline_at < now:
        raise Conflict(N_("The time to answer has run out."))
    invitation.status = InvitationStatus.ACCEPTED if interested else InvitationStatus.DECLINED
    invitation.responded_at = now
    session.add(invitation)
    action = "interest_yes" if interested else "interest_no"
    log_event(session, booking_request, None, action, member_id=invitation.member_id)
    session.flush()
    close_interest_round_if_done(session=session, booking_request=booking_request, ctx=ctx, now=now)
    return invitation


def pending_interest(*, session: Session, request_id: int, now: datetime | None = None) -> int:
    """Return how many interest questions still wait for an answer (before ``now``'s deadline)."""
    query = select(func.count(Invitation.id)).where(
        Invitation.request_id == request_id,
        Invitation.is_interest_check,
        Invitation.status == InvitationStatus.PENDING,
    )
    if now is not None:
        query = query.where(Invitation.reply_deadline_at >= now)
    return session.exec(query).one()


def close_interest_round_if_done(
    *, session: Session, booking_request: BookingRequest, ctx: MailContext, now: datetime
) -> bool:
    """When nobody is left to answer, record it and tell the council how many said yes."""
    if booking_request.status != RequestStatus.INTEREST:
        return False
    if pending_interest(session=session, request_id=booking_request.id, now=now):
        return False
    yes = len(interested_member_ids(session=session, request_id=booking_request.id))
    needed = booking_request.people_count
    log_event(session, booking_request, None, "interest_closed", yes=yes, needed=needed)
    t = ctx.translate
    lines = [t(N_("%(yes)s said yes; %(needed)s are needed."), yes=yes, needed=needed)]
    if yes < needed:
        lines.append(
            t(
                N_(
                    "Too few said yes. Ask more people, approve a smaller group, or use the "
                    "regular proposal."
                )
            )
        )
    lines.append(t(N_("Choose the group here: %(url)s"), url=ctx.request_url(booking_request.id)))
    queue_mail(
        session,
        to=ctx.council_mailbox,
        subject=t(N_("Answers about interest: %(title)s"), title=booking_request.title),
        body="\n\n".join(lines),
    )
    return True


def end_interest_round(
    *, session: Session, booking_request: BookingRequest, actor: User, now: datetime | None = None
) -> BookingRequest:
    """Stop asking for interest and go back to the regular proposal over the whole pool."""
    now = now or utcnow()
    check_request_step(booking_request, RequestAction.INTEREST_ENDED)
    closed = close_open_questions(session=session, request_id=booking_request.id)
    move_request(
        session=session,
        booking_request=booking_request,
        action=RequestAction.INTEREST_ENDED,
        actor_id=actor.id,
        now=now,
        unanswered=closed,
    )
    session.flush()
    return booking_request


def close_open_questions(*, session: Session, request_id: int) -> int:
    """Mark the interest questions still unanswered as cancelled; return how many."""
    query = select(Invitation).where(
        Invitation.request_id == request_id,
        Invitation.is_interest_check,
        Invitation.status == InvitationStatus.PENDING,
    )
    open_questions = list(session.exec(query))
    for invitation in open_questions:
        invitation.status = InvitationStatus.CANCELLED
        session.add(invitation)
    return len(open_questions)


def _queue_question(session, ctx: MailContext, booking_request, invitation, member, items) -> None:
    """Queue the short "are you interested?" mail (plain text: nothing is booked yet)."""
    address = member_address(session=session, member=member)
    if not address:
        return
    t = ctx.translate
    when = "\n".join(
        f"- {clock.local(item.starts_at):%Y-%m-%d %H:%M}–{clock.local(item.ends_at):%H:%M}"
        for item in items
    )
    deadline = f"{clock.local(invitation.reply_deadline_at):%Y-%m-%d %H:%M}"
    body = "\n\n".join(
        [
            t(N_("Hello %(name)s,"), name=member.first_name),
            t(
                N_(
                    "We are looking for people for an assignment. Are you interested? This is "
                    "not a booking: if you say yes you may be chosen, and then you get an "
                    "invitation to accept."
                )
            ),
            t(N_("Purpose: %(text)s"), text=booking_request.purpose),
            t(N_("Think about beforehand: %(text)s"), text=booking_request.expectations),
            t(N_("When:")) + "\n" + when,
            t(
                N_("Answer yes or no by %(deadline)s here: %(url)s"),
                deadline=deadline,
                url=ctx.invitation_url(invitation.token),
            ),
        ]
    )
    queue_mail(
        session,
        to=address,
        subject=t(N_("Are you interested? %(title)s"), title=booking_request.title),
        body=body,
    )


def queue_no_longer_needed(
    *, session: Session, ctx: MailContext, booking_request: BookingRequest, member: Member
) -> None:
    """Tell someone asked about interest that the request was cancelled."""
    address = member_address(session=session, member=member)
    if not address:
        return
    t = ctx.translate
    queue_mail(
        session,
        to=address,
        subject=t(N_("No longer needed: %(title)s"), title=booking_request.title),
        body=t(
            N_("The request has been cancelled, so your answer is no longer needed. Thank you!")
        ),
    )
