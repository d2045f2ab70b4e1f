"""Password reset by a single-use link valid for an hour; the answer never says who has an account."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import EmailField
from wtforms.validators import DataRequired, Length

from app.db import get_session, mark_rollback
from app.extensions import limiter
from app.i18n import lazy_gettext as _l
from app.services.accounts import member_accounts as accounts
from app.services.accounts.member_accounts import RESET_SALT, request_password_reset
from app.web.auth.views import bp
from app.web.links import public_url
from app.web.pool_common import mail_translate
from app.web.welcome.views import password_page


class ResetRequestForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])


def _reset_limit() -> str:
    return current_app.config.get("PASSWORD_RESET_RATE_LIMIT", "5 per minute")


@bp.route("/password-reset", methods=["GET", "POST"])
@limiter.limit(_reset_limit, methods=["POST"])
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        request_password_reset(
            session=get_session(),
            email=form.email.data,
            link_for=lambda token: public_url("auth.reset_password", reset_token=token),
            secret=current_app.config["SECRET_KEY"],
            translate=mail_translate(),
        )
        # The same answer whether or not the address has an account (no user enumeration).
        flash(
            _(
                "If the address belongs to an account, a link to choose a new password is on its way."
            ),
            "info",
        )
        return redirect(url_for("auth.login"))
    status = 422 if form.is_submitted() else 200
    return render_template("auth/reset_request.html", form=form), status


@bp.route("/password-reset/<reset_token>", methods=["GET", "POST"])
def reset_password(reset_token: str):
    return password_page(
        reset_token,
        template="auth/reset_password.html",
        done=_l("Your new password is set; every other sign-in has ended. Sign in again."),
        salt=RESET_SALT,
        max_age=accounts.RESET_MAX_AGE,  # read at call time (tests shorten it)
    )


@bp.errorhandler(429)
def too_many_attempts(_error):
    """Say plainly that sign-in (or reset) is locked for a while, and what to do."""
    mark_rollback()
    if request.endpoint == "auth.reset_request":
        return render_template("auth/reset_request.html", form=ResetRequestForm(), locked=True), 429
    from app.web.auth.forms import LoginForm

    return render_template("auth/login.html", form=LoginForm(), locked=True), 429
