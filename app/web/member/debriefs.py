"""The member asks for a debrief after a meeting (issue 19; app/services/journey/debriefs.py)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import clock
from app.db import get_session, mark_rollback
from app.mail.settings import mail_context
from app.models import Assignment, BookingRequest
from app.models.enums import Role
from app.services.errors import Conflict, Forbidden, InvalidInput
from app.services.journey.debriefs import (
    ask_debrief,
    debrief_refusal,
    debrief_state,
    open_debrief,
)
from app.web.access import role_required
from app.web.member.views import _own_member, bp


@bp.app_context_processor
def _debrief_state():
    """Give every template ``debrief_state(assignment)`` for member/_debrief_button.html."""
    return {
        "debrief_state": lambda assignment: debrief_state(
            session=get_session(), assignment=assignment, now=clock.now()
        )
    }


def _own_assignment(assignment_id: int) -> Assignment:
    member = _own_member()
    assignment = get_session().get(Assignment, assignment_id)
    if assignment is None or assignment.member_id != member.id:
        abort(404)  # someone else's assignment is not hers to see
    return assignment


def _page(assignment: Assignment, status: int = 200):
    session = get_session()
    refusal = debrief_refusal(session, assignment, clock.now())
    return render_template(
        "member/debrief.html",
        assignment=assignment,
        booking_request=session.get(BookingRequest, assignment.request_id),
        refusal=_(refusal) if refusal else "",
        has_open=open_debrief(session=session, assignment_id=assignment.id) is not None,
    ), status


@bp.route("/assignments/<int:assignment_id>/debrief", methods=["GET", "POST"])
@role_required(Role.MEMBER)
def debrief(assignment_id: int):
    assignment = _own_assignment(assignment_id)
    if request.method == "GET":
        return _page(assignment)
    message = request.form.get("message", "")
    try:
        ask_debrief(
            session=get_session(),
            assignment=assignment,
            message=message,
            actor=current_user,
            ctx=mail_context(),
            now=clock.now(),
        )
    except Forbidden:
        abort(403)
    except (InvalidInput, Conflict) as error:
        mark_rollback()
        flash(_(str(error)), "error")
        return _page(assignment, 409 if isinstance(error, Conflict) else 422)
    flash(_("Thank you. A coordinator in the council will be in touch."), "success")
    return redirect(url_for("member.debrief", assignment_id=assignment_id))
