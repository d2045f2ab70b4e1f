"""Route-level access control by role."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user

from app.extensions import login_manager
from app.models.enums import Role


def role_required(*roles: Role) -> Callable:
    """Let only signed-in users with one of ``roles`` in; others get a login redirect or 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = tuple(roles)
        return wrapped

    return decorator


HOME_ENDPOINTS = {
    Role.ADMIN: "admin.home",
    Role.COUNCIL: "council.home",
    Role.ORDERER: "orders.home",
    Role.MEMBER: "member.home",
}
