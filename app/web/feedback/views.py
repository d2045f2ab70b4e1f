"""Surveys after an assignment (secret link, no sign-in) and their results.

Members and orderers see their own surveys under /feedback/; a member sees there what each
assignment led to. The council sees results per request and in aggregate.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.db import get_session, mark_rollback
from app.i18n import lazy_gettext as _l
from app.models import BookingRequest
from app.models.base import utcnow
from app.models.enums import FeedbackRespondent, Role
from app.services.errors import Conflict, InvalidInput, NotFound
from app.services.feedback.results import (
    QUESTIONS,
    feedback_overview,
    member_assignments,
    orderer_surveys,
    request_results,
)
from app.services.feedback.surveys import answer_survey, survey_by_token
from app.services.pool.profile import member_for_user
from app.services.privacy.audit import record_read
from app.web.access import role_required
from app.web.feedback.forms import MemberSurveyForm, OrdererSurveyForm
from app.web.forms import apply_service_errors
from app.web.secret_links import keep_token_private

bp = Blueprint("feedback", __name__)


bp.after_request(keep_token_private)


#: Short names of the answer codes for the council's tables.
QUESTION_LABELS = {
    "purpose_clear": _l("Purpose clear"),
    "material_in_time": _l("Material in time"),
    "felt_heard": _l("Felt heard"),
    "useful": _l("Useful (orderer)"),
}


def _form_for(survey):
    is_member = survey.respondent == FeedbackRespondent.MEMBER
    return MemberSurveyForm() if is_member else OrdererSurveyForm()


@bp.route("/feedback/<survey_token>", methods=["GET", "POST"])
def survey(survey_token: str):
    session = get_session()
    try:
        item = survey_by_token(session=session, token=survey_token)
    except NotFound:
        abort(404)
    booking_request = session.get(BookingRequest, item.request_id)
    form = _form_for(item)
    status = 200
    if item.answered_at is None and form.validate_on_submit():
        try:
            answer_survey(
                session=session,
                token=survey_token,
                scores=form.scores(),
                free_text=form.free_text.data,
                led_to=form.led_to.data if hasattr(form, "led_to") else "",
                now=utcnow(),
            )
        except InvalidInput as error:
            mark_rollback()
            apply_service_errors(form, error.fields)
            status = 422
        except Conflict as error:
            mark_rollback()
            flash(_(str(error)), "error")
            status = 409
        else:
            flash(_("Thank you for your answers!"), "success")
            return redirect(url_for("feedback.survey", survey_token=survey_token))
    elif form.is_submitted():
        status = 409 if item.answered_at else 422
    page = render_template(
        "feedback/survey.html", survey=item, booking_request=booking_request, form=form
    )
    return page, status


@bp.route("/feedback/")
@role_required(Role.MEMBER, Role.ORDERER)
def mine():
    session = get_session()
    if current_user.role == Role.MEMBER:
        try:
            member = member_for_user(session=session, user=current_user)
        except NotFound:
            abort(404)
        rows = member_assignments(session=session, member=member)
        return render_template("feedback/mine.html", assignments=rows, surveys=None)
    surveys = orderer_surveys(session=session, user=current_user)
    return render_template("feedback/mine.html", assignments=None, surveys=surveys)


@bp.route("/council/feedback/")
@role_required(Role.COUNCIL)
def overview():
    total, results = feedback_overview(session=get_session())
    return render_template(
        "feedback/overview.html",
        total=total,
        results=results,
        questions=QUESTIONS,
        labels=QUESTION_LABELS,
    )


@bp.route("/council/feedback/<int:request_id>")
@role_required(Role.COUNCIL)
def request_detail(request_id: int):
    session = get_session()
    booking_request = session.get(BookingRequest, request_id)
    if booking_request is None:
        abort(404)
    record_read(
        session=session,
        actor_id=current_user.id,
        action="request.feedback.read",
        subject_type="booking_request",
        subject_id=request_id,
    )
    results = request_results(session=session, booking_request=booking_request)
    return render_template(
        "feedback/request.html", results=results, questions=QUESTIONS, labels=QUESTION_LABELS
    )
