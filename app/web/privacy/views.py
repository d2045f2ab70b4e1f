"""The member's consent page and the download of everything stored about them."""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.db import get_session
from app.models.enums import Role
from app.services.errors import Conflict
from app.services.pool.profile import member_experiences
from app.services.privacy.consent import CONSENT_TEXT_VERSION, give_consent, withdraw_consent
from app.services.privacy.my_data import export_member_data
from app.web.access import role_required
from app.web.availability.forms import EmptyForm
from app.web.pool_common import own_member

bp = Blueprint("privacy", __name__, url_prefix="/me")


@bp.route("/consent")
@role_required(Role.MEMBER)
def consent():
    member = own_member()
    return render_template(
        "privacy/consent.html",
        member=member,
        experiences=member_experiences(session=get_session(), member_id=member.id),
        version=CONSENT_TEXT_VERSION,
        form=EmptyForm(),
    )


@bp.route("/consent/give", methods=["POST"])
@role_required(Role.MEMBER)
def give():
    if not EmptyForm().validate_on_submit():
        abort(400)
    give_consent(session=get_session(), member=own_member(), actor_id=current_user.id)
    flash(_("Thank you. Your consent is recorded."), "success")
    return redirect(url_for("privacy.consent"))


@bp.route("/consent/withdraw", methods=["POST"])
@role_required(Role.MEMBER)
def withdraw():
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        withdraw_consent(session=get_session(), member=own_member(), actor_id=current_user.id)
    except Conflict as error:
        flash(_(str(error)), "error")
        return redirect(url_for("privacy.consent"))
    flash(_("Your consent is withdrawn. You will not be asked for new assignments."), "success")
    return redirect(url_for("privacy.consent"))


@bp.route("/data.json")
@role_required(Role.MEMBER)
def my_data():
    data = export_member_data(session=get_session(), member=own_member())
    body = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)
    response = Response(body, mimetype="application/json")
    response.headers["Content-Disposition"] = 'attachment; filename="mina-uppgifter.json"'
    response.headers["Cache-Control"] = "no-store"
    return response
