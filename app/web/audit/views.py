"""The audit log for the council and the administrator: search and export."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request
from flask_login import current_user
from wtforms import DateField, Form, IntegerField, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional

from app import clock
from app.db import get_session
from app.i18n import current_language
from app.i18n import lazy_gettext as _l
from app.models.base import utcnow
from app.models.enums import Role
from app.services.privacy.audit import record_audit
from app.services.privacy.audit_log import (
    PAGE_SIZE,
    AuditFilters,
    audit_csv,
    count_audit,
    search_audit,
)
from app.services.privacy.audit_names import audit_names
from app.web.access import role_required
from app.web.audit.sentences import ACTION_GROUPS, SUBJECT_TYPES, describe
from app.web.forms import DayInRange
from app.web.labels import options

bp = Blueprint("audit", __name__, url_prefix="/audit")


class AuditFilterForm(Form):
    """Filters in the query string (a GET form: nothing changes, so no CSRF token)."""

    actor = StringField(_l("Who acted (name or email)"), validators=[Optional(), Length(max=254)])
    #: A code prefix; other prefixes than the listed ones work too (links from other pages).
    action = SelectField(
        _l("Action"),
        choices=options(ACTION_GROUPS),
        validate_choice=False,
        validators=[Length(max=80)],
    )
    subject_type = SelectField(
        _l("What it concerns"),
        choices=options(SUBJECT_TYPES),
        validate_choice=False,
        validators=[Length(max=40)],
    )
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
    session, zone = get_session(), clock.zone()
    total = count_audit(session=session, filters=filters, zone=zone) if valid else 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(request.args.get("page", 1, type=int), 1), pages)
    rows = (
        search_audit(session=session, filters=filters, zone=zone, offset=(page - 1) * PAGE_SIZE)
        if valid
        else []
    )
    # Members' names only for the council, who keep the pool (docs/domain.md §3).
    names = audit_names(
        session=session,
        events=[e for e, _a in rows],
        show_members=current_user.role == Role.COUNCIL,
    )
    language = current_language()
    events = [(event, describe(event, actor, names, language)) for event, actor in rows]
    return render_template(
        "audit/log.html",
        form=form,
        events=events,
        total=total,
        page=page,
        pages=pages,
        query=request.query_string,
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
