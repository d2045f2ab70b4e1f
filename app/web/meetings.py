"""Meetings added and cancelled from a request page: forms and handlers for council and orderer."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from flask import abort, flash, redirect
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from app import clock, formatting
from app.db import get_session, mark_rollback
from app.i18n import current_language
from app.i18n import lazy_gettext as _l
from app.mail.settings import mail_context
from app.models import RequestSession
from app.models.base import utcnow
from app.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.services.journey.meetings import add_meeting, cancel_meeting
from app.services.requests.states import RUNNING_REQUEST_STATES
from app.web.confirm import Confirmation, confirmation_page, is_confirmed
from app.web.forms import ClockField

CANCEL_MEETING = Confirmation(
    question=_l("Cancel this meeting?"),
    effects=(
        _l("The meeting is removed from the request; the other meetings stand."),
        _l("Everyone booked on it gets an email and a calendar cancellation."),
        _l("A stand-in invited for this meeting only is withdrawn."),
    ),
    confirm_label=_l("Yes, cancel the meeting"),
)


class MeetingForm(FlaskForm):
    """A new meeting: local date, start and end."""

    day = DateField(_l("Date"), validators=[InputRequired()])
    start = ClockField(_l("Starts"), validators=[InputRequired()])
    end = ClockField(_l("Ends"), validators=[InputRequired()])


class CancelMeetingForm(FlaskForm):
    """Why a meeting is cancelled (sent to the people booked)."""

    reason = TextAreaField(
        _l("Reason (sent to the people booked)"), validators=[Optional(), Length(max=1000)]
    )


def term_line(booking_request) -> str:
    """Return the term in words, e.g. "1 feb. 2027 – 31 jan. 2028, 6 meetings per 12 months"."""
    if not booking_request.is_standing:
        return ""
    locale = current_language()
    span = formatting.date_span(booking_request.term_start, booking_request.term_end, locale)
    if booking_request.meetings_per_period and booking_request.period_months:
        return _(
            "%(span)s, %(count)s meetings per %(months)s months",
            span=span,
            count=booking_request.meetings_per_period,
            months=booking_request.period_months,
        )
    return span


def meetings_panel(booking_request, items, forms: dict | None = None, **endpoints) -> dict:
    """Return what ``_meetings.html`` shows: the term, the meetings and the add/cancel forms."""
    forms, now = forms or {}, utcnow()
    changeable = booking_request.status in RUNNING_REQUEST_STATES
    return {
        "term": term_line(booking_request),
        "changeable": changeable,
        "add_form": forms.get("meeting") or MeetingForm(prefix="meeting", formdata=None),
        "cancel_forms": {
            item.id: forms.get(f"cancelmeeting{item.id}")
            or CancelMeetingForm(prefix=f"cancelmeeting{item.id}", formdata=None)
            for item in items
            if changeable and item.starts_at > now and len(items) > 1
        },
        "confirmation": CANCEL_MEETING,
        **endpoints,
    }


def add_from_form(booking_request, *, render: Callable[[dict, int], object], done_url: str):
    """Handle the add-meeting form; ``render(forms, status)`` shows the page again on refusal."""
    form = MeetingForm(prefix="meeting")
    if not form.validate_on_submit():
        return render({"meeting": form}, 422)
    zone = clock.zone()
    try:
        added = add_meeting(
            session=get_session(),
            booking_request=booking_request,
            starts_at=datetime.combine(form.day.data, form.start.data, tzinfo=zone),
            ends_at=datetime.combine(form.day.data, form.end.data, tzinfo=zone),
            actor=current_user,
            ctx=mail_context(),
        )
    except (InvalidInput, Conflict, Forbidden) as error:
        mark_rollback()
        if isinstance(error, Forbidden):
            abort(403)
        flash(_(str(error)), "error")
        return render({"meeting": form}, 422 if isinstance(error, InvalidInput) else 409)
    if added.absent:
        flash(
            _(
                "The meeting is added and the invitations are sent. %(count)s cannot come "
                "then: an absence is recorded for them and they are told.",
                count=len(added.absent),
            ),
            "success",
        )
    else:
        flash(_("The meeting is added and the invitations are sent."), "success")
    return redirect(done_url)


def cancel_from_form(
    booking_request,
    session_id: int,
    *,
    render: Callable[[dict, int], object],
    done_url: str,
):
    """Handle a cancel-meeting form, after the confirmation step."""
    session = get_session()
    item = session.get(RequestSession, session_id)
    if item is None or item.request_id != booking_request.id:
        abort(404)
    key = f"cancelmeeting{session_id}"
    form = CancelMeetingForm(prefix=key)
    if not form.validate_on_submit():
        return render({key: form}, 422)
    if not is_confirmed():
        return confirmation_page(CANCEL_MEETING, back_url=done_url)
    try:
        cancel_meeting(
            session=session,
            booking_request=booking_request,
            session_id=session_id,
            reason=form.reason.data or "",
            actor=current_user,
            ctx=mail_context(),
        )
    except (InvalidInput, Conflict, Forbidden, NotFound) as error:
        mark_rollback()
        if isinstance(error, Forbidden):
            abort(403)
        flash(_(str(error)), "error")
        return render({key: form}, 409)
    flash(_("The meeting is cancelled and the cancellation is sent."), "success")
    return redirect(done_url)
