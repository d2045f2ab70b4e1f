"""The printable agreement (överenskommelse) of one assignment and the member's declaration."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import clock
from app.config import fee_hourly_rule
from app.db import get_session, mark_rollback
from app.models.enums import Role
from app.services.compensation.agreements import agreement_for, declare_conflicts
from app.services.errors import Conflict, InvalidInput, NotFound
from app.web.access import role_required
from app.web.compensation.forms import DeclarationForm
from app.web.compensation.views import bp
from app.web.forms import apply_service_errors


def _render(assignment_id: int, form: DeclarationForm, general=(), status: int = 200):
    try:
        data = agreement_for(
            session=get_session(),
            user=current_user,
            assignment_id=assignment_id,
            zone=clock.zone(),
            hourly_rule=fee_hourly_rule(current_app.config),
        )
    except NotFound:
        abort(404)
    is_own = current_user.role == Role.MEMBER and data.member.user_id == current_user.id
    if is_own and not form.is_submitted() and data.assignment.conflict_declared_at:
        form.has_interests.data = "yes" if data.assignment.conflict_declaration else "no"
        form.interests.data = data.assignment.conflict_declaration
    return render_template(
        "compensation/agreement.html",
        agreement=data,
        form=form if is_own else None,
        general_errors=list(general),
    ), status


@bp.route("/agreements/<int:assignment_id>")
@role_required(Role.MEMBER, Role.ORDERER, Role.COUNCIL)
def agreement(assignment_id: int):
    return _render(assignment_id, DeclarationForm())


@bp.route("/agreements/<int:assignment_id>/declaration", methods=["POST"])
@role_required(Role.MEMBER)
def declare(assignment_id: int):
    form = DeclarationForm()
    if not form.validate_on_submit():
        return _render(assignment_id, form, status=422)
    try:
        declare_conflicts(
            session=get_session(),
            user=current_user,
            assignment_id=assignment_id,
            has_interests=form.has_interests.data == "yes",
            interests=form.interests.data or "",
        )
    except NotFound:
        abort(404)
    except (InvalidInput, Conflict) as error:
        mark_rollback()
        general = apply_service_errors(form, getattr(error, "fields", {}))
        return _render(assignment_id, form, general or [_(str(error))], 422)
    flash(_("Your conflict-of-interest declaration is signed."), "success")
    return redirect(url_for("compensation.agreement", assignment_id=assignment_id))
