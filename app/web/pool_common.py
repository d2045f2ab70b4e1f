"""Small helpers the pool pages share: the signed-in member, mail wording, links."""

from __future__ import annotations

from flask import abort, current_app
from flask_login import current_user

from app.db import get_session
from app.mail.settings import mail_translator
from app.models import Member, User
from app.services.accounts.member_accounts import password_token
from app.services.errors import NotFound
from app.services.pool.profile import member_for_user
from app.web.links import public_url


def own_member() -> Member:
    """Return the signed-in member's own pool row (404 when the account has none)."""
    try:
        return member_for_user(session=get_session(), user=current_user)
    except NotFound:
        abort(404)


def mail_translate():
    """Return the translator for mail texts (members and council read Swedish)."""
    return mail_translator(current_app.config["BABEL_DEFAULT_LOCALE"])


def council_mailbox() -> str:
    """Return the council's mailbox address."""
    return current_app.config["COUNCIL_MAILBOX"]


def welcome_link(user: User) -> str:
    """Return the absolute set-password link for a new member account."""
    token = password_token(user, current_app.config["SECRET_KEY"])
    return public_url("welcome.set_password", invite_token=token)
