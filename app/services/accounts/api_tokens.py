"""API tokens: create (the secret is shown once), revoke, list, and authenticate a bearer token."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import bindparam
from sqlmodel import Session, select

from app.models import ApiToken, User
from app.models.base import utcnow
from app.services.errors import Conflict, InvalidInput, NotFound
from app.services.messages import N_
from app.services.privacy.audit import record_audit

#: Every secret starts with this, so leaked tokens are easy to spot (e.g. by secret scanners).
TOKEN_PREFIX = "lvb_"
#: ``last_used_at`` is written at most this often, so most API reads stay reads.
LAST_USED_RESOLUTION = timedelta(minutes=5)


def hash_token(secret: str) -> str:
    """Return the stored form of a token: SHA-256 hex (the secret has 256 random bits)."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class NewToken:
    """A token just made: the row, and the secret that is never shown again."""

    token: ApiToken
    secret: str


def create_api_token(
    *,
    session: Session,
    user: User,
    name: str,
    actor_id: int | None,
    expires_at: datetime | None = None,
) -> NewToken:
    """Create a token bound to ``user``; return the secret to show once."""
    name = name.strip()
    if not name or len(name) > 100:
        raise InvalidInput(
            N_("The token has errors."), {"name": N_("Give the token a name (at most 100).")}
        )
    if not user.is_enabled:
        raise Conflict(N_("The account is disabled."))
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=name,
        token_hash=hash_token(secret),
        prefix=secret[:12],
        created_by_id=actor_id,
        expires_at=expires_at,
    )
    session.add(token)
    session.flush()
    record_audit(
        session=session,
        actor_id=actor_id,
        action="api_token.created",
        subject_type="user",
        subject_id=user.id,
        detail={"token_id": token.id, "name": name},
    )
    return NewToken(token, secret)


def revoke_api_token(
    *, session: Session, token_id: int, actor_id: int | None, now: datetime | None = None
) -> ApiToken:
    """Revoke a token at once; revoking twice is refused."""
    token = session.get(ApiToken, token_id)
    if token is None:
        raise NotFound(N_("No such token."))
    if token.revoked_at is not None:
        raise Conflict(N_("The token is already revoked."))
    token.revoked_at = now or utcnow()
    token.revoked_by_id = actor_id
    session.add(token)
    record_audit(
        session=session,
        actor_id=actor_id,
        action="api_token.revoked",
        subject_type="user",
        subject_id=token.user_id,
        detail={"token_id": token.id},
    )
    return token


def list_api_tokens(*, session: Session) -> list[tuple[ApiToken, User]]:
    """Return every token with its user, newest first."""
    query = select(ApiToken, User).join(User, User.id == ApiToken.user_id)
    return list(session.exec(query.order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


@cache
def _token_and_user():
    """A token and its user in one statement, built once: every API call runs it."""
    return (
        select(ApiToken, User)
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_hash == bindparam("token_hash"))
    )


def user_for_api_token(
    *, session: Session, secret: str, now: datetime | None = None
) -> User | None:
    """Return the enabled user of a valid, unrevoked, unexpired token, else None."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    # One statement for the token and its user: every API call runs this.
    found = session.exec(_token_and_user(), params={"token_hash": hash_token(secret)}).first()
    now = now or utcnow()
    if found is None:
        return None
    token, user = found
    if token.revoked_at is not None:
        return None
    if token.expires_at is not None and token.expires_at <= now:
        return None
    if not user.is_enabled:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        token.last_used_at = now
        session.add(token)
    return user
