"""Sign in, sign out and choose the language."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from app.db import get_session
from app.extensions import limiter
from app.services.accounts.organisations import ORGANISATION_DISABLED, organisation_is_disabled
from app.services.accounts.users import authenticate, end_all_sessions
from app.web.access import HOME_ENDPOINTS
from app.web.auth.forms import LoginForm

bp = Blueprint("auth", __name__)


def safe_next(target: str | None) -> str | None:
    """Return ``target`` if it is a same-site path, else None (no open redirects)."""
    if not target or "\\" in target or any(ord(char) < 32 for char in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _account_limit() -> str:
    return current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"]


def _account_key() -> str:
    """Count sign-in attempts per account: the e-mail address as submitted, normalised."""
    email = (request.form.get("email") or "").strip().lower()[:254]
    return f"account:{email}"


def _failed(response) -> bool:
    """Only a refused attempt counts: a successful sign-in redirects (302)."""
    return response.status_code != 302


# Two independent limits (docs/security.md): per client address (ProxyFix gives the real
# address when PROXY_COUNT is set) and per account, whatever address the attempts come from.
@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], scope="login-address", deduct_when=_failed)
@limiter.limit(
    _account_limit,
    methods=["POST"],
    key_func=_account_key,
    scope="login-account",
    deduct_when=_failed,
)
def login():
    if current_user.is_authenticated:
        return redirect(url_for(HOME_ENDPOINTS[current_user.role]))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(
            session=get_session(), email=form.email.data, password=form.password.data
        )
        if user is None:
            flash(_("Wrong email or password."), "error")
            return render_template("auth/login.html", form=form), 401
        lang = session.get("lang")
        session.clear()  # a fresh session on every login (no fixation)
        if lang:
            session["lang"] = lang
        login_user(user)
        session.permanent = True
        if organisation_is_disabled(session=get_session(), organisation_id=user.organisation_id):
            flash(_(ORGANISATION_DISABLED), "error")
        target = safe_next(request.args.get("next"))
        return redirect(target or url_for(HOME_ENDPOINTS[user.role]))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        end_all_sessions(session=get_session(), user=current_user)
    logout_user()
    session.clear()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/language/<code>", methods=["POST"])
def set_language(code: str):
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
    return redirect(safe_next(request.form.get("next")) or url_for("main.index"))


from app.web.auth import reset  # noqa: E402,F401  (registers the password-reset routes)
