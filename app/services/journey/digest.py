"""The orderers' weekly digest: per request, what changed in the last seven days, in plain Swedish.

One mail per orderer contact (``orderer_recipient``: the named contact person, else the account)
listing each of their requests with history lines (``RequestEvent``) in the week, each line by
its label, with a link to the request. Nothing is sent when nothing changed. The outbox key
holds the ISO week and a hash of the address, so a second run in the same week is a no-op.

Only steps the orderer may know of are listed, by label alone: never a name, an event's message
or detail, nor anything of the council's internal work (reserves, conflicts, debriefs).
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from app import clock
from app.mail.context import MailContext
from app.mail.outbox import is_written, queue_mail
from app.models import BookingRequest, RequestEvent
from app.models.enums import RequestAction as A
from app.services.job_log import Tally
from app.services.journey.orderer_mail import orderer_recipient, with_greeting
from app.services.messages import N_

#: How far back one digest looks.
WINDOW = timedelta(days=7)
#: The steps an orderer is told of, with the same msgids as the history's labels
#: (``app.web.labels``; ``tests/unit/test_digest_labels.py`` keeps them equal).
DIGEST_ACTIONS: dict[str, str] = {
    A.SUBMITTED: N_("Request submitted"),
    A.APPROVED: N_("Group approved, invitations sent"),
    A.ASKED: N_("Question to the orderer"),
    A.ANSWERED: N_("The orderer answered"),
    A.DECLINED: N_("Request declined"),
    A.CANCELLED: N_("Request cancelled"),
    A.INVITATION_ACCEPTED: N_("Invitation accepted"),
    A.INVITATION_DECLINED: N_("Invitation declined"),
    A.TIME_CHANGED: N_("Time changed, update sent"),
    A.BOOKED: N_("Everyone has accepted: booked"),
    A.MEMBER_WITHDREW: N_("A member withdrew"),
    A.MEMBER_RELEASED: N_("Released: cannot come at the new time"),
    A.REOPENED: N_("A place opened again: no longer fully booked"),
    A.COMPLETED: N_("Every session is over: completed"),
    A.MEETING_ADDED: N_("Meeting added, invitation sent"),
    A.MEETING_CANCELLED: N_("Meeting cancelled, cancellation sent"),
    A.TERM_RENEWED: N_("Term renewed"),
    A.TERM_EVALUATED: N_("Period evaluated"),
    A.EDITED: N_("Request changed by the orderer"),
    A.CHANGE_PROPOSED: N_("Change proposed, waiting for the council"),
    A.CHANGE_APPROVED: N_("Change approved, the booked were told"),
    A.CHANGE_REJECTED: N_("Change not approved"),
    A.ABSENCE_REPORTED: N_("Cannot come to one meeting"),
    A.STAND_IN_INVITED: N_("Stand-in invited for one meeting"),
    A.MATERIAL_ADDED: N_("Material added"),
    A.MATERIAL_SENT: N_("Material sent to the booked"),
    A.COORDINATOR_SET: N_("Contact person named"),
}


def digest_key(address: str, now: datetime, zone: ZoneInfo) -> str:
    """Return the outbox key of one recipient's digest in the ISO week of ``now`` (local)."""
    year, week, _ = now.astimezone(zone).isocalendar()
    digest = hashlib.sha256(address.strip().lower().encode()).hexdigest()[:24]
    return f"orderer_digest:{year}-W{week:02d}:to={digest}"


def send_orderer_digest(
    *, session: Session, now: datetime, ctx: MailContext, zone: ZoneInfo | None = None
) -> Tally:
    """Mail each orderer contact, once a week, what changed on their requests in the last 7 days."""
    zone = zone or clock.zone()
    tally = Tally()
    for address, (name, changes) in _changes_by_recipient(session, now).items():
        key = digest_key(address, now, zone)
        if is_written(session, key):
            continue
        subject, body = _digest_text(ctx, name, changes, zone)
        tally.mail(
            queue_mail(
                session,
                to=address,
                subject=subject,
                body=body,
                key=key,
                kind="orderer_digest",
                now=now,
            )
        )
    return tally


def _changes_by_recipient(session: Session, now: datetime) -> dict:
    """Return {address: (name, {request id: (request, [events])})} of the week's history."""
    rows = session.exec(
        select(RequestEvent, BookingRequest)
        .join(BookingRequest, BookingRequest.id == RequestEvent.request_id)
        .where(
            RequestEvent.at > now - WINDOW,
            RequestEvent.at <= now,
            RequestEvent.action.in_(list(DIGEST_ACTIONS)),
        )
        .order_by(BookingRequest.id, RequestEvent.at, RequestEvent.id)
    )
    found: dict[str, tuple[str, dict]] = {}
    recipients: dict[int, tuple[str, str]] = {}
    for event, booking_request in list(rows):
        if booking_request.id not in recipients:
            recipients[booking_request.id] = orderer_recipient(
                session=session, booking_request=booking_request
            )
        address, name = recipients[booking_request.id]
        if not address:
            continue
        entry = found.setdefault(address.lower(), (name, {}))
        entry[1].setdefault(booking_request.id, (booking_request, []))[1].append(event)
    return found


def _digest_text(ctx: MailContext, name: str, changes: dict, zone: ZoneInfo) -> tuple[str, str]:
    t = ctx.translate
    parts = [t(N_("This is what happened with your requests during the past week."))]
    for booking_request, events in changes.values():
        lines = [
            "- "
            + event.at.astimezone(zone).strftime("%Y-%m-%d %H:%M")
            + ": "
            + t(DIGEST_ACTIONS[event.action])
            for event in events
        ]
        url = f"{ctx.base_url.rstrip('/')}/orders/{booking_request.id}"
        parts.append(
            "\n".join(
                [
                    t(
                        N_("“%(title)s” (request no. %(request)s)"),
                        title=booking_request.title,
                        request=booking_request.id,
                    ),
                    *lines,
                    t(N_("See the request: %(url)s"), url=url),
                ]
            )
        )
    parts.append(t(N_("Questions go to the council: %(mailbox)s"), mailbox=ctx.council_mailbox))
    subject = t(N_("This week's changes to your requests"))
    return subject, with_greeting(ctx, name, "\n\n".join(parts))
