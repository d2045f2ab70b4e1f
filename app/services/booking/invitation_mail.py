"""The invitation e-mail: text with links, and the calendar invitation (REQUEST or CANCEL)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from app import clock, formatting
from app.mail.context import MailContext
from app.mail.outbox import queue_mail
from app.models import BookingRequest, Invitation, Member, RequestSession, User
from app.services.compensation import fees
from app.services.compensation.offer import FeeOffer, fee_offer
from app.services.compensation.terms import terms_of
from app.services.journey.coordinator import coordinator_line
from app.services.journey.orderer_mail import orderer_recipient, with_greeting
from app.services.messages import N_
from scheduling.invitations_ical import (
    InvitationEvent,
    Party,
    build_invitation,
    google_calendar_link,
    outlook_calendar_link,
)

KIND_WORDS = {"own": N_("own experience"), "relative": N_("as a relative")}


def member_address(*, session: Session, member: Member) -> str:
    """Return the member's e-mail: their own, or their account's."""
    if member.email:
        return member.email
    user = session.get(User, member.user_id) if member.user_id else None
    return user.email if user else ""


#: The fee classes in words (the same texts as the pages' labels).
CLASS_WORDS = {
    fees.FULL_DAY: N_("Full day, over 4 h"),
    fees.HALF_DAY: N_("Half day, 2–4 h"),
    fees.SHORT: N_("Short, up to 2 h"),
    fees.HOURLY: N_("Per hour"),
    fees.NONE: N_("No fee"),
}
BENEFITS_NOTE = N_(
    "Fees are taxable income and can affect sickness or activity compensation and other "
    "benefits. Check with the Social Insurance Agency (Försäkringskassan) before you accept."
)


def _hours(minutes: int, ctx: MailContext) -> str:
    return formatting.hours(minutes, ctx.locale)


def offer_lines(
    offer: FeeOffer, *, ctx: MailContext, hourly_rule: str, benefits: bool = True
) -> list[str]:
    """Return the fee offer in words: per session, extra time, total, terms, travel, benefits."""
    t = ctx.translate
    lines: list[str] = []
    if offer.missing_year is not None and not offer.lines:
        lines.append(t(N_("The fee for %(year)s is not yet set."), year=offer.missing_year))
    elif offer.reason:
        lines.append(
            t(N_("No fee: the assignment is part of your employment at a patient organisation."))
        )
    else:
        for line in offer.lines:
            text = N_("Extra agreed time, %(hours)s h: %(amount)s kr (%(class)s)")
            if not line.is_extra:
                text = N_("%(day)s, %(hours)s h: %(amount)s kr (%(class)s)")
            lines.append(
                t(
                    text,
                    day=line.on.isoformat(),
                    hours=_hours(line.minutes, ctx),
                    amount=formatting.number(line.fee, ctx.locale),
                    **{"class": t(CLASS_WORDS[line.fee_class])},
                )
            )
        lines.append(
            t(
                N_(
                    "Expected fee: %(amount)s kr in total (taxable), for %(hours)s hours "
                    "excluding travel. Travel time counts too and can raise the fee class."
                ),
                amount=formatting.number(offer.total, ctx.locale),
                hours=_hours(offer.minutes, ctx),
            )
        )
        if offer.missing_year is not None:  # part of the sessions fall in a year without a PBB
            lines.append(
                " ".join(
                    [
                        t(N_("(without the fees not known yet)")),
                        t(N_("The fee for %(year)s is not yet set."), year=offer.missing_year),
                    ]
                )
            )
    if offer.terms.is_hourly:
        rule = N_("every started hour counts as a whole hour")
        if hourly_rule == fees.HOURLY_ACTUAL:
            rule = N_("hours count to the minute")
        lines.append(
            t(
                N_("Paid per hour (efforts up to two hours including travel); %(rule)s."),
                rule=t(rule),
            )
        )
    if offer.kr_per_10km is None:
        car = t(N_("the car rate is not yet set"))
    else:
        car = t(
            N_("car %(rate)s kr per 10 km"),
            rate=formatting.number(offer.kr_per_10km, ctx.locale),
        )
    lines.append(
        t(
            N_("Travel is reimbursed: tickets as paid (book early, cheaply and greenly); %(car)s."),
            car=car,
        )
    )
    if benefits:
        lines.append(t(BENEFITS_NOTE))
    return lines


def invitation_offer(
    *,
    session: Session,
    invitation: Invitation,
    items,
    hourly_rule: str = fees.HOURLY_STARTED,
) -> FeeOffer:
    """Return the fee offer of an invitation under the terms set on it."""
    return fee_offer(
        session=session,
        items=list(items),
        terms=terms_of(invitation),
        zone=clock.zone(),
        hourly_rule=hourly_rule,
    )


def fee_note(
    *,
    session: Session,
    items,
    ctx: MailContext,
    invitation: Invitation | None = None,
) -> str:
    """Return the expected fee per session and in total, the terms, travel and benefits."""
    offer = fee_offer(
        session=session, items=list(items), terms=terms_of(invitation), zone=clock.zone()
    )
    return "\n".join(offer_lines(offer, ctx=ctx, hourly_rule=fees.HOURLY_STARTED))


def describe(
    *,
    session: Session,
    booking_request: BookingRequest,
    items,
    ctx: MailContext,
    invitation: Invitation | None = None,
) -> str:
    """Return the event description: purpose, preparation, contact, time and fee."""
    t = ctx.translate
    minutes = sum(int((i.ends_at - i.starts_at).total_seconds() // 60) for i in items)
    minutes += booking_request.preparation_minutes
    contact = ", ".join(
        part
        for part in (
            booking_request.contact_name,
            booking_request.contact_email,
            booking_request.contact_phone,
        )
        if part
    )
    coordinator = coordinator_line(session=session, booking_request=booking_request, translate=t)
    return "\n\n".join(
        [
            t(N_("Purpose: %(text)s"), text=booking_request.purpose),
            t(N_("Think about beforehand: %(text)s"), text=booking_request.expectations),
            t(N_("Contact person: %(text)s"), text=contact or ctx.council_mailbox),
            *([coordinator] if coordinator else []),
            t(
                N_("Estimated time: %(hours)s hours including preparation."),
                hours=_hours(minutes, ctx),
            ),
            fee_note(
                session=session,
                items=items,
                ctx=ctx,
                invitation=invitation,
            ),
        ]
    )


def member_calendar(
    ctx: MailContext, events, *, address: str, member: Member, now: datetime, method: str
) -> str:
    """Return one member's calendar of ``events`` (REQUEST or CANCEL), from the council's mailbox."""
    return build_invitation(
        events,
        organizer=Party(ctx.council_mailbox, ctx.translate(N_("Levande bibliotek council"))),
        attendee=Party(address, member.display_name),
        stamp=now,
        method=method,
    )


def calendar_events(
    *,
    session: Session,
    booking_request: BookingRequest,
    items,
    ctx: MailContext,
    url: str,
    invitation: Invitation | None = None,
) -> list[InvitationEvent]:
    """Return one calendar event per session, with the session's stable UID and SEQUENCE."""
    text = describe(
        session=session,
        booking_request=booking_request,
        items=items,
        ctx=ctx,
        invitation=invitation,
    )
    return [
        InvitationEvent(
            uid=item.ical_uid,
            start=item.starts_at,
            end=item.ends_at,
            sequence=item.sequence,
            summary=booking_request.title,
            description=text,
            location=booking_request.location or booking_request.video_link,
            url=url,
        )
        for item in items
    ]


def queue_invitation_mail(
    *,
    session: Session,
    ctx: MailContext,
    booking_request: BookingRequest,
    invitation: Invitation,
    member: Member,
    items: list[RequestSession],
    now: datetime,
    method: str = "REQUEST",
    intro_text: str = "",
    subject_text: str = "",
) -> dict | None:
    """Queue the invitation (or cancellation) mail with its calendar part; None without address.

    ``intro_text`` replaces the first paragraph (e.g. why a person is released from an assignment)
    and ``subject_text`` the subject.
    """
    address = member_address(session=session, member=member)
    if not address:
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
    ics = member_calendar(ctx, events, address=address, member=member, now=now, method=method)
    if method == "CANCEL":
        subject = t(N_("Cancelled: %(title)s"), title=booking_request.title)
        intro = t(N_("The assignment has been cancelled. We are sorry for the trouble."))
    else:
        subject = t(N_("Invitation: %(title)s"), title=booking_request.title)
        intro = t(N_("You are invited to an assignment. Answer here: %(url)s"), url=url)
    intro, subject = intro_text or intro, subject_text or subject
    links = [
        t(N_("Add to Google Calendar: %(url)s"), url=google_calendar_link(event))
        + "\n"
        + t(N_("Add to Outlook: %(url)s"), url=outlook_calendar_link(event))
        for event in events
    ]
    body = "\n\n".join([intro, events[0].description if events else "", *links])
    return queue_mail(
        session,
        to=address,
        subject=subject,
        body=body,
        calendar=ics.decode(),
        calendar_method=method,
    )


def queue_stand_in_mail(
    *,
    session: Session,
    ctx: MailContext,
    booking_request: BookingRequest,
    invitation: Invitation,
    member: Member,
    meeting: RequestSession,
    now: datetime,
) -> dict | None:
    """Queue a stand-in invitation: plainly for ONE meeting, with a calendar of that meeting only.

    The event keeps the meeting's UID, so later moves and cancellations reach the stand-in too.
    """
    t = ctx.translate
    start, end = (
        moment.astimezone(clock.zone()) for moment in (meeting.starts_at, meeting.ends_at)
    )
    when = f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}"
    intro = t(
        N_(
            "You are asked to stand in for ONE meeting only: %(when)s. Someone in the group "
            "cannot come. The other meetings are not yours. Answer here: %(url)s"
        ),
        when=when,
        url=ctx.invitation_url(invitation.token),
    )
    return queue_invitation_mail(
        session=session,
        ctx=ctx,
        booking_request=booking_request,
        invitation=invitation,
        member=member,
        items=[meeting],
        now=now,
        intro_text=intro,
        subject_text=t(
            N_("Stand-in for one meeting: %(title)s, %(when)s"),
            title=booking_request.title,
            when=when,
        ),
    )


def queue_booked_mail(*, session: Session, ctx: MailContext, booking_request: BookingRequest):
    """Tell the orderer who is coming (first name, relevant experience) and whom to ask."""
    from app.services.journey.needs import needs_mail_lines, needs_of_booked
    from app.services.privacy.health_access import read_coming_people

    address, name = orderer_recipient(session=session, booking_request=booking_request)
    if not address:
        return None
    coming = read_coming_people(
        session=session,
        booking_request=booking_request,
        actor_id=booking_request.orderer_id,
        via="mail.booked",
    )
    t = ctx.translate
    lines = [
        person.first_name
        + (": " if person.experiences else "")
        + ", ".join(f"{area.name_sv} ({t(KIND_WORDS[kind])})" for area, kind in person.experiences)
        for person in coming
    ]
    body = "\n".join(
        [
            t(N_("Everyone has accepted. These people are coming:")),
            *(f"- {line}" for line in lines),
            *needs_mail_lines(needs_of_booked(session=session, booking_request=booking_request), t),
            "",
            t(N_("Questions go to the council: %(mailbox)s"), mailbox=ctx.council_mailbox),
            coordinator_line(session=session, booking_request=booking_request, translate=t),
        ]
    ).rstrip()
    subject = t(N_("Booked: %(title)s"), title=booking_request.title)
    return queue_mail(session, to=address, subject=subject, body=with_greeting(ctx, name, body))
