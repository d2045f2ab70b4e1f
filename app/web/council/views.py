"""The council's pages: open requests and the pool."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import current_user

from app.db import get_session
from app.i18n import current_language
from app.models.enums import Role
from app.services.audit import record_audit
from app.services.errors import NotFound
from app.services.pool import PoolFilters, list_pool
from app.services.requests import get_request_for, list_requests
from app.web.access import role_required
from app.web.council.forms import PoolFilterForm
from app.web.council.request_page import parse_ids, render_request_page
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
    )


@bp.route("/")
@role_required(Role.COUNCIL)
def home():
    session = get_session()
    form = PoolFilterForm(request.args)
    form.area.choices = area_options(with_any=True, as_text=True)
    valid = form.validate()
    filters = _filters_from(form) if valid else PoolFilters()
    pool = list_pool(session=session, filters=filters)
    record_audit(
        session=session,
        actor_id=current_user.id,
        action="pool.health_data.list",
        subject_type="member",
        detail={"filters": {k: v for k, v in vars(filters).items() if v}, "rows": len(pool)},
    )
    open_requests = list_requests(session=session, only_open=True)
    return render_template(
        "council/home.html",
        form=form,
        pool=pool,
        open_requests=open_requests,
        locale=current_language(),
    )


@bp.route("/requests/<int:request_id>")
@role_required(Role.COUNCIL)
def request_detail(request_id: int):
    session = get_session()
    try:
        booking_request = get_request_for(session=session, user=current_user, request_id=request_id)
    except NotFound:
        abort(404)
    record_audit(
        session=session,
        actor_id=current_user.id,
        action="request.proposal.read",
        subject_type="booking_request",
        subject_id=request_id,
    )
    group = parse_ids(request.args.get("group"))
    return render_request_page(booking_request, group=group)


from app.web.council import decisions  # noqa: E402,F401  (registers the decision routes)
