"""Outgoing mail through an outbox table: written with the unit of work, sent once after it commits.

``queue_mail`` writes an ``outbox_message`` row in the caller's transaction, so a message exists
exactly when the decision to send it was committed. A message with a ``key`` (e.g. "reminder:7d:
assignment=3:session=9") is written at most once: the unique key makes a second writer — another
scheduler, a retry, a restart — a no-op (``INSERT … ON CONFLICT DO NOTHING``).

Delivery claims rows before sending: PostgreSQL picks candidates with ``SELECT … FOR UPDATE SKIP
LOCKED``; on every database the claim itself is a conditional ``UPDATE`` (still pending, or its
lease ran out) that only one sender can win. Each outcome (sent, or failed with the error) is
committed at once. A sender that dies after claiming leaves a lease that runs out, and the next
delivery run sends the message; the window in which SMTP accepted a message but the "sent" mark
was not yet committed cannot be closed over SMTP, so every resend carries the same Message-ID
(derived from the row) for receiving systems to recognise.

Without ``MAIL_SERVER`` messages are written as ``.eml`` files to the outbox folder
(instance/outbox/), which is what development, demos and tests read. No Flask here: callers
pass ``MailSettings``.
"""

from __future__ import annotations

import logging
import smtplib
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from sqlalchemy import and_, or_, update
from sqlmodel import Session, select

from app.models import OutboxMessage
from app.models.base import utcnow
from app.models.enums import OutboxStatus
from app.models.once import insert_once

logger = logging.getLogger(__name__)

#: Key in ``Session.info`` under which the messages written by a unit of work wait for its commit.
QUEUE_KEY = "levbib_outbox"
#: How long a claimed message is reserved for its sender before another may take it over.
CLAIM_LEASE = timedelta(minutes=5)
#: Attempts before a message is given up as failed; the wait grows with each attempt.
MAX_ATTEMPTS = 5
RETRY_AFTER = timedelta(minutes=5)


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
    message_id: str = "",
) -> EmailMessage:
    """Return a UTF-8 message: plain text, or text + calendar invitation when one is given."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = message_id or make_msgid(domain="levande-bibliotek")
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


def _write(session: Session, values: dict) -> int | None:
    """Insert one outbox row unless its key exists already; return its id, or None."""
    return insert_once(session, OutboxMessage, values, unique=["key"])


def queue_mail(
    session: Session,
    *,
    to: str,
    subject: str,
    body: str,
    calendar: str = "",
    calendar_method: str = "REQUEST",
    key: str | None = None,
    kind: str = "mail",
    now: datetime | None = None,
) -> dict | None:
    """Write a message to the outbox in the caller's transaction; it is sent after the commit.

    With a ``key`` a message already written under it is not written again and None is returned.
    """
    row_id = _write(
        session,
        dict(
            key=key,
            kind=kind,
            status=OutboxStatus.PENDING.value,
            recipient=to,
            subject=subject[:300],  # the column's width; a mail subject is never longer in practice
            body=body,
            calendar=calendar,
            calendar_method=calendar_method,
            created_at=now or utcnow(),
        ),
    )
    if row_id is None:
        return None
    item = {"id": row_id, "key": key, "to": to, "subject": subject, "body": body}
    if calendar:
        item |= {"calendar": calendar, "calendar_method": calendar_method}
    session.info.setdefault(QUEUE_KEY, []).append(item)
    return item


def record_skipped(
    session: Session,
    *,
    key: str,
    kind: str,
    to: str,
    reason: str,
    now: datetime | None = None,
) -> bool:
    """Record once that the message under ``key`` is not sent and why; True the first time."""
    row_id = _write(
        session,
        dict(
            key=key,
            kind=kind,
            status=OutboxStatus.SKIPPED.value,
            recipient=to,
            skip_reason=reason[:200],
            created_at=now or utcnow(),
        ),
    )
    if row_id is not None:
        logger.warning("Not sending %s: %s", key, reason)
    return row_id is not None


def is_written(session: Session, key: str) -> bool:
    """Return True when a message (sent, pending or skipped) exists under ``key``."""
    return (
        session.exec(select(OutboxMessage.id).where(OutboxMessage.key == key)).first() is not None
    )


def discard_queued(session) -> None:
    """Forget the messages of a unit of work that was rolled back (their rows went with it)."""
    session.info.pop(QUEUE_KEY, None)


def deliver_queued(
    session: Session, settings: MailSettings, now: datetime | None = None
) -> list[Path | str]:
    """Send the messages this unit of work wrote; call it only after the commit.

    Messages another sender claimed meanwhile are left to it. Commits the session.
    """
    ids = [item["id"] for item in session.info.pop(QUEUE_KEY, [])]
    if not ids:
        return []
    return deliver_outbox(session=session, settings=settings, now=now, ids=ids).delivered


@dataclass
class Delivery:
    """What one delivery run did: paths or recipients delivered to, and failures."""

    delivered: list
    failed: int = 0


def deliver_outbox(
    *,
    session: Session,
    settings: MailSettings,
    now: datetime | None = None,
    ids: list[int] | None = None,
    limit: int = 200,
) -> Delivery:
    """Claim pending messages (optionally only ``ids``), send each, record sent or failed.

    Commits the session after claiming and after each message. No transaction stays open
    while a message is sent, and each write is the first statement of its own transaction
    (so SQLite's writers queue up instead of deadlocking).
    """
    now = now or utcnow()
    token = _claim(session, now=now, ids=ids, limit=limit)
    claimed = [
        _Claimed(row.id, row.attempts, _fields(row, settings))
        for row in session.exec(
            select(OutboxMessage)
            .where(OutboxMessage.claim_token == token)
            .order_by(OutboxMessage.id)
            .execution_options(populate_existing=True)
        )
    ]
    session.commit()
    result = Delivery(delivered=[])
    for item in claimed:
        # Each message is built and sent on its own: one that cannot be built (a line break in
        # an address or subject that slipped past validation) or sent must not hold back the
        # rest of the batch, and its error is kept on its row.
        try:
            result.delivered.append(send_mail(build_message(**item.fields), settings))
        except Exception as error:  # noqa: BLE001 (any failure is this message's outcome)
            # The data is committed already; a lost mail must not turn into an error page.
            logger.warning("Could not deliver outbox message %s: %r", item.id, error)
            _record(session, item.id, token, **_failure(error, item.attempts, now))
            result.failed += 1
        else:
            _record(session, item.id, token, status=OutboxStatus.SENT.value, sent_at=now)
    return result


@dataclass(frozen=True)
class _Claimed:
    """A claimed message as plain values, so sending needs no open transaction."""

    id: int
    attempts: int
    fields: dict


def _claimable(now: datetime):
    status = OutboxMessage.status
    return or_(
        and_(
            status == OutboxStatus.PENDING,
            or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now),
        ),
        and_(status == OutboxStatus.SENDING, OutboxMessage.lease_until < now),
    )


def _claim(session: Session, *, now: datetime, ids: list[int] | None, limit: int) -> str:
    """Reserve claimable messages for this sender under a fresh token; commit; return it.

    One UPDATE whose WHERE repeats the test, so only one sender's claim can match a row; on
    PostgreSQL its candidates come from ``FOR UPDATE SKIP LOCKED``, so senders do not wait
    for each other's rows.
    """
    token = uuid.uuid4().hex
    candidates = select(OutboxMessage.id).where(_claimable(now))
    if ids is not None:
        candidates = candidates.where(OutboxMessage.id.in_(ids))
    candidates = candidates.order_by(OutboxMessage.id).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    session.exec(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(candidates.scalar_subquery()), _claimable(now))
        .values(
            status=OutboxStatus.SENDING.value,
            claim_token=token,
            lease_until=now + CLAIM_LEASE,
            attempts=OutboxMessage.attempts + 1,
        )
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return token


def _record(session: Session, row_id: int, token: str, **values) -> None:
    """Write a message's outcome, unless another sender has claimed it since; commit."""
    session.exec(
        update(OutboxMessage)
        .where(OutboxMessage.id == row_id, OutboxMessage.claim_token == token)
        .values(lease_until=None, **values)
        .execution_options(synchronize_session=False)
    )
    session.commit()


def _failure(error: Exception, attempts: int, now: datetime) -> dict:
    values = {"last_error": f"{type(error).__name__}: {error}"[:1000]}
    if attempts >= MAX_ATTEMPTS:
        return values | {"status": OutboxStatus.FAILED.value}
    return values | {
        "status": OutboxStatus.PENDING.value,
        "next_attempt_at": now + RETRY_AFTER * attempts,
    }


def _fields(row: OutboxMessage, settings: MailSettings) -> dict:
    """Return ``build_message``'s arguments for a row (building waits for the send loop)."""
    return dict(
        sender=settings.sender,
        to=row.recipient,
        subject=row.subject,
        body=row.body,
        calendar=row.calendar,
        calendar_method=row.calendar_method,
        # Stable per row, so a resend after a crash is recognisably the same message.
        message_id=f"<outbox-{row.id}-{int(row.created_at.timestamp())}@levande-bibliotek>",
    )


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
