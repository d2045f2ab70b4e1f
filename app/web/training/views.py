"""Introduction and training events: the member books, the council plans and records attendance."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from app.db import get_session, mark_rollback
from app.mail.settings import mail_context
from app.models.enums import Role, TrainingAttendance
from app.services.errors import Conflict, NotFound
from app.services.training.bookings import book_event, cancel_booking, event_rows
from app.services.training.events import get_event
from app.web.access import role_required
from app.web.council.forms import ConfirmForm
from app.web.pool_common import own_member

bp = Blueprint("training", __name__)


def event_or_404(event_id: int):
    """Return the event or answer 404."""
    try:
        return get_event(session=get_session(), event_id=event_id)
    except NotFound:
        abort(404)


def refuse(error: Exception, endpoint: str, **values):
    """Flash a service's refusal, roll the request's work back and go back to ``endpoint``."""
    mark_rollback()
    flash(_(str(error)), "error")
    return redirect(url_for(endpoint, **values))


@bp.route("/me/events/")
@role_required(Role.MEMBER)
def member_events():
    """List upcoming introduction and training events with the member's own places."""
    member = own_member()
    session = get_session()
    return render_template(
        "training/member_events.html",
        member=member,
        rows=event_rows(session=session, member_id=member.id),
        past=[
            row
            for row in event_rows(session=session, member_id=member.id, upcoming=False)
            if row.mine is not None
        ],
        form=ConfirmForm(),
        attended=TrainingAttendance.ATTENDED,
    )


@bp.route("/me/events/<int:event_id>/book", methods=["POST"])
@role_required(Role.MEMBER)
def book(event_id: int):
    """Book a place; the calendar invitation goes out by mail."""
    member = own_member()
    event = event_or_404(event_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        book_event(session=get_session(), member=member, event_id=event.id, ctx=mail_context())
    except Conflict as error:
        return refuse(error, "training.member_events")
    flash(_("Your place is booked. A calendar invitation is on its way by e-mail."), "success")
    return redirect(url_for("training.member_events"))


@bp.route("/me/events/<int:event_id>/cancel", methods=["POST"])
@role_required(Role.MEMBER)
def cancel(event_id: int):
    """Give up a place; a cancellation for the calendar goes out by mail."""
    member = own_member()
    event = event_or_404(event_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        cancel_booking(session=get_session(), member=member, event_id=event.id, ctx=mail_context())
    except Conflict as error:
        return refuse(error, "training.member_events")
    flash(_("Your place is cancelled."), "success")
    return redirect(url_for("training.member_events"))


from app.web.training import council  # noqa: E402,F401  (registers the council's routes)
