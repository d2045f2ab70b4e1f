"""Mail settings from the app's configuration, and the translation used in mail texts."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import timedelta
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from app.mail.outbox import MailSettings, deliver_queued

logger = logging.getLogger(__name__)


def mail_settings(config: Mapping, instance_path: str | Path) -> MailSettings:
    """Return delivery settings: SMTP when MAIL_SERVER is set, else .eml files in the outbox."""
    outbox = config.get("MAIL_OUTBOX") or Path(instance_path) / "outbox"
    return MailSettings(
        outbox=Path(outbox),
        sender=config.get("MAIL_FROM", "levande-bibliotek@region.example"),
        server=config.get("MAIL_SERVER", ""),
        port=int(config.get("MAIL_PORT", 25)),
        username=config.get("MAIL_USERNAME", ""),
        password=config.get("MAIL_PASSWORD", ""),
        use_tls=bool(config.get("MAIL_USE_TLS", False)),
    )


def deliver_for_app(app, session) -> None:
    """Deliver the mail queued on a committed session with the app's settings.

    The messages are committed in the outbox already: if sending cannot even start (say the
    database is busy), they stay pending and the scheduler's delivery job sends them.
    """
    try:
        deliver_queued(session, mail_settings(app.config, app.instance_path))
    except SQLAlchemyError as error:
        session.rollback()
        logger.warning("Mail left for the delivery job: %s", type(error).__name__)


def mail_translator(locale: str = "sv") -> Callable[[str], str]:
    """Return a function translating mail msgids into the recipients' language."""
    from flask_babel import force_locale, gettext

    def translate(message: str, **params) -> str:
        with force_locale(locale):
            return gettext(message, **params)

    return translate


def mail_context():
    """Return the services' mail context: council mailbox, public site address, Swedish."""
    from flask import current_app

    from app.mail.context import MailContext

    return MailContext(
        council_mailbox=current_app.config.get("COUNCIL_MAILBOX", "radet@region.example"),
        base_url=current_app.config.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000"),
        translate=mail_translator("sv"),
        min_answer_window=min_answer_window(current_app.config),
    )


def min_answer_window(config) -> timedelta:
    """Return the shortest answer window for invitations (INVITATION_MIN_ANSWER_HOURS)."""
    return timedelta(hours=float(config.get("INVITATION_MIN_ANSWER_HOURS", 2)))
