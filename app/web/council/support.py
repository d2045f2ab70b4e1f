"""The council's support of the booked people: conflicts of interest, the contact person and
debriefs (issue 19; services in ``app/services/journey``)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import clock
from app.db import get_session, mark_rollback
from app.mail.settings import mail_context
from app.models import Assignment, DebriefRequest
from app.models.enums import RequestAction, Role
from app.services.errors import Conflict, InvalidInput
from app.services.journey.conflicts import decide_conflict, declared_conflicts
from app.services.journey.coordinator import coordinator_of, council_users, set_coordinator
from app.services.journey.debriefs import handle_debrief, open_debriefs
from app.services.journey.group_size import needs_two
from app.services.privacy.audit import record_read
from app.services.requests.history import request_history
from app.web.access import role_required
from app.web.council.forms import ConflictDecisionForm, CoordinatorForm, DebriefHandledForm
from app.web.council.request_page import load_request, render_request_page
from app.web.council.views import bp
from app.web.forms import apply_service_errors
from app.web.labels import options


def support_state(booking_request, forms: dict | None = None, history=None) -> dict:
    """Return the request page's support parts: conflicts, contact person, below-two reasons.

    ``history``: the request's ``request_history``, when the page has read it already.
    """
    session, forms = get_session(), forms or {}
    conflicts = declared_conflicts(session=session, request_id=booking_request.id)
    conflict_forms = {
        assignment.id: forms.get(f"conflict-{assignment.id}")
        or ConflictDecisionForm(prefix=f"conflict-{assignment.id}", formdata=None)
        for assignment, _member in conflicts
        if not assignment.conflict_decision
    }
    coordinator_form = forms.get("coordinator") or CoordinatorForm(
        prefix="coordinator", coordinator_id=booking_request.coordinator_id, formdata=None
    )
    coordinator_form.coordinator_id.choices = options(council_users(session=session))
    below_two = [
        event
        for event, _actor in (
            history
            if history is not None
            else request_history(session=session, request_id=booking_request.id)
        )
        if event.action == RequestAction.APPROVED_BELOW_TWO
    ]
    return {
        "conflicts": conflicts,
        "conflict_forms": conflict_forms,
        "coordinator": coordinator_of(session=session, booking_request=booking_request),
        "coordinator_form": coordinator_form,
        "needs_two": needs_two(
            assignment_type=booking_request.assignment_type,
            is_standing=booking_request.is_standing,
        ),
        "below_two": below_two,
    }


def _refused(booking_request, error, name: str, form):
    mark_rollback()
    flash(_(str(error)), "error")
    if isinstance(error, InvalidInput):
        apply_service_errors(form, error.fields)
    status = 409 if isinstance(error, Conflict) else 422
    return render_request_page(booking_request, forms={name: form}, status=status)


@bp.post("/requests/<int:request_id>/conflicts/<int:assignment_id>")
@role_required(Role.COUNCIL)
def decide_conflict_view(request_id: int, assignment_id: int):
    booking_request = load_request(request_id)
    assignment = get_session().get(Assignment, assignment_id)
    if assignment is None or assignment.request_id != booking_request.id:
        abort(404)
    name = f"conflict-{assignment_id}"
    form = ConflictDecisionForm(prefix=name)
    if not form.validate_on_submit():
        return render_request_page(booking_request, forms={name: form}, status=422)
    try:
        decide_conflict(
            session=get_session(),
            assignment=assignment,
            decision=form.decision.data,
            note=form.note.data or "",
            actor=current_user,
            ctx=mail_context(),
            now=clock.now(),
        )
    except (InvalidInput, Conflict) as error:
        return _refused(booking_request, error, name, form)
    if form.decision.data == "replace":
        flash(_("The person is released and the place goes to replacement."), "success")
    else:
        flash(_("The decision to keep the person is recorded."), "success")
    return redirect(url_for("council.request_detail", request_id=request_id) + "#conflicts")


@bp.post("/requests/<int:request_id>/coordinator")
@role_required(Role.COUNCIL)
def set_coordinator_view(request_id: int):
    booking_request = load_request(request_id)
    form = CoordinatorForm(prefix="coordinator")
    form.coordinator_id.choices = options(council_users(session=get_session()))
    if not form.validate_on_submit():
        return render_request_page(booking_request, forms={"coordinator": form}, status=422)
    try:
        set_coordinator(
            session=get_session(),
            booking_request=booking_request,
            coordinator_id=form.coordinator_id.data,
            actor=current_user,
        )
    except InvalidInput as error:
        return _refused(booking_request, error, "coordinator", form)
    flash(_("The contact person is saved."), "success")
    return redirect(url_for("council.request_detail", request_id=request_id) + "#contact-person")


def _debriefs_page(forms: dict | None = None, status: int = 200):
    session, forms = get_session(), forms or {}
    rows = open_debriefs(session=session)
    # What members wrote may touch their health: reading the list is on record.
    record_read(
        session=session,
        actor_id=current_user.id,
        action="debrief.list.read",
        subject_type="debrief_request",
        detail={"ids": [debrief.id for debrief, _member, _request in rows]},
    )
    handle_forms = {
        debrief.id: forms.get(debrief.id)
        or DebriefHandledForm(prefix=f"debrief-{debrief.id}", formdata=None)
        for debrief, _member, _request in rows
    }
    return render_template(
        "council/debriefs.html", rows=rows, forms=handle_forms, title=_("Debriefs")
    ), status


@bp.route("/debriefs")
@role_required(Role.COUNCIL)
def debriefs():
    return _debriefs_page()


@bp.post("/debriefs/<int:debrief_id>")
@role_required(Role.COUNCIL)
def handle_debrief_view(debrief_id: int):
    debrief = get_session().get(DebriefRequest, debrief_id)
    if debrief is None:
        abort(404)
    form = DebriefHandledForm(prefix=f"debrief-{debrief_id}")
    if not form.validate_on_submit():
        return _debriefs_page({debrief_id: form}, 422)
    try:
        handle_debrief(
            session=get_session(),
            debrief=debrief,
            note=form.note.data,
            actor=current_user,
            now=clock.now(),
        )
    except (InvalidInput, Conflict) as error:
        mark_rollback()
        flash(_(str(error)), "error")
        return _debriefs_page({debrief_id: form}, 409 if isinstance(error, Conflict) else 422)
    flash(_("The debrief request is closed."), "success")
    return redirect(url_for("council.debriefs"))
