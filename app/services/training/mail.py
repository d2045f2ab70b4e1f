"""The calendar invitation of a training event (REQUEST on booking and change, CANCEL)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from app import clock
from app.mail.context import MailContext
from app.mail.outbox import queue_mail
from app.models import Member, TrainingBooking, TrainingEvent
from app.models.enums import TrainingKind
from app.services.booking.invitation_mail import member_address, member_calendar
from app.services.messages import N_
from scheduling.invitations_ical import InvitationEvent

KIND_NAMES = {
    TrainingKind.INTRODUCTION: N_("Introduction"),
    TrainingKind.TRAINING: N_("Continuing training"),
}
SUBJECTS = {
    "booked": N_("Booked: %(title)s"),
    "moved": N_("Changed: %(title)s"),
    "withdrawn": N_("Place cancelled: %(title)s"),
    "cancelled": N_("Cancelled: %(title)s"),
}
INTROS = {
    "booked": N_("You have a place at %(title)s. The calendar invitation is attached."),
    "moved": N_("%(title)s has changed. The new time and place are in the attached invitation."),
    "withdrawn": N_("Your place at %(title)s is cancelled."),
    "cancelled": N_("The council has cancelled %(title)s. We are sorry for the trouble."),
}


def event_url(ctx: MailContext) -> str:
    """Return the member's page of training events."""
    return f"{ctx.base_url.rstrip('/')}/me/events/"


def calendar_event(event: TrainingEvent, booking: TrainingBooking, ctx: MailContext):
    """Return the event as one calendar entry, with its stable UID and the member's SEQUENCE."""
    t = ctx.translate
    return InvitationEvent(
        uid=event.ical_uid,
        start=event.starts_at,
        end=event.ends_at,
        sequence=booking.sequence,
        summary=f"{t(KIND_NAMES[TrainingKind(event.kind)])}: {event.title}",
        description=event.description,
        location=event.place or event.video_link,
        url=event_url(ctx),
    )


def when_text(event: TrainingEvent) -> str:
    """Return the event's time in local wall-clock time: "2027-01-20 13:00–16:00"."""
    start, end = clock.local(event.starts_at), clock.local(event.ends_at)
    end_fmt = "%H:%M" if start.date() == end.date() else "%Y-%m-%d %H:%M"
    return f"{start:%Y-%m-%d %H:%M}–{end.strftime(end_fmt)}"


def queue_event_mail(
    *,
    session: Session,
    ctx: MailContext,
    event: TrainingEvent,
    booking: TrainingBooking,
    now: datetime,
    reason: str,
) -> dict | None:
    """Queue the mail with its calendar part; ``reason``: booked, moved, withdrawn, cancelled."""
    member = session.get(Member, booking.member_id)
    address = member_address(session=session, member=member)
    if not address:
        return None
    t = ctx.translate
    method = "CANCEL" if reason in ("withdrawn", "cancelled") else "REQUEST"
    item = calendar_event(event, booking, ctx)
    ics = member_calendar(ctx, [item], address=address, member=member, now=now, method=method)
    when = when_text(event)
    lines = [
        t(INTROS[reason], title=event.title),
        t(N_("When: %(when)s"), when=when),
        t(N_("Where: %(place)s"), place=event.place or event.video_link or "–"),
        event.description,
        t(N_("Your training events: %(url)s"), url=event_url(ctx)),
    ]
    return queue_mail(
        session,
        to=address,
        subject=t(SUBJECTS[reason], title=event.title),
        body="\n\n".join(line for line in lines if line),
        calendar=ics.decode(),
        calendar_method=method,
        kind="training",
        now=now,
    )
