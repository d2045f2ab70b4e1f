"""Council page: the yearly settlement of employer contributions per payer and person."""

from __future__ import annotations

from flask import Response, render_template, request
from flask_babel import gettext as _

from app import clock
from app.db import get_session
from app.models.enums import Role
from app.services.compensation.fees import (
    YEARLY_CONTRIBUTION_THRESHOLD,
    FeeError,
    MissingFigure,
)
from app.services.compensation.payout_export import settlement_csv
from app.services.compensation.reports import yearly_settlement
from app.web.access import role_required
from app.web.compensation.forms import YearForm
from app.web.compensation.views import bp
from app.web.figures_text import missing_figure_text


def _year(form: YearForm) -> tuple[int, bool]:
    """Return the chosen year (this year when missing or invalid) and whether it was valid."""
    valid = form.validate()
    return (form.year.data if valid and form.year.data else clock.today().year), valid


def _settle(year: int) -> tuple[list, str]:
    try:
        return yearly_settlement(session=get_session(), year=year), ""
    except MissingFigure as error:
        return [], missing_figure_text(error)
    except FeeError as error:
        return [], str(error)


@bp.route("/settlement")
@role_required(Role.COUNCIL)
def settlement():
    form = YearForm(request.args)
    year, valid = _year(form)
    if valid:
        form.year.data = year
    rows, error = _settle(year)
    return render_template(
        "compensation/settlement.html",
        form=form,
        year=year,
        rows=rows,
        error=error,
        threshold=YEARLY_CONTRIBUTION_THRESHOLD,
    ), (200 if valid else 422)


@bp.route("/settlement.csv")
@role_required(Role.COUNCIL)
def settlement_export():
    year, valid = _year(YearForm(request.args))
    if not valid:
        return Response(_("Give a year from 2000 to 2100."), status=422, mimetype="text/plain")
    rows, error = _settle(year)
    if error:
        return Response(error, status=409, mimetype="text/plain")
    return Response(
        settlement_csv(rows),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="settlement-{year}.csv"'},
    )
