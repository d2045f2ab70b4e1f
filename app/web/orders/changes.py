"""The orderer after sending: edit before approval, propose a change after, cancel with a reason."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import clock
from app.db import get_session, mark_rollback
from app.i18n import current_language
from app.mail.settings import mail_context
from app.models.base import utcnow
from app.models.enums import Role
from app.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.services.journey.request_cancel import cancel_by_orderer
from app.services.journey.request_changes import changes_overview, is_changeable, propose_change
from app.services.journey.request_edits import edit_request, is_editable
from app.services.journey.request_fields import change_lines
from app.services.requests.states import allowed_steps
from app.services.requests.submission import get_request_for, request_sessions
from app.web.access import role_required
from app.web.confirm import confirmation_page, is_confirmed
from app.web.forms import apply_service_errors
from app.web.orders.change_forms import (
    ORDERER_CANCEL,
    CancelForm,
    ChangeForm,
    form_input,
    prefilled,
)
from app.web.orders.forms import RequestForm
from app.web.orders.views import bp


def _own_request(request_id: int):
    try:
        return get_request_for(session=get_session(), user=current_user, request_id=request_id)
    except NotFound:
        abort(404)


def changes_context(booking_request, cancel_form=None) -> dict:
    """Return the orderer page's part about changes: links, the changes in words, cancelling."""
    session = get_session()
    overview = changes_overview(session=session, request_id=booking_request.id)
    locale = current_language()
    return {
        "can_edit": is_editable(booking_request),
        "can_change": is_changeable(booking_request),
        "waiting_change": overview.pending if is_changeable(booking_request) else None,
        "changes": [
            (
                change,
                change_lines(session=session, changes=change.changes, translate=_, locale=locale),
            )
            for change in overview.changes
        ],
        "change_released": overview.released,
        "can_cancel": "cancelled" in allowed_steps(booking_request),
        "cancel_form": cancel_form or CancelForm(prefix="cancel", formdata=None),
        "cancel_confirmation": ORDERER_CANCEL,
    }


def _form_page(form, booking_request, *, heading, submit_label, status=200, general=()):
    return render_template(
        "orders/new.html",
        form=form,
        general_errors=list(general),
        heading=heading,
        submit_label=submit_label,
        hide_sessions=isinstance(form, ChangeForm),
        back_url=url_for("orders.detail", request_id=booking_request.id),
    ), status


@bp.route("/<int:request_id>/edit", methods=["GET", "POST"])
@role_required(Role.ORDERER)
def edit(request_id: int):
    """Edit a request the council has not approved yet (the request form, prefilled)."""
    booking_request = _own_request(request_id)
    if not is_editable(booking_request):
        return redirect(url_for("orders.change", request_id=request_id))
    zone = clock.zone()
    items = request_sessions(session=get_session(), request_id=request_id)
    form = prefilled(RequestForm, booking_request, items, zone)
    page = {"heading": _("Edit the request"), "submit_label": _("Save the changes")}
    if not form.validate_on_submit():
        return _form_page(form, booking_request, **page, status=422 if form.is_submitted() else 200)
    try:
        changes = edit_request(
            session=get_session(),
            booking_request=booking_request,
            data=form_input(form, booking_request, zone),
            actor=current_user,
            now=utcnow(),
        )
    except (InvalidInput, Conflict, Forbidden) as error:
        mark_rollback()
        general = apply_service_errors(form, getattr(error, "fields", {}) or {})
        return _form_page(form, booking_request, **page, status=422, general=general)
    flash(_("The request is saved.") if changes else _("Nothing was changed."), "success")
    return redirect(url_for("orders.detail", request_id=request_id))


@bp.route("/<int:request_id>/change", methods=["GET", "POST"])
@role_required(Role.ORDERER)
def change(request_id: int):
    """Propose a change to an approved request; the council decides."""
    booking_request = _own_request(request_id)
    if is_editable(booking_request):
        return redirect(url_for("orders.edit", request_id=request_id))
    if not is_changeable(booking_request):
        flash(_("This request cannot take that step in its current state."), "error")
        return redirect(url_for("orders.detail", request_id=request_id))
    zone = clock.zone()
    items = request_sessions(session=get_session(), request_id=request_id)
    form = prefilled(ChangeForm, booking_request, items, zone)
    page = {"heading": _("Propose a change"), "submit_label": _("Send the change to the council")}
    if not form.validate_on_submit():
        return _form_page(form, booking_request, **page, status=422 if form.is_submitted() else 200)
    try:
        propose_change(
            session=get_session(),
            booking_request=booking_request,
            data=form_input(form, booking_request, zone),
            reason=form.reason.data or "",
            actor=current_user,
            ctx=mail_context(),
            now=utcnow(),
        )
    except (InvalidInput, Conflict, Forbidden) as error:
        mark_rollback()
        general = apply_service_errors(form, getattr(error, "fields", {}) or {})
        if not general and not getattr(error, "fields", None):
            general = [_(str(error))]
        return _form_page(form, booking_request, **page, status=409, general=general)
    flash(_("Your change has been sent to the council."), "success")
    return redirect(url_for("orders.detail", request_id=request_id))


@bp.post("/<int:request_id>/cancel")
@role_required(Role.ORDERER)
def cancel(request_id: int):
    """Cancel the request with a reason, after a confirmation step."""
    from app.web.orders.views import detail

    booking_request = _own_request(request_id)
    form = CancelForm(prefix="cancel")
    if not form.validate_on_submit():
        return detail(request_id, status=422, cancel_form=form)
    back = url_for("orders.detail", request_id=request_id)
    if not is_confirmed():
        return confirmation_page(ORDERER_CANCEL, back_url=back)
    try:
        done = cancel_by_orderer(
            session=get_session(),
            booking_request=booking_request,
            reason=form.reason.data,
            actor=current_user,
            ctx=mail_context(),
            now=utcnow(),
        )
    except (InvalidInput, Conflict, Forbidden) as error:
        mark_rollback()
        flash(_(str(error)), "error")
        return detail(request_id, status=409, cancel_form=form)
    if done.is_late:
        flash(_("The request is cancelled. It was a late cancellation."), "success")
    else:
        flash(_("The request is cancelled."), "success")
    return redirect(back)
