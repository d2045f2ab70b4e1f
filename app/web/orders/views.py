"""The orderer's pages: their organisation's requests and the request form."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import clock
from app.config import fee_hourly_rule
from app.db import get_session, mark_rollback
from app.mail.settings import mail_context
from app.models import Organisation
from app.models.enums import Role
from app.services.accounts.organisations import ORGANISATION_DISABLED, organisation_is_disabled
from app.services.booking.attendance import booked_people
from app.services.booking.decisions import answer_question
from app.services.errors import Conflict, InvalidInput, NotFound
from app.services.journey.materials_read import materials_for_request
from app.services.journey.needs import needs_of_booked
from app.services.journey.request_cost import request_cost_estimate
from app.services.privacy.health_access import read_coming_people
from app.services.requests.coming import coming_by_meeting, orderer_name
from app.services.requests.states import RUNNING_REQUEST_STATES
from app.services.requests.submission import (
    get_request_for,
    request_areas,
    request_sessions,
    submit_request,
)
from app.services.requests.waiting import (
    ORDERER_GROUPS,
    PAGED_GROUP,
    orderer_overview,
    page_argument,
)
from app.web.access import role_required
from app.web.attendance import attendance_context, record_from_form
from app.web.evaluation import evaluate_from_form, evaluation_page
from app.web.forms import apply_service_errors, area_options
from app.web.meetings import add_from_form, cancel_from_form, meetings_panel
from app.web.orders.forms import AnswerForm, RequestForm
from app.web.session_moves import move_forms, move_session

bp = Blueprint("orders", __name__, url_prefix="/orders")


def _request_form() -> RequestForm:
    form = RequestForm()
    form.area_ids.choices = area_options()
    return form


@bp.route("/")
@role_required(Role.ORDERER)
def home():
    session = get_session()
    organisation = session.get(Organisation, current_user.organisation_id)
    overview = orderer_overview(
        session=session,
        organisation_id=current_user.organisation_id,
        finished_page=request.args.get("page", 1, type=int),
        group_pages={
            key: request.args.get(page_argument(key), 1, type=int)
            for key, *_rest in ORDERER_GROUPS
            if key != PAGED_GROUP
        },
    )
    return render_template(
        "orders/home.html",
        organisation=organisation,
        groups=overview.groups,
        pages=overview.pages,
        page_argument=page_argument,
    )


@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.ORDERER)
def new_request():
    form = _request_form()
    if organisation_is_disabled(
        session=get_session(), organisation_id=current_user.organisation_id
    ):
        general = [_(ORGANISATION_DISABLED)]
        return render_template("orders/new.html", form=form, general_errors=general), 403
    if form.is_submitted() and form.add_row.data:
        return _with_one_more_row(form)
    if form.validate_on_submit():
        try:
            created = submit_request(
                session=get_session(), orderer=current_user, data=form.to_input(clock.zone())
            )
        except InvalidInput as error:
            general = apply_service_errors(form, error.fields)
            return render_template("orders/new.html", form=form, general_errors=general), 422
        flash(_("Your request has been sent to the council."), "success")
        return redirect(url_for("orders.detail", request_id=created.id))
    status = 422 if form.is_submitted() else 200
    return render_template("orders/new.html", form=form, general_errors=[]), status


def _with_one_more_row(form: RequestForm):
    """Show the form again with an empty meeting row added (the no-JavaScript "Add meeting")."""
    if len(form.sessions.entries) < form.sessions.max_entries:
        form.sessions.append_entry()
    return render_template("orders/new.html", form=form, general_errors=[])


@bp.route("/<int:request_id>")
@role_required(Role.ORDERER)
def detail(request_id: int, answer_form=None, status: int = 200, forms=None, cancel_form=None):
    session = get_session()
    try:
        booking_request = get_request_for(session=session, user=current_user, request_id=request_id)
    except NotFound:
        abort(404)
    from app.web.orders.changes import changes_context

    items = request_sessions(session=session, request_id=request_id)
    booked = booked_people(session=session, request_id=request_id)
    changeable = booking_request.status in RUNNING_REQUEST_STATES
    return render_template(
        "orders/detail.html",
        booking_request=booking_request,
        sessions=items,
        move_forms=move_forms(items, clock.zone(), forms) if changeable else {},
        areas=request_areas(session=session, request_id=request_id),
        coming=read_coming_people(
            session=session, booking_request=booking_request, actor_id=current_user.id
        ),
        coming_by_meeting=coming_by_meeting(
            session=session, booking_request=booking_request, meetings=items
        ),
        answer_form=answer_form or AnswerForm(formdata=None),
        meetings=_meetings_panel(booking_request, items, forms),
        needs=needs_of_booked(session=session, booking_request=booking_request, booked=booked),
        materials=materials_for_request(session=session, request_id=request_id),
        cost=request_cost_estimate(
            session=session,
            booking_request=booking_request,
            hourly_rule=fee_hourly_rule(current_app.config),
            items=items,
        ),
        **attendance_context(booking_request, full_names=False, sessions=items, people=booked),
        **changes_context(booking_request, cancel_form),
    ), status


def _meetings_panel(booking_request, items, forms) -> dict:
    return meetings_panel(
        booking_request,
        items,
        forms,
        add_endpoint="orders.add_meeting",
        cancel_endpoint="orders.cancel_meeting",
        evaluation_url=url_for("orders.evaluation", request_id=booking_request.id)
        if booking_request.is_standing
        else "",
    )


def _own_request(request_id: int):
    try:
        return get_request_for(session=get_session(), user=current_user, request_id=request_id)
    except NotFound:
        abort(404)


@bp.post("/<int:request_id>/meetings")
@role_required(Role.ORDERER)
def add_meeting(request_id: int):
    """Add a meeting; the people booked get a calendar invitation for it."""
    return add_from_form(
        _own_request(request_id),
        render=lambda forms, status: detail(request_id, status=status, forms=forms),
        done_url=url_for("orders.detail", request_id=request_id),
    )


@bp.post("/<int:request_id>/meetings/<int:session_id>/cancel")
@role_required(Role.ORDERER)
def cancel_meeting(request_id: int, session_id: int):
    """Cancel a meeting ahead (after the confirmation step); everyone on it gets a CANCEL."""
    return cancel_from_form(
        _own_request(request_id),
        session_id,
        render=lambda forms, status: detail(request_id, status=status, forms=forms),
        done_url=url_for("orders.detail", request_id=request_id),
    )


@bp.route("/<int:request_id>/evaluation", methods=["GET", "POST"])
@role_required(Role.ORDERER)
def evaluation(request_id: int):
    """Show a standing group's attendance (first names) and let the orderer evaluate a period."""
    booking_request = _own_request(request_id)
    if request.method == "POST":
        return evaluate_from_form(booking_request, council=False)
    return evaluation_page(booking_request, council=False)


@bp.post("/<int:request_id>/sessions/<int:session_id>/move")
@role_required(Role.ORDERER)
def move(request_id: int, session_id: int):
    """Change a session's time; people who cannot come are named before anything changes."""
    try:
        booking_request = get_request_for(
            session=get_session(), user=current_user, request_id=request_id
        )
    except NotFound:
        abort(404)
    return move_session(
        booking_request,
        session_id,
        render=lambda forms, status: detail(request_id, status=status, forms=forms),
        done_url=url_for("orders.detail", request_id=request_id),
        name_of=orderer_name,
    )


@bp.post("/<int:request_id>/sessions/<int:session_id>/attendance")
@role_required(Role.ORDERER)
def record_attendance(request_id: int, session_id: int):
    """Mark attendance on a started session; only the orderer who owns the request may."""
    try:
        booking_request = get_request_for(
            session=get_session(), user=current_user, request_id=request_id
        )
    except NotFound:
        abort(404)
    return record_from_form(
        booking_request,
        session_id,
        render=lambda status: detail(request_id, status=status),
        done_url=url_for("orders.detail", request_id=request_id),
    )


@bp.post("/<int:request_id>/answer")
@role_required(Role.ORDERER)
def answer(request_id: int):
    """Answer the council's question; the request goes back to the council's queue."""
    session = get_session()
    try:
        booking_request = get_request_for(session=session, user=current_user, request_id=request_id)
    except NotFound:
        abort(404)
    form = AnswerForm()
    if not form.validate_on_submit():
        return detail(request_id, answer_form=form, status=422)
    try:
        answer_question(
            session=session,
            booking_request=booking_request,
            message=form.message.data,
            actor=current_user,
            ctx=mail_context(),
        )
    except (InvalidInput, Conflict) as error:
        mark_rollback()
        flash(_(str(error)), "error")
        return detail(request_id, answer_form=form, status=409)
    flash(_("Your answer has been sent to the council."), "success")
    return redirect(url_for("orders.detail", request_id=request_id))


@bp.route("/estimate")
@role_required(Role.ORDERER)
def estimate():
    """Return the estimated cost of the sessions in the query string as JSON (issue 7)."""
    from flask import jsonify

    from app.web.orders.estimate import estimate_from_args

    body, status = estimate_from_args(request.args, clock.zone())
    return jsonify(body), status


from app.web.orders import changes  # noqa: E402,F401  (registers the routes)
from app.web.orders import materials as _materials  # noqa: E402,F401  (registers the routes)
