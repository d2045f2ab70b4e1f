"""The council's member administration: add, edit, pause/resume/remove, availability and load."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import clock
from app.db import get_session, mark_rollback
from app.i18n import current_language
from app.models.base import utcnow
from app.models.enums import Role
from app.services.accounts.member_accounts import ensure_member_account, queue_welcome_mail
from app.services.accounts.organisations import list_organisations
from app.services.booking.member_bookings import booked_sessions
from app.services.errors import Conflict, InvalidInput, NotFound
from app.services.journey.needs import set_member_needs
from app.services.pool.availability import member_periods, member_windows
from app.services.pool.member_admin import (
    create_member,
    get_member,
    member_load,
    set_member_status,
    update_member,
)
from app.services.pool.profile import member_experiences
from app.services.privacy.audit import record_read
from app.web.access import role_required
from app.web.forms import apply_service_errors
from app.web.labels import WEEKDAYS, options
from app.web.pool_admin.forms import MemberForm, StatusForm
from app.web.pool_common import mail_translate, welcome_link

bp = Blueprint("pool_admin", __name__, url_prefix="/council/members")


def _member_form(obj=None) -> MemberForm:
    form = MemberForm(obj=obj if request.method == "GET" else None)
    organisations = list_organisations(session=get_session())
    form.mandate_organisation_id.choices = options(
        [(0, "—")] + [(o.id, o.name) for o in organisations]
    )
    return form


def _member_or_404(member_id: int):
    try:
        return get_member(session=get_session(), member_id=member_id)
    except NotFound:
        abort(404)


def _save_needs(form: MemberForm, member) -> None:
    """Record the needs ticked on the member form (kept apart from ``MemberInput``)."""
    set_member_needs(
        session=get_session(),
        member=member,
        needs=form.needs.data or [],
        note=form.needs_note.data or "",
        actor_id=current_user.id,
    )


def _form_page(form, member=None, status=200):
    return render_template("pool_admin/member_form.html", form=form, member=member), status


def _invite(member) -> None:
    """Give a member with an email an account and mail them the set-password link."""
    try:
        user = ensure_member_account(session=get_session(), member=member)
    except Conflict as error:
        flash(_(str(error)), "error")
        return
    if user is not None:
        queue_welcome_mail(
            get_session(), user=user, link=welcome_link(user), translate=mail_translate()
        )
        flash(_("An invitation to set a password is sent to %(email)s.", email=user.email), "info")


@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.COUNCIL)
def new():
    form = _member_form()
    if form.validate_on_submit():
        try:
            member = create_member(
                session=get_session(), data=form.to_input(), actor_id=current_user.id
            )
            _save_needs(form, member)
        except InvalidInput as error:
            mark_rollback()
            apply_service_errors(form, error.fields)
            return _form_page(form, status=422)
        _invite(member)
        flash(_("The member is added."), "success")
        return redirect(url_for("pool_admin.detail", member_id=member.id))
    return _form_page(form, status=422 if form.is_submitted() else 200)


@bp.route("/<int:member_id>/edit", methods=["GET", "POST"])
@role_required(Role.COUNCIL)
def edit(member_id: int):
    member = _member_or_404(member_id)
    form = _member_form(obj=member)
    if request.method == "GET":
        form.mandate_organisation_id.data = member.mandate_organisation_id or 0
    if form.validate_on_submit():
        try:
            update_member(
                session=get_session(), member=member, data=form.to_input(), actor_id=current_user.id
            )
            _save_needs(form, member)
        except InvalidInput as error:
            mark_rollback()
            apply_service_errors(form, error.fields)
            return _form_page(form, member, 422)
        flash(_("The member is saved."), "success")
        return redirect(url_for("pool_admin.detail", member_id=member.id))
    return _form_page(form, member, 422 if form.is_submitted() else 200)


@bp.route("/<int:member_id>")
@role_required(Role.COUNCIL)
def detail(member_id: int):
    return _detail_page(_member_or_404(member_id), StatusForm(obj=None))


def _detail_page(member, status_form: StatusForm, status: int = 200):
    session = get_session()
    if request.method == "GET":
        status_form.status.data, status_form.until.data = member.status, member.paused_until
    record_read(
        session=session,
        actor_id=current_user.id,
        action="member.health_data.read",
        subject_type="member",
        subject_id=member.id,
    )
    return render_template(
        "pool_admin/member.html",
        member=member,
        experiences=member_experiences(session=session, member_id=member.id),
        windows=member_windows(session=session, member_id=member.id),
        periods=member_periods(session=session, member_id=member.id),
        coming=booked_sessions(session=session, member_id=member.id, ends_after=utcnow()),
        load=member_load(session=session, member_id=member.id),
        weekdays=WEEKDAYS,
        status_form=status_form,
        locale=current_language(),
        zone=clock.zone(),
    ), status


@bp.route("/<int:member_id>/status", methods=["POST"])
@role_required(Role.COUNCIL)
def change_status(member_id: int):
    member = _member_or_404(member_id)
    form = StatusForm()
    if not form.validate_on_submit():
        return _detail_page(member, form, 422)
    try:
        set_member_status(
            session=get_session(),
            member=member,
            status=form.status.data,
            until=form.until.data,
            actor_id=current_user.id,
        )
    except InvalidInput as error:
        mark_rollback()
        apply_service_errors(form, error.fields)
        return _detail_page(member, form, 422)
    flash(_("The status is saved."), "success")
    return redirect(url_for("pool_admin.detail", member_id=member.id))


@bp.route("/<int:member_id>/invite", methods=["POST"])
@role_required(Role.COUNCIL)
def invite(member_id: int):
    member = _member_or_404(member_id)
    if member.user_id is not None:
        flash(_("The member already has an account."), "info")
    _invite(member)
    return redirect(url_for("pool_admin.detail", member_id=member.id))
