"""The administrator's page for API tokens: create (the secret is shown once) and revoke."""

from __future__ import annotations

from datetime import datetime, time

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlmodel import select
from wtforms import DateField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from app import clock
from app.db import get_session, mark_rollback
from app.i18n import lazy_gettext as _l
from app.models import User
from app.models.enums import Role
from app.services.accounts.api_tokens import create_api_token, list_api_tokens, revoke_api_token
from app.services.errors import Conflict, InvalidInput, NotFound
from app.web.access import role_required
from app.web.forms import apply_service_errors
from app.web.labels import label, options

bp = Blueprint("api_tokens", __name__, url_prefix="/admin/api-tokens")


class TokenForm(FlaskForm):
    user_id = SelectField(_l("Acts as user"), coerce=int, validators=[DataRequired()])
    name = StringField(_l("What is it for?"), validators=[DataRequired(), Length(max=100)])
    expires_on = DateField(_l("Valid until (optional)"), validators=[Optional()])


class RevokeForm(FlaskForm):
    """Only the CSRF token: revoking needs no input."""


def _form() -> TokenForm:
    form = TokenForm()
    users = get_session().exec(select(User).where(User.is_enabled).order_by(User.email))
    form.user_id.choices = options((u.id, f"{u.email} ({label(Role, u.role)})") for u in users)
    return form


def _page(form: TokenForm, secret: str | None = None, status: int = 200):
    return render_template(
        "api_tokens/tokens.html",
        form=form,
        tokens=list_api_tokens(session=get_session()),
        revoke_form=RevokeForm(),
        secret=secret,
    ), status


@bp.route("/", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def tokens():
    form = _form()
    if not form.validate_on_submit():
        return _page(form, status=422 if form.is_submitted() else 200)
    session = get_session()
    user = session.get(User, form.user_id.data)
    expires = (
        datetime.combine(form.expires_on.data, time(23, 59), tzinfo=clock.zone())
        if form.expires_on.data
        else None
    )
    try:
        made = create_api_token(
            session=session,
            user=user,
            name=form.name.data,
            actor_id=current_user.id,
            expires_at=expires,
        )
    except (InvalidInput, Conflict) as error:
        mark_rollback()
        general = apply_service_errors(form, getattr(error, "fields", {}))
        flash("; ".join(general) if general else _(str(error)), "error")
        return _page(form, status=422)
    # Shown in this response only: never flashed, since the session cookie is not encrypted.
    return _page(_form(), secret=made.secret)


@bp.post("/<int:token_id>/revoke")
@role_required(Role.ADMIN)
def revoke(token_id: int):
    if not RevokeForm().validate_on_submit():
        abort(400)
    try:
        revoke_api_token(session=get_session(), token_id=token_id, actor_id=current_user.id)
    except NotFound:
        abort(404)
    except Conflict as error:
        flash(_(str(error)), "error")
        return redirect(url_for("api_tokens.tokens"))
    flash(_("The token is revoked. Calls with it are refused from now on."), "success")
    return redirect(url_for("api_tokens.tokens"))
