"""The council's insight page, each picture's CSV, and the target population it compares with."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from app import clock
from app.db import get_session, mark_rollback
from app.i18n import current_language
from app.models.enums import Role
from app.services.errors import InvalidInput, NotFound
from app.services.insight.live import InsightFilters, build_dataset, build_insight, default_filters
from app.services.pool.population import (
    BANDS,
    POPULATION_GENDERS,
    figures_csv,
    import_figures,
    list_figures,
    load_population,
    save_grid,
)
from app.services.pool.taxonomy import list_areas
from app.services.pool_import.files import read_register
from app.services.privacy.audit import record_read
from app.web.access import role_required
from app.web.forms import apply_service_errors, area_options
from app.web.insight.forms import (
    InsightFilterForm,
    PopulationGridForm,
    PopulationImportForm,
    grid_field_name,
)
from app.web.insight.present import build_view, dataset_csv
from app.web.insight.specs import SECTIONS, SPECS

bp = Blueprint("insight", __name__, url_prefix="/council/insight")


def _read_filters() -> tuple[InsightFilterForm, InsightFilters | None]:
    """Validate the query string (missing dates mean the last twelve months)."""
    defaults = default_filters(clock.today())
    args = MultiDict(request.args)
    args.setdefault("start", defaults.start.isoformat())
    args.setdefault("end", defaults.end.isoformat())
    form = InsightFilterForm(args)
    form.area.choices = area_options(with_any=True, as_text=True)
    if not form.validate():
        return form, None
    filters = InsightFilters(
        start=form.start.data,
        end=form.end.data,
        pool=form.pool.data or None,
        area_id=int(form.area.data) if form.area.data else None,
        orderer_kind=form.orderer_kind.data or None,
    )
    return form, filters


def _area_names() -> dict[str, str]:
    locale = current_language()
    return {
        area.code: area.name(locale)
        for area in list_areas(session=get_session(), only_active=False)
    }


def _audit(action: str, filters: InsightFilters, **detail) -> None:
    record_read(
        session=get_session(),
        actor_id=current_user.id,
        action=action,
        subject_type="insight",
        detail={
            "start": filters.start.isoformat(),
            "end": filters.end.isoformat(),
            **{k: v for k, v in vars(filters).items() if k not in ("start", "end") and v},
            **detail,
        },
    )


@bp.route("/")
@role_required(Role.COUNCIL)
def home():
    form, filters = _read_filters()
    sections, status = None, 200
    if filters is not None:
        try:
            datasets = build_insight(
                session=get_session(), filters=filters, zone=clock.zone(), today=clock.today()
            )
        except InvalidInput as error:
            apply_service_errors(form, error.fields)
            filters = None
        else:
            names = _area_names()
            sections = {
                key: [build_view(dataset, area_names=names) for dataset in datasets[key]]
                for key in SECTIONS
            }
            _audit("insight.read", filters)
    if filters is None:
        status = 422
    query = {k: v for k, v in request.args.items() if k in form.data}
    return render_template(
        "insight/home.html", form=form, sections=sections, headings=SECTIONS, query=query
    ), status


@bp.route("/<chart>.csv")
@role_required(Role.COUNCIL)
def chart_csv(chart: str):
    if chart not in SPECS:
        abort(404)
    form, filters = _read_filters()
    try:
        if filters is None:
            raise InvalidInput(_("Check the filters: %(errors)s", errors=_form_errors(form)))
        dataset = build_dataset(
            session=get_session(),
            filters=filters,
            key=chart,
            zone=clock.zone(),
            today=clock.today(),
        )
    except InvalidInput as error:
        return Response(_(str(error)), status=422, mimetype="text/plain")
    except NotFound:
        abort(404)
    _audit("insight.csv", filters, chart=chart)
    name = f"{chart}-{filters.start.isoformat()}-{filters.end.isoformat()}.csv"
    return Response(
        dataset_csv(dataset, area_names=_area_names()).encode("utf-8-sig"),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _form_errors(form) -> str:
    return "; ".join(
        f"{field.label.text}: {' '.join(field.errors)}" for field in form if field.errors
    )


def _population_page(grid=None, upload=None, messages=(), status=200):
    session = get_session()
    figures = list_figures(session=session)
    population = load_population(session=session)
    if grid is None:
        grid = PopulationGridForm(formdata=None)
        grid.source.data = population.source
        for band in BANDS:
            for gender in POPULATION_GENDERS:
                field = getattr(grid, grid_field_name(band, gender))
                field.data = population.by_band_gender.get((band, str(gender)), 0)
    return render_template(
        "insight/population.html",
        grid=grid,
        upload=upload or PopulationImportForm(formdata=None),
        figures=figures,
        population=population,
        bands=BANDS,
        genders=POPULATION_GENDERS,
        field_name=grid_field_name,
        messages=messages,
        has_places=bool(population.by_municipality),
    ), status


@bp.route("/population", methods=["GET"])
@role_required(Role.COUNCIL)
def population():
    return _population_page()


@bp.route("/population", methods=["POST"])
@role_required(Role.COUNCIL)
def save_population():
    grid = PopulationGridForm()
    if not grid.validate_on_submit():
        return _population_page(grid=grid, status=422)
    try:
        save_grid(
            session=get_session(),
            people=grid.cells(),
            source=grid.source.data or "",
            actor_id=current_user.id,
        )
    except InvalidInput as error:
        mark_rollback()
        apply_service_errors(grid, error.fields)
        return _population_page(grid=grid, status=422)
    flash(_("The population figures are saved."), "success")
    return redirect(url_for("insight.population"))


@bp.route("/population/import", methods=["POST"])
@role_required(Role.COUNCIL)
def import_population():
    upload = PopulationImportForm()
    if not upload.validate_on_submit():
        return _population_page(upload=upload, status=422)
    try:
        header, rows = read_register(upload.file.data.filename or "", upload.file.data.read())
        count = import_figures(
            session=get_session(),
            header=header,
            rows=rows,
            source=upload.source.data or "",
            actor_id=current_user.id,
        )
    except InvalidInput as error:
        mark_rollback()
        apply_service_errors(upload, error.fields)
        return _population_page(upload=upload, messages=getattr(error, "messages", ()), status=422)
    flash(_("%(count)s population figures are imported.", count=count), "success")
    return redirect(url_for("insight.population"))


@bp.route("/population.csv")
@role_required(Role.COUNCIL)
def population_csv():
    return Response(
        figures_csv(list_figures(session=get_session())),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="population.csv"'},
    )


from app.web.insight import patient_groups, targets, yearly  # noqa: E402,F401  (their routes join this blueprint)
