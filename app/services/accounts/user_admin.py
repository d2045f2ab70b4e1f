"""The administrator edits, disables and enables accounts; every change is audited before/after."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, func, select

from app.models import ApiToken, Member, Organisation, User
from app.models.base import utcnow
from app.models.enums import Role
from app.services.accounts.users import end_all_sessions, find_user_by_email, normalise_email
from app.services.errors import Conflict, InvalidInput, NotFound
from app.services.messages import N_
from app.services.privacy.audit import record_audit
from app.services.text_rules import email_error, one_line_error

#: The fields an administrator may change, in the order the audit entry lists them.
EDITABLE = ("email", "full_name", "role", "organisation_id")


def get_user(*, session: Session, user_id: int) -> User:
    """Return the account or raise NotFound."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(N_("No such user."))
    return user


def _too_long(value: str, limit: int) -> str | None:
    return N_("The text is too long.") if len(value) > limit else None


def _enabled_admins(session: Session) -> int:
    query = select(func.count()).where(User.role == Role.ADMIN, User.is_enabled.is_(True))
    return session.exec(query).one()


def _check_edit(
    session: Session, user: User, email: str, full_name: str, role: str, org_id: int | None
) -> None:
    if message := email_error(email) or (None if email else N_("An email is required.")):
        raise InvalidInput(message, {"email": message})
    if message := one_line_error(full_name) or _too_long(full_name, 200):
        raise InvalidInput(message, {"full_name": message})
    if role not in set(Role):
        raise InvalidInput(N_("Choose one of the listed values."), {"role": N_("Unknown role.")})
    # A member's account belongs to a pool row; the council manages those (docs/domain.md §2).
    has_member = session.exec(select(Member.id).where(Member.user_id == user.id)).first()
    if (role == Role.MEMBER) != (user.role == Role.MEMBER) or (has_member and role != user.role):
        message = N_("A pool member's account keeps its role; other accounts cannot become one.")
        raise InvalidInput(message, {"role": message})
    if role == Role.ORDERER and org_id is None:
        message = N_("An orderer must belong to an organisation.")
        raise InvalidInput(message, {"organisation_id": message})
    if org_id is not None and session.get(Organisation, org_id) is None:
        message = N_("Unknown organisation.")
        raise InvalidInput(message, {"organisation_id": message})
    other = find_user_by_email(session=session, email=email)
    if other is not None and other.id != user.id:
        raise Conflict(N_("Another account already has that email."))
    if user.role == Role.ADMIN and role != Role.ADMIN and _enabled_admins(session) <= 1:
        raise Conflict(N_("The last enabled administrator cannot lose the role."))


def update_user(
    *,
    session: Session,
    user_id: int,
    email: str,
    full_name: str,
    role: str,
    organisation_id: int | None,
    actor_id: int | None,
) -> dict[str, list]:
    """Change an account's email, name, role and organisation; return the changes made.

    Only orderers keep an organisation. A changed email or role ends the account's sessions, so
    the next request signs in again with what the account now is.
    """
    user = get_user(session=session, user_id=user_id)
    email, full_name = normalise_email(email), full_name.strip()
    organisation_id = organisation_id if role == Role.ORDERER else None
    _check_edit(session, user, email, full_name, role, organisation_id)
    wanted = {
        "email": email,
        "full_name": full_name,
        "role": str(role),
        "organisation_id": organisation_id,
    }
    changes = {
        name: [getattr(user, name), value]
        for name, value in wanted.items()
        if getattr(user, name) != value
    }
    if not changes:
        return {}
    for name, (_before, after) in changes.items():
        setattr(user, name, after)
    if "email" in changes or "role" in changes:
        end_all_sessions(session=session, user=user)
    session.add(user)
    record_audit(
        session=session,
        actor_id=actor_id,
        action="user.updated",
        subject_type="user",
        subject_id=user.id,
        detail={"changes": changes},
    )
    return changes


def set_user_enabled(
    *,
    session: Session,
    user_id: int,
    enabled: bool,
    actor_id: int | None,
    now: datetime | None = None,
) -> User:
    """Disable an account (sign-in refused, sessions ended, API tokens revoked) or enable it.

    Revoked tokens stay revoked when the account is enabled again: a new token is made on purpose.
    """
    user = get_user(session=session, user_id=user_id)
    if user.is_enabled == enabled:
        raise Conflict(
            N_("The account is already enabled.") if enabled else N_("The account is disabled.")
        )
    if not enabled and user.id == actor_id:
        raise Conflict(N_("You cannot disable your own account."))
    if not enabled and user.role == Role.ADMIN and _enabled_admins(session) <= 1:
        raise Conflict(N_("The last enabled administrator cannot be disabled."))
    user.is_enabled = enabled
    detail: dict = {}
    if not enabled:
        end_all_sessions(session=session, user=user)
        detail["tokens_revoked"] = _revoke_tokens(session, user, actor_id, now or utcnow())
    session.add(user)
    record_audit(
        session=session,
        actor_id=actor_id,
        action="user.enabled" if enabled else "user.disabled",
        subject_type="user",
        subject_id=user.id,
        detail=detail,
    )
    return user


def _revoke_tokens(session: Session, user: User, actor_id: int | None, now: datetime) -> int:
    tokens = session.exec(
        select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    ).all()
    for token in tokens:
        token.revoked_at, token.revoked_by_id = now, actor_id
        session.add(token)
    return len(tokens)
