"""The set-password page that the invitation mail links to (no sign-in needed)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import EqualTo, InputRequired, Length

from app.db import get_session, mark_rollback
from app.i18n import lazy_gettext as _l
from app.services.accounts.member_accounts import set_password_with_token, user_for_password_token
from app.services.errors import InvalidInput, NotFound
from app.web.forms import apply_service_errors

bp = Blueprint("welcome", __name__)


class SetPasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password (at least 12 characters)"),
        validators=[InputRequired(), Length(min=12, max=200)],
    )
    repeat = PasswordField(
        _l("Repeat the password"),
        validators=[InputRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )


@bp.route("/welcome/<invite_token>", methods=["GET", "POST"])
def set_password(invite_token: str):
    return password_page(
        invite_token,
        template="welcome/set_password.html",
        done=_l("Your password is set. Sign in with your email and the new password."),
    )


def password_page(token: str, *, template: str, done: str, **token_rules):
    """Show and handle a set-password form reached by a signed link (404 when it is not valid).

    ``token_rules`` (salt, max_age) choose which kind of link: welcome (default) or reset.
    """
    rules = {"token": token, "secret": current_app.config["SECRET_KEY"], **token_rules}
    session = get_session()
    try:
        user = user_for_password_token(session=session, **rules)
    except NotFound:
        abort(404)
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            set_password_with_token(session=session, password=form.password.data, **rules)
        except InvalidInput as error:
            mark_rollback()
            apply_service_errors(form, error.fields)
            return render_template(template, form=form, user=user), 422
        flash(str(done), "success")
        return redirect(url_for("auth.login"))
    status = 422 if form.is_submitted() else 200
    return render_template(template, form=form, user=user), status
