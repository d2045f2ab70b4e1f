"""The council's decisions on a request: approve, swap, ask, decline, cancel (POST only)."""

from __future__ import annotations

from datetime import datetime

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.db import get_session, mark_rollback
from app.i18n import local_zone
from app.mail import mail_context
from app.models import RequestSession
from app.models.enums import Role
from app.services.booking import (
    approve_group,
    ask_orderer,
    cancel_request,
    decline_request,
    swap_member,
)
from app.services.booking_changes import change_session_time
from app.services.errors import Conflict, InvalidInput, NotFound
from app.services.requests import get_request_for
from app.web.access import role_required
from app.web.council.forms import ApproveForm, MessageForm, MoveForm, SwapForm
from app.web.council.request_page import parse_ids, render_request_page
from app.web.council.views import bp


def _load(request_id: int):
    try:
        return get_request_for(session=get_session(), user=current_user, request_id=request_id)
    except NotFound:
        abort(404)


def _refused(booking_request, error, name, form, group=None):
    """Roll back and show the page again with the service's message."""
    mark_rollback()
    flash(_(str(error)), "error")
    status = 409 if isinstance(error, Conflict) else 422
    return render_request_page(booking_request, group=group, forms={name: form}, status=status)


def _done(message: str, request_id: int, **query):
    flash(message, "success")
    return redirect(url_for("council.request_detail", request_id=request_id, **query))


@bp.post("/requests/<int:request_id>/approve")
@role_required(Role.COUNCIL)
def approve(request_id: int):
    booking_request, form = _load(request_id), ApproveForm()
    if not form.validate_on_submit():
        return render_request_page(booking_request, forms={"approve": form}, status=422)
    group = parse_ids(form.member_ids.data)
    try:
        approve_group(
            session=get_session(),
            booking_request=booking_request,
            member_ids=group,
            actor=current_user,
            ctx=mail_context(),
        )
    except (InvalidInput, Conflict) as error:
        return _refused(booking_request, error, "approve", form, group)
    return _done(_("The group is approved and the invitations are sent."), request_id)


@bp.post("/requests/<int:request_id>/swap")
@role_required(Role.COUNCIL)
def swap(request_id: int):
    booking_request, form = _load(request_id), SwapForm()
    group = parse_ids(form.group.data)
    form.out_id.choices = [(m, m) for m in group]
    form.in_id.choices = [(form.in_id.data, form.in_id.data)] if form.in_id.data else []
    if not form.validate_on_submit():
        return render_request_page(booking_request, group=group, status=422)
    try:
        swapped = swap_member(
            session=get_session(),
            booking_request=booking_request,
            group=group,
            out_id=form.out_id.data,
            in_id=form.in_id.data,
            actor=current_user,
        )
    except (InvalidInput, Conflict) as error:
        return _refused(booking_request, error, "swap", form, group)
    joined = ",".join(str(member_id) for member_id in swapped)
    return _done(_("The person is swapped."), request_id, group=joined)


def _message_action(request_id: int, name: str, service, keyword: str, done: str):
    booking_request = _load(request_id)
    form = MessageForm(prefix=name)
    if not form.validate_on_submit():
        return render_request_page(booking_request, forms={name: form}, status=422)
    try:
        service(
            session=get_session(),
            booking_request=booking_request,
            actor=current_user,
            ctx=mail_context(),
            **{keyword: form.message.data},
        )
    except (InvalidInput, Conflict) as error:
        return _refused(booking_request, error, name, form)
    return _done(done, request_id)


@bp.post("/requests/<int:request_id>/ask")
@role_required(Role.COUNCIL)
def ask(request_id: int):
    return _message_action(request_id, "ask", ask_orderer, "message", _("The question is sent."))


@bp.post("/requests/<int:request_id>/decline")
@role_required(Role.COUNCIL)
def decline(request_id: int):
    return _message_action(
        request_id, "decline", decline_request, "reason", _("The request is declined.")
    )


@bp.post("/requests/<int:request_id>/cancel")
@role_required(Role.COUNCIL)
def cancel(request_id: int):
    return _message_action(
        request_id, "cancel", cancel_request, "reason", _("The request is cancelled.")
    )


@bp.post("/requests/<int:request_id>/sessions/<int:session_id>/move")
@role_required(Role.COUNCIL)
def move(request_id: int, session_id: int):
    booking_request, session = _load(request_id), get_session()
    item = session.get(RequestSession, session_id)
    if item is None or item.request_id != booking_request.id:
        abort(404)
    key = f"move{session_id}"
    form = MoveForm(prefix=key)
    if not form.validate_on_submit():
        return render_request_page(booking_request, forms={key: form}, status=422)
    zone = local_zone()
    try:
        change_session_time(
            session=session,
            request_session=item,
            starts_at=datetime.combine(form.day.data, form.start.data, tzinfo=zone),
            ends_at=datetime.combine(form.day.data, form.end.data, tzinfo=zone),
            actor=current_user,
            ctx=mail_context(),
        )
    except (InvalidInput, Conflict) as error:
        return _refused(booking_request, error, key, form)
    return _done(_("The time is changed and an update is sent."), request_id)
