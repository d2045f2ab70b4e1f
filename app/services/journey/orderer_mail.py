"""Where mail to "the orderer" of a request goes: the named contact person, else the account.

Every mail about a request to the ordering side is addressed through ``orderer_recipient``, so
the council's questions, declines, booking news, reminders, surveys and the weekly digest reach
the person the orderer named on the request. The outbox sends to one address (no Cc), so the
account owner is not copied when the contact person is someone else (docs/journey.md, "Mails").
"""

from __future__ import annotations

from sqlmodel import Session

from app.mail.context import MailContext
from app.models import BookingRequest, User
from app.services.messages import N_


def orderer_recipient(*, session: Session, booking_request: BookingRequest) -> tuple[str, str]:
    """Return (address, name) of the request's contact person, else of the orderer's account.

    The account is used only while it is enabled; ("", "") means there is nobody to mail.
    """
    contact = (booking_request.contact_email or "").strip()
    if contact:
        return contact, (booking_request.contact_name or "").strip()
    orderer = session.get(User, booking_request.orderer_id)
    if orderer is None or not orderer.is_enabled or not orderer.email:
        return "", ""
    return orderer.email, orderer.full_name or ""


def greeting(ctx: MailContext, name: str) -> str:
    """Return "Hej <name>!" when the recipient has a name, else an empty string."""
    return ctx.translate(N_("Hello %(name)s,"), name=name) if name else ""


def with_greeting(ctx: MailContext, name: str, body: str) -> str:
    """Return ``body`` opened by a greeting to ``name`` (unchanged without a name)."""
    opening = greeting(ctx, name)
    return f"{opening}\n\n{body}" if opening else body
