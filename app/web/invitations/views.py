"""The invitation page: no sign-in, the secret token in the link is the key."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from app.config import fee_hourly_rule
from app.db import get_session, mark_rollback
from app.i18n import current_language
from app.mail.context import MailContext
from app.mail.settings import mail_context
from app.models import BookingRequest, Member
from app.services.booking.interest import answer_interest
from app.services.booking.invitation_mail import invitation_offer, offer_lines
from app.services.booking.invitations import (
    accept_invitation,
    decline_invitation,
    invitation_by_token,
    invitation_items,
)
from app.services.errors import Conflict, NotFound
from app.services.journey.coordinator import coordinator_of
from app.web.invitations.forms import AcceptForm, DeclineForm, InterestAnswerForm

bp = Blueprint("invitations", __name__, url_prefix="/invitations")


@bp.after_request
def _keep_the_token_private(response):
    """The secret is in the URL: never send it on to the video service or anyone else."""
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _page(token: str, accept=None, decline=None, status: int = 200):
    session = get_session()
    try:
        invitation = invitation_by_token(session=session, token=token)
    except NotFound:
        abort(404)
    booking_request = session.get(BookingRequest, invitation.request_id)
    items = invitation_items(session=session, invitation=invitation)
    rule = fee_hourly_rule(current_app.config)
    offer = invitation_offer(session=session, invitation=invitation, items=items, hourly_rule=rule)
    return render_template(
        "invitations/invitation.html",
        invitation=invitation,
        member=session.get(Member, invitation.member_id),
        booking_request=booking_request,
        sessions=items,
        offer=offer,
        fee_lines=offer_lines(
            offer,
            ctx=MailContext(translate=_, locale=current_language()),
            hourly_rule=rule,
            benefits=False,
        ),
        accept_form=accept or AcceptForm(formdata=None),
        decline_form=decline or DeclineForm(formdata=None),
        interest_form=InterestAnswerForm(formdata=None),
        coordinator=coordinator_of(session=session, booking_request=booking_request),
    ), status


@bp.route("/<invitation_token>")
def show(invitation_token: str):
    return _page(invitation_token)


def _answer(invitation_token: str, call, thanks: str, **forms):
    """Run one answer; a refused answer shows the page again with the reason (409)."""
    try:
        call()
    except NotFound:
        abort(404)
    except Conflict as error:
        mark_rollback()
        flash(_(str(error)), "error")
        return _page(invitation_token, status=409, **forms)
    flash(thanks, "success")
    return redirect(url_for("invitations.show", invitation_token=invitation_token))


@bp.post("/<invitation_token>/accept")
def accept(invitation_token: str):
    form = AcceptForm()
    if not form.validate_on_submit():
        return _page(invitation_token, accept=form, status=422)
    return _answer(
        invitation_token,
        lambda: accept_invitation(
            session=get_session(),
            token=invitation_token,
            conflict_declaration=form.conflict_declaration.data,
            ctx=mail_context(),
        ),
        _("Thank you! You are booked. The council will be in touch."),
        accept=form,
    )


@bp.post("/<invitation_token>/decline")
def decline(invitation_token: str):
    form = DeclineForm()
    if not form.validate_on_submit():
        return _page(invitation_token, decline=form, status=422)
    return _answer(
        invitation_token,
        lambda: decline_invitation(
            session=get_session(),
            token=invitation_token,
            ctx=mail_context(),
            message=form.message.data,
        ),
        _("Thank you for your answer."),
        decline=form,
    )


@bp.post("/<invitation_token>/interest")
def interest(invitation_token: str):
    """Answer "are you interested?" with yes or no (not a booking)."""
    form = InterestAnswerForm()
    if not form.validate_on_submit() or form.yes.data == form.no.data:
        return _page(invitation_token, status=422)
    return _answer(
        invitation_token,
        lambda: answer_interest(
            session=get_session(),
            token=invitation_token,
            interested=bool(form.yes.data),
            ctx=mail_context(),
        ),
        _("Thank you for your answer."),
    )
