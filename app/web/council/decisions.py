"""The council's decisions on a request: approve, swap, ask, decline, cancel (POST only)."""

from __future__ import annotations

from datetime import timedelta

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.db import get_session, mark_rollback
from app.i18n import format_local
from app.mail.settings import mail_context
from app.models.base import utcnow
from app.models.enums import Role
from app.services.booking.decisions import (
    approve_group,
    ask_orderer,
    cancel_request,
    decline_request,
    swap_member,
)
from app.services.booking.invitations import earliest_reply_deadline
from app.services.errors import Conflict, InvalidInput
from app.web.access import role_required
from app.web.confirm import confirmation_page, is_confirmed
from app.web.council.confirmations import CANCEL, DECLINE
from app.web.council.forms import ApproveForm, MessageForm, SwapForm
from app.web.council.request_page import load_request, parse_ids, render_request_page
from app.web.council.views import bp
from app.web.session_moves import move_session


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
    booking_request, form = load_request(request_id), ApproveForm()
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
            replacement_mode=form.replacement_mode.data,
            below_two_reason=form.below_two_reason.data or "",
        )
    except (InvalidInput, Conflict) as error:
        return _refused(booking_request, error, "approve", form, group)
    _warn_of_a_short_answer_window(request_id)
    return _done(_("The group is approved and the invitations are sent."), request_id)


def _warn_of_a_short_answer_window(request_id: int) -> None:
    """Tell the council when the invited have less than a day to answer (session close)."""
    deadline = earliest_reply_deadline(session=get_session(), request_id=request_id)
    if deadline is not None and deadline - utcnow() < timedelta(days=1):
        flash(
            _(
                "The first session is close: the invited have only until %(deadline)s to "
                "answer. Consider calling them.",
                deadline=format_local(deadline),
            ),
            "info",
        )


@bp.post("/requests/<int:request_id>/swap")
@role_required(Role.COUNCIL)
def swap(request_id: int):
    booking_request, form = load_request(request_id), SwapForm()
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


def _message_action(
    request_id: int, name: str, service, keyword: str, done: str, confirmation=None
):
    """Validate the message form, ask first when destructive, then call the service."""
    booking_request = load_request(request_id)
    form = MessageForm(prefix=name)
    if not form.validate_on_submit():
        return render_request_page(booking_request, forms={name: form}, status=422)
    if confirmation is not None and not is_confirmed():
        return confirmation_page(
            confirmation,
            back_url=url_for("council.request_detail", request_id=request_id),
            shown={_("Message to the orderer"): form.message.data},
        )
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
        request_id,
        "decline",
        decline_request,
        "reason",
        _("The request is declined."),
        confirmation=DECLINE,
    )


@bp.post("/requests/<int:request_id>/cancel")
@role_required(Role.COUNCIL)
def cancel(request_id: int):
    return _message_action(
        request_id,
        "cancel",
        cancel_request,
        "reason",
        _("The request is cancelled."),
        confirmation=CANCEL,
    )


@bp.post("/requests/<int:request_id>/sessions/<int:session_id>/move")
@role_required(Role.COUNCIL)
def move(request_id: int, session_id: int):
    booking_request = load_request(request_id)
    return move_session(
        booking_request,
        session_id,
        render=lambda forms, status: render_request_page(
            booking_request, forms=forms, status=status
        ),
        done_url=url_for("council.request_detail", request_id=request_id),
        name_of=lambda member: member.display_name,
    )
