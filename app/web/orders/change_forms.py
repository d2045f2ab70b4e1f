"""The orderer's forms after sending: edit (the request form, prefilled), change, cancel."""

from __future__ import annotations

from dataclasses import replace
from zoneinfo import ZoneInfo

from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from app.i18n import lazy_gettext as _l
from app.models import BookingRequest, RequestSession
from app.services.journey.request_fields import request_area_ids
from app.services.requests.submission import REQUEST_FIELDS, RequestInput
from app.web.confirm import Confirmation
from app.web.forms import area_options
from app.web.orders.forms import SESSION_ROWS, WISH_FIELDS, RequestForm

#: The request's columns the request form shows under the same name (term fields included).
FORM_COLUMNS = ("title", *REQUEST_FIELDS)


class ChangeForm(RequestForm):
    """The request form for a change through the council: the same fields, and why."""

    reason = TextAreaField(
        _l("Why should the request change?"), validators=[DataRequired(), Length(max=4000)]
    )


class CancelForm(FlaskForm):
    """The orderer's reason for cancelling the request (required)."""

    reason = TextAreaField(
        _l("Why is the request cancelled?"), validators=[DataRequired(), Length(max=4000)]
    )


ORDERER_CANCEL = Confirmation(
    question=_l("Cancel the request?"),
    effects=(
        _l("Every open invitation is withdrawn and every booking is cancelled."),
        _l("Everyone invited or booked gets an email and a calendar cancellation."),
        _l("The council is told, with your reason."),
        _l("A session due within a week makes it a late cancellation."),
    ),
    confirm_label=_l("Yes, cancel the request"),
)


def wishes_from_quotas(quotas: list) -> dict:
    """Return the form's wish fields for stored quotas the form can show ("at least" ones)."""
    simple = {
        ("experience", "own"): "own",
        ("experience", "relative"): "relative",
        ("gender", "woman"): "women",
        ("gender", "man"): "men",
        ("mandate", "organisation"): "organisation",
    }
    wishes: dict = {}
    for quota in quotas or []:
        if not isinstance(quota, dict) or "max" in quota:
            continue
        value = quota.get("value")
        if quota.get("field") == "age" and isinstance(value, list) and len(value) == 2:
            wishes |= {"age_count": quota.get("min"), "age_from": value[0], "age_to": value[1]}
        elif (quota.get("field"), value) in simple:
            wishes[simple[(quota.get("field"), value)]] = quota.get("min")
    return {f"wish_{name}": count for name, count in wishes.items()}


def prefilled(form_class, booking_request: BookingRequest, items: list[RequestSession], zone):
    """Return the form filled with the request as stored (the posted data wins on a post)."""
    from app.db import get_session

    data = {name: getattr(booking_request, name) for name in FORM_COLUMNS}
    data["area_ids"] = request_area_ids(session=get_session(), request_id=booking_request.id)
    data |= wishes_from_quotas(booking_request.quotas)
    rows = [
        {
            "day": item.starts_at.astimezone(zone).date(),
            "start": item.starts_at.astimezone(zone).time().replace(tzinfo=None),
            "end": item.ends_at.astimezone(zone).time().replace(tzinfo=None),
        }
        for item in items
    ]
    rows += [{}] * max(0, SESSION_ROWS - len(rows))
    form = form_class(data={**data, "sessions": rows})
    form.area_ids.choices = area_options()
    return form


def form_input(form: RequestForm, booking_request: BookingRequest, zone: ZoneInfo) -> RequestInput:
    """Return the form as the service's input, keeping what the form cannot show.

    Quotas the council set (a maximum, say) survive when the orderer left the wishes as they
    were shown; the balance is the council's and is kept.
    """
    data = form.to_input(zone)
    shown = wishes_from_quotas(booking_request.quotas)
    posted = {f"wish_{name}": getattr(form, f"wish_{name}").data for name in WISH_FIELDS}
    posted |= {"wish_age_from": form.wish_age_from.data, "wish_age_to": form.wish_age_to.data}
    if {k: v for k, v in posted.items() if v is not None} == {
        k: v for k, v in shown.items() if v is not None
    }:
        data = replace(data, quotas=list(booking_request.quotas or []))
    return replace(data, balance=booking_request.balance)
