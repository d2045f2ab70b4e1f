"""Council pages: attest or send back claims, payout batches and their exports."""

from __future__ import annotations

from flask import Response, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.config import fee_hourly_rule, payout_frequency
from app.db import get_session
from app.models.enums import Role
from app.services.compensation import fees
from app.services.compensation.claim_flow import (
    attest_claim,
    list_claims_for_council,
    return_claim,
    unmarked_sessions,
)
from app.services.compensation.fees import FeeError
from app.services.compensation.payer_years import batch_payer_years
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
    pay_date_of,
)
from app.services.compensation.receipts import receipts_by_claim
from app.services.errors import Conflict, InvalidInput, NotFound
from app.web.access import role_required
from app.web.compensation.forms import BatchForm, CloseBatchForm, ConfirmForm, ReturnForm
from app.web.compensation.views import bp
from app.web.figures_text import missing_figure_text

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.route("/review")
@role_required(Role.COUNCIL)
def review():
    session = get_session()
    rows = list_claims_for_council(session=session)
    receipts = receipts_by_claim(session=session, claim_ids=[claim.id for claim, _, _ in rows])
    flags = {claim.id: unmarked_sessions(session=session, claim=claim) for claim, _m, _r in rows}
    return render_template(
        "compensation/review.html",
        rows=rows,
        receipts=receipts,
        flags=flags,
        return_form=ReturnForm(),
        confirm=ConfirmForm(),
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
    close_form = CloseBatchForm()
    close_form.pay_date.data = pay_date_of(item)
    return _render_batch(item, close_form)


def _render_batch(item, close_form: CloseBatchForm, status: int = 200):
    rows = batch_rows(session=get_session(), batch_id=item.id)
    return render_template(
        "compensation/batch.html",
        batch=item,
        rows=rows,
        form=ConfirmForm(),
        close_form=close_form,
    ), status


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
    item = _batch_or_404(batch_id)
    form = CloseBatchForm()
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            abort(400)
        return _render_batch(item, form, 422)
    try:
        close_batch(
            session=get_session(),
            batch_id=batch_id,
            actor=current_user,
            pay_date=form.pay_date.data,
        )
    except InvalidInput as error:
        form.pay_date.errors = [_(error.fields.get("pay_date", str(error)))]
        return _render_batch(item, form, 422)
    except Conflict as error:
        flash(_(str(error)), "error")
    else:
        flash(_("Done."), "success")
    return redirect(url_for("compensation.batch", batch_id=batch_id))


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
    years = batch_payer_years(session=get_session(), batch=item)
    return payer_lines(years, batch_id=batch_id)


@bp.route("/batches/<int:batch_id>/payer.csv")
@role_required(Role.COUNCIL)
def export_payer(batch_id: int):
    try:
        lines = _payer(batch_id)
    except FeeError as error:
        return Response(str(error), status=409, mimetype="text/plain")
    return _download(payer_csv(lines), "text/csv", f"payer-{batch_id}.csv")


@bp.route("/batches/<int:batch_id>/payer.xlsx")
@role_required(Role.COUNCIL)
def export_payer_xlsx(batch_id: int):
    try:
        lines = _payer(batch_id)
    except FeeError as error:
        return Response(str(error), status=409, mimetype="text/plain")
    return _download(payer_xlsx(lines), XLSX, f"payer-{batch_id}.xlsx")
