"""The council invites a stand-in for one meeting someone cannot come to (docs/journey.md)."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField
from wtforms.validators import DataRequired, InputRequired

from app.db import get_session, mark_rollback
from app.i18n import lazy_gettext as _l
from app.mail.settings import mail_context
from app.models import RequestSession
from app.models.base import utcnow
from app.models.enums import Role
from app.services.errors import Conflict, InvalidInput
from app.services.journey.stand_in_overview import meetings_with_absences
from app.services.journey.stand_ins import invite_stand_in, stand_in_candidates
from app.web.access import role_required
from app.web.council.request_page import load_request, render_request_page
from app.web.council.views import bp
from app.web.labels import options


class StandInForm(FlaskForm):
    """Invite a stand-in for one meeting (the first candidate is preselected)."""

    session_id = IntegerField(validators=[InputRequired()])
    member_id = SelectField(_l("Stand-in"), coerce=int, validators=[DataRequired()])


def _form(row) -> StandInForm:
    form = StandInForm(formdata=None, session_id=row.meeting.id)
    form.member_id.choices = options((m.id, m.display_name) for m in row.candidates)
    if row.candidates:
        form.member_id.data = row.candidates[0].id
    return form


@bp.app_template_global("stand_in_panel")
def stand_in_panel(booking_request, sessions=None, absences=None) -> list[tuple]:
    """Return, for the request page, each meeting ahead with an absence and its invite form
    (``sessions`` and ``absences``: the request's, which the page has read already)."""
    rows = meetings_with_absences(
        session=get_session(),
        booking_request=booking_request,
        now=utcnow(),
        minimum=mail_context().min_answer_window,
        sessions=sessions,
        reported=absences,
    )
    return [(row, _form(row)) for row in rows]


@bp.post("/requests/<int:request_id>/stand-ins")
@role_required(Role.COUNCIL)
def invite_stand_in_view(request_id: int):
    """Invite a stand-in for one meeting someone in the group cannot come to."""
    booking_request, session = load_request(request_id), get_session()
    form = StandInForm()
    meeting = (
        session.get(RequestSession, form.session_id.data or 0) if form.session_id.data else None
    )
    if meeting is None or meeting.request_id != booking_request.id:
        return _refused(booking_request, _("Choose one of the listed meetings."), 422)
    candidates = stand_in_candidates(
        session=session, booking_request=booking_request, request_session=meeting
    )
    form.member_id.choices = options((m.id, m.display_name) for m in candidates)
    if not form.validate_on_submit():
        return _refused(booking_request, _("Choose one of the listed people."), 422)
    try:
        invitation = invite_stand_in(
            session=session,
            booking_request=booking_request,
            request_session=meeting,
            member_id=form.member_id.data,
            actor=current_user,
            ctx=mail_context(),
            now=utcnow(),
        )
    except (InvalidInput, Conflict) as error:
        return _refused(booking_request, _(str(error)), 409 if isinstance(error, Conflict) else 422)
    name = next(m.display_name for m in candidates if m.id == invitation.member_id)
    flash(_("%(name)s is invited to stand in at this meeting.", name=name), "success")
    return redirect(url_for("council.request_detail", request_id=request_id) + "#stand-ins")


def _refused(booking_request, message: str, status: int):
    mark_rollback()
    flash(message, "error")
    return render_request_page(booking_request, status=status)
