"""Joining the pool: the public application and the council's recruitment pipeline."""

from __future__ import annotations

from datetime import UTC

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeTimedSerializer

from app import clock
from app.db import get_session, mark_rollback
from app.extensions import limiter
from app.i18n import current_language
from app.mail.settings import mail_context
from app.models.base import utcnow
from app.models.enums import ApplicantStatus, AssignmentType, Role, TargetStatus
from app.services.errors import Conflict, InvalidInput, NotFound
from app.services.pool.taxonomy import list_areas
from app.services.privacy.audit import record_read
from app.services.recruitment.pipeline import (
    Move,
    applicant_areas,
    applicants_by_status,
    get_applicant,
    move_applicant,
    next_statuses,
)
from app.services.recruitment.progress import target_progress
from app.services.recruitment.receipt import receive_application
from app.services.recruitment.targets import list_targets
from app.web.access import role_required
from app.web.forms import apply_service_errors
from app.web.insight.yearly import area_names_by_id
from app.web.insight.yearly_present import describe_target
from app.web.labels import label, options
from app.web.member.forms import LANGUAGE_CHOICES
from app.web.pool_common import welcome_link
from app.web.recruitment.forms import ApplicationForm, MoveForm

bp = Blueprint("recruitment", __name__)

#: Salt of the signed "form shown at" stamp.
STAMP_SALT = "levbib-application-form"
#: A form older than this is refused as expired (the person sends it again, nothing is lost).
STAMP_MAX_AGE = 24 * 3600
#: The service's field name → the form's.
FIELD_NAMES = {"experiences": "areas"}


def _apply_limit() -> str:
    return current_app.config.get("APPLICATION_RATE_LIMIT", "5 per hour")


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=STAMP_SALT)


def _timing_problem(stamp: str | None) -> str | None:
    """Return why the form cannot be taken as sent by a person yet (None when it can)."""
    try:
        _payload, shown_at = _serializer().loads(stamp or "", return_timestamp=True)
    except BadSignature:
        return _("The form has expired. Please try again.")
    age = (utcnow() - shown_at.astimezone(UTC)).total_seconds()
    if age > STAMP_MAX_AGE:
        return _("The form has expired. Please try again.")
    if age < current_app.config.get("APPLICATION_MIN_SECONDS", 5):
        return _("That was very quick. Please check your answers and send the form again.")
    return None


def _application_form() -> ApplicationForm:
    form = ApplicationForm()
    locale = current_language()
    form.areas.choices = options(
        (area.id, ("— " * area.code.count("/")) + area.name(locale))
        for area in list_areas(session=get_session())
    )
    return form


@bp.route("/apply", methods=["GET", "POST"])
@limiter.limit(_apply_limit, methods=["POST"], scope="apply")
def apply():
    form = _application_form()
    if form.is_submitted() and form.website.data:
        return redirect(url_for("recruitment.thanks"))  # a robot filled the hidden field
    general: list[str] = []
    if form.validate_on_submit():
        general = [problem] if (problem := _timing_problem(form.started.data)) else []
        if not general:
            try:
                receive_application(form.to_input(), session=get_session(), ctx=mail_context())
            except InvalidInput as error:
                mark_rollback()
                fields = {FIELD_NAMES.get(k, k): v for k, v in error.fields.items()}
                general = apply_service_errors(form, fields)
            else:
                return redirect(url_for("recruitment.thanks"))
    if not form.is_submitted() or general:
        form.started.data = _serializer().dumps("apply")
    status = 422 if form.is_submitted() else 200
    return render_template("recruitment/apply.html", form=form, general=general), status


@bp.route("/apply/thanks")
def thanks():
    return render_template("recruitment/thanks.html", mailbox=current_app.config["COUNCIL_MAILBOX"])


@bp.route("/council/recruitment/")
@role_required(Role.COUNCIL)
def pipeline():
    session = get_session()
    grouped = applicants_by_status(session=session)
    open_targets = list_targets(session=session, status=TargetStatus.OPEN)
    progress = target_progress(session=session, targets=open_targets, today=clock.today())
    names = area_names_by_id()
    targets = [(item, describe_target(item.target, names)) for item in progress]
    return render_template("recruitment/pipeline.html", grouped=grouped, targets=targets)


def _applicant_page(applicant, form: MoveForm, status: int = 200):
    session = get_session()
    record_read(
        session=session,
        actor_id=current_user.id,
        action="applicant.health_data.read",
        subject_type="applicant",
        subject_id=applicant.id,
    )
    return render_template(
        "recruitment/applicant.html",
        applicant=applicant,
        areas=applicant_areas(session=session, applicant=applicant),
        form=form,
        locale=current_language(),
        assignment_types=[kind.value for kind in AssignmentType],
        language_names=dict(LANGUAGE_CHOICES),
    ), status


def _move_form(applicant) -> MoveForm:
    form = MoveForm()
    form.status.choices = options(
        (status.value, label(ApplicantStatus, status)) for status in next_statuses(applicant)
    )
    return form


def _applicant_or_404(applicant_id: int):
    try:
        return get_applicant(session=get_session(), applicant_id=applicant_id)
    except NotFound:
        abort(404)


@bp.route("/council/recruitment/<int:applicant_id>")
@role_required(Role.COUNCIL)
def applicant(applicant_id: int):
    found = _applicant_or_404(applicant_id)
    return _applicant_page(found, _move_form(found))


@bp.route("/council/recruitment/<int:applicant_id>/move", methods=["POST"])
@role_required(Role.COUNCIL)
def move(applicant_id: int):
    found = _applicant_or_404(applicant_id)
    form = _move_form(found)
    if not form.validate_on_submit():
        return _applicant_page(found, form, 422)
    try:
        move_applicant(
            session=get_session(),
            applicant=found,
            move=Move(form.status.data, form.reason.data or "", form.birth_year.data),
            actor=current_user,
            ctx=mail_context(),
            welcome_link=welcome_link,
            retention_days=current_app.config["RETENTION_DAYS"],
        )
    except InvalidInput as error:
        mark_rollback()
        for message in apply_service_errors(form, error.fields):
            flash(message, "error")
        return _applicant_page(_applicant_or_404(applicant_id), form, 422)
    except Conflict as error:
        mark_rollback()
        flash(_(str(error)), "error")
        return redirect(url_for("recruitment.applicant", applicant_id=applicant_id))
    moved_to = label(ApplicantStatus, found.status)
    flash(_("The applicant is moved to: %(status)s.", status=moved_to), "success")
    return redirect(url_for("recruitment.applicant", applicant_id=applicant_id))
