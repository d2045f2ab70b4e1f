"""Accounts: create, authenticate, end sessions."""

from __future__ import annotations

import secrets
from functools import cache

from sqlalchemy import bindparam
from sqlmodel import Session, select

from app.models import Organisation, User
from app.models.base import utcnow
from app.models.enums import Role
from app.services.accounts.passwords import (
    DUMMY_HASH,
    MIN_PASSWORD_LENGTH,
    hash_password,
    needs_rehash,
    verify_password,
)
from app.services.errors import Conflict, InvalidInput
from app.services.privacy.audit import record_audit
from app.services.text_rules import email_error, one_line_error


def normalise_email(email: str) -> str:
    """Return the email trimmed and lower-cased, as stored."""
    return email.strip().lower()


def find_user_by_email(*, session: Session, email: str) -> User | None:
    """Return the user with this email, or None."""
    return session.exec(select(User).where(User.email == normalise_email(email))).first()


def create_user(
    *,
    session: Session,
    email: str,
    password: str,
    role: Role | str,
    full_name: str = "",
    organisation_id: int | None = None,
    actor_id: int | None = None,
) -> User:
    """Create an account after checking the role, the password and the organisation rule.

    The audit log names who created it (``actor_id``; None from the command line or the demo).
    """
    email = normalise_email(email)
    if message := email_error(email):
        raise InvalidInput(message, {"email": message})
    if message := one_line_error(full_name):
        raise InvalidInput(message, {"full_name": message})
    if role not in set(Role):
        raise InvalidInput(f"Unknown role: {role}", {"role": "Unknown role."})
    if len(password) < MIN_PASSWORD_LENGTH:
        message = f"The password must be at least {MIN_PASSWORD_LENGTH} characters."
        raise InvalidInput(message, {"password": message})
    if role == Role.ORDERER and organisation_id is None:
        raise InvalidInput(
            "An orderer must belong to an organisation.", {"organisation": "Required."}
        )
    if organisation_id is not None and session.get(Organisation, organisation_id) is None:
        raise InvalidInput("Unknown organisation.", {"organisation": "Unknown organisation."})
    if find_user_by_email(session=session, email=email) is not None:
        raise Conflict(f"A user with the email {email} already exists.")
    user = User(
        email=email,
        password_hash=hash_password(password),
        role=Role(role),
        full_name=full_name,
        organisation_id=organisation_id,
        session_token=secrets.token_hex(16),
    )
    session.add(user)
    session.flush()
    record_audit(
        session=session,
        actor_id=actor_id,
        action="user.created",
        subject_type="user",
        subject_id=user.id,
        detail={"role": str(user.role), "organisation_id": organisation_id},
    )
    return user


def authenticate(*, session: Session, email: str, password: str) -> User | None:
    """Return the enabled user whose email and password match, else None."""
    user = find_user_by_email(session=session, email=email)
    if user is None:
        verify_password(DUMMY_HASH, password)
        return None
    # Verify before looking at is_enabled, so a disabled account answers as slowly as any other.
    if not verify_password(user.password_hash, password) or not user.is_enabled:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    session.add(user)
    return user


def end_all_sessions(*, session: Session, user: User) -> None:
    """Rotate the user's session token so every existing login cookie stops working."""
    user.session_token = secrets.token_hex(16)
    session.add(user)


@cache
def _user_by_id():
    """The signed-in user's select, built once: every page runs it (docs/performance.md)."""
    return select(User).where(User.id == bindparam("user_id"))


def load_user_by_session_id(*, session: Session, session_id: str) -> User | None:
    """Return the user for a login cookie id of the form ``<id>:<token>``, if still valid."""
    user_id, _, token = session_id.partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = session.exec(_user_by_id(), params={"user_id": int(user_id)}).first()
    if user is None or not secrets.compare_digest(user.session_token, token):
        return None
    return user
