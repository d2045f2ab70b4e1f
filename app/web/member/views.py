"""The pool member's own pages: her home (what waits for her first), profile and experiences."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import clock
from app.db import get_session
from app.i18n import current_language
from app.models.enums import Role
from app.services.errors import Conflict, InvalidInput, NotFound
from app.services.pool.member_home import member_home
from app.services.pool.profile import (
    add_experience,
    member_experiences,
    member_for_user,
    remove_experience,
    update_experience,
    update_profile,
)
from app.web.access import role_required
from app.web.forms import apply_service_errors, area_options
from app.web.member.forms import ExperienceForm, ProfileForm

bp = Blueprint("member", __name__, url_prefix="/me")


def _own_member():
    try:
        return member_for_user(session=get_session(), user=current_user)
    except NotFound:
        abort(404)


def _experience_form() -> ExperienceForm:
    form = ExperienceForm(prefix="exp")
    form.area_id.choices = area_options()
    return form


def _edit_forms(experiences) -> dict[int, ExperienceForm]:
    forms = {}
    for experience, _area in experiences:
        form = ExperienceForm(prefix=f"e{experience.id}", formdata=None, obj=experience)
        form.area_id.choices = area_options()
        forms[experience.id] = form
    return forms


def _render_home(member, profile_form, experience_form, status=200):
    experiences = member_experiences(session=get_session(), member_id=member.id)
    return (
        render_template(
            "member/home.html",
            member=member,
            home=member_home(session=get_session(), member_id=member.id, now=clock.now()),
            experiences=experiences,
            edit_forms=_edit_forms(experiences),
            form=profile_form,
            experience_form=experience_form,
            locale=current_language(),
        ),
        status,
    )


@bp.route("/", methods=["GET", "POST"])
@role_required(Role.MEMBER)
def home():
    member = _own_member()
    form = ProfileForm(obj=member if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            update_profile(session=get_session(), member=member, data=form.to_input())
        except InvalidInput as error:
            apply_service_errors(form, error.fields)
            return _render_home(member, form, _experience_form(), 422)
        flash(_("Your profile is saved."), "success")
        return redirect(url_for("member.home"))
    status = 422 if form.is_submitted() else 200
    return _render_home(member, form, _experience_form(), status)


@bp.route("/experiences", methods=["POST"])
@role_required(Role.MEMBER)
def add_experience_view():
    member = _own_member()
    form = _experience_form()
    if form.validate_on_submit():
        try:
            add_experience(
                session=get_session(), member=member, area_id=form.area_id.data, type=form.type.data
            )
        except (InvalidInput, Conflict) as error:
            flash(_(str(error)), "error")
            return _render_home(member, ProfileForm(obj=member), form, 422)
        flash(_("The experience is added."), "success")
        return redirect(url_for("member.home"))
    return _render_home(member, ProfileForm(obj=member), form, 422)


@bp.route("/experiences/<int:experience_id>/delete", methods=["POST"])
@role_required(Role.MEMBER)
def delete_experience(experience_id: int):
    member = _own_member()
    try:
        remove_experience(session=get_session(), member=member, experience_id=experience_id)
    except NotFound:
        abort(404)
    flash(_("The experience is removed."), "success")
    return redirect(url_for("member.home"))


@bp.route("/experiences/<int:experience_id>/edit", methods=["POST"])
@role_required(Role.MEMBER)
def edit_experience(experience_id: int):
    member = _own_member()
    if experience_id not in {
        exp.id for exp, _area in member_experiences(session=get_session(), member_id=member.id)
    }:
        abort(404)  # another member's experience, or none: never reveal which
    form = ExperienceForm(prefix=f"e{experience_id}")
    form.area_id.choices = area_options()
    if not form.validate_on_submit():
        return _render_home(member, ProfileForm(obj=member), _experience_form(), 422)
    try:
        update_experience(
            session=get_session(),
            member=member,
            experience_id=experience_id,
            area_id=form.area_id.data,
            type=form.type.data,
        )
    except NotFound:
        abort(404)
    except (InvalidInput, Conflict) as error:
        flash(_(str(error)), "error")
        return _render_home(member, ProfileForm(obj=member), _experience_form(), 422)
    flash(_("The experience is changed."), "success")
    return redirect(url_for("member.home"))


from app.web.member import debriefs  # noqa: E402,F401  (registers the debrief route)
from app.web.member import needs as _needs  # noqa: E402,F401  (registers /me/needs)
