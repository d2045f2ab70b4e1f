"""The iCalendar feeds: no sign-in, the secret token in the URL is the key.

A member's feed holds their own bookings; a council user's feed every approved or booked
session of the service (first names only).
"""

from __future__ import annotations

from flask import Blueprint, Response, abort
from flask_babel import gettext as _

from app.db import get_session
from app.services.booking.council_calendar import council_feed
from app.services.errors import NotFound
from app.services.pool.member_calendar import booking_feed
from app.web.links import public_url

bp = Blueprint("feed", __name__)


def _calendar_response(body: bytes, filename: str) -> Response:
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "private, max-age=900"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.route("/calendar/<token>.ics")
def calendar_feed(token: str):
    try:
        body = booking_feed(session=get_session(), token=token, name=_("Living library"))
    except NotFound:
        abort(404)
    return _calendar_response(body, "levande-bibliotek.ics")


@bp.route("/calendar/council/<council_token>.ics")
def council_calendar_feed(council_token: str):
    try:
        body = council_feed(
            session=get_session(),
            token=council_token,
            name=_("Living library: all bookings"),
            request_url=lambda request_id: public_url(
                "council.request_detail", request_id=request_id
            ),
            translate=_,
        )
    except NotFound:
        abort(404)
    return _calendar_response(body, "levande-bibliotek-radet.ics")
