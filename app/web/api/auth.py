"""Bearer-token authentication for the API, and the role each operation requires.

The API never reads the session cookie: a call is authenticated by its token or not at all,
which is why the API may be exempt from CSRF checks (a browser never adds a bearer token by
itself, so a forged cross-site request carries no credentials).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import g, request

from app.db import get_session
from app.models import User
from app.models.enums import Role
from app.services.accounts.api_tokens import user_for_api_token
from app.web.api.errors import ApiError


def bearer_secret() -> str | None:
    """Return the token in ``Authorization: Bearer <token>``, or None."""
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    return secret.strip()


def authenticate_request() -> None:
    """Put the token's user on ``g.api_user``; raise 401 without a valid token."""
    secret = bearer_secret()
    user = user_for_api_token(session=get_session(), secret=secret) if secret else None
    if user is None:
        raise ApiError(401)
    g.api_user = user


def api_user() -> User:
    """Return the user the request's token belongs to."""
    return g.api_user


def roles(*allowed: Role) -> Callable:
    """Let only tokens of users with one of ``allowed`` roles call the operation (else 403)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if api_user().role not in allowed:
                raise ApiError(403)
            return view(*args, **kwargs)

        names = ", ".join(str(role) for role in allowed)
        wrapped.__doc__ = f"{(view.__doc__ or '').rstrip()}\n\nRoles: {names}."
        wrapped.allowed_roles = tuple(allowed)
        return wrapped

    return decorator


def rate_limit_key() -> str:
    """Count API calls per token (hashed), or per address for calls without one."""
    from flask_limiter.util import get_remote_address

    from app.services.accounts.api_tokens import hash_token

    secret = bearer_secret()
    return f"token:{hash_token(secret)}" if secret else f"addr:{get_remote_address()}"
