"""The member's own needs at assignments: categories and a note (``GET/POST /me/needs``)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import Length

from app.db import get_session, mark_rollback
from app.i18n import lazy_gettext as _l
from app.models.enums import ApplicantNeed, Role
from app.services.errors import InvalidInput
from app.services.journey.needs import NEEDS_NOTE_MAX, set_member_needs
from app.web.access import role_required
from app.web.forms import apply_service_errors
from app.web.labels import choices
from app.web.member.views import _own_member, bp
from app.web.recruitment.forms import CheckboxesField


class NeedsForm(FlaskForm):
    """The needs as checkboxes and a note; the council's member form has the same two fields."""

    needs = CheckboxesField(_l("What you need to take part"), choices=choices(ApplicantNeed))
    needs_note = TextAreaField(
        _l("Anything else we should arrange (your own words)"),
        validators=[Length(max=NEEDS_NOTE_MAX)],
    )


@bp.route("/needs", methods=["GET", "POST"])
@role_required(Role.MEMBER)
def needs():
    """Show and save the member's needs; the orderer of a request she is booked on sees them."""
    member = _own_member()
    form = NeedsForm(obj=member if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            set_member_needs(
                session=get_session(),
                member=member,
                needs=form.needs.data or [],
                note=form.needs_note.data or "",
                actor_id=current_user.id,
            )
        except InvalidInput as error:
            mark_rollback()
            apply_service_errors(form, error.fields)
            return render_template("member/needs.html", form=form, member=member), 422
        flash(_("Your needs are saved."), "success")
        return redirect(url_for("member.needs"))
    status = 422 if form.is_submitted() else 200
    return render_template("member/needs.html", form=form, member=member), status
