"""The council adds material to a request, as the orderer can (``journey/materials.py``)."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from flask_login import current_user

from app import clock
from app.config import material_folder
from app.db import get_session, mark_rollback
from app.mail.settings import mail_context
from app.models.enums import Role
from app.services.errors import InvalidInput
from app.services.journey.materials import add_material
from app.web.access import role_required
from app.web.council.decisions import _done
from app.web.council.request_page import load_request, render_request_page
from app.web.council.views import bp
from app.web.forms import apply_service_errors
from app.web.materials.forms import MaterialForm


@bp.post("/requests/<int:request_id>/materials")
@role_required(Role.COUNCIL)
def add_material_view(request_id: int):
    """Add material; with a file or link the people booked are mailed at once."""
    booking_request = load_request(request_id)
    form = MaterialForm(prefix="material")
    if not form.validate_on_submit():
        return render_request_page(booking_request, forms={"material": form}, status=422)
    try:
        material = add_material(
            session=get_session(),
            booking_request=booking_request,
            data=form.material_input(),
            actor=current_user,
            folder=material_folder(current_app.config),
            ctx=mail_context(),
            now=clock.now(),
        )
    except InvalidInput as error:
        mark_rollback()
        apply_service_errors(form, error.fields)
        return render_request_page(booking_request, forms={"material": form}, status=422)
    if material.sent_at:
        return _done(_("The material is sent to the people booked."), request_id)
    return _done(_("The material is saved."), request_id)
