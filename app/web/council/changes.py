"""The council decides on an orderer's change to an approved request (issue 19)."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import AnyOf, Length

from app.db import get_session, mark_rollback
from app.i18n import current_language
from app.i18n import lazy_gettext as _l
from app.mail.settings import mail_context
from app.models import RequestChange
from app.models.base import utcnow
from app.models.enums import Role
from app.services.errors import Conflict, Forbidden, InvalidInput
from app.services.journey.request_changes import (
    affected_people,
    approve_change,
    is_changeable,
    reject_change,
    request_changes,
)
from app.services.journey.request_fields import change_lines
from app.web.access import role_required
from app.web.council.request_page import load_request, render_request_page
from app.web.council.views import bp

#: Matching rules a change can break, in words for the council (never shown to the orderer).
RULE_WORDS = {
    "no_area": _l("no longer has experience of the areas asked for"),
    "wrong_experience_type": _l("no longer has the kind of experience asked for"),
    "assignment_type": _l("does not take this type of assignment"),
    "format": _l("does not take part in this format (on site or digital)"),
    "language": _l("does not speak the language asked for"),
    "age_range": _l("is outside the age range asked for"),
}


class ChangeDecisionForm(FlaskForm):
    """Approve or reject a proposed change (a note is required to reject)."""

    decision = StringField(validators=[AnyOf(["approve", "reject"])])
    note = TextAreaField(_l("Message to the orderer"), validators=[Length(max=4000)])


def changes_state(booking_request, forms=None) -> dict:
    """Return the proposed changes in words, and for a waiting one whom it affects."""
    session = get_session()
    locale = current_language()
    rows = []
    for change in request_changes(session=session, request_id=booking_request.id):
        people = []
        if change.status == "pending" and is_changeable(booking_request):
            people = affected_people(
                session=session, booking_request=booking_request, change=change
            )
        lines = change_lines(session=session, changes=change.changes, translate=_, locale=locale)
        rows.append({"change": change, "lines": lines, "people": people})
    form = (forms or {}).get("change") or ChangeDecisionForm(prefix="change", formdata=None)
    decidable = is_changeable(booking_request)
    return {"rows": rows, "form": form, "rule_words": RULE_WORDS, "decidable": decidable}


@bp.post("/requests/<int:request_id>/changes/<int:change_id>")
@role_required(Role.COUNCIL)
def decide_change(request_id: int, change_id: int):
    """Approve (apply, tell, release and replace) or reject (tell the orderer) a change."""
    booking_request = load_request(request_id)
    session = get_session()
    change = session.get(RequestChange, change_id)
    if change is None or change.request_id != booking_request.id:
        abort(404)
    form = ChangeDecisionForm(prefix="change")
    if not form.validate_on_submit():
        return render_request_page(booking_request, forms={"change": form}, status=422)
    try:
        if form.decision.data == "approve":
            outcome = approve_change(
                session=session, change=change, actor=current_user, ctx=mail_context(), now=utcnow()
            )
            message = _("The change is applied and the people booked are told.")
            if outcome.released:
                names = ", ".join(member.display_name for member in outcome.released)
                message += " " + _("Released, replacement started: %(names)s.", names=names)
        else:
            reject_change(
                session=session,
                change=change,
                note=form.note.data or "",
                actor=current_user,
                ctx=mail_context(),
                now=utcnow(),
            )
            message = _("The change is rejected and the orderer is told.")
    except (InvalidInput, Conflict, Forbidden) as error:
        mark_rollback()
        if isinstance(error, InvalidInput) and "note" in (error.fields or {}):
            form.note.errors = [*form.note.errors, _("Required.")]
        flash(_(str(error)), "error")
        status = 409 if isinstance(error, Conflict) else 422
        return render_request_page(booking_request, forms={"change": form}, status=status)
    flash(message, "success")
    return redirect(url_for("council.request_detail", request_id=request_id))
