"""The personal iCalendar feed: no sign-in, the secret token in the URL is the key."""

from __future__ import annotations

from flask import Blueprint, Response, abort
from flask_babel import gettext as _

from app.db import get_session
from app.services.errors import NotFound
from app.services.member_calendar import booking_feed

bp = Blueprint("feed", __name__)


@bp.route("/calendar/<token>.ics")
def calendar_feed(token: str):
    try:
        body = booking_feed(session=get_session(), token=token, name=_("Living library"))
    except NotFound:
        abort(404)
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'inline; filename="levande-bibliotek.ics"'
    response.headers["Cache-Control"] = "private, max-age=900"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
