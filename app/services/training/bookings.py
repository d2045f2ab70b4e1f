"""Members book and cancel places on training events; the council records attendance."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, select

from app import clock
from app.mail.context import MailContext
from app.models import Member, TrainingBooking, TrainingEvent
from app.models.enums import MemberStatus, TrainingAttendance, TrainingBookingStatus, TrainingKind
from app.services.errors import Conflict, InvalidInput, NotFound
from app.services.messages import N_
from app.services.privacy.audit import record_audit
from app.services.training.events import booked_count
from app.services.training.mail import queue_event_mail


@dataclass(frozen=True)
class EventRow:
    """An event as a list shows it: the places taken and the viewer's own booking."""

    event: TrainingEvent
    booked: int
    mine: TrainingBooking | None = None

    @property
    def is_full(self) -> bool:
        """Return whether every place is taken."""
        return self.booked >= self.event.capacity


def event_rows(
    *, session: Session, member_id: int | None = None, upcoming: bool = True, now=None
) -> list[EventRow]:
    """Return events (upcoming ones, or past ones newest first) with counts and own bookings."""
    now = now or clock.now()
    query = select(TrainingEvent)
    if upcoming:
        query = query.where(TrainingEvent.ends_at > now).order_by(TrainingEvent.starts_at)
    else:
        query = query.where(TrainingEvent.ends_at <= now).order_by(TrainingEvent.starts_at.desc())
    events = list(session.exec(query))
    ids = [event.id for event in events]
    counts: dict[int, int] = {}
    mine: dict[int, TrainingBooking] = {}
    if ids:
        for booking in session.exec(
            select(TrainingBooking).where(TrainingBooking.event_id.in_(ids))
        ):
            if booking.status == TrainingBookingStatus.BOOKED:
                counts[booking.event_id] = counts.get(booking.event_id, 0) + 1
            if booking.member_id == member_id:
                mine[booking.event_id] = booking
    return [EventRow(e, counts.get(e.id, 0), mine.get(e.id)) for e in events]


def event_bookings(*, session: Session, event_id: int) -> list[tuple[TrainingBooking, Member]]:
    """Return the event's bookings with their members, booked ones first, by name."""
    rows = session.exec(
        select(TrainingBooking, Member)
        .join(Member, Member.id == TrainingBooking.member_id)
        .where(TrainingBooking.event_id == event_id)
    )
    return sorted(
        rows,
        key=lambda row: (
            row[0].status != TrainingBookingStatus.BOOKED,
            row[1].last_name,
            row[1].first_name,
            row[1].id,
        ),
    )


def _open_event(session: Session, event_id: int, now: datetime) -> TrainingEvent:
    """Return the event locked against concurrent bookings, if it can still be booked."""
    query = select(TrainingEvent).where(TrainingEvent.id == event_id).with_for_update()
    event = session.exec(query).first()
    if event is None:
        raise NotFound("No such training event")
    if event.cancelled_at is not None:
        raise Conflict(N_("The event is cancelled."))
    if event.starts_at <= now:
        raise Conflict(N_("The event has already started."))
    return event


def book_event(
    *,
    session: Session,
    member: Member,
    event_id: int,
    ctx: MailContext,
    now: datetime | None = None,
) -> TrainingBooking:
    """Give the member a place (again, after a cancellation) and mail the calendar invitation."""
    now = now or clock.now()
    if member.status != MemberStatus.ACTIVE:
        raise Conflict(N_("Only active members can book a place."))
    event = _open_event(session, event_id, now)
    booking = session.exec(
        select(TrainingBooking).where(
            TrainingBooking.event_id == event.id, TrainingBooking.member_id == member.id
        )
    ).first()
    if booking is not None and booking.status == TrainingBookingStatus.BOOKED:
        raise Conflict(N_("You already have a place."))
    if booked_count(session=session, event_id=event.id) >= event.capacity:
        raise Conflict(N_("The event is full."))
    if booking is None:
        booking = TrainingBooking(event_id=event.id, member_id=member.id, booked_at=now)
    else:
        booking.sequence += 1
        booking.booked_at, booking.cancelled_at = now, None
    booking.status = TrainingBookingStatus.BOOKED
    session.add(booking)
    session.flush()
    queue_event_mail(
        session=session, ctx=ctx, event=event, booking=booking, now=now, reason="booked"
    )
    _audit(session, member.user_id, "training.booking.create", booking)
    return booking


def cancel_booking(
    *,
    session: Session,
    member: Member,
    event_id: int,
    ctx: MailContext,
    now: datetime | None = None,
) -> TrainingBooking:
    """Give up the member's place before the event and mail a CANCEL with SEQUENCE+1."""
    now = now or clock.now()
    event = _open_event(session, event_id, now)
    booking = session.exec(
        select(TrainingBooking).where(
            TrainingBooking.event_id == event.id,
            TrainingBooking.member_id == member.id,
            TrainingBooking.status == TrainingBookingStatus.BOOKED,
        )
    ).first()
    if booking is None:
        raise Conflict(N_("You have no place on this event."))
    booking.status = TrainingBookingStatus.CANCELLED
    booking.cancelled_at = now
    booking.sequence += 1
    session.add(booking)
    queue_event_mail(
        session=session, ctx=ctx, event=event, booking=booking, now=now, reason="withdrawn"
    )
    _audit(session, member.user_id, "training.booking.cancel", booking)
    return booking


def record_attendance(
    *,
    session: Session,
    event: TrainingEvent,
    marks: dict[int, str | None],
    actor_id: int | None,
    now: datetime | None = None,
) -> int:
    """Record attended/absent per booking id; attending an introduction completes it."""
    now = now or clock.now()
    if event.starts_at > now:
        raise Conflict(N_("Attendance can be recorded once the event has started."))
    bookings = {
        b.id: b
        for b in session.exec(select(TrainingBooking).where(TrainingBooking.event_id == event.id))
    }
    if set(marks) - set(bookings) or set(marks.values()) - {*TrainingAttendance, None}:
        raise InvalidInput(N_("Check the marked fields."))
    changed = 0
    for booking_id, mark in marks.items():
        booking = bookings[booking_id]
        if booking.attendance == mark:
            continue
        if booking.status != TrainingBookingStatus.BOOKED and mark is not None:
            raise Conflict(N_("A cancelled place has no attendance."))
        booking.attendance, booking.attendance_by_id, booking.attendance_at = mark, actor_id, now
        session.add(booking)
        if event.kind == TrainingKind.INTRODUCTION:
            _update_introduction(session, session.get(Member, booking.member_id))
        _audit(session, actor_id, "training.attendance.record", booking, {"attendance": mark})
        changed += 1
    return changed


def _update_introduction(session: Session, member: Member) -> None:
    """Set the member's introduction date to the first introduction they attended.

    A date the council entered by hand (or imported) is kept when no attended introduction
    says otherwise; correcting an "attended" to "absent" takes back the date it gave.
    """
    attended = _attended_introductions(session, member.id)
    if attended:
        member.training_completed_on = min(attended)
    elif member.training_completed_on is not None and _was_from_an_event(session, member):
        member.training_completed_on = None
    session.add(member)


def _attended_introductions(session: Session, member_id: int) -> list[date]:
    session.flush()
    rows = session.exec(
        select(TrainingEvent.starts_at)
        .join(TrainingBooking, TrainingBooking.event_id == TrainingEvent.id)
        .where(
            TrainingBooking.member_id == member_id,
            TrainingBooking.attendance == TrainingAttendance.ATTENDED,
            TrainingEvent.kind == TrainingKind.INTRODUCTION,
        )
    )
    return [clock.local(start).date() for start in rows]


def _was_from_an_event(session: Session, member: Member) -> bool:
    rows = session.exec(
        select(TrainingEvent.starts_at)
        .join(TrainingBooking, TrainingBooking.event_id == TrainingEvent.id)
        .where(
            TrainingBooking.member_id == member.id, TrainingEvent.kind == TrainingKind.INTRODUCTION
        )
    )
    return any(clock.local(start).date() == member.training_completed_on for start in rows)


def _audit(session, actor_id, action: str, booking: TrainingBooking, detail: dict | None = None):
    record_audit(
        session=session,
        actor_id=actor_id,
        action=action,
        subject_type="training_booking",
        subject_id=booking.id,
        detail={"event_id": booking.event_id, "member_id": booking.member_id, **(detail or {})},
    )
