"""Changing a session's time from a request page: one form and one handler for council and orderer."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from flask import abort, flash, redirect
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField
from wtforms.validators import InputRequired

from app import clock
from app.db import get_session, mark_rollback
from app.i18n import lazy_gettext as _l
from app.mail.settings import mail_context
from app.models import Member, RequestSession
from app.models.base import utcnow
from app.services.booking.changes import TimeChangeNeedsConfirmation, change_session_time
from app.services.errors import Conflict, Forbidden, InvalidInput
from app.web.forms import ClockField


class MoveForm(FlaskForm):
    """A new local date and time for one session."""

    day = DateField(_l("Date"), validators=[InputRequired()])
    start = ClockField(_l("Starts"), validators=[InputRequired()])
    end = ClockField(_l("Ends"), validators=[InputRequired()])
    confirm = BooleanField(_l("Change the time anyway: release them and find replacements"))
    #: Set when the change was refused because people cannot come: show ``confirm``.
    needs_confirmation = False


def move_forms(items, zone, forms: dict | None = None) -> dict[int, MoveForm]:
    """Return a time-change form per session not yet started, prefilled with its local times."""
    result, now = {}, utcnow()
    for item in items:
        if item.starts_at <= now:
            continue
        start, end = item.starts_at.astimezone(zone), item.ends_at.astimezone(zone)
        data = {"day": start.date(), "start": start.time(), "end": end.time()}
        key = f"move{item.id}"
        result[item.id] = (forms or {}).get(key) or MoveForm(prefix=key, formdata=None, data=data)
    return result


def move_session(
    booking_request,
    session_id: int,
    *,
    render: Callable[[dict, int], object],
    done_url: str,
    name_of: Callable[[Member], str],
):
    """Handle a time-change form; ``render(forms, status)`` shows the page again on refusal."""
    session = get_session()
    item = session.get(RequestSession, session_id)
    if item is None or item.request_id != booking_request.id:
        abort(404)
    key = f"move{session_id}"
    form = MoveForm(prefix=key)
    if not form.validate_on_submit():
        return render({key: form}, 422)
    zone = clock.zone()
    try:
        change = change_session_time(
            session=session,
            request_session=item,
            starts_at=datetime.combine(form.day.data, form.start.data, tzinfo=zone),
            ends_at=datetime.combine(form.day.data, form.end.data, tzinfo=zone),
            actor=current_user,
            ctx=mail_context(),
            confirm_release=form.confirm.data,
        )
    except TimeChangeNeedsConfirmation as needed:
        mark_rollback()
        form.needs_confirmation = True
        names = ", ".join(name_of(member) for member in needed.members)
        flash(
            _(
                "Not available at the new time: %(names)s. Tick the box to change the time "
                "anyway; they are then released and replacements are found.",
                names=names,
            ),
            "error",
        )
        return render({key: form}, 409)
    except (InvalidInput, Conflict, Forbidden) as error:
        mark_rollback()
        flash(_(str(error)), "error")
        return render({key: form}, 422 if isinstance(error, InvalidInput) else 409)
    if change.released:
        names = ", ".join(name_of(member) for member in change.released)
        flash(
            _(
                "The time is changed and an update is sent. Released because they cannot come "
                "at the new time: %(names)s. Replacements are being found.",
                names=names,
            ),
            "success",
        )
    else:
        flash(_("The time is changed and an update is sent."), "success")
    return redirect(done_url)
