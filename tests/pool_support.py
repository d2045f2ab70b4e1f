"""Helpers for the pool self-service and administration tests."""

from __future__ import annotations

from email import message_from_bytes
from email.message import Message
from pathlib import Path

from app.models.enums import Role
from tests.conftest import login


def signed_in_member(app, factory, **member_fields):
    """Return (client, user, member) for a new member signed in on ``app``."""
    user = factory.user(Role.MEMBER)
    member = factory.member(user=user, **member_fields)
    client = app.test_client()
    assert login(client, user.email).status_code == 302
    _use_english(client)
    return client, user, member


def signed_in(app, factory, role: Role):
    """Return (client, user) for a new user of ``role`` signed in on ``app``."""
    user = factory.user(role)
    client = app.test_client()
    assert login(client, user.email).status_code == 302
    _use_english(client)
    return client, user


def _use_english(client) -> None:
    """Show the UI in English, so assertions read the English message ids."""
    with client.session_transaction() as session:
        session["lang"] = "en"


def sent_mail(outbox: Path, app=None) -> list[Message]:
    """Return the messages written to the outbox folder, oldest first.

    Web requests only queue mail; with ``app`` the scheduler's delivery job runs first, as it
    would within a minute.
    """
    if app is not None:
        deliver_waiting(app)
    if not outbox.exists():
        return []
    paths = sorted(outbox.glob("*.eml"), key=lambda path: path.stat().st_mtime_ns)
    return [message_from_bytes(path.read_bytes()) for path in paths]


def deliver_waiting(app) -> None:
    """Run the scheduler's ``deliver_outbox`` job once, sending what web requests queued."""
    from app.jobs.definitions import execute_job

    execute_job(app, "deliver_outbox")
