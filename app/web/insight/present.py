"""Turn an insight dataset into what the page shows: picture, words, table and CSV."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from flask_babel import format_date, format_decimal
from flask_babel import gettext as _

from app import formatting
from app.i18n import current_language, format_kronor
from app.models.enums import (
    AssignmentType,
    ExperienceType,
    Gender,
    Mandate,
    OrganisationKind,
    Participation,
)
from app.services.insight import charts
from app.services.insight.datasets import Cell, Dataset, to_csv
from app.services.insight.metrics import SUPPRESSED
from app.web.insight.facts import facts_for
from app.web.insight.specs import ANSWERS, SERIES, SERIES_BY_DATASET, SPECS, ChartSpec
from app.web.labels import label


@dataclass
class ChartView:
    """One picture as the template draws it."""

    key: str
    spec: ChartSpec
    facts: list[str]
    figure: charts.Figure | None
    desc: str
    headers: list[str]
    rows: list[list[str]]
    is_empty: bool


def _is_number(value: Cell) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def formatter(unit: str) -> Callable[[Cell], str]:
    """Return how a value of ``unit`` reads on the page, in the UI language."""

    def fmt(value: Cell) -> str:
        if value is None:
            return "–"
        if value == SUPPRESSED:
            return _("fewer than 5")
        if unit == "share":
            return formatting.share(value, current_language(), up_to=1)
        if unit == "kr":
            return format_kronor(value)
        if unit in ("score", "diversity"):
            return format_decimal(value, "0.0")
        if unit in ("days", "hours"):
            return format_decimal(value, "#,##0.#")
        return format_decimal(value, "#,##0")

    return fmt


def axis_formatter(unit: str) -> Callable[[float], str]:
    """Return how tick values read on a picture's value axis."""
    if unit == "share":
        return lambda value: formatting.share(value, current_language())
    if unit == "kr":
        return lambda value: format_decimal(value, "#,##0")
    return lambda value: format_decimal(value, "#,##0.#")


def series_label(dataset_key: str, series_key: str) -> str:
    """Return a series' readable name."""
    if series_key.endswith("_n"):
        return f"{ANSWERS}: {SERIES.get(series_key[:-2], series_key)}"
    if series_key in {kind.value for kind in OrganisationKind}:
        return label(OrganisationKind, series_key)
    return str(
        SERIES_BY_DATASET.get((dataset_key, series_key)) or SERIES.get(series_key, series_key)
    )


def _header(dataset_key: str, series) -> str:
    name = series_label(dataset_key, series.key)
    return f"{name} (%)" if series.unit == "share" else name


def _band(key: str) -> str:
    return key.replace("-", "–")


def category_labeller(spec: ChartSpec, area_names: dict[str, str]) -> Callable[[str], str]:
    """Return the function naming one category of a dataset."""
    kind = spec.categories

    def name(key: str) -> str:
        if kind == "band":
            return _band(key)
        if kind == "band_gender":
            if key == "other":
                return _("Other gender or not stated, all ages")
            band, gender = key.split(":")
            return (
                _("%(band)s, women", band=_band(band))
                if gender == "woman"
                else _("%(band)s, men", band=_band(band))
            )
        if kind == "experience":
            return _("Both own and relative") if key == "both" else label(ExperienceType, key)
        if kind == "mandate":
            return label(Mandate, key)
        if kind == "area":
            return area_names.get(key, key)
        if kind == "place":
            return {"": _("Not stated"), "*other": _("Other municipalities")}.get(key, key)
        if kind == "organisation":
            return _("Other organisations") if key == "*other" else key
        if kind == "month":
            year, month = key.split("-")
            return format_date(date(int(year), int(month), 1), "MMM yyyy")
        if kind == "bin_assignments":
            return _("%(count)s or more", count=key[:-1]) if key.endswith("+") else _band(key)
        if kind == "bin_hours":
            return _hour_bin(key)
        if kind == "percent":
            return formatting.percent(int(key), current_language())
        if kind == "assignment_type":
            return label(AssignmentType, key)
        if kind == "organisation_kind":
            return label(OrganisationKind, key)
        if kind == "participation":
            return label(Participation, key)
        if kind == "booked":
            return _booked_group(key)
        return _summary_row(key)

    return name


def _hour_bin(key: str) -> str:
    if key == "0":
        return "0\u00a0h"
    if key == "0-2":
        return _("under 2 h")
    if key.endswith("+"):
        return _("%(count)s h or more", count=key[:-1])
    return _band(key) + "\u00a0h"


def _booked_group(key: str) -> str:
    dimension, value = key.split(":")
    if dimension == "age":
        return _("Age %(band)s", band=_band(value))
    if dimension == "gender":
        return _("Other or not stated") if value == "other" else label(Gender, value)
    return label(ExperienceType, value)


def _summary_row(key: str) -> str:
    return {
        "members": _("Members in today's pool"),
        "never_used": _("Not used in the 12 months up to the period's end"),
        "at_max": _("At their monthly maximum in the period's last month"),
    }.get(key, key)


def build_view(dataset: Dataset, *, area_names: dict[str, str]) -> ChartView:
    """Return the picture, its words and its table for one dataset."""
    spec = SPECS[dataset.key]
    name = category_labeller(spec, area_names)
    labels = [name(c) for c in dataset.categories]
    facts = facts_for(dataset)
    headers = [
        str(spec.category_axis) or _("Group"),
        *(_header(dataset.key, s) for s in dataset.series),
    ]
    rows = [
        [labels[i], *(formatter(s.unit)(s.values[i]) for s in dataset.series)]
        for i in range(len(labels))
    ]
    figure = None if spec.kind == "table" else _figure(dataset, spec, labels)
    desc = " ".join([*facts, _("The table beside the picture gives every number.")])
    if dataset.is_empty:
        desc = _("No data for these filters.")
    return ChartView(dataset.key, spec, facts, figure, desc, headers, rows, dataset.is_empty)


def _figure(dataset: Dataset, spec: ChartSpec, labels: list[str]) -> charts.Figure:
    plotted = [dataset.column(key) for key in dataset.plotted]
    unit = plotted[0].unit if plotted else "count"
    plots = [charts.Plot(_legend(dataset, s.key), s.values) for s in plotted]
    common = dict(
        fmt=axis_formatter(unit),
        value_axis=str(spec.value_axis),
        category_axis=str(spec.category_axis),
        empty_text=_("No data for these filters."),
    )
    if spec.kind in ("hbar", "vbar"):
        return charts.bar_chart(
            labels, plots, horizontal=spec.kind == "hbar", stacked=spec.stacked, **common
        )
    if spec.kind == "lorenz":
        xs = [int(key) / 100 for key in dataset.categories]
        ticks = [(x / 100, formatting.percent(x, current_language())) for x in (0, 25, 50, 75, 100)]
        return charts.line_chart(
            ticks,
            plots,
            xs,
            y_max=1.0,
            tip_labels=labels,
            diagonal=str(SERIES["equality"]),
            **common,
        )
    xs = charts.spaced(len(labels))
    step = max(1, round(len(labels) / 12))
    ticks = [(xs[i], labels[i]) for i in range(0, len(labels), step)]
    return charts.line_chart(ticks, plots, xs, y_max=spec.y_max, tip_labels=labels, **common)


def _legend(dataset: Dataset, series_key: str) -> str:
    text = series_label(dataset.key, series_key)
    gini = {"assignments_share": "gini_assignments", "hours_share": "gini_hours"}.get(series_key)
    if dataset.key == "work_lorenz" and gini:
        return _(
            "%(series)s (Gini %(gini)s)",
            series=text,
            gini=format_decimal(dataset.facts[gini], "0.00"),
        )
    return text


def _csv_number(value: Cell, unit: str) -> str:
    if value is None:
        return ""
    if value == SUPPRESSED:
        return SUPPRESSED
    number = value * 100 if unit == "share" else value
    text = (
        f"{number:.1f}"
        if unit == "share"
        else (f"{number:.2f}" if isinstance(number, float) else str(number))
    )
    return text.replace(".", ",") if current_language() == "sv" else text


def dataset_csv(dataset: Dataset, *, area_names: dict[str, str]) -> str:
    """Return a dataset as CSV with readable headers in the UI language."""
    spec = SPECS[dataset.key]
    units = {s.key: s.unit for s in dataset.series}
    return to_csv(
        dataset,
        category_header=str(spec.category_axis) or _("Group"),
        category_label=category_labeller(spec, area_names),
        series_label=lambda key: (
            f"{series_label(dataset.key, key)}{' (%)' if units[key] == 'share' else ''}"
        ),
        number=_csv_number,
    )
