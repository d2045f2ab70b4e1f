"""The council's import of an existing register: upload, dry run, real run, templates."""

from __future__ import annotations

from flask import Blueprint, Response, flash, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from app.db import get_session, mark_rollback
from app.models.enums import Role
from app.services.errors import InvalidInput
from app.services.pool_import.files import COLUMNS, read_register, template_csv, template_xlsx
from app.services.pool_import.importer import ACTION_LABELS, run_import
from app.web.access import role_required
from app.web.forms import apply_service_errors
from app.web.pool_admin.forms import ImportForm
from app.web.pool_common import mail_translate, welcome_link

bp = Blueprint("pool_import", __name__, url_prefix="/council/import")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _page(form, report=None, status=200):
    return (
        render_template(
            "pool_admin/import.html",
            form=form,
            report=report,
            columns=COLUMNS,
            action_labels=ACTION_LABELS,
            # A plain gettext: report messages translate their parameters with it.
            translate=_,
        ),
        status,
    )


@bp.route("/", methods=["GET"])
@role_required(Role.COUNCIL)
def start():
    return _page(ImportForm())


@bp.route("/", methods=["POST"])
@role_required(Role.COUNCIL)
def run():
    form = ImportForm()
    if not form.validate_on_submit():
        return _page(form, status=422)
    upload = form.file.data
    dry_run = request.form.get("action") != "import"
    try:
        header, rows = read_register(upload.filename or "", upload.read())
        report = run_import(
            session=get_session(),
            header=header,
            rows=rows,
            actor_id=current_user.id,
            link_for=welcome_link,
            translate=mail_translate(),
            dry_run=dry_run,
        )
    except InvalidInput as error:
        mark_rollback()
        apply_service_errors(form, error.fields)
        if not error.fields:
            flash(_(str(error)), "error")
        return _page(form, getattr(error, "report", None), 422)
    if not dry_run:
        flash(
            _("The register is imported; %(count)s invitations are sent.", count=report.invited),
            "success",
        )
    return _page(form, report)


@bp.route("/template.csv")
@role_required(Role.COUNCIL)
def template_as_csv():
    return Response(
        template_csv(),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="pool-template.csv"'},
    )


@bp.route("/template.xlsx")
@role_required(Role.COUNCIL)
def template_as_xlsx():
    return Response(
        template_xlsx(),
        mimetype=XLSX,
        headers={"Content-Disposition": 'attachment; filename="pool-template.xlsx"'},
    )
