"""The 6-monthly review page: a member confirms availability and consent (secret link)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import BooleanField
from wtforms.validators import DataRequired

from app.db import get_session, mark_rollback
from app.i18n import lazy_gettext as _l
from app.models import Member
from app.models.base import utcnow
from app.models.enums import ReviewStatus
from app.services.errors import Conflict, NotFound
from app.services.pool.reviews import confirm_review, review_by_token
from app.services.privacy.consent import CONSENT_TEXT_VERSION
from app.web.secret_links import keep_token_private

bp = Blueprint("reviews", __name__, url_prefix="/reviews")


class ReviewForm(FlaskForm):
    still_available = BooleanField(
        _l("I still want to be asked for assignments."), validators=[DataRequired()]
    )
    keeps_consent = BooleanField(
        _l("I keep my consent to the storing and use of my data as described."),
        validators=[DataRequired()],
    )


bp.after_request(keep_token_private)


@bp.route("/<review_token>", methods=["GET", "POST"])
def review(review_token: str):
    session = get_session()
    try:
        item = review_by_token(session=session, token=review_token)
    except NotFound:
        abort(404)
    form, status = ReviewForm(), 200
    if item.status == ReviewStatus.OPEN and form.validate_on_submit():
        try:
            confirm_review(session=session, token=review_token, now=utcnow())
        except Conflict as error:
            mark_rollback()
            flash(_(str(error)), "error")
            status = 409
        else:
            flash(_("Thank you! You stay in the pool."), "success")
            return redirect(url_for("reviews.review", review_token=review_token))
    elif form.is_submitted():
        status = 422 if item.status == ReviewStatus.OPEN else 409
    return render_template(
        "reviews/review.html",
        review=item,
        member=session.get(Member, item.member_id),
        form=form,
        version=CONSENT_TEXT_VERSION,
    ), status
