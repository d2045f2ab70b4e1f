"""The council's agreement terms per person on a request (POST only; shown on the request page)."""

from __future__ import annotations

from decimal import Decimal

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.db import get_session
from app.models.enums import Role
from app.services.compensation.terms import Terms, request_terms, set_agreement_terms
from app.services.errors import Conflict, InvalidInput, NotFound
from app.web.access import role_required
from app.web.council.forms import TermsForm
from app.web.council.request_page import load_request, render_request_page
from app.web.council.staffing import _refused
from app.web.council.views import bp
from app.web.labels import options


def terms_state(
    booking_request, forms: dict | None = None, invitations=None, assignments=None
) -> dict:
    """Return the people whose terms can be set, and the form to set them (``invitations`` and
    ``assignments``: the request's, with their members, when the page has read them already)."""
    people = request_terms(
        session=get_session(),
        request_id=booking_request.id,
        invitations=invitations,
        assignments=assignments,
    )
    form = (forms or {}).get("terms") or TermsForm(prefix="terms", formdata=None)
    form.member_id.choices = options((p.member_id, p.name) for p in people)
    return {"people": people, "form": form}


@bp.post("/requests/<int:request_id>/terms")
@role_required(Role.COUNCIL)
def set_terms(request_id: int):
    """Set one invited or booked person's agreement terms."""
    booking_request, session = load_request(request_id), get_session()
    form = TermsForm(prefix="terms")
    people = request_terms(session=session, request_id=request_id)
    form.member_id.choices = options((p.member_id, p.name) for p in people)
    if not form.validate_on_submit():
        return render_request_page(booking_request, forms={"terms": form}, status=422)
    minutes = int((Decimal(form.extra_hours.data) * 60).to_integral_value())
    try:
        set_agreement_terms(
            session=session,
            request_id=request_id,
            member_id=form.member_id.data,
            terms=Terms(minutes, bool(form.is_hourly.data), bool(form.is_part_of_employment.data)),
            actor_id=current_user.id,
        )
    except (InvalidInput, Conflict, NotFound) as error:
        return _refused(booking_request, error, "terms", form)
    name = next(p.name for p in people if p.member_id == form.member_id.data)
    flash(_("The agreement terms of %(name)s are saved.", name=name), "success")
    return redirect(url_for("council.request_detail", request_id=request_id))
