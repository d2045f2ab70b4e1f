"""The printable agreement (överenskommelse) of one assignment."""

from __future__ import annotations

from flask import abort, render_template
from flask_login import current_user

from app.db import get_session
from app.i18n import local_zone
from app.models.enums import Role
from app.services.agreements import agreement_for
from app.services.errors import NotFound
from app.web.access import role_required
from app.web.compensation.settings import hourly_rule
from app.web.compensation.views import bp


@bp.route("/agreements/<int:assignment_id>")
@role_required(Role.MEMBER, Role.ORDERER, Role.COUNCIL)
def agreement(assignment_id: int):
    try:
        data = agreement_for(
            session=get_session(),
            user=current_user,
            assignment_id=assignment_id,
            zone=local_zone(),
            hourly_rule=hourly_rule(),
        )
    except NotFound:
        abort(404)
    return render_template("compensation/agreement.html", agreement=data)
