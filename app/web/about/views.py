"""Pages for everyone: the glossary and the accessibility statement with its report form."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from app.db import get_session
from app.extensions import limiter
from app.i18n import lazy_gettext as _l
from app.services.errors import InvalidInput
from app.services.feedback.accessibility_reports import (
    MAX_DESCRIPTION,
    ProblemReport,
    report_accessibility_problem,
)
from app.web.about.glossary import GLOSSARY
from app.web.auth.views import safe_next
from app.web.forms import apply_service_errors

bp = Blueprint("about", __name__)

#: When the statement's assessment was last made (shown on the page).
ASSESSED_ON = "2026-11-24"


class ProblemForm(FlaskForm):
    page = StringField(_l("Which page? (optional)"), validators=[Optional(), Length(max=500)])
    description = TextAreaField(
        _l("What did not work?"), validators=[InputRequired(), Length(max=MAX_DESCRIPTION)]
    )
    contact = StringField(
        _l("Your e-mail or phone, if you want an answer (optional)"),
        validators=[Optional(), Length(max=254)],
    )


@bp.route("/glossary")
def glossary():
    return render_template("about/glossary.html", entries=GLOSSARY)


@bp.route("/accessibility", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def accessibility():
    form = ProblemForm()
    if request.method == "GET" and not form.page.data:
        form.page.data = safe_next(request.args.get("page")) or ""
    if form.validate_on_submit():
        try:
            report_accessibility_problem(
                session=get_session(),
                report=ProblemReport(
                    description=form.description.data,
                    page=form.page.data or "",
                    contact=form.contact.data or "",
                ),
                mailbox=current_app.config["COUNCIL_MAILBOX"],
                translate=_,
            )
        except InvalidInput as error:
            apply_service_errors(form, error.fields)
        else:
            flash(_("Thank you. Your report has been sent to the council."), "success")
            return redirect(url_for("about.accessibility"))
    status = 422 if form.errors else 200
    return (
        render_template(
            "about/accessibility.html",
            form=form,
            assessed_on=ASSESSED_ON,
            mailbox=current_app.config["COUNCIL_MAILBOX"],
        ),
        status,
    )
