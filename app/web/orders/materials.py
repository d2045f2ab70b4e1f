"""The orderer's material on a request: the list, the add form and attaching a file later."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import clock
from app.config import material_folder
from app.db import get_session, mark_rollback
from app.mail.settings import mail_context
from app.models.enums import Role
from app.services.errors import InvalidInput, NotFound
from app.services.journey.materials import attach_material
from app.services.journey.materials_read import materials_for_request
from app.services.requests.submission import get_request_for
from app.web.access import role_required
from app.web.materials.adding import add_from_form
from app.web.materials.forms import AttachForm, MaterialForm
from app.web.orders.views import bp


def _own_request(request_id: int):
    try:
        return get_request_for(session=get_session(), user=current_user, request_id=request_id)
    except NotFound:
        abort(404)


def _page(booking_request, form: MaterialForm, status: int = 200):
    materials = materials_for_request(session=get_session(), request_id=booking_request.id)
    return render_template(
        "orders/materials.html",
        booking_request=booking_request,
        materials=materials,
        material_form=form,
        attach_forms={m.id: AttachForm(prefix=f"m{m.id}", formdata=None) for m in materials},
    ), status


@bp.route("/<int:request_id>/materials", methods=["GET", "POST"])
@role_required(Role.ORDERER)
def materials(request_id: int):
    """List the request's material and add more; attached material is mailed to the booked."""
    booking_request = _own_request(request_id)
    form = MaterialForm()
    if not form.is_submitted():
        return _page(booking_request, form)
    material = add_from_form(booking_request, form)
    if material is None:
        return _page(booking_request, form, 422)
    flash(_sent_message(material), "success")
    return redirect(url_for("orders.materials", request_id=request_id))


@bp.post("/<int:request_id>/materials/<int:material_id>/attach")
@role_required(Role.ORDERER)
def attach(request_id: int, material_id: int):
    """Attach the file or link of material announced earlier."""
    booking_request = _own_request(request_id)
    form = AttachForm(prefix=f"m{material_id}")
    if not form.validate_on_submit():
        flash(_("Attach a file or a link."), "error")
        return redirect(url_for("orders.materials", request_id=request_id))
    try:
        material = attach_material(
            session=get_session(),
            booking_request=booking_request,
            material_id=material_id,
            data=form.to_input(),
            actor=current_user,
            folder=material_folder(current_app.config),
            ctx=mail_context(),
            now=clock.now(),
        )
    except NotFound:
        abort(404)
    except InvalidInput as error:
        mark_rollback()
        for message in error.fields.values() or [str(error)]:
            flash(_(message), "error")
        return _page(booking_request, MaterialForm(formdata=None), 422)
    flash(_sent_message(material), "success")
    return redirect(url_for("orders.materials", request_id=request_id))


def _sent_message(material) -> str:
    if material.sent_at:
        return _("The material is sent to the people booked.")
    if material.attached_at:
        return _("The material is saved; people booked later find it on their list.")
    return _("The material is announced; attach it here by the date.")
