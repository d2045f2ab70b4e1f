"""The organisation's own pages, reached by secret links without sign-in.

``/nominations/<token>``: the contact names representatives, one at a time, until every seat
is named or the answer-by date has passed. ``/organisations/report/<token>``: the assignments
of the organisation's representatives.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app import clock
from app.db import get_session, mark_rollback
from app.mail.settings import mail_context
from app.models import Area, Organisation
from app.services.errors import Conflict, InvalidInput, NotFound
from app.services.nominations import nominate as nominations
from app.services.nominations.report import organisation_for_report, organisation_report
from app.services.privacy.audit import record_read
from app.services.recruitment.applications import ApplicationInput
from app.web.forms import apply_service_errors
from app.web.organisations.forms import NomineeForm
from app.web.organisations.views import report_year
from app.web.secret_links import keep_token_private

bp = Blueprint("organisation_links", __name__)

bp.after_request(keep_token_private)


def _nominee(form: NomineeForm) -> ApplicationInput:
    return ApplicationInput(
        first_name=form.first_name.data or "",
        last_name=form.last_name.data or "",
        email=form.email.data or "",
        phone=form.phone.data or "",
        birth_year=form.birth_year.data,
        gender=None,
        municipality=form.municipality.data or "",
        experiences=(),
        participation=(),
        needs=form.needs.data or "",
    )


@bp.route("/nominations/<nomination_token>", methods=["GET", "POST"])
def nomination(nomination_token: str):
    session = get_session()
    try:
        item = nominations.nomination_by_token(session=session, token=nomination_token)
    except NotFound:
        abort(404)
    form = NomineeForm()
    state = nominations.link_state(item, clock.today())
    general, status = [], 200
    if state == "open" and form.validate_on_submit():
        try:
            applicant = nominations.name_nominee(
                session=session,
                token=nomination_token,
                nominee=_nominee(form),
                experience_type=form.experience_type.data,
                has_consent=bool(form.consent.data),
                ctx=mail_context(),
                now=clock.now(),
            )
        except Conflict as error:
            mark_rollback()
            flash(_(str(error)), "error")
            return redirect(url_for(".nomination", nomination_token=nomination_token))
        except InvalidInput as error:
            mark_rollback()
            general = apply_service_errors(form, error.fields) or [_(str(error))]
            status = 422
        else:
            flash(
                _("%(name)s is named. The council will contact them.", name=applicant.first_name),
                "success",
            )
            return redirect(url_for(".nomination", nomination_token=nomination_token))
    elif form.is_submitted():
        status = 422 if state == "open" else 409
    return _page(item, form, general, state), status


def _page(item, form, general, state):
    session = get_session()
    return render_template(
        "organisations/nominate.html",
        nomination=item,
        organisation=session.get(Organisation, item.organisation_id),
        area=session.get(Area, item.area_id),
        named=nominations.named_count(session=session, nomination_id=item.id),
        state=state,
        closed_message=_(nominations.LINK_CLOSED[state]) if state != "open" else "",
        form=form,
        general_errors=general,
    )


@bp.route("/organisations/report/<report_token>")
def report(report_token: str):
    session = get_session()
    try:
        organisation = organisation_for_report(session=session, token=report_token, now=clock.now())
        result = organisation_report(
            session=session, organisation_id=organisation.id, year=report_year()
        )
    except NotFound:
        abort(404)
    except InvalidInput:
        return redirect(request.path)
    record_read(
        session=session,
        actor_id=None,
        action="organisation.report.read",
        subject_type="organisation",
        subject_id=organisation.id,
        detail={"year": result.year, "by_link": True},
    )
    return render_template("organisations/report.html", report=result, by_link=True)
