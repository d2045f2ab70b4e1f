"""The council's side of training events: plan, change, cancel, record attendance; requirements."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import clock
from app.db import get_session, mark_rollback
from app.mail.settings import mail_context
from app.models.enums import Pool, Role, TrainingAttendance
from app.services.errors import Conflict, InvalidInput
from app.services.matchmaking.requirements import (
    Requirement,
    pool_requirements,
    set_pool_requirement,
)
from app.services.training.bookings import event_bookings, event_rows, record_attendance
from app.services.training.events import cancel_event, create_event, update_event
from app.web.access import role_required
from app.web.council.forms import ConfirmForm
from app.web.forms import apply_service_errors
from app.web.training.forms import SERVICE_FIELDS, EventForm, RequirementForm
from app.web.training.views import bp, event_or_404, refuse


@bp.route("/council/events/")
@role_required(Role.COUNCIL)
def council_events():
    """List upcoming and past training events with their places taken."""
    session = get_session()
    return render_template(
        "training/council_events.html",
        rows=event_rows(session=session),
        past=event_rows(session=session, upcoming=False),
    )


def _render_form(form, event=None, general=(), status=200):
    if status != 200:
        mark_rollback()
    return render_template(
        "training/event_form.html", form=form, event=event, general=list(general)
    ), status


def _save(form: EventForm, action):
    """Run ``action(data)``; on refused input put the service's errors on the form."""
    try:
        return action(form.to_input(clock.zone())), None
    except InvalidInput as error:
        fields = {SERVICE_FIELDS.get(k, k): v for k, v in error.fields.items()}
        return None, [_(str(error)), *apply_service_errors(form, fields)]


@bp.route("/council/events/new", methods=["GET", "POST"])
@role_required(Role.COUNCIL)
def new_event():
    """Create an introduction session or a training occasion."""
    form = EventForm()
    if not form.validate_on_submit():
        return _render_form(form, status=422 if form.is_submitted() else 200)
    event, general = _save(
        form, lambda data: create_event(data, session=get_session(), actor_id=current_user.id)
    )
    if general:
        return _render_form(form, general=general, status=422)
    flash(_("The event is saved. Members can book it now."), "success")
    return redirect(url_for("training.council_event", event_id=event.id))


@bp.route("/council/events/<int:event_id>/edit", methods=["GET", "POST"])
@role_required(Role.COUNCIL)
def edit_event(event_id: int):
    """Change an event; booked members get the change in their calendars."""
    event = event_or_404(event_id)
    if event.cancelled_at is not None:
        abort(404)
    form = EventForm(obj=event if request.method == "GET" else None)
    if request.method == "GET":
        local_start, local_end = clock.local(event.starts_at), clock.local(event.ends_at)
        form.day.data, form.start.data = local_start.date(), local_start.time()
        form.end.data = local_end.time()
    if not form.validate_on_submit():
        return _render_form(form, event, status=422 if form.is_submitted() else 200)
    changed, general = _save(
        form,
        lambda data: update_event(
            event, data, session=get_session(), ctx=mail_context(), actor_id=current_user.id
        ),
    )
    if general:
        return _render_form(form, event, general=general, status=422)
    flash(_("The event is saved.") if changed else _("Nothing was changed."), "success")
    return redirect(url_for("training.council_event", event_id=event.id))


@bp.route("/council/events/<int:event_id>")
@role_required(Role.COUNCIL)
def council_event(event_id: int):
    """Show an event with the members booked and their attendance."""
    event = event_or_404(event_id)
    return render_template(
        "training/council_event.html",
        event=event,
        bookings=event_bookings(session=get_session(), event_id=event.id),
        form=ConfirmForm(),
        marks=list(TrainingAttendance),
        has_started=event.starts_at <= clock.now(),
    )


@bp.route("/council/events/<int:event_id>/cancel", methods=["POST"])
@role_required(Role.COUNCIL)
def cancel_whole_event(event_id: int):
    """Cancel the event; every booked member gets a cancellation."""
    event = event_or_404(event_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        count = cancel_event(
            event, session=get_session(), ctx=mail_context(), actor_id=current_user.id
        )
    except Conflict as error:
        return refuse(error, "training.council_event", event_id=event.id)
    flash(_("The event is cancelled. %(num)s members were told.", num=count), "success")
    return redirect(url_for("training.council_event", event_id=event.id))


@bp.route("/council/events/<int:event_id>/attendance", methods=["POST"])
@role_required(Role.COUNCIL)
def attendance(event_id: int):
    """Record who attended; attending an introduction completes the member's introduction."""
    event = event_or_404(event_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    marks: dict[int, str | None] = {}
    for key, value in request.form.items():
        if key.startswith("booking-") and key[8:].isdigit():
            marks[int(key[8:])] = value or None
    try:
        record_attendance(session=get_session(), event=event, marks=marks, actor_id=current_user.id)
    except (Conflict, InvalidInput) as error:
        return refuse(error, "training.council_event", event_id=event.id)
    flash(_("Attendance is saved."), "success")
    return redirect(url_for("training.council_event", event_id=event.id))


@bp.route("/council/requirements", methods=["GET", "POST"])
@role_required(Role.COUNCIL)
def requirements():
    """Show and set, per pool, what members need before they are proposed."""
    session = get_session()
    settings = pool_requirements(session=session)
    forms = {
        pool.value: RequirementForm(prefix=pool.value, formdata=None, obj=settings[pool.value])
        for pool in Pool
    }
    if request.method == "POST":
        pool = request.form.get("pool", "")
        if pool not in forms:
            abort(400)
        form = forms[pool] = RequirementForm(prefix=pool)
        if not form.validate_on_submit():
            mark_rollback()
            return render_template("training/requirements.html", forms=forms), 422
        set_pool_requirement(
            Requirement(pool, form.is_introduction_required.data, form.is_agreement_required.data),
            session=session,
            actor_id=current_user.id,
        )
        flash(_("The requirements are saved and used by every new proposal."), "success")
        return redirect(url_for("training.requirements"))
    return render_template("training/requirements.html", forms=forms)
