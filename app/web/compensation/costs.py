"""Orderer pages: the organisation's compensation costs per period."""

from __future__ import annotations

from datetime import date

from flask import render_template, request
from flask_login import current_user

from app import clock
from app.db import get_session
from app.models import Organisation
from app.models.enums import Role
from app.services.compensation.reports import cost_report
from app.web.access import role_required
from app.web.compensation.forms import PeriodForm
from app.web.compensation.views import bp


@bp.route("/costs")
@role_required(Role.ORDERER)
def costs():
    form = PeriodForm(request.args)
    form.validate()
    today = clock.today()
    start = form.start.data or date(today.year, 1, 1)
    end = form.end.data or date(today.year, 12, 31)
    form.start.data, form.end.data = start, end
    session = get_session()
    organisation = session.get(Organisation, current_user.organisation_id)
    lines = cost_report(
        session=session, organisation_id=current_user.organisation_id, start=start, end=end
    )
    return render_template(
        "compensation/costs.html", form=form, lines=lines, organisation=organisation
    )
