"""Sign-in accounts for pool members, and one-time links to set a password."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable

from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlmodel import Session

from app.mail.outbox import queue_mail
from app.models import Member, User
from app.models.enums import Role
from app.services.accounts.passwords import MIN_PASSWORD_LENGTH, hash_password
from app.services.accounts.users import find_user_by_email, normalise_email
from app.services.errors import Conflict, InvalidInput, NotFound
from app.services.messages import N_

#: A set-password link is valid this long (seconds).
TOKEN_MAX_AGE = 14 * 24 * 3600
_SALT = "levbib-set-password"
#: A password-reset link is valid this long (seconds), and only until it is used.
RESET_MAX_AGE = 3600
RESET_SALT = "levbib-reset-password"
#: Marks an account that has no password yet (argon2 never produces it, so sign-in fails).
UNUSABLE_PREFIX = "!unset:"


def ensure_member_account(*, session: Session, member: Member) -> User | None:
    """Create a member account without a password for a member with an email; None if not made."""
    if member.user_id is not None or not member.email:
        return None
    email = normalise_email(member.email)
    if find_user_by_email(session=session, email=email) is not None:
        raise Conflict(N_("The email belongs to another account."))
    user = User(
        email=email,
        password_hash=UNUSABLE_PREFIX + secrets.token_hex(16),
        role=Role.MEMBER,
        full_name=member.display_name,
        session_token=secrets.token_hex(16),
    )
    session.add(user)
    session.flush()
    member.user_id = user.id
    session.add(member)
    return user


def _fingerprint(user: User) -> str:
    # Changes when the password does, so a link works once.
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def password_token(user: User, secret: str, *, salt: str = _SALT) -> str:
    """Return a signed, time-limited token for setting the user's password."""
    return URLSafeTimedSerializer(secret, salt=salt).dumps([user.id, _fingerprint(user)])


def user_for_password_token(
    *, session: Session, token: str, secret: str, salt: str = _SALT, max_age: int = TOKEN_MAX_AGE
) -> User:
    """Return the user a valid, unused token belongs to."""
    try:
        user_id, fingerprint = URLSafeTimedSerializer(secret, salt=salt).loads(
            token, max_age=max_age
        )
    except (BadSignature, ValueError, TypeError):
        raise NotFound(N_("The link is invalid or has expired.")) from None
    user = session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or not user.is_enabled or fingerprint != _fingerprint(user):
        raise NotFound(N_("The link is invalid or has expired."))
    return user


def set_password_with_token(
    *,
    session: Session,
    token: str,
    password: str,
    secret: str,
    salt: str = _SALT,
    max_age: int = TOKEN_MAX_AGE,
) -> User:
    """Set a password through a link; the link stops working afterwards."""
    user = user_for_password_token(
        session=session, token=token, secret=secret, salt=salt, max_age=max_age
    )
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            N_("The password is too short."),
            {"password": N_("Use at least 12 characters.")},
        )
    user.password_hash = hash_password(password)
    user.session_token = secrets.token_hex(16)
    session.add(user)
    return user


def queue_welcome_mail(
    session: Session, *, user: User, link: str, translate: Callable[..., str]
) -> None:
    """Queue the invitation to set a password and sign in."""
    queue_mail(
        session,
        to=user.email,
        subject=translate(N_("Welcome to the Living library – set your password")),
        body=translate(
            N_(
                "Hello %(name)s,\n\nyou are in the Living library's pool. Set your password "
                "with this link (valid for 14 days):\n\n%(link)s\n\nThen sign in to check your "
                "profile, your availability and your consent."
            ),
            name=user.full_name,
            link=link,
        ),
    )


def request_password_reset(
    *,
    session: Session,
    email: str,
    link_for: Callable[[str], str],
    secret: str,
    translate: Callable[..., str],
) -> None:
    """Queue a single-use reset link if the email has an enabled account; tell nobody either way.

    An unknown address costs the same work (a token signed and the mail written, then not
    queued), and neither path sends anything during the request (the outbox job does), so the
    answer's timing does not tell who has an account.
    """
    user = find_user_by_email(session=session, email=email)
    known = user is not None and user.is_enabled
    if not known:
        user = User(id=0, email=normalise_email(email), password_hash=secrets.token_hex(16))
    token = password_token(user, secret, salt=RESET_SALT)
    subject = translate(N_("Reset your password – Living library"))
    body = translate(
        N_(
            "Someone (hopefully you) asked to reset the password for %(email)s.\n\n"
            "Choose a new password with this link within an hour; it works once:\n\n"
            "%(link)s\n\nIf it was not you, ignore this mail: your password stays as it is."
        ),
        email=user.email,
        link=link_for(token),
    )
    if known:
        queue_mail(session, to=user.email, subject=subject, body=body)
