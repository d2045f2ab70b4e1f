"""The council's training events: create, change (mailing a new SEQUENCE), cancel."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, func, select

from app import clock
from app.mail.context import MailContext
from app.models import TrainingBooking, TrainingEvent
from app.models.enums import TrainingBookingStatus, TrainingKind
from app.services.errors import Conflict, InvalidInput, NotFound
from app.services.messages import N_
from app.services.privacy.audit import record_audit
from app.services.text_rules import one_line_error, text_error
from app.services.training.mail import queue_event_mail

#: The longest a training event may last.
MAX_LENGTH = timedelta(hours=12)
MAX_CAPACITY = 500
#: Changing one of these sends the booked members a new calendar invitation.
CALENDAR_FIELDS = ("title", "description", "starts_at", "ends_at", "place", "video_link")


@dataclass(frozen=True)
class EventInput:
    """What the council enters for a training event; times are aware."""

    kind: str
    title: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    place: str = ""
    video_link: str = ""
    description: str = ""


def check_event(data: EventInput) -> None:
    """Raise InvalidInput naming every field that breaks a rule."""
    errors: dict[str, str] = {}
    if data.kind not in set(TrainingKind):
        errors["kind"] = N_("Choose introduction or continuing training.")
    if not data.title.strip():
        errors["title"] = N_("Write a title.")
    for name in ("title", "place", "video_link"):
        if message := one_line_error(getattr(data, name)):
            errors[name] = message
    if message := text_error(data.description):
        errors["description"] = message
    if not data.place.strip() and not data.video_link.strip():
        errors["place"] = N_("Give a place or a video link.")
    if data.ends_at <= data.starts_at:
        errors["ends_at"] = N_("The end must be after the start.")
    elif data.ends_at - data.starts_at > MAX_LENGTH:
        errors["ends_at"] = N_("An event lasts at most 12 hours.")
    if not 1 <= data.capacity <= MAX_CAPACITY:
        errors["capacity"] = N_("Give a number of places between 1 and 500.")
    if errors:
        raise InvalidInput(N_("Check the marked fields."), errors)


def get_event(*, session: Session, event_id: int) -> TrainingEvent:
    """Return the event or raise NotFound."""
    event = session.get(TrainingEvent, event_id)
    if event is None:
        raise NotFound("No such training event")
    return event


def booked_count(*, session: Session, event_id: int) -> int:
    """Return how many members hold a place on the event."""
    query = select(func.count(TrainingBooking.id)).where(
        TrainingBooking.event_id == event_id,
        TrainingBooking.status == TrainingBookingStatus.BOOKED,
    )
    return int(session.exec(query).one())


def held_bookings(*, session: Session, event_id: int) -> list[TrainingBooking]:
    """Return the event's bookings that hold a place, oldest first."""
    query = select(TrainingBooking).where(
        TrainingBooking.event_id == event_id,
        TrainingBooking.status == TrainingBookingStatus.BOOKED,
    )
    return list(session.exec(query.order_by(TrainingBooking.id)))


def create_event(
    data: EventInput, *, session: Session, actor_id: int | None, now: datetime | None = None
) -> TrainingEvent:
    """Store a new training event (in the future) and audit it."""
    now = now or clock.now()
    check_event(data)
    if data.starts_at <= now:
        raise InvalidInput(
            N_("Check the marked fields."), {"starts_at": N_("Choose a future time.")}
        )
    event = TrainingEvent(
        **{name: getattr(data, name) for name in EventInput.__dataclass_fields__},
        ical_uid=f"{uuid.uuid4()}@levande-bibliotek",
        created_at=now,
        created_by_id=actor_id,
    )
    session.add(event)
    session.flush()
    _audit(session, actor_id, "training.event.create", event, {"kind": event.kind})
    return event


def update_event(
    event: TrainingEvent,
    data: EventInput,
    *,
    session: Session,
    ctx: MailContext,
    actor_id: int | None,
    now: datetime | None = None,
) -> list[str]:
    """Change the event; a change of time, place or text mails each booked member SEQUENCE+1."""
    now = now or clock.now()
    check_event(data)
    if event.cancelled_at is not None:
        raise Conflict(N_("The event is cancelled."))
    if data.capacity < booked_count(session=session, event_id=event.id):
        raise InvalidInput(
            N_("Check the marked fields."),
            {"capacity": N_("More members have booked than that.")},
        )
    changed = [
        name
        for name in EventInput.__dataclass_fields__
        if getattr(event, name) != getattr(data, name)
    ]
    for name in changed:
        setattr(event, name, getattr(data, name))
    session.add(event)
    if set(changed) & set(CALENDAR_FIELDS):
        event.sequence += 1
        for booking in held_bookings(session=session, event_id=event.id):
            booking.sequence += 1
            session.add(booking)
            queue_event_mail(
                session=session, ctx=ctx, event=event, booking=booking, now=now, reason="moved"
            )
    if changed:
        _audit(session, actor_id, "training.event.update", event, {"changed": changed})
    return changed


def cancel_event(
    event: TrainingEvent,
    *,
    session: Session,
    ctx: MailContext,
    actor_id: int | None,
    now: datetime | None = None,
) -> int:
    """Cancel the event and every place on it, mailing each booked member a CANCEL."""
    now = now or clock.now()
    if event.cancelled_at is not None:
        raise Conflict(N_("The event is already cancelled."))
    event.cancelled_at = now
    event.sequence += 1
    session.add(event)
    bookings = held_bookings(session=session, event_id=event.id)
    for booking in bookings:
        booking.status = TrainingBookingStatus.CANCELLED
        booking.cancelled_at = now
        booking.sequence += 1
        session.add(booking)
        queue_event_mail(
            session=session, ctx=ctx, event=event, booking=booking, now=now, reason="cancelled"
        )
    _audit(session, actor_id, "training.event.cancel", event, {"bookings": len(bookings)})
    return len(bookings)


def _audit(session, actor_id, action: str, event: TrainingEvent, detail: dict) -> None:
    record_audit(
        session=session,
        actor_id=actor_id,
        action=action,
        subject_type="training_event",
        subject_id=event.id,
        detail=detail,
    )
