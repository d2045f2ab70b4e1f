"""The council's yearly report: one page, and the same figures as PDF and XLSX."""

from __future__ import annotations

from flask import Response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import clock
from app.db import get_session
from app.i18n import current_language
from app.models.enums import Role
from app.services.errors import InvalidInput
from app.services.insight.yearly import YearlyReport, build_yearly_report
from app.services.pool.taxonomy import list_areas
from app.services.privacy.audit import record_read
from app.web.access import role_required
from app.web.insight.views import _area_names, bp
from app.web.insight.yearly_pdf import report_pdf
from app.web.insight.yearly_present import (
    HEADINGS,
    payer_headers,
    payer_problem,
    payer_rows,
    section_views,
    target_headers,
    target_row,
    total_rows,
)
from app.web.insight.yearly_xlsx import report_xlsx


def _report(year: int) -> YearlyReport | None:
    try:
        return build_yearly_report(
            session=get_session(), year=year, zone=clock.zone(), today=clock.today()
        )
    except InvalidInput:
        return None


def _audit(year: int, form: str) -> None:
    record_read(
        session=get_session(),
        actor_id=current_user.id,
        action="insight.year_report",
        subject_type="insight",
        detail={"year": year, "form": form},
    )


def area_names_by_id() -> dict[int, str]:
    """Return every area's name in the UI language by id."""
    locale = current_language()
    return {
        area.id: area.name(locale) for area in list_areas(session=get_session(), only_active=False)
    }


def _target_rows(report: YearlyReport) -> list[list[str]]:
    names = area_names_by_id()
    return [target_row(item, names, hide_small=True) for item in report.targets]


def _intro(report: YearlyReport) -> list[str]:
    return [
        _(
            "The council's account of %(year)s: the figures of the insight pages for 1 January to 31 December %(year)s. The pool pictures show today's pool.",
            year=report.year,
        ),
        _(
            "To keep anyone from being picked out, a count of 1 to 4 people is shown as “fewer than 5”, and a survey mean needs at least five answers."
        ),
    ]


def _not_a_year(year: int):
    message = _("Choose a year from 2000 to 2100.")
    return render_template("insight/year.html", report=None, year=year, message=message), 422


@bp.route("/year")
@role_required(Role.COUNCIL)
def year_choice():
    year = request.args.get("year", type=int) or clock.today().year - 1
    return redirect(url_for("insight.year_report", year=year))


@bp.route("/year/<int:year>")
@role_required(Role.COUNCIL)
def year_report(year: int):
    report = _report(year)
    if report is None:
        return _not_a_year(year)
    _audit(year, "page")
    names = _area_names()
    return render_template(
        "insight/year.html",
        report=report,
        year=year,
        intro=_intro(report),
        totals=total_rows(report),
        sections=section_views(report, names),
        headings=HEADINGS,
        payer_headers=payer_headers(),
        payers=payer_rows(report),
        payer_problem=payer_problem(report),
        target_headers=target_headers(),
        targets=_target_rows(report),
        query={"start": report.filters.start.isoformat(), "end": report.filters.end.isoformat()},
    )


def _title(year: int) -> str:
    return _("Yearly report %(year)s", year=year)


def _extra(report: YearlyReport) -> list[tuple[str, str, list[str], list[list[str]]]]:
    return [
        (
            _("Fees and contributions per payer"),
            payer_problem(report),
            payer_headers(),
            payer_rows(report),
        ),
        (
            _("Recruitment against targets"),
            _(
                "Members who became active since each target was set, and applicants in the pipeline who match it."
            ),
            target_headers(),
            _target_rows(report),
        ),
    ]


@bp.route("/year/<int:year>.pdf")
@role_required(Role.COUNCIL)
def year_report_pdf(year: int):
    report = _report(year)
    if report is None:
        return _not_a_year(year)
    _audit(year, "pdf")
    views = section_views(report, _area_names())
    body = report_pdf(
        title=_title(year),
        intro=_intro(report),
        totals=[(row.label, row.text) for row in total_rows(report)],
        sections=[(str(HEADINGS[k][0]), str(HEADINGS[k][1]), v) for k, v in views.items()],
        extra=_extra(report),
    )
    return Response(
        body,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="yearly-report-{year}.pdf"'},
    )


def _payer_values(report: YearlyReport) -> list[list]:
    return [[p.payer, p.people, p.fees, p.travel, p.contributions] for p in report.payers]


@bp.route("/year/<int:year>.xlsx")
@role_required(Role.COUNCIL)
def year_report_xlsx(year: int):
    report = _report(year)
    if report is None:
        return _not_a_year(year)
    _audit(year, "xlsx")
    totals = [[_("Measure"), _("Value")], *([row.label, row.value] for row in total_rows(report))]
    body = report_xlsx(
        totals=(_("The year in figures"), totals),
        sections=[(str(HEADINGS[k][0]), v) for k, v in report.sections.items()],
        extra=[
            (_("Payers"), payer_headers(), _payer_values(report)),
            (_("Recruitment targets"), target_headers(), _target_rows(report)),
        ],
        area_names=_area_names(),
    )
    return Response(
        body,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="yearly-report-{year}.xlsx"'},
    )
