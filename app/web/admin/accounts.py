"""The administrator edits, disables and enables users and organisations (/admin/users/<id> …)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import clock
from app.db import get_session, mark_rollback
from app.i18n import lazy_gettext as _l
from app.models.enums import Role
from app.services.accounts.organisations import (
    get_organisation,
    list_organisations,
    set_organisation_enabled,
    update_organisation,
)
from app.services.accounts.user_admin import get_user, set_user_enabled, update_user
from app.services.errors import Conflict, InvalidInput, NotFound
from app.web.access import role_required
from app.web.admin.forms import OrganisationEditForm, SwitchForm, UserEditForm
from app.web.forms import apply_service_errors
from app.web.labels import options

bp = Blueprint("admin_accounts", __name__, url_prefix="/admin")


def _or_404(getter, **ids):
    try:
        return getter(session=get_session(), **ids)
    except NotFound:
        abort(404)


def _save(form, template: str, context: dict, action, done: str):
    """Run ``action`` for a valid form; re-render with the errors (422) on bad input."""
    if form.validate_on_submit():
        try:
            changes = action()
        except (InvalidInput, Conflict) as error:
            mark_rollback()
            general = apply_service_errors(form, getattr(error, "fields", {}))
            if not general and not getattr(error, "fields", None):
                general = [_(str(error))]
            return render_template(template, form=form, general_errors=general, **context), 422
        flash(_("Saved.") if changes else _("Nothing was changed."), "success")
        return redirect(done)
    status = 422 if form.is_submitted() else 200
    return render_template(template, form=form, general_errors=[], **context), status


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def user(user_id: int):
    account = _or_404(get_user, user_id=user_id)
    form = UserEditForm(obj=account)
    form.organisation_id.choices = options(
        [(0, "—")] + [(org.id, org.name) for org in list_organisations(session=get_session())]
    )
    if form.organisation_id.data is None:  # no organisation, or the field left out of a post
        form.organisation_id.data = 0
    context = {"account": account, "switch_form": SwitchForm(prefix="switch")}

    def action():
        return update_user(
            session=get_session(),
            user_id=account.id,
            email=form.email.data,
            full_name=form.full_name.data or "",
            role=form.role.data,
            organisation_id=form.organisation_id.data or None,
            actor_id=current_user.id,
        )

    done = url_for("admin_accounts.user", user_id=account.id)
    return _save(form, "admin/user.html", context, action, done)


def _switch(action, done: str, message) -> object:
    """Run a disable/enable ``action`` behind a CSRF-checked button."""
    form = SwitchForm(prefix="switch")
    if not form.validate_on_submit():
        flash(_("The form has expired. Please try again."), "error")
        return redirect(done, code=303)
    try:
        action()
    except Conflict as error:
        mark_rollback()
        flash(_(str(error)), "error")
        return redirect(done, code=303)
    flash(message, "success")
    return redirect(done, code=303)


@bp.route("/users/<int:user_id>/disable", methods=["POST"])
@role_required(Role.ADMIN)
def disable_user(user_id: int):
    account = _or_404(get_user, user_id=user_id)
    return _switch(
        lambda: set_user_enabled(
            session=get_session(),
            user_id=account.id,
            enabled=False,
            actor_id=current_user.id,
            now=clock.now(),
        ),
        url_for("admin_accounts.user", user_id=account.id),
        _l(
            "The account is disabled: it cannot sign in, and its sessions and API tokens have ended."
        ),
    )


@bp.route("/users/<int:user_id>/enable", methods=["POST"])
@role_required(Role.ADMIN)
def enable_user(user_id: int):
    account = _or_404(get_user, user_id=user_id)
    return _switch(
        lambda: set_user_enabled(
            session=get_session(), user_id=account.id, enabled=True, actor_id=current_user.id
        ),
        url_for("admin_accounts.user", user_id=account.id),
        _l("The account is enabled again. Earlier API tokens stay revoked."),
    )


@bp.route("/organisations/<int:organisation_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def organisation(organisation_id: int):
    org = _or_404(get_organisation, organisation_id=organisation_id)
    form = OrganisationEditForm(obj=org)
    context = {"organisation": org, "switch_form": SwitchForm(prefix="switch")}

    def action():
        return update_organisation(
            session=get_session(),
            organisation_id=org.id,
            name=form.name.data,
            kind=form.kind.data,
            contact_name=form.contact_name.data or "",
            contact_email=form.contact_email.data or "",
            contact_phone=form.contact_phone.data or "",
            actor_id=current_user.id,
        )

    done = url_for("admin_accounts.organisation", organisation_id=org.id)
    return _save(form, "admin/organisation.html", context, action, done)


def _switch_organisation(organisation_id: int, enabled: bool, message):
    org = _or_404(get_organisation, organisation_id=organisation_id)
    return _switch(
        lambda: set_organisation_enabled(
            session=get_session(), organisation_id=org.id, enabled=enabled, actor_id=current_user.id
        ),
        url_for("admin_accounts.organisation", organisation_id=org.id),
        message,
    )


@bp.route("/organisations/<int:organisation_id>/disable", methods=["POST"])
@role_required(Role.ADMIN)
def disable_organisation(organisation_id: int):
    message = _l("The organisation is disabled: its orderers can send no new requests.")
    return _switch_organisation(organisation_id, False, message)


@bp.route("/organisations/<int:organisation_id>/enable", methods=["POST"])
@role_required(Role.ADMIN)
def enable_organisation(organisation_id: int):
    message = _l("The organisation is enabled again.")
    return _switch_organisation(organisation_id, True, message)
