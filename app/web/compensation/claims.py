"""Member pages: report time and travel, attach receipts, see the yearly statement."""

from __future__ import annotations

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from app import clock
from app.config import fee_hourly_rule, receipt_folder
from app.db import get_session, mark_rollback
from app.models.enums import ClaimStatus, Role
from app.services.compensation import fees
from app.services.compensation.claim_flow import own_claim, save_claim
from app.services.compensation.claims import (
    ClaimInput,
    claim_lines,
    claim_missing_figures,
    find_claim,
    list_member_assignments,
    open_claim,
    own_assignment,
    preview_claim,
    unpriced_years,
)
from app.services.compensation.fee_tables import load_tables
from app.services.compensation.fees import FeeError
from app.services.compensation.receipts import add_receipt, list_receipts, read_receipt
from app.services.compensation.reports import yearly_statement
from app.services.compensation.settings import receipt_threshold
from app.services.compensation.terms import assignment_terms
from app.services.errors import Conflict, InvalidInput, NotFound
from app.services.pool.profile import member_for_user
from app.web.access import role_required
from app.web.compensation.forms import ClaimForm, ConfirmForm, ReceiptForm
from app.web.compensation.views import bp
from app.web.figures_text import missing_figure_texts
from app.web.forms import apply_service_errors


def _member():
    try:
        return member_for_user(session=get_session(), user=current_user)
    except NotFound:
        abort(404)


@bp.route("/")
@role_required(Role.MEMBER)
def my_claims():
    rows = list_member_assignments(session=get_session(), member=_member())
    return render_template("compensation/my_claims.html", rows=rows, year=clock.today().year)


def _fill(form: ClaimForm, claim, lines) -> None:
    while len(form.lines.entries):
        form.lines.pop_entry()
    for line in lines:
        form.lines.append_entry(
            {"line_id": line.id, "minutes": line.minutes, "travel_minutes": line.travel_minutes}
        )
    form.car_km.data = claim.car_km
    form.ticket_cost_sek.data = claim.ticket_cost_sek
    form.other_cost_sek.data = claim.other_cost_sek
    form.note.data = claim.note


def _input(form: ClaimForm) -> ClaimInput:
    minutes, travel = {}, {}
    for entry in form.lines.entries:
        line_id = int(entry.form.line_id.data or 0)
        minutes[line_id] = entry.form.minutes.data
        travel[line_id] = entry.form.travel_minutes.data or 0
    return ClaimInput(
        minutes=minutes,
        travel_minutes=travel,
        car_km=form.car_km.data or 0,
        ticket_cost_sek=form.ticket_cost_sek.data or 0,
        other_cost_sek=form.other_cost_sek.data or 0,
        note=form.note.data or "",
    )


@bp.route("/assignments/<int:assignment_id>/claim", methods=["GET", "POST"])
@role_required(Role.MEMBER)
def claim(assignment_id: int):
    """Show the claim, or what would be claimed; the claim is created on the member's POST."""
    session, member = get_session(), _member()
    try:
        own_assignment(session=session, member=member, assignment_id=assignment_id)
    except NotFound:
        abort(404)
    item = find_claim(session=session, assignment_id=assignment_id)
    try:
        if item is None:
            return _start(assignment_id, member)
        return _report(item, member)
    except FeeError as error:
        mark_rollback()
        return _fee_error_page(assignment_id, error)


def _start(assignment_id: int, member):
    """GET: show the priced preview; POST: create the claim and its lines, then edit it."""
    session, form = get_session(), ConfirmForm()
    if form.validate_on_submit():
        try:
            open_claim(
                session=session,
                member=member,
                assignment_id=assignment_id,
                zone=clock.zone(),
                now=clock.now(),
            )
        except Conflict:
            mark_rollback()  # the preview below names why
        else:
            return redirect(url_for("compensation.claim", assignment_id=assignment_id))
    try:
        preview = preview_claim(
            session=session,
            member=member,
            assignment_id=assignment_id,
            zone=clock.zone(),
            now=clock.now(),
            hourly_rule=fee_hourly_rule(current_app.config),
        )
    except Conflict as error:
        return render_template(
            "compensation/claim_preview.html",
            preview=None,
            message=_(str(error)),
            assignment_id=assignment_id,
            form=form,
        ), (409 if form.is_submitted() else 200)
    errors = unpriced_years(load_tables(session=session), list(preview.lines))
    return render_template(
        "compensation/claim_preview.html",
        preview=preview,
        missing={
            "texts": missing_figure_texts(errors),
            "pbb_years": {error.year for error in errors},
        },
        message="",
        assignment_id=assignment_id,
        form=form,
        terms=assignment_terms(session=session, assignment_id=assignment_id),
    ), (422 if form.is_submitted() else 200)


def _fee_error_page(assignment_id: int, error: FeeError):
    """Answer a fee that cannot be computed (e.g. no figures for the year) with a clear page."""
    year = getattr(error, "year", None)
    if year is not None:
        message = _(
            "The fee for %(year)s cannot be computed yet: the price base amount for %(year)s "
            "has not been entered. The council has been told; try again later.",
            year=year,
        )
    else:
        message = _("The fee cannot be computed yet. Contact the council.")
    return render_template(
        "compensation/claim_preview.html",
        preview=None,
        message=message,
        assignment_id=assignment_id,
        form=ConfirmForm(formdata=None),
    ), 422


def _report(item, member):
    session = get_session()
    lines = claim_lines(session=session, claim_id=item.id)
    form = ClaimForm()
    general: list[str] = []
    if form.validate_on_submit():
        try:
            save_claim(
                session=session,
                member=member,
                claim_id=item.id,
                data=_input(form),
                submit=bool(form.send.data),
                hourly_rule=fee_hourly_rule(current_app.config),
                now=clock.now(),
            )
        except (InvalidInput, Conflict) as error:
            mark_rollback()
            general = apply_service_errors(form, getattr(error, "fields", {})) or [_(str(error))]
        else:
            flash(_("Your report has been sent.") if form.send.data else _("Saved."), "success")
            return redirect(url_for("compensation.claim", assignment_id=item.assignment_id))
    elif not form.is_submitted():
        _fill(form, item, lines)
    session = get_session()
    return render_template(
        "compensation/claim.html",
        claim=item,
        lines=lines,
        form=form,
        general_errors=general,
        receipt_form=ReceiptForm(),
        receipts=list_receipts(session=session, claim_id=item.id),
        receipt_threshold=receipt_threshold(session=session),
        missing=_missing(session, item),
        editable=item.status in (ClaimStatus.DRAFT, ClaimStatus.REJECTED),
        terms=assignment_terms(session=session, assignment_id=item.assignment_id),
    ), (422 if form.is_submitted() else 200)


def _missing(session, item) -> dict:
    """The figures the claim still lacks: sentences, and the years whose fees are unknown."""
    errors = claim_missing_figures(session=session, claim=item)
    return {
        "texts": missing_figure_texts(errors),
        "pbb_years": {e.year for e in errors if e.kind == fees.FIGURE_PBB},
    }


@bp.route("/claims/<int:claim_id>/receipts", methods=["POST"])
@role_required(Role.MEMBER)
def upload_receipt(claim_id: int):
    session, member = get_session(), _member()
    try:
        item = own_claim(session=session, member=member, claim_id=claim_id)
    except NotFound:
        abort(404)
    form = ReceiptForm()
    if not form.validate_on_submit():
        flash(_("Choose a file to attach."), "error")
    else:
        upload = form.receipt.data
        try:
            add_receipt(
                session=session,
                member=member,
                claim_id=item.id,
                filename=upload.filename or "",
                data=upload.read(),
                folder=receipt_folder(current_app.config),
            )
        except (InvalidInput, Conflict) as error:
            flash(_(str(error)), "error")
        else:
            flash(_("Receipt attached."), "success")
    return redirect(url_for("compensation.claim", assignment_id=item.assignment_id))


@bp.route("/receipts/<int:receipt_id>")
@role_required(Role.MEMBER, Role.COUNCIL, Role.ADMIN)
def receipt(receipt_id: int):
    try:
        item, data = read_receipt(
            session=get_session(),
            receipt_id=receipt_id,
            user=current_user,
            folder=receipt_folder(current_app.config),
        )
    except NotFound:
        abort(404)
    suffix = item.stored_name.rsplit(".", 1)[-1]
    return Response(
        data,
        mimetype=item.content_type,
        headers={
            # Our own name, never the uploaded one: it goes into a header.
            "Content-Disposition": f'attachment; filename="receipt-{item.id}.{suffix}"',
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


@bp.route("/statement")
@role_required(Role.MEMBER)
def statement():
    year = request.args.get("year", type=int) or clock.today().year
    try:
        lines = yearly_statement(session=get_session(), member_id=_member().id, year=year)
    except InvalidInput as error:
        flash(_(str(error)), "error")
        year = clock.today().year
        return render_template("compensation/statement.html", lines=[], year=year), 422
    return render_template("compensation/statement.html", lines=lines, year=year)
