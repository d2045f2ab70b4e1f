"""Attendance through the API: the request's own orderer or the council marks a started session."""

from __future__ import annotations

from app import clock
from app.db import get_session
from app.models import BookingRequest
from app.models.enums import Role
from app.services.booking.attendance import Mark, record_attendance
from app.web.api import bp, responses, spec
from app.web.api.auth import api_user, roles
from app.web.api.requests import REQUEST_ID, with_request
from app.web.api.schemas import AttendanceIn, AttendanceMarkOut, AttendanceOut


@bp.put(f"/requests/{REQUEST_ID}/sessions/<int:session_id>/attendance")
@roles(Role.ORDERER, Role.COUNCIL)
@with_request
@spec.validate(
    resp=responses(HTTP_200=AttendanceOut, errors=[400, 403, 404, 409, 415, 422]),
    tags=["requests"],
)
def put_attendance(booking_request: BookingRequest, session_id: int, json: AttendanceIn):
    """Record attended, no-show or cancelled late for people booked on a session that has started.

    Only the orderer who owns the request, or the council, may; a mark can be corrected by
    sending it again. A no-show is not paid and does not count as work.
    """
    rows = record_attendance(
        session=get_session(),
        booking_request=booking_request,
        session_id=session_id,
        marks=[Mark(mark.member_id, mark.status) for mark in json.marks],
        actor=api_user(),
        now=clock.now(),
    )
    return AttendanceOut(
        session_id=session_id,
        marks=[
            AttendanceMarkOut(
                member_id=row.member_id, status=row.status, recorded_at=row.recorded_at
            )
            for row in rows
        ],
    )
