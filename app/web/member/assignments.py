"""The member's own assignments: the list, one assignment, and "I can't come" (issue 19)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.validators import InputRequired, Length

from app import clock
from app.db import get_session, mark_rollback
from app.i18n import format_local, format_long_date
from app.i18n import lazy_gettext as _l
from app.mail.settings import mail_context
from app.models.enums import AssignmentStatus, Role
from app.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.services.journey.absences import (
    MAX_REASON,
    cannot_come_at_all,
    meetings_ahead,
    report_absence,
)
from app.services.journey.my_assignments import (
    describe_assignment,
    my_assignments,
    own_assignment,
)
from app.web.access import role_required
from app.web.confirm import Confirmation, confirmation_page, is_confirmed
from app.web.forms import apply_service_errors
from app.web.pool_common import own_member

bp = Blueprint("my_assignments", __name__, url_prefix="/me/assignments")

#: The choice "the whole assignment" in the meeting list.
WHOLE = "all"

ONE_MEETING = Confirmation(
    question=_l("Tell the council you cannot come to this meeting?"),
    effects=(
        _l("The meeting is removed from your calendar; you stay booked on the others."),
        _l("The council is told and may find a stand-in for that meeting."),
    ),
    confirm_label=_l("Yes, I cannot come to this meeting"),
)
WHOLE_ASSIGNMENT = Confirmation(
    question=_l("Give up the whole assignment?"),
    effects=(
        _l("You are no longer booked, and every meeting ahead leaves your calendar."),
        _l("The council is told and someone else is asked in your place."),
    ),
    confirm_label=_l("Yes, give up the assignment"),
)

#: The dialog before either choice (with JavaScript; the page without names the one chosen).
EITHER = Confirmation(
    question=_l("Tell the council you cannot come?"),
    effects=(
        _l("One meeting: it leaves your calendar and you stay booked on the others."),
        _l("The whole assignment: you are no longer booked and someone else is asked."),
        _l("The council is told at once."),
    ),
    confirm_label=_l("Yes, tell the council"),
)


class CannotComeForm(FlaskForm):
    meeting = SelectField(_l("Which meeting"), validators=[InputRequired()], choices=[])
    reason = TextAreaField(
        _l("Why can you not come?"),
        validators=[
            InputRequired(message=_l("Tell the council why you cannot come.")),
            Length(max=MAX_REASON),
        ],
    )


def _own(assignment_id: int):
    try:
        return own_assignment(
            session=get_session(), member_id=own_member().id, assignment_id=assignment_id
        )
    except NotFound:
        abort(404)


@bp.route("/")
@role_required(Role.MEMBER)
def index():
    member = own_member()
    mine = my_assignments(session=get_session(), member_id=member.id, now=clock.now())
    return render_template(
        "member/assignments.html", member=member, mine=mine, title=_("My assignments")
    )


def _form(assignment, formdata=True) -> CannotComeForm:
    ahead = []  # only a booking can be given up, in part or whole
    if assignment.status == AssignmentStatus.BOOKED:
        ahead = meetings_ahead(session=get_session(), assignment=assignment, now=clock.now())
    form = CannotComeForm(prefix="absence", **({} if formdata else {"formdata": None}))
    form.meeting.choices = [
        (
            str(item.id),
            f"{format_long_date(item.starts_at)} {format_local(item.starts_at, 'HH:mm')}",
        )
        for item in ahead
    ]
    if assignment.stand_in_session_id is None and ahead:
        form.meeting.choices.append((WHOLE, _("The whole assignment")))
    return form


def _detail(assignment, form=None, status=200):
    row = describe_assignment(session=get_session(), assignment=assignment, now=clock.now())
    return render_template(
        "member/assignment.html",
        row=row,
        assignment=assignment,
        form=form or _form(assignment, formdata=False),
        whole=WHOLE,
        confirmation=EITHER,
        title=row.request.title,
    ), status


@bp.route("/<int:assignment_id>")
@role_required(Role.MEMBER)
def show(assignment_id: int):
    return _detail(_own(assignment_id))


@bp.route("/<int:assignment_id>/cannot-come", methods=["GET", "POST"])
@role_required(Role.MEMBER)
def cannot_come(assignment_id: int):
    assignment = _own(assignment_id)
    form = _form(assignment)
    if not form.is_submitted():
        return _detail(assignment, form)
    if not form.meeting.choices:
        flash(_("Only a booked assignment with meetings ahead can be given up."), "error")
        return _detail(assignment, form, 409)
    if not form.validate():
        return _detail(assignment, form, 422)
    whole = form.meeting.data == WHOLE
    if not is_confirmed():
        back = url_for("my_assignments.show", assignment_id=assignment.id)
        return confirmation_page(
            WHOLE_ASSIGNMENT if whole else ONE_MEETING,
            back_url=back,
            shown={_("Why can you not come?"): form.reason.data},
        )
    common = {
        "session": get_session(),
        "assignment": assignment,
        "reason": form.reason.data,
        "actor": current_user,
        "ctx": mail_context(),
        "now": clock.now(),
    }
    try:
        if whole:
            cannot_come_at_all(**common)
        else:
            report_absence(request_session_id=int(form.meeting.data), **common)
    except Forbidden:
        abort(403)
    except (InvalidInput, Conflict, NotFound) as error:
        mark_rollback()
        unmatched = apply_service_errors(form, getattr(error, "fields", {}))
        flash(" ".join([_(str(error)), *unmatched]), "error")
        return _detail(assignment, form, 422 if isinstance(error, InvalidInput) else 409)
    if whole:
        flash(_("You have given up the assignment; the council is told."), "success")
        return redirect(url_for("my_assignments.index"))
    flash(_("The council is told that you cannot come to that meeting."), "success")
    return redirect(url_for("my_assignments.show", assignment_id=assignment.id))
