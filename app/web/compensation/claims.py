"""Member pages: report time and travel, attach receipts, see the yearly statement."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import clock
from app.config import fee_hourly_rule, receipt_folder
from app.db import get_session
from app.models.enums import ClaimStatus, Role
from app.services.compensation import fees
from app.services.compensation.claim_flow import own_claim, save_claim
from app.services.compensation.claims import (
    ClaimInput,
    claim_lines,
    claim_missing_figures,
    list_member_assignments,
    open_claim,
)
from app.services.compensation.receipts import add_receipt, list_receipts
from app.services.compensation.reports import yearly_statement
from app.services.errors import Conflict, InvalidInput, NotFound
from app.services.pool.profile import member_for_user
from app.web.access import role_required
from app.web.compensation.forms import ClaimForm, ReceiptForm
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
    session, member = get_session(), _member()
    try:
        item = open_claim(
            session=session, member=member, assignment_id=assignment_id, zone=clock.zone()
        )
    except NotFound:
        abort(404)
    except Conflict as error:
        flash(_(str(error)), "error")
        return redirect(url_for("compensation.my_claims"))
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
            )
        except (InvalidInput, Conflict) as error:
            general = apply_service_errors(form, getattr(error, "fields", {})) or [_(str(error))]
        else:
            flash(_("Your report has been sent.") if form.send.data else _("Saved."), "success")
            return redirect(url_for("compensation.claim", assignment_id=assignment_id))
    elif not form.is_submitted():
        _fill(form, item, lines)
    return render_template(
        "compensation/claim.html",
        claim=item,
        lines=lines,
        form=form,
        general_errors=general,
        receipt_form=ReceiptForm(),
        receipts=list_receipts(session=session, claim_id=item.id),
        missing=_missing(session, item),
        editable=item.status in (ClaimStatus.DRAFT, ClaimStatus.REJECTED),
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


@bp.route("/statement")
@role_required(Role.MEMBER)
def statement():
    year = request.args.get("year", type=int) or clock.today().year
    lines = yearly_statement(session=get_session(), member_id=_member().id, year=year)
    return render_template("compensation/statement.html", lines=lines, year=year)
