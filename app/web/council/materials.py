"""The council adds material to a request, as the orderer can (``journey/materials.py``)."""

from __future__ import annotations

from flask_babel import gettext as _

from app.models.enums import Role
from app.web.access import role_required
from app.web.council.decisions import _done
from app.web.council.request_page import load_request, render_request_page
from app.web.council.views import bp
from app.web.materials.adding import add_from_form
from app.web.materials.forms import MaterialForm


@bp.post("/requests/<int:request_id>/materials")
@role_required(Role.COUNCIL)
def add_material_view(request_id: int):
    """Add material; with a file or link the people booked are mailed at once."""
    booking_request = load_request(request_id)
    form = MaterialForm(prefix="material")
    material = add_from_form(booking_request, form)
    if material is None:
        return render_request_page(booking_request, forms={"material": form}, status=422)
    if material.sent_at:
        return _done(_("The material is sent to the people booked."), request_id)
    return _done(_("The material is saved."), request_id)
