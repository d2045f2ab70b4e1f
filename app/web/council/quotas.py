"""The council's quotas and balance for a request's group (set before approving)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_login import current_user

from app.db import get_session
from app.models import BookingRequest
from app.models.enums import Role
from app.services.errors import Conflict, InvalidInput
from app.services.matchmaking.quotas import set_request_quotas
from app.web.access import role_required
from app.web.council.decisions import _done, _refused
from app.web.council.forms import QuotasForm
from app.web.council.request_page import load_request, render_request_page
from app.web.council.views import bp

#: Blank rows offered under the request's quotas.
BLANK_ROWS = 2


def quotas_form(booking_request: BookingRequest, forms: dict | None = None) -> QuotasForm:
    """Return the quotas form, filled with the request's quotas and a few blank rows."""
    if forms and "quotas" in forms:
        return forms["quotas"]
    rows = [_row(quota) for quota in booking_request.quotas or []]
    rows += [{}] * BLANK_ROWS
    data = {"balance": booking_request.balance, "rows": rows}
    return QuotasForm(prefix="quotas", data=data, formdata=None)


def _row(quota: dict) -> dict:
    if quota.get("field") == "age":
        low, high = quota.get("value") or (None, None)
        row = {"kind": "age", "age_from": low, "age_to": high}
    else:
        row = {"kind": f"{quota.get('field')}:{quota.get('value')}"}
    return row | {"least": quota.get("min"), "most": quota.get("max")}


@bp.post("/requests/<int:request_id>/quotas")
@role_required(Role.COUNCIL)
def set_quotas(request_id: int):
    """Set the group's quotas and balance; the proposal on the page is computed with them."""
    booking_request, form = load_request(request_id), QuotasForm(prefix="quotas")
    if not form.validate_on_submit():
        return render_request_page(booking_request, forms={"quotas": form}, status=422)
    try:
        set_request_quotas(
            session=get_session(),
            booking_request=booking_request,
            quotas=form.quotas(),
            balance=form.balance.data,
            actor_id=current_user.id,
        )
    except (InvalidInput, Conflict) as error:
        _show_row_errors(form, getattr(error, "fields", {}))
        return _refused(booking_request, error, "quotas", form)
    return _done(_("The quotas are saved and the proposal is recomputed."), request_id)


def _show_row_errors(form: QuotasForm, fields: dict[str, str]) -> None:
    """Put the service's "quotas.<i>" messages on the filled row they name."""
    filled = [entry.form for entry in form.rows.entries if not entry.form.is_blank()]
    for name, message in fields.items():
        index = name.partition(".")[2]
        if index.isdigit() and int(index) < len(filled):
            filled[int(index)].kind.errors = [*filled[int(index)].kind.errors, _(message)]
