"""The council's patient-group figures per area and the pool compared with them."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import clock
from app.db import get_session, mark_rollback
from app.i18n import current_language
from app.models import Area
from app.models.enums import Role
from app.services.errors import InvalidInput, NotFound
from app.services.pool.patient_groups import (
    area_comparison,
    areas_with_figures,
    latest_year,
    load_area_group,
    save_area_figures,
)
from app.services.pool.population import BANDS, POPULATION_GENDERS
from app.services.privacy.audit import record_read
from app.services.recruitment.targets import suggestions
from app.web.access import role_required
from app.web.forms import apply_service_errors, area_options
from app.web.insight.forms import PatientGroupAreaForm, PatientGroupForm, grid_field_name
from app.web.insight.present import category_labeller
from app.web.insight.specs import SPECS
from app.web.insight.views import bp
from app.web.insight.yearly import area_names_by_id
from app.web.security import MAX_ID


@bp.route("/patient-groups/")
@role_required(Role.COUNCIL)
def patient_groups():
    chosen = request.args.get("area", type=int)
    if chosen is not None and 0 < chosen <= MAX_ID and get_session().get(Area, chosen):
        return redirect(url_for("insight.patient_group", area_id=chosen))
    names = area_names_by_id()
    stored = [
        (area_id, names.get(area_id, ""), year)
        for area_id, year in areas_with_figures(session=get_session())
    ]
    choose = PatientGroupAreaForm(formdata=None)
    choose.area.choices = area_options(as_text=True)
    return render_template("insight/patient_groups.html", stored=stored, choose=choose)


def _area_or_404(area_id: int) -> Area:
    area = get_session().get(Area, area_id)
    if area is None:
        abort(404)
    return area


def _comparison_rows(area_id: int) -> tuple[list[tuple], list]:
    """Return the comparison table's rows and the dataset's thin groups."""
    dataset = area_comparison(session=get_session(), area_id=area_id, today=clock.today())
    name = category_labeller(SPECS["pool_age_gender"], {})
    starts = {item.key: item for item in suggestions([key for key, *_ in dataset.facts["thin"]])}
    values = [dataset.column(key).values for key in ("pool_count", "pool_share")]
    group = [dataset.column(key).values for key in ("population_count", "population_share")]
    rows = [
        (key, name(key), values[0][i], values[1][i], group[0][i], group[1][i], starts.get(key))
        for i, key in enumerate(dataset.categories)
    ]
    return rows, list(starts)


def _page(area: Area, form: PatientGroupForm | None = None, status: int = 200):
    session = get_session()
    group = load_area_group(session=session, area_id=area.id)
    year = latest_year(session=session, area_id=area.id)
    if form is None:
        form = PatientGroupForm(formdata=None)
        form.year.data, form.source.data = year or clock.today().year - 1, group.source
        for band in BANDS:
            for gender in POPULATION_GENDERS:
                cell = getattr(form, grid_field_name(band, gender))
                cell.data = group.by_band_gender.get((band, str(gender)), 0)
    rows, thin = _comparison_rows(area.id) if year is not None else ([], [])
    record_read(
        session=session,
        actor_id=current_user.id,
        action="patient_group.read",
        subject_type="area",
        subject_id=area.id,
    )
    return render_template(
        "insight/patient_group.html",
        area=area,
        area_name=area.name(current_language()),
        form=form,
        group=group,
        year=year,
        rows=rows,
        has_thin=bool(thin),
        bands=BANDS,
        genders=POPULATION_GENDERS,
        field_name=grid_field_name,
    ), status


@bp.route("/patient-groups/<int:area_id>", methods=["GET"])
@role_required(Role.COUNCIL)
def patient_group(area_id: int):
    return _page(_area_or_404(area_id))


@bp.route("/patient-groups/<int:area_id>", methods=["POST"])
@role_required(Role.COUNCIL)
def save_patient_group(area_id: int):
    area = _area_or_404(area_id)
    form = PatientGroupForm()
    if not form.validate_on_submit():
        return _page(area, form, 422)
    try:
        save_area_figures(
            session=get_session(),
            area_id=area.id,
            year=form.year.data,
            people=form.cells(),
            source=form.source.data or "",
            actor_id=current_user.id,
        )
    except (InvalidInput, NotFound) as error:
        mark_rollback()
        apply_service_errors(form, getattr(error, "fields", {}))
        return _page(area, form, 422)
    flash(_("The patient group figures are saved."), "success")
    return redirect(url_for("insight.patient_group", area_id=area.id))
