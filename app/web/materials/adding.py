"""Adding material from the form: one step for the orderer's and the council's pages."""

from __future__ import annotations

from flask import current_app
from flask_login import current_user

from app import clock
from app.config import material_folder
from app.db import get_session, mark_rollback
from app.mail.settings import mail_context
from app.services.errors import InvalidInput
from app.services.journey.materials import add_material
from app.web.forms import apply_service_errors
from app.web.materials.forms import MaterialForm


def add_from_form(booking_request, form: MaterialForm):
    """Store the form's material (mailed at once when it has a file or link); None if refused.

    A refusal rolls the unit of work back and puts the service's messages on the form.
    """
    if not form.validate_on_submit():
        return None
    try:
        return add_material(
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
        return None
