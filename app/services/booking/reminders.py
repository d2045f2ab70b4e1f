"""Reminders before each session to the booked members and to the orderer, each sent once.

A reminder ``d`` days before a session is due from ``start - d days``. It is still useful until
the next, closer reminder falls due or the session starts; after downtime the scheduler sends a
useful one late and records the others as skipped (with the reason) instead of sending them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from app import clock
from app.mail.context import MailContext
from app.mail.outbox import is_written, queue_mail, record_skipped
from app.models import Assignment, BookingRequest, Invitation, Member, RequestSession
from app.services.booking.invitation_mail import describe, member_address
from app.services.job_log import Tally
from app.services.journey.coverage import covers
from app.services.journey.orderer_mail import orderer_recipient
from app.services.messages import N_
from app.services.requests.coming import coming_people
from app.services.requests.states import HOLDING_ASSIGNMENTS, LIVE_REQUEST_STATES

DEFAULT_OFFSETS = (7, 1)
#: Sessions that started this long ago are still looked at, to record reminders that came too late.
LOOKBACK = timedelta(days=3)


@dataclass(frozen=True)
class Recipient:
    """Who gets a reminder: a booked member (with the assignment) or the orderer."""

    key: str
    address: str
    member: Member | None = None
    assignment: Assignment | None = None


def local_when(moment: datetime, zone: ZoneInfo | None = None) -> str:
    """Return a moment as local wall-clock text for mail, e.g. "2026-12-03 09:00"."""
    return moment.astimezone(zone or clock.zone()).strftime("%Y-%m-%d %H:%M")


def send_session_reminders(
    *,
    session: Session,
    now: datetime,
    ctx: MailContext,
    offsets: tuple[int, ...] = DEFAULT_OFFSETS,
    zone: ZoneInfo | None = None,
    lookback: timedelta = LOOKBACK,
) -> Tally:
    """Queue each reminder that is due and still useful; record the ones that came too late."""
    zone = zone or clock.zone()
    days_before = sorted({int(days) for days in offsets}, reverse=True)
    tally = Tally()
    rows = session.exec(
        select(RequestSession, BookingRequest)
        .join(BookingRequest, BookingRequest.id == RequestSession.request_id)
        .where(
            RequestSession.starts_at <= now + timedelta(days=days_before[0]),
            RequestSession.starts_at > now - lookback,
            BookingRequest.status.in_(LIVE_REQUEST_STATES),
        )
        .order_by(RequestSession.starts_at, RequestSession.id)
    )
    for item, booking_request in list(rows):
        due = [days for days in days_before if item.starts_at - timedelta(days=days) <= now]
        if not due:
            continue
        useful = due[-1] if now < item.starts_at else None
        for recipient in _recipients(session, booking_request, item):
            for days in due:
                reminder = Reminder(booking_request, item, recipient, days)
                _remind(session, ctx, tally, reminder, useful=useful, now=now, zone=zone)
    return tally


@dataclass(frozen=True)
class Reminder:
    """One reminder: a request's session, whom to remind, how many days before."""

    booking_request: BookingRequest
    item: RequestSession
    recipient: Recipient
    days: int

    @property
    def key(self) -> str:
        return f"reminder:{self.days}d:session={self.item.id}:{self.recipient.key}"


def _remind(session, ctx, tally: Tally, reminder: Reminder, *, useful, now, zone) -> None:
    """Queue one reminder, or record why it is not sent; nothing when decided before."""
    key, kind, address = reminder.key, f"reminder_{reminder.days}d", reminder.recipient.address
    if is_written(session, key):
        return
    if reminder.days != useful:
        reason = _late_reason(useful)
    elif not address:
        reason = "no e-mail address"
    else:
        subject, body = _reminder_text(session, ctx, reminder, zone)
        item = queue_mail(
            session, to=address, subject=subject, body=body, key=key, kind=kind, now=now
        )
        tally.mail(item)
        return
    tally.skip(record_skipped(session, key=key, kind=kind, to=address, reason=reason, now=now))


def _late_reason(useful: int | None) -> str:
    if useful is None:
        return "the session had already started"
    return f"too late: the {useful}-day reminder is due instead"


def _recipients(
    session: Session, booking_request: BookingRequest, item: RequestSession
) -> list[Recipient]:
    # The people the meeting is theirs: no stand-in for another meeting, nobody who is absent.
    rows = session.exec(
        select(Assignment, Member)
        .join(Member, Member.id == Assignment.member_id)
        .join(RequestSession, covers(Assignment, RequestSession))
        .where(
            RequestSession.id == item.id,
            Assignment.request_id == booking_request.id,
            Assignment.status.in_(HOLDING_ASSIGNMENTS),
            Member.anonymised_at.is_(None),
        )
        .order_by(Assignment.id)
    )
    recipients = [
        Recipient(
            key=f"assignment={assignment.id}",
            address=member_address(session=session, member=member),
            member=member,
            assignment=assignment,
        )
        for assignment, member in rows
    ]
    address, _name = orderer_recipient(session=session, booking_request=booking_request)
    return [*recipients, Recipient(key=f"orderer={booking_request.orderer_id}", address=address)]


def _reminder_text(session, ctx, reminder: Reminder, zone) -> tuple[str, str]:
    t = ctx.translate
    booking_request, item, recipient = reminder.booking_request, reminder.item, reminder.recipient
    when = local_when(item.starts_at, zone)
    subject = t(N_("Reminder: %(title)s on %(when)s"), title=booking_request.title, when=when)
    place = (
        t(N_("Place: %(place)s"), place=booking_request.location)
        if booking_request.location
        else t(N_("Video link: %(link)s"), link=booking_request.video_link)
    )
    if recipient.member is None:
        people = coming_people(session=session, booking_request=booking_request)
        parts = [
            t(
                N_("This is a reminder of “%(title)s” on %(when)s."),
                title=booking_request.title,
                when=when,
            ),
            place,
            t(N_("These people are coming:")),
            "\n".join(f"- {person.first_name}" for person in people),
        ]
    else:
        parts = [
            t(N_("Hello %(name)s,"), name=recipient.member.first_name),
            t(
                N_("This is a reminder of your assignment “%(title)s” on %(when)s."),
                title=booking_request.title,
                when=when,
            ),
            place,
            describe(session=session, booking_request=booking_request, items=[item], ctx=ctx),
            *_booking_link(session, ctx, recipient.assignment),
        ]
    parts.append(t(N_("Questions go to the council: %(mailbox)s"), mailbox=ctx.council_mailbox))
    return subject, "\n\n".join(part for part in parts if part)


def _booking_link(session: Session, ctx: MailContext, assignment: Assignment) -> list[str]:
    invitation = (
        session.get(Invitation, assignment.invitation_id) if assignment.invitation_id else None
    )
    if invitation is None:
        return []
    return [ctx.translate(N_("Your booking: %(url)s"), url=ctx.invitation_url(invitation.token))]
