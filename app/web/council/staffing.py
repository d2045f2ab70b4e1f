"""The council's replacement and interest decisions on a request (POST only)."""

from __future__ import annotations

from datetime import datetime, time

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import clock
from app.db import get_session, mark_rollback
from app.mail.settings import mail_context
from app.models.enums import Role
from app.services.booking.interest import ask_for_interest, end_interest_round
from app.services.booking.replacements import (
    replace_from_reserves,
    replacement_candidates,
    set_replacement_mode,
)
from app.services.errors import Conflict, InvalidInput
from app.web.access import role_required
from app.web.attendance import record_from_form
from app.web.confirm import confirmation_page, is_confirmed
from app.web.council.confirmations import END_INTEREST
from app.web.council.forms import ConfirmForm, InterestForm, ReplaceForm, ReplacementModeForm
from app.web.council.request_page import load_request, render_request_page
from app.web.council.views import bp
from app.web.forms import apply_service_errors
from app.web.labels import options


def _refused(booking_request, error, name, form):
    mark_rollback()
    general = apply_service_errors(form, getattr(error, "fields", {}))
    flash("; ".join(general) if general else _(str(error)), "error")
    status = 409 if isinstance(error, Conflict) else 422
    return render_request_page(booking_request, forms={name: form}, status=status)


def _done(message: str, request_id: int):
    flash(message, "success")
    return redirect(url_for("council.request_detail", request_id=request_id))


@bp.post("/requests/<int:request_id>/replace")
@role_required(Role.COUNCIL)
def replace(request_id: int):
    """Invite a reserve into an open place (one click for the next one)."""
    booking_request, session = load_request(request_id), get_session()
    form = ReplaceForm(prefix="replace")
    candidates = replacement_candidates(session=session, booking_request=booking_request)
    form.member_id.choices = options((m.id, m.display_name) for m in candidates)
    if not form.validate_on_submit():
        return render_request_page(booking_request, forms={"replace": form}, status=422)
    try:
        invitation = replace_from_reserves(
            session=session,
            booking_request=booking_request,
            actor=current_user,
            ctx=mail_context(),
            member_id=form.member_id.data,
        )
    except (InvalidInput, Conflict) as error:
        return _refused(booking_request, error, "replace", form)
    name = next(m.display_name for m in candidates if m.id == invitation.member_id)
    return _done(_("%(name)s is invited.", name=name), request_id)


@bp.post("/requests/<int:request_id>/replacement-mode")
@role_required(Role.COUNCIL)
def replacement_mode(request_id: int):
    """Choose how places are refilled when someone drops out."""
    booking_request, form = load_request(request_id), ReplacementModeForm(prefix="mode")
    if not form.validate_on_submit():
        return render_request_page(booking_request, forms={"mode": form}, status=422)
    try:
        set_replacement_mode(
            session=get_session(),
            booking_request=booking_request,
            mode=form.mode.data,
            actor=current_user,
            ctx=mail_context(),
        )
    except (InvalidInput, Conflict) as error:
        return _refused(booking_request, error, "mode", form)
    return _done(_("The replacement choice is saved."), request_id)


@bp.post("/requests/<int:request_id>/interest")
@role_required(Role.COUNCIL)
def ask_interest(request_id: int):
    """Ask the top ranked eligible people whether they are interested."""
    booking_request, form = load_request(request_id), InterestForm(prefix="interest")
    if not form.validate_on_submit():
        return render_request_page(booking_request, forms={"interest": form}, status=422)
    # The end of the chosen local day: "answer by Friday" means all of Friday.
    deadline = datetime.combine(form.deadline.data, time(23, 59), tzinfo=clock.zone())
    try:
        asked = ask_for_interest(
            session=get_session(),
            booking_request=booking_request,
            count=form.count.data,
            deadline=deadline,
            actor=current_user,
            ctx=mail_context(),
        )
    except (InvalidInput, Conflict) as error:
        return _refused(booking_request, error, "interest", form)
    return _done(
        _("%(count)s people are asked whether they are interested.", count=len(asked)), request_id
    )


@bp.post("/requests/<int:request_id>/interest/end")
@role_required(Role.COUNCIL)
def end_interest(request_id: int):
    """Stop asking for interest and use the regular proposal."""
    booking_request, form = load_request(request_id), ConfirmForm(prefix="end")
    if not form.validate_on_submit():
        return render_request_page(booking_request, forms={"end_interest": form}, status=422)
    if not is_confirmed():
        return confirmation_page(
            END_INTEREST, back_url=url_for("council.request_detail", request_id=request_id)
        )
    try:
        end_interest_round(
            session=get_session(), booking_request=booking_request, actor=current_user
        )
    except Conflict as error:
        return _refused(booking_request, error, "end_interest", form)
    return _done(_("Back to the regular proposal."), request_id)


@bp.post("/requests/<int:request_id>/sessions/<int:session_id>/attendance")
@role_required(Role.COUNCIL)
def record_attendance(request_id: int, session_id: int):
    """Mark one booked person (or everyone not yet marked) on a session that has started."""
    booking_request = load_request(request_id)
    return record_from_form(
        booking_request,
        session_id,
        render=lambda status: render_request_page(booking_request, status=status),
        done_url=url_for("council.request_detail", request_id=request_id),
    )
