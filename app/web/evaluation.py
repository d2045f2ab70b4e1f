"""The term evaluation page of a standing group (council and orderer) and the renewal form."""

from __future__ import annotations

from datetime import date, timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from app.db import get_session, mark_rollback
from app.i18n import lazy_gettext as _l
from app.mail.settings import mail_context
from app.models.base import utcnow
from app.services.errors import Conflict, Forbidden, InvalidInput
from app.services.journey.renewal import renew_term
from app.services.journey.terms import (
    OUTCOMES,
    default_period,
    evaluate_term,
    term_evaluations,
    term_figures,
)
from app.web.forms import apply_service_errors
from app.web.labels import options
from app.web.meetings import term_line

#: The outcome columns of the figures table, in words.
OUTCOME_WORDS = {
    "attended": _l("Attended"),
    "no_show": _l("No-show"),
    "cancelled_late": _l("Cancelled late"),
    "absent": _l("Said beforehand she cannot come"),
    "not_recorded": _l("Not recorded"),
}
RENEWAL_CHOICES = options([("", _l("Not decided")), ("yes", _l("Yes")), ("no", _l("No"))])


class EvaluationForm(FlaskForm):
    """How one period of the term went."""

    period_start = DateField(_l("Period from"), validators=[InputRequired()])
    period_end = DateField(_l("Period to"), validators=[InputRequired()])
    went_well = TextAreaField(_l("What went well"), validators=[Optional(), Length(max=4000)])
    to_improve = TextAreaField(_l("What to improve"), validators=[Optional(), Length(max=4000)])
    recommend_renewal = RadioField(
        _l("Go on with the same people for another term?"),
        choices=RENEWAL_CHOICES,
        default="",
        validators=[Optional()],
    )


class RenewForm(FlaskForm):
    """The next term: its days, and whether the same people are asked again."""

    new_start = DateField(_l("New term starts"), validators=[InputRequired()])
    new_end = DateField(_l("New term ends"), validators=[InputRequired()])
    same_people = RadioField(
        _l("Who"),
        choices=options(
            [
                ("yes", _l("The same people: they are invited again (consent asked again)")),
                ("no", _l("A new proposal: the request goes to the council as submitted")),
            ]
        ),
        default="yes",
        validators=[InputRequired()],
    )


def _period(booking_request, form: EvaluationForm):
    if form.period_start.data and form.period_end.data:
        return form.period_start.data, form.period_end.data
    start = request.args.get("from", type=_parse_day)
    end = request.args.get("to", type=_parse_day)
    default = default_period(booking_request, utcnow())
    return start or default[0], end or default[1]


def _parse_day(text: str) -> date:
    return date.fromisoformat(text)


def evaluation_page(booking_request, *, council: bool, form=None, renew_form=None, status=200):
    """Render the figures of a period, the evaluations so far and the forms."""
    session = get_session()
    form = form or EvaluationForm(formdata=None)
    start, end = _period(booking_request, form)
    form.period_start.data, form.period_end.data = start, end
    figures = term_figures(
        session=session, booking_request=booking_request, period_start=start, period_end=end
    )
    if renew_form is None and council:
        renew_form = RenewForm(formdata=None)
        if booking_request.term_end:
            length = booking_request.term_end - (booking_request.term_start or start)
            renew_form.new_start.data = booking_request.term_end + timedelta(days=1)
            renew_form.new_end.data = renew_form.new_start.data + length
    prefix = "council" if council else "orders"
    return render_template(
        "term_evaluation.html",
        booking_request=booking_request,
        term=term_line(booking_request),
        figures=figures,
        outcomes=OUTCOMES,
        outcome_words=OUTCOME_WORDS,
        full_names=council,
        form=form,
        renew_form=renew_form,
        evaluations=term_evaluations(session=session, request_id=booking_request.id),
        post_url=url_for(f"{prefix}.evaluation", request_id=booking_request.id),
        renew_url=url_for("council.renew", request_id=booking_request.id) if council else "",
        back_url=url_for(
            "council.request_detail" if council else "orders.detail", request_id=booking_request.id
        ),
    ), status


def evaluate_from_form(booking_request, *, council: bool):
    """Store an evaluation from the posted form, or show the page again with the errors."""
    form = EvaluationForm()
    if not form.validate_on_submit():
        return evaluation_page(booking_request, council=council, form=form, status=422)
    recommend = {"yes": True, "no": False}.get(form.recommend_renewal.data or "")
    try:
        evaluate_term(
            session=get_session(),
            booking_request=booking_request,
            period_start=form.period_start.data,
            period_end=form.period_end.data,
            went_well=form.went_well.data or "",
            to_improve=form.to_improve.data or "",
            recommend_renewal=recommend,
            actor=current_user,
        )
    except InvalidInput as error:
        mark_rollback()
        apply_service_errors(form, error.fields)
        return evaluation_page(booking_request, council=council, form=form, status=422)
    flash(_("The evaluation is saved."), "success")
    prefix = "council" if council else "orders"
    return redirect(url_for(f"{prefix}.evaluation", request_id=booking_request.id))


def renew_from_form(booking_request):
    """Renew the term from the council's form; say who was invited again and who was left out."""
    form = RenewForm()
    if not form.validate_on_submit():
        return evaluation_page(booking_request, council=True, renew_form=form, status=422)
    try:
        renewal = renew_term(
            session=get_session(),
            booking_request=booking_request,
            new_start=form.new_start.data,
            new_end=form.new_end.data,
            same_people=form.same_people.data == "yes",
            actor=current_user,
            ctx=mail_context(),
            now=utcnow(),
        )
    except (InvalidInput, Conflict, Forbidden) as error:
        mark_rollback()
        message = _(str(error))
        form.new_end.errors = [*form.new_end.errors, message]
        flash(message, "error")
        return evaluation_page(booking_request, council=True, renew_form=form, status=422)
    flash(_("The new term is created."), "success")
    if renewal.left_out:
        names = ", ".join(member.display_name for member in renewal.left_out)
        flash(_("Not invited again (no longer eligible): %(names)s", names=names), "error")
    return redirect(url_for("council.request_detail", request_id=renewal.booking_request.id))
