"""``levbib expire-invitations``: the deadline job (run it hourly from cron or a scheduler)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("expire-invitations")
@with_appcontext
def expire_invitations_command() -> None:
    """Expire unanswered invitations past their deadline and invite the next reserves."""
    from app.cli.commands import _session
    from app.mail.settings import deliver_for_app, mail_translator, min_answer_window
    from app.services.booking.changes import expire_invitations
    from app.services.booking.invitation_mail import MailContext

    config = current_app.config
    ctx = MailContext(
        council_mailbox=config["COUNCIL_MAILBOX"],
        base_url=config["PUBLIC_BASE_URL"],
        translate=mail_translator("sv"),
        min_answer_window=min_answer_window(config),
    )
    with _session() as session:
        expired = expire_invitations(session=session, ctx=ctx)
        session.commit()
        deliver_for_app(current_app, session)
    click.echo(f"{len(expired)} invitation(s) expired.")
