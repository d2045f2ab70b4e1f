"""The council's pages on matching: the weights (with a preview) and the acceptance model."""

from __future__ import annotations

from dataclasses import asdict

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.db import get_session, mark_rollback
from app.models.enums import Role
from app.services.errors import InvalidInput
from app.services.matchmaking.acceptance_model import answer_count, in_use, model_versions
from app.services.matchmaking.weights import (
    WEIGHT_NAMES,
    check_weights,
    current_weights,
    preview_weights,
    save_weights,
)
from app.services.privacy.audit import record_read
from app.web.access import role_required
from app.web.council.model_forms import WEIGHT_HINTS, WeightsForm
from app.web.council.views import bp
from app.web.forms import apply_service_errors
from matching.acceptance import LIKELY_NO, LIKELY_YES, MIN_SAMPLES


@bp.route("/weights", methods=["GET", "POST"])
@role_required(Role.COUNCIL)
def weights():
    """Show the weights in force; preview new ones on the undecided requests; save them."""
    session = get_session()
    in_force = current_weights(session=session)
    if request.method == "GET":
        form = WeightsForm(formdata=None, **asdict(in_force))
        return _render(form, in_force)
    form = WeightsForm()
    if not form.validate_on_submit():
        return _render(form, in_force, status=422)
    values = {name: float(getattr(form, name).data) for name in WEIGHT_NAMES}
    try:
        new = check_weights(values)
    except InvalidInput as error:
        general = apply_service_errors(form, error.fields)
        return _render(form, in_force, status=422, general=[_(str(error)), *general])
    if form.save.data:
        save_weights(session=session, weights=new, actor_id=current_user.id)
        flash(_("The weights are saved and used by every new proposal."), "success")
        return redirect(url_for("council.weights"))
    preview = preview_weights(session=session, weights=new)
    record_read(
        session=session,
        actor_id=current_user.id,
        action="request.proposal.read",
        subject_type="booking_request",
        detail={"preview": True, "requests": [row.request.id for row in preview]},
    )
    return _render(form, in_force, preview=preview)


def _render(form, in_force, *, status=200, preview=None, general=()):
    if status != 200:
        mark_rollback()
    return render_template(
        "council/weights.html",
        form=form,
        hints=WEIGHT_HINTS,
        names=WEIGHT_NAMES,
        in_force=asdict(in_force),
        preview=preview,
        general=list(general),
        title=_("Matching weights"),
    ), status


@bp.route("/model")
@role_required(Role.COUNCIL)
def acceptance_model():
    """Show the acceptance model in use: figures, calibration, and the earlier versions."""
    session = get_session()
    versions = model_versions(session=session)
    return render_template(
        "council/model.html",
        current=versions[0] if versions else None,
        current_in_use=in_use(versions[0]) if versions else False,
        versions=versions,
        answers=answer_count(session=session),
        minimum=MIN_SAMPLES,
        likely_yes=round(100 * LIKELY_YES),
        likely_no=round(100 * LIKELY_NO),
        title=_("Acceptance model"),
    )
