"""Privacy: the public notice, the member's rights page, and the council's extract and erasure."""

from __future__ import annotations

import json

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.db import get_session, mark_rollback
from app.i18n import lazy_gettext as _l
from app.models.enums import Role
from app.services.errors import Conflict, InvalidInput, NotFound
from app.services.pool.member_admin import get_member
from app.services.privacy.erasure import REQUEST_KINDS, ask_council, erase_member, register_extract
from app.web.access import role_required
from app.web.forms import apply_service_errors
from app.web.labels import options
from app.web.pool_common import council_mailbox, mail_translate, own_member

bp = Blueprint("gdpr", __name__)


class PrivacyRequestForm(FlaskForm):
    kind = SelectField(
        _l("I want you to"), choices=options((k, _l(v)) for k, v in REQUEST_KINDS.items())
    )
    message = TextAreaField(
        _l("What should change? (optional for erasure)"), validators=[Length(max=4000)]
    )


class EraseForm(FlaskForm):
    confirm = BooleanField(
        _l("The member has asked for erasure, and I have checked who asked."),
        validators=[DataRequired()],
    )


@bp.route("/privacy")
def notice():
    """The privacy notice: purposes, legal basis, retention, recipients, rights, contact."""
    from app.jobs.settings import job_settings

    config = current_app.config
    return render_template(
        "gdpr/notice.html",
        controller=config.get("PRIVACY_CONTROLLER", ""),
        contact=config.get("PRIVACY_CONTACT") or config["COUNCIL_MAILBOX"],
        retention_days=job_settings(config).retention_days,
    )


def _rights_page(form: PrivacyRequestForm, status: int = 200):
    return render_template("gdpr/my_privacy.html", member=own_member(), form=form), status


@bp.route("/me/privacy")
@role_required(Role.MEMBER)
def my_privacy():
    return _rights_page(PrivacyRequestForm())


@bp.post("/me/privacy/request")
@role_required(Role.MEMBER)
def privacy_request():
    form = PrivacyRequestForm()
    if not form.validate_on_submit():
        return _rights_page(form, 422)
    try:
        ask_council(
            session=get_session(),
            member=own_member(),
            kind=form.kind.data,
            message=form.message.data or "",
            actor_id=current_user.id,
            council_mailbox=council_mailbox(),
            translate=mail_translate(),
        )
    except InvalidInput as error:
        mark_rollback()
        apply_service_errors(form, error.fields)
        return _rights_page(form, 422)
    flash(_("Your request is sent to the council. They answer within a month."), "success")
    return redirect(url_for("gdpr.my_privacy"))


def _member_or_404(member_id: int):
    try:
        return get_member(session=get_session(), member_id=member_id)
    except NotFound:
        abort(404)


@bp.route("/council/members/<int:member_id>/extract.json")
@role_required(Role.COUNCIL)
def extract(member_id: int):
    """Everything stored about one member, to hand over on request (register extract)."""
    member = _member_or_404(member_id)
    data = register_extract(session=get_session(), member=member, actor_id=current_user.id)
    body = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)
    response = Response(body, mimetype="application/json")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="registerutdrag-{member.id}.json"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/council/members/<int:member_id>/erase", methods=["GET", "POST"])
@role_required(Role.COUNCIL)
def erase(member_id: int):
    member = _member_or_404(member_id)
    form = EraseForm()
    if not form.validate_on_submit():
        status = 422 if form.is_submitted() else 200
        return render_template("gdpr/erase.html", member=member, form=form), status
    try:
        pseudonym, files = erase_member(
            session=get_session(), member=member, actor_id=current_user.id
        )
    except Conflict as error:
        mark_rollback()
        flash(_(str(error)), "error")
        return render_template("gdpr/erase.html", member=member, form=form), 409
    g.receipt_files_to_delete = files
    flash(
        _("The personal data is erased; bookkeeping is kept under %(name)s.", name=pseudonym),
        "success",
    )
    return redirect(url_for("pool_admin.detail", member_id=member.id))


@bp.teardown_request
def _delete_receipt_files(error) -> None:
    """Remove receipt files of deleted claims once the erasure has committed."""
    files = g.pop("receipt_files_to_delete", None)
    if not files or error is not None or g.get("db_rollback"):
        return
    from app.config import receipt_folder

    for name in files:
        (receipt_folder(current_app.config) / name).unlink(missing_ok=True)
