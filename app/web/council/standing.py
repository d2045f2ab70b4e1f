"""The council's standing-group actions: meetings added and cancelled, term evaluation, renewal."""

from __future__ import annotations

from flask import request, url_for

from app.models.enums import Role
from app.web.access import role_required
from app.web.council.request_page import load_request, render_request_page
from app.web.council.views import bp
from app.web.evaluation import evaluate_from_form, evaluation_page, renew_from_form
from app.web.meetings import add_from_form, cancel_from_form


@bp.post("/requests/<int:request_id>/meetings")
@role_required(Role.COUNCIL)
def add_meeting(request_id: int):
    """Add a meeting; the people booked get a calendar invitation for it."""
    booking_request = load_request(request_id)
    return add_from_form(
        booking_request,
        render=lambda forms, status: render_request_page(
            booking_request, forms=forms, status=status
        ),
        done_url=url_for("council.request_detail", request_id=request_id),
    )


@bp.post("/requests/<int:request_id>/meetings/<int:session_id>/cancel")
@role_required(Role.COUNCIL)
def cancel_meeting(request_id: int, session_id: int):
    """Cancel a meeting ahead (after the confirmation step); everyone on it gets a CANCEL."""
    booking_request = load_request(request_id)
    return cancel_from_form(
        booking_request,
        session_id,
        render=lambda forms, status: render_request_page(
            booking_request, forms=forms, status=status
        ),
        done_url=url_for("council.request_detail", request_id=request_id),
    )


@bp.route("/requests/<int:request_id>/evaluation", methods=["GET", "POST"])
@role_required(Role.COUNCIL)
def evaluation(request_id: int):
    """Show a period's attendance per meeting and person; store the council's evaluation."""
    booking_request = load_request(request_id)
    if request.method == "POST":
        return evaluate_from_form(booking_request, council=True)
    return evaluation_page(booking_request, council=True)


@bp.post("/requests/<int:request_id>/renew")
@role_required(Role.COUNCIL)
def renew(request_id: int):
    """Make the next term's request: the same people invited again, or a new proposal."""
    return renew_from_form(load_request(request_id))
