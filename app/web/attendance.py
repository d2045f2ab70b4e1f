"""Recording attendance from a request page: one form and one handler for council and orderer."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash, redirect
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import InputRequired

from app import clock
from app.db import get_session, mark_rollback
from app.models.enums import AttendanceStatus
from app.services.booking.attendance import (
    Mark,
    attendance_sheet,
    may_record,
    record_attendance,
)
from app.services.errors import Conflict, Forbidden, InvalidInput, NotFound

#: The value of the "everyone attended" button.
EVERYONE = "all"


class AttendanceForm(FlaskForm):
    """One click per person: the pressed button sends ``<member id>:<status>`` (or ``all:…``)."""

    mark = StringField(validators=[InputRequired()])


def attendance_context(booking_request, *, full_names: bool, sessions=None, people=None) -> dict:
    """Return what the attendance list of a request page needs (``sessions`` and ``people``:
    the request's, when the page has read them already; see ``attendance_sheet``)."""
    sheet = attendance_sheet(
        session=get_session(),
        booking_request=booking_request,
        now=clock.now(),
        full_names=full_names,
        sessions=sessions,
        people=people,
    )
    return {
        "attendance": sheet,
        "attendance_form": AttendanceForm(formdata=None),
        "can_mark": may_record(current_user, booking_request),
        "attendance_statuses": list(AttendanceStatus),
    }


def _parse(text: str, sheet_rows) -> list[Mark]:
    """Return the marks a pressed button stands for (empty when it makes no sense)."""
    who, _sep, status = (text or "").partition(":")
    if who == EVERYONE:
        return [
            Mark(row.member_id, status)
            for row in sheet_rows
            if not row.status and not row.is_absent
        ]
    if who.isdigit():
        return [Mark(int(who), status)]
    return []


def record_from_form(
    booking_request, session_id: int, *, render: Callable[[int], object], done_url: str
):
    """Handle an attendance button; ``render(status)`` shows the page again on refusal."""
    if not may_record(current_user, booking_request):
        abort(403)
    session, now = get_session(), clock.now()
    sheet = attendance_sheet(session=session, booking_request=booking_request, now=now)
    rows = next((s.rows for s in sheet if s.session.id == session_id), ())
    form = AttendanceForm()
    if not form.validate_on_submit():
        flash(_("Choose attended, no-show or cancelled late."), "error")
        return render(422)
    try:
        record_attendance(
            session=session,
            booking_request=booking_request,
            session_id=session_id,
            marks=_parse(form.mark.data, rows),
            actor=current_user,
            now=now,
        )
    except NotFound:
        abort(404)
    except Forbidden:
        abort(403)
    except (InvalidInput, Conflict) as error:
        mark_rollback()
        messages = [_(str(error))] + [_(text) for text in getattr(error, "fields", {}).values()]
        flash(" ".join(dict.fromkeys(messages)), "error")
        return render(422 if isinstance(error, InvalidInput) else 409)
    flash(_("Attendance recorded."), "success")
    return redirect(done_url + "#attendance")
