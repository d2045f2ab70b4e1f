"""The member's confirmation after accepting: "Tack, du är bokad", with every meeting she covers.

The one mail an acceptance sends her: what, when (each meeting she covers, by
``journey.coverage.covers``; a stand-in invitation covers its one meeting), where or the link,
whom to ask (the request's contact person and the council coordinator, if one is named), the fee
offered, and a calendar file (METHOD:REQUEST) whose events carry the meetings' own UIDs and
current SEQUENCE, so calendars update the events of the invitation instead of adding new ones.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from app import clock
from app.mail.context import MailContext
from app.mail.outbox import queue_mail
from app.models import Assignment, BookingRequest, Invitation, Member, RequestSession, User
from app.services.booking.invitation_mail import (
    calendar_events,
    invitation_offer,
    member_address,
    member_calendar,
    offer_lines,
)
from app.services.compensation import fees
from app.services.journey.coverage import covers
from app.services.messages import N_


def covered_sessions(
    *, session: Session, assignment: Assignment, invitation: Invitation | None = None
) -> list[RequestSession]:
    """Return the meetings an assignment covers, first first (a stand-in: her one meeting)."""
    query = (
        select(RequestSession)
        .join(Assignment, covers(Assignment, RequestSession))
        .where(Assignment.id == assignment.id)
        .order_by(RequestSession.starts_at, RequestSession.id)
    )
    if invitation is not None and invitation.stand_in_session_id is not None:
        query = query.where(RequestSession.id == invitation.stand_in_session_id)
    return list(session.exec(query))


def queue_confirmation_mail(
    *,
    session: Session,
    ctx: MailContext,
    booking_request: BookingRequest,
    invitation: Invitation,
    assignment: Assignment,
    now: datetime,
) -> dict | None:
    """Queue "Tack, du är bokad" with the calendar file; None without address or meetings."""
    member = session.get(Member, assignment.member_id)
    address = member_address(session=session, member=member) if member else ""
    items = covered_sessions(session=session, assignment=assignment, invitation=invitation)
    if not address or not items:
        return None
    t = ctx.translate
    url = ctx.invitation_url(invitation.token)
    events = calendar_events(
        session=session,
        booking_request=booking_request,
        items=items,
        ctx=ctx,
        url=url,
        invitation=invitation,
    )
    ics = member_calendar(ctx, events, address=address, member=member, now=now, method="REQUEST")
    return queue_mail(
        session,
        to=address,
        subject=t(N_("Thank you, you are booked: %(title)s"), title=booking_request.title),
        body=_body(session, ctx, booking_request, invitation, member, items, url),
        calendar=ics.decode(),
        calendar_method="REQUEST",
        key=f"booked_confirmation:invitation={invitation.id}",
        now=now,
    )


def _body(session, ctx: MailContext, booking_request, invitation, member, items, url) -> str:
    t = ctx.translate
    zone = clock.zone()
    meetings = [
        "- "
        + item.starts_at.astimezone(zone).strftime("%Y-%m-%d %H:%M")
        + "–"
        + item.ends_at.astimezone(zone).strftime("%H:%M")
        for item in items
    ]
    offer = invitation_offer(session=session, invitation=invitation, items=items)
    parts = [
        t(N_("Hello %(name)s,"), name=member.first_name),
        t(N_("Thank you, you are booked for “%(title)s”."), title=booking_request.title),
        "\n".join([t(N_("When:")), *meetings]),
        _place(ctx, booking_request),
        *_contacts(session, ctx, booking_request),
        "\n".join(
            [
                t(N_("The fee offered:")),
                *offer_lines(offer, ctx=ctx, hourly_rule=fees.HOURLY_STARTED, benefits=False),
            ]
        ),
        t(
            N_(
                "The calendar file in this mail holds your meetings; it updates the "
                "invitation's events. Your invitation: %(url)s"
            ),
            url=url,
        ),
    ]
    return "\n\n".join(part for part in parts if part)


def _place(ctx: MailContext, booking_request: BookingRequest) -> str:
    t = ctx.translate
    lines = []
    if booking_request.location:
        lines.append(t(N_("Place: %(place)s"), place=booking_request.location))
    if booking_request.video_link:
        lines.append(t(N_("Video link: %(link)s"), link=booking_request.video_link))
    return "\n".join(lines)


def _contacts(session: Session, ctx: MailContext, booking_request: BookingRequest) -> list[str]:
    """Return the request's contact person and, when named, the council coordinator."""
    t = ctx.translate
    contact = ", ".join(
        part
        for part in (
            booking_request.contact_name,
            booking_request.contact_email,
            booking_request.contact_phone,
        )
        if part
    )
    lines = [t(N_("Contact person: %(text)s"), text=contact or ctx.council_mailbox)]
    coordinator = (
        session.get(User, booking_request.coordinator_id)
        if booking_request.coordinator_id
        else None
    )
    if coordinator is not None:
        name = ", ".join(part for part in (coordinator.full_name, ctx.council_mailbox) if part)
        lines.append(t(N_("Your contact person at the council: %(text)s"), text=name))
    return lines
