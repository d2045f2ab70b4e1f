"""Outgoing mail: queued with the unit of work, delivered only after it commits.

Without ``MAIL_SERVER`` every message is written as an ``.eml`` file to the outbox folder
(instance/outbox/), which is what development, demos and tests read. With a server
configured, ``smtplib`` delivers it. No Flask here: callers pass ``MailSettings``.
"""

from __future__ import annotations

import logging
import smtplib
import uuid
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

logger = logging.getLogger(__name__)

#: Key in ``Session.info`` under which queued messages wait for the commit.
QUEUE_KEY = "levbib_outbox"


@dataclass(frozen=True)
class MailSettings:
    """Where and how to deliver mail."""

    outbox: Path
    sender: str
    server: str = ""
    port: int = 25
    username: str = ""
    password: str = ""
    use_tls: bool = False


def build_message(
    *,
    sender: str,
    to: str,
    subject: str,
    body: str,
    calendar: str = "",
    calendar_method: str = "REQUEST",
) -> EmailMessage:
    """Return a UTF-8 message: plain text, or text + calendar invitation when one is given."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="levande-bibliotek")
    message.set_content(body)
    if calendar:
        _attach_calendar(message, calendar, calendar_method)
    return message


def _attach_calendar(message: EmailMessage, calendar: str, method: str) -> None:
    """Add the invitation the way Outlook, Gmail and Apple Mail all recognise.

    multipart/mixed( multipart/alternative(text/plain, text/calendar; method=…), invite.ics )
    """
    message.add_alternative(calendar, subtype="calendar", params={"method": method})
    message.make_mixed()
    name = "cancel.ics" if method == "CANCEL" else "invite.ics"
    message.add_attachment(calendar.encode(), maintype="application", subtype="ics", filename=name)


def queue_mail(
    session,
    *,
    to: str,
    subject: str,
    body: str,
    calendar: str = "",
    calendar_method: str = "REQUEST",
) -> dict:
    """Queue a message on a database session; it is sent by ``deliver_queued`` after commit."""
    item = {"to": to, "subject": subject, "body": body}
    if calendar:
        item |= {"calendar": calendar, "calendar_method": calendar_method}
    session.info.setdefault(QUEUE_KEY, []).append(item)
    return item


def discard_queued(session) -> None:
    """Drop the queued messages of a unit of work that was rolled back."""
    session.info.pop(QUEUE_KEY, None)


def deliver_queued(session, settings: MailSettings) -> list[Path | str]:
    """Send every message queued on the session; return .eml paths or recipients sent to."""
    queued = session.info.pop(QUEUE_KEY, [])
    sent = []
    for item in queued:
        message = build_message(sender=settings.sender, **item)
        try:
            sent.append(send_mail(message, settings))
        except (OSError, smtplib.SMTPException):
            # The data is committed already; a lost mail must not turn into an error page.
            logger.exception("Could not deliver a queued message to %s", item["to"])
    return sent


def send_mail(message: EmailMessage, settings: MailSettings) -> Path | str:
    """Deliver one message: an .eml file without a server, SMTP with one."""
    if not settings.server:
        settings.outbox.mkdir(parents=True, exist_ok=True)
        path = settings.outbox / f"{uuid.uuid4().hex}.eml"
        path.write_bytes(bytes(message))
        return path
    with smtplib.SMTP(settings.server, settings.port, timeout=30) as smtp:
        if settings.use_tls:
            smtp.starttls()
        if settings.username:
            smtp.login(settings.username, settings.password)
        smtp.send_message(message)
    return message["To"]
