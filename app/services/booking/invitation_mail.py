"""The invitation e-mail: text with links, and the calendar invitation (REQUEST or CANCEL)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from app import clock
from app.mail.context import MailContext
from app.mail.outbox import queue_mail
from app.models import BookingRequest, Invitation, Member, RequestSession, User
from app.services.compensation import fees
from app.services.compensation.fee_tables import load_tables
from app.services.compensation.figures import missing_figure_message
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


def fee_note(*, session: Session, booking_request: BookingRequest, items, ctx: MailContext) -> str:
    """Return the fee per participant in words, or why none is stated."""
    t = ctx.translate
    if booking_request.is_open_information_meeting:
        return t(N_("No fee: this is an open information meeting."))
    tables = load_tables(session=session)
    total, missing = 0, []
    try:
        for item in items:
            try:
                total += fees.activity_fee(
                    on=clock.local(item.starts_at).date(),
                    minutes=int((item.ends_at - item.starts_at).total_seconds() // 60),
                    pbb_table=tables.pbb,
                ).fee
            except fees.MissingFigure as error:
                missing.append(error)
    except fees.FeeError:
        return t(N_("The fee is set in the agreement."))
    notes = [t(text, **values) for text, values in map(missing_figure_message, missing)]
    if missing and not total:
        return " ".join(notes)
    amount = t(
        N_("Fee: %(amount)s kr in total (taxable; travel time may add to it)."), amount=total
    )
    if missing:  # part of the sessions fall in a year whose PBB is not recorded yet
        amount = " ".join(
            [amount, t(N_("(without the fees not known yet)")), *dict.fromkeys(notes)]
        )
    return amount


def describe(*, session: Session, booking_request: BookingRequest, items, ctx: MailContext) -> str:
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
    return "\n\n".join(
        [
            t(N_("Purpose: %(text)s"), text=booking_request.purpose),
            t(N_("Think about beforehand: %(text)s"), text=booking_request.expectations),
            t(N_("Contact person: %(text)s"), text=contact or ctx.council_mailbox),
            t(
                N_("Estimated time: %(hours)s hours including preparation."),
                hours=f"{minutes / 60:g}",
            ),
            fee_note(session=session, booking_request=booking_request, items=items, ctx=ctx),
        ]
    )


def calendar_events(
    *, session: Session, booking_request: BookingRequest, items, ctx: MailContext, url: str
) -> list[InvitationEvent]:
    """Return one calendar event per session, with the session's stable UID and SEQUENCE."""
    text = describe(session=session, booking_request=booking_request, items=items, ctx=ctx)
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
) -> dict | None:
    """Queue the invitation (or cancellation) mail with its calendar part; None without address.

    ``intro_text`` replaces the first paragraph (e.g. why a person is released from an assignment).
    """
    address = member_address(session=session, member=member)
    if not address:
        return None
    t = ctx.translate
    url = ctx.invitation_url(invitation.token)
    events = calendar_events(
        session=session, booking_request=booking_request, items=items, ctx=ctx, url=url
    )
    ics = build_invitation(
        events,
        organizer=Party(ctx.council_mailbox, t(N_("Levande bibliotek council"))),
        attendee=Party(address, member.display_name),
        stamp=now,
        method=method,
    )
    if method == "CANCEL":
        subject = t(N_("Cancelled: %(title)s"), title=booking_request.title)
        intro = t(N_("The assignment has been cancelled. We are sorry for the trouble."))
    else:
        subject = t(N_("Invitation: %(title)s"), title=booking_request.title)
        intro = t(N_("You are invited to an assignment. Answer here: %(url)s"), url=url)
    intro = intro_text or intro
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


def queue_booked_mail(*, session: Session, ctx: MailContext, booking_request: BookingRequest):
    """Tell the orderer who is coming (first name, relevant experience) and whom to ask."""
    from app.services.privacy.health_access import read_coming_people

    orderer = session.get(User, booking_request.orderer_id)
    if orderer is None:
        return None
    coming = read_coming_people(
        session=session, booking_request=booking_request, actor_id=orderer.id, via="mail.booked"
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
            "",
            t(N_("Questions go to the council: %(mailbox)s"), mailbox=ctx.council_mailbox),
        ]
    )
    subject = t(N_("Booked: %(title)s"), title=booking_request.title)
    return queue_mail(session, to=orderer.email, subject=subject, body=body)
