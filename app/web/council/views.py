"""The council's pages: the worklist home, the pool, the calendar feed and a request."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import clock
from app.db import get_session
from app.i18n import current_language
from app.models.enums import Role
from app.services.compensation.figures import upcoming_missing_figures
from app.services.errors import NotFound
from app.services.pool.listing import PoolFilters, pool_page
from app.services.pool.member_calendar import ensure_calendar_token, rotate_calendar_token
from app.services.privacy.audit import record_read
from app.services.requests.submission import get_request_for
from app.services.worklist.registry import build_worklist, worklist_counts
from app.services.worklist.sections import Moment
from app.web.access import role_required
from app.web.council.forms import ConfirmForm, PoolFilterForm
from app.web.council.request_page import parse_ids, render_request_page
from app.web.council.worklist_texts import TEXTS
from app.web.forms import area_options

bp = Blueprint("council", __name__, url_prefix="/council")


def _filters_from(form: PoolFilterForm) -> PoolFilters:
    area = form.area.data
    return PoolFilters(
        area_id=int(area) if area and area.isdigit() else None,
        experience_type=form.experience.data or None,
        age_band=form.age_band.data or None,
        gender=form.gender.data or None,
        status=form.status.data or None,
        pool=form.pool.data or None,
        search=form.search.data or None,
    )


def _moment() -> Moment:
    return Moment(now=clock.now(), today=clock.today())


def worklist_total() -> int:
    """Return how many items wait on the council's worklist, counted once per web request."""
    if "worklist_total" not in g:
        counts = worklist_counts(session=get_session(), moment=_moment())
        g.worklist_total = sum(counts.values())
    return g.worklist_total


@bp.app_context_processor
def _worklist_count():
    return {"worklist_total": worklist_total}


@bp.route("/")
@role_required(Role.COUNCIL)
def home():
    """Show the council's worklist: what waits for the council, most urgent first."""
    session = get_session()
    sections = build_worklist(session=session, moment=_moment())
    g.worklist_total = sum(section.total for section in sections)
    return render_template(
        "council/home.html",
        sections=sections,
        texts=TEXTS,
        missing_figures=upcoming_missing_figures(session=session, today=clock.today()),
    )


@bp.route("/pool")
@role_required(Role.COUNCIL)
def pool():
    """List the pool with filters, a page at a time (a read of health data, audited)."""
    session = get_session()
    form = PoolFilterForm(request.args)
    form.area.choices = area_options(with_any=True, as_text=True)
    valid = form.validate()
    filters = _filters_from(form) if valid else PoolFilters()
    page = pool_page(session=session, filters=filters, page=request.args.get("page", 1, type=int))
    record_read(
        session=session,
        actor_id=current_user.id,
        action="pool.health_data.list",
        subject_type="member",
        detail={
            "filters": {k: v for k, v in vars(filters).items() if v},
            "rows": len(page.rows),
            "page": page.page,
        },
    )
    return render_template(
        "council/pool.html", form=form, pool=page.rows, pool_page=page, locale=current_language()
    )


@bp.route("/calendar")
@role_required(Role.COUNCIL)
def calendar():
    """Show the council user's calendar-feed address of all bookings."""
    feed_token = ensure_calendar_token(
        session=get_session(), member=current_user._get_current_object()
    )
    return render_template(
        "council/calendar.html",
        feed_token=feed_token,
        feed_form=ConfirmForm(prefix="feed", formdata=None),
    )


@bp.post("/calendar/token")
@role_required(Role.COUNCIL)
def new_calendar_token():
    """Give the council user a new feed address; the old one stops working."""
    if not ConfirmForm(prefix="feed").validate_on_submit():
        abort(400)
    rotate_calendar_token(session=get_session(), member=current_user)
    flash(_("You have a new calendar link. The old link no longer works."), "success")
    return redirect(url_for("council.calendar"))


@bp.route("/requests/<int:request_id>")
@role_required(Role.COUNCIL)
def request_detail(request_id: int):
    session = get_session()
    try:
        booking_request = get_request_for(session=session, user=current_user, request_id=request_id)
    except NotFound:
        abort(404)
    group = parse_ids(request.args.get("group"))
    return render_request_page(booking_request, group=group)


from app.web.council import (  # noqa: E402,F401  (registers the routes)
    changes,
    decisions,
    model_pages,
    quotas,
    staffing,
    stand_ins,
    standing,
    support,
    terms,
)
from app.web.council import materials as _materials  # noqa: E402,F401  (issue 19: material)
