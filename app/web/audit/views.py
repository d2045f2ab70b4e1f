"""The audit log for the council and the administrator: search and export."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import DateField, Form, IntegerField, StringField
from wtforms.validators import Length, NumberRange, Optional

from app import clock
from app.db import get_session
from app.models.base import utcnow
from app.models.enums import Role
from app.services.privacy.audit import record_audit
from app.services.privacy.audit_log import PAGE_SIZE, AuditFilters, audit_csv, search_audit
from app.web.access import role_required
from app.web.forms import DayInRange

bp = Blueprint("audit", __name__, url_prefix="/audit")


class AuditFilterForm(Form):
    """Filters in the query string (a GET form: nothing changes, so no CSRF token)."""

    actor = StringField(_l("Who (email contains)"), validators=[Optional(), Length(max=254)])
    action = StringField(_l("Action starts with"), validators=[Optional(), Length(max=80)])
    subject_type = StringField(_l("Subject type"), validators=[Optional(), Length(max=40)])
    subject_id = IntegerField(
        _l("Subject id"), validators=[Optional(), NumberRange(min=1, max=2_147_483_647)]
    )
    since = DateField(_l("From date"), validators=[Optional(), DayInRange()])
    until = DateField(_l("To date"), validators=[Optional(), DayInRange()])


def _filters() -> tuple[AuditFilterForm, AuditFilters, bool]:
    form = AuditFilterForm(request.args)
    if not form.validate():
        return form, AuditFilters(), False
    return (
        form,
        AuditFilters(
            actor=form.actor.data or "",
            action=form.action.data or "",
            subject_type=form.subject_type.data or "",
            subject_id=form.subject_id.data,
            since=form.since.data,
            until=form.until.data,
        ),
        True,
    )


@bp.route("/")
@role_required(Role.COUNCIL, Role.ADMIN)
def log():
    form, filters, valid = _filters()
    rows = search_audit(session=get_session(), filters=filters, zone=clock.zone()) if valid else []
    return render_template(
        "audit/log.html", form=form, rows=rows, page_size=PAGE_SIZE, query=request.query_string
    ), 200 if valid else 422


@bp.route("/export.csv")
@role_required(Role.COUNCIL, Role.ADMIN)
def export():
    _form, filters, valid = _filters()
    if not valid:
        return log()
    session, zone = get_session(), clock.zone()
    rows = search_audit(session=session, filters=filters, zone=zone, limit=None)
    record_audit(
        session=session,
        actor_id=current_user.id,
        action="audit.exported",
        subject_type="audit_event",
        detail={"rows": len(rows), "filters": request.args.to_dict()},
    )
    stamp = utcnow().astimezone(zone).strftime("%Y%m%d-%H%M")
    return Response(
        audit_csv(rows, zone),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="audit-{stamp}.csv"',
            "Cache-Control": "no-store",
        },
    )
