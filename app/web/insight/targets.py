"""The council's recruitment targets: list with progress, set, change and close."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import clock
from app.db import get_session, mark_rollback
from app.models.enums import Gender, Role, TargetStatus
from app.services.errors import Conflict, InvalidInput, NotFound
from app.services.insight.live import build_dataset, default_filters
from app.services.pool.patient_groups import AreaSuggestion, area_suggestions
from app.services.privacy.audit import record_read
from app.services.recruitment.progress import target_progress
from app.services.recruitment.targets import (
    MAX_AGE,
    Suggestion,
    TargetInput,
    close_target,
    create_target,
    get_target,
    list_targets,
    suggestions,
    update_target,
)
from app.web.access import role_required
from app.web.council.forms import ConfirmForm
from app.web.forms import apply_service_errors, area_options
from app.web.insight.facts import facts_for
from app.web.insight.forms import TargetForm
from app.web.insight.present import category_labeller
from app.web.insight.specs import SPECS
from app.web.insight.views import bp
from app.web.insight.yearly import area_names_by_id
from app.web.insight.yearly_present import describe_target, target_row


@bp.route("/targets/")
@role_required(Role.COUNCIL)
def targets():
    session = get_session()
    progress = target_progress(
        session=session, targets=list_targets(session=session), today=clock.today()
    )
    names = area_names_by_id()
    rows = [
        (item, describe_target(item.target, names), target_row(item, names, hide_small=False))
        for item in progress
    ]
    return render_template(
        "insight/targets.html", rows=rows, open_status=TargetStatus.OPEN, confirm=ConfirmForm()
    )


def _form(target=None) -> TargetForm:
    form = TargetForm(obj=None if request.method == "POST" else target)
    form.area.choices = area_options(with_any=True, as_text=True)
    if target is not None and request.method != "POST":
        form.area.data = str(target.area_id) if target.area_id else ""
        for name in ("gender", "experience_type", "pool"):
            getattr(form, name).data = getattr(target, name) or ""
    return form


def _input(form: TargetForm) -> TargetInput:
    return TargetInput(
        wanted_count=form.wanted_count.data,
        due_on=form.due_on.data,
        age_min=form.age_min.data,
        age_max=form.age_max.data,
        gender=form.gender.data or None,
        experience_type=form.experience_type.data or None,
        area_id=int(form.area.data) if form.area.data else None,
        pool=form.pool.data or None,
        note=(form.note.data or "").strip(),
    )


def _thin_groups() -> list[tuple[str, Suggestion]]:
    """Return where the pool is thin (age band × sex) in words, each with a target to start from."""
    dataset = build_dataset(
        session=get_session(),
        filters=default_filters(clock.today()),
        key="pool_age_gender",
        zone=clock.zone(),
        today=clock.today(),
    )
    thin = dataset.facts.get("thin", [])[:4]
    if not thin:
        return []
    starts = {item.key: item for item in suggestions([key for key, *_ in thin])}
    return [
        (sentence, starts[key])
        for sentence, (key, *_) in zip(facts_for(dataset), thin, strict=True)
        if key in starts
    ]


def _prefill(form: TargetForm) -> None:
    """Start a new target from a suggestion's query (ages and gender), ignoring bad values."""
    for name in ("age_min", "age_max"):
        value = request.args.get(name, type=int)
        if value is not None and 0 <= value <= MAX_AGE:
            getattr(form, name).data = value
    if request.args.get("gender") in {g.value for g in Gender}:
        form.gender.data = request.args["gender"]
    if request.args.get("area") in {str(choice[0]) for choice in form.area.iter_choices()}:
        form.area.data = request.args["area"]


def _area_thin_groups() -> list[tuple[str, str, AreaSuggestion]]:
    """Return the thin groups against each area's patient group: area, group and target start."""
    found = area_suggestions(session=get_session(), today=clock.today())
    if not found:
        return []
    names, name = area_names_by_id(), category_labeller(SPECS["pool_age_gender"], {})
    for area_id in {item.area_id for item in found}:
        record_read(
            session=get_session(),
            actor_id=current_user.id,
            action="patient_group.read",
            subject_type="area",
            subject_id=area_id,
        )
    return [(names.get(item.area_id, ""), name(item.suggestion.key), item) for item in found]


def _page(form: TargetForm, target=None, status: int = 200):
    thin = _thin_groups() if target is None else []
    area_thin = _area_thin_groups() if target is None else []
    return render_template(
        "insight/target_form.html", form=form, target=target, thin=thin, area_thin=area_thin
    ), status


def _save(form: TargetForm, target=None):
    if not form.validate_on_submit():
        return _page(form, target, 422)
    try:
        if target is None:
            create_target(_input(form), session=get_session(), actor_id=current_user.id)
        else:
            update_target(target.id, _input(form), session=get_session(), actor_id=current_user.id)
    except InvalidInput as error:
        mark_rollback()
        apply_service_errors(form, error.fields)
        return _page(form, target, 422)
    flash(_("The recruitment target is saved."), "success")
    return redirect(url_for("insight.targets"))


@bp.route("/targets/new", methods=["GET", "POST"])
@role_required(Role.COUNCIL)
def new_target():
    form = _form()
    if request.method == "POST":
        return _save(form)
    _prefill(form)
    return _page(form)


def _open_or_404(target_id: int):
    try:
        target = get_target(session=get_session(), target_id=target_id)
    except NotFound:
        abort(404)
    if target.status != TargetStatus.OPEN:
        abort(409)
    return target


@bp.route("/targets/<int:target_id>/edit", methods=["GET", "POST"])
@role_required(Role.COUNCIL)
def edit_target(target_id: int):
    target = _open_or_404(target_id)
    form = _form(target)
    if request.method == "POST":
        return _save(form, target)
    return _page(form, target)


@bp.route("/targets/<int:target_id>/close", methods=["POST"])
@role_required(Role.COUNCIL)
def close_target_view(target_id: int):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        close_target(target_id, session=get_session(), actor_id=current_user.id)
    except NotFound:
        abort(404)
    except Conflict:
        mark_rollback()
        flash(_("The target is closed and can no longer be changed."), "error")
        return redirect(url_for("insight.targets"))
    flash(_("The recruitment target is closed."), "success")
    return redirect(url_for("insight.targets"))
