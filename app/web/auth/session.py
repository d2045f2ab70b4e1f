"""flask-login wiring: cookie ids carry a rotating token, so logout ends sessions server-side."""

from __future__ import annotations

from flask import Flask

from app.db import get_session
from app.extensions import login_manager
from app.services.accounts.users import load_user_by_session_id


def init_login(app: Flask) -> None:
    """Attach flask-login to this app and configure how it loads the signed-in user."""
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def _load(session_id: str):
        user = load_user_by_session_id(session=get_session(), session_id=session_id)
        return user if user is not None and user.is_active else None
