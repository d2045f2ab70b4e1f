"""Council pages: attest or send back claims, payout batches and their exports."""

from __future__ import annotations

from flask import Response, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.config import fee_hourly_rule, payout_frequency
from app.db import get_session
from app.models.enums import Role
from app.services.compensation import fees
from app.services.compensation.claim_flow import attest_claim, list_claims_for_council, return_claim
from app.services.compensation.fee_tables import load_tables
from app.services.compensation.payout_export import (
    batch_csv,
    batch_xlsx,
    payer_csv,
    payer_lines,
    payer_xlsx,
)
from app.services.compensation.payouts import (
    batch_rows,
    close_batch,
    create_batch,
    fill_batch,
    get_batch,
    list_batches,
)
from app.services.errors import Conflict, InvalidInput, NotFound
from app.web.access import role_required
from app.web.compensation.forms import BatchForm, ConfirmForm, ReturnForm
from app.web.compensation.views import bp
from app.web.figures_text import missing_figure_text

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.route("/review")
@role_required(Role.COUNCIL)
def review():
    rows = list_claims_for_council(session=get_session())
    return render_template(
        "compensation/review.html", rows=rows, return_form=ReturnForm(), confirm=ConfirmForm()
    )


def _decide(action, **kwargs):
    try:
        action(session=get_session(), actor=current_user, **kwargs)
    except NotFound:
        abort(404)
    except (Conflict, InvalidInput) as error:
        flash(_(str(error)), "error")
        return redirect(url_for("compensation.review"))
    except fees.MissingFigure as error:
        flash(missing_figure_text(error), "error")
        return redirect(url_for("compensation.review"))
    flash(_("Done."), "success")
    return redirect(url_for("compensation.review"))


@bp.route("/review/<int:claim_id>/attest", methods=["POST"])
@role_required(Role.COUNCIL)
def attest(claim_id: int):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    return _decide(attest_claim, claim_id=claim_id, hourly_rule=fee_hourly_rule(current_app.config))


@bp.route("/review/<int:claim_id>/return", methods=["POST"])
@role_required(Role.COUNCIL)
def send_back(claim_id: int):
    form = ReturnForm()
    if not form.validate_on_submit():
        flash(_("Say what the member should change."), "error")
        return redirect(url_for("compensation.review"))
    return _decide(return_claim, claim_id=claim_id, comment=form.comment.data)


@bp.route("/batches", methods=["GET", "POST"])
@role_required(Role.COUNCIL)
def batches():
    form = BatchForm()
    if not form.is_submitted():
        form.frequency.data = payout_frequency(current_app.config)
    if form.validate_on_submit():
        try:
            batch = create_batch(
                session=get_session(),
                actor=current_user,
                day=form.day.data,
                frequency=form.frequency.data,
            )
        except (Conflict, InvalidInput) as error:
            flash(_(str(error)), "error")
        else:
            return redirect(url_for("compensation.batch", batch_id=batch.id))
    status = 422 if form.is_submitted() else 200
    return render_template(
        "compensation/batches.html", form=form, batches=list_batches(session=get_session())
    ), status


def _batch_or_404(batch_id: int):
    try:
        return get_batch(session=get_session(), batch_id=batch_id)
    except NotFound:
        abort(404)


@bp.route("/batches/<int:batch_id>")
@role_required(Role.COUNCIL)
def batch(batch_id: int):
    item = _batch_or_404(batch_id)
    rows = batch_rows(session=get_session(), batch_id=batch_id)
    return render_template("compensation/batch.html", batch=item, rows=rows, form=ConfirmForm())


def _change(batch_id: int, action) -> Response:
    _batch_or_404(batch_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        action()
    except Conflict as error:
        flash(_(str(error)), "error")
    else:
        flash(_("Done."), "success")
    return redirect(url_for("compensation.batch", batch_id=batch_id))


@bp.route("/batches/<int:batch_id>/fill", methods=["POST"])
@role_required(Role.COUNCIL)
def fill(batch_id: int):
    return _change(batch_id, lambda: fill_batch(session=get_session(), batch_id=batch_id))


@bp.route("/batches/<int:batch_id>/close", methods=["POST"])
@role_required(Role.COUNCIL)
def close(batch_id: int):
    return _change(
        batch_id, lambda: close_batch(session=get_session(), batch_id=batch_id, actor=current_user)
    )


def _download(body, mimetype: str, name: str) -> Response:
    return Response(
        body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@bp.route("/batches/<int:batch_id>/payout.csv")
@role_required(Role.COUNCIL)
def export_csv(batch_id: int):
    _batch_or_404(batch_id)
    rows = batch_rows(session=get_session(), batch_id=batch_id)
    return _download(batch_csv(rows), "text/csv", f"payout-{batch_id}.csv")


@bp.route("/batches/<int:batch_id>/payout.xlsx")
@role_required(Role.COUNCIL)
def export_xlsx(batch_id: int):
    _batch_or_404(batch_id)
    rows = batch_rows(session=get_session(), batch_id=batch_id)
    return _download(batch_xlsx(rows), XLSX, f"payout-{batch_id}.xlsx")


def _payer(batch_id: int):
    item = _batch_or_404(batch_id)
    session = get_session()
    return payer_lines(
        batch_rows(session=session, batch_id=batch_id),
        tables=load_tables(session=session),
        pay_date=item.period_end,
    )


@bp.route("/batches/<int:batch_id>/payer.csv")
@role_required(Role.COUNCIL)
def export_payer(batch_id: int):
    return _download(payer_csv(_payer(batch_id)), "text/csv", f"payer-{batch_id}.csv")


@bp.route("/batches/<int:batch_id>/payer.xlsx")
@role_required(Role.COUNCIL)
def export_payer_xlsx(batch_id: int):
    return _download(payer_xlsx(_payer(batch_id)), XLSX, f"payer-{batch_id}.xlsx")
