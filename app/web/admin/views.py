"""The administrator's pages: users, organisations, the area taxonomy and yearly figures."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user
from sqlmodel import select

from app import clock
from app.db import get_session
from app.i18n import format_kronor, format_percent
from app.i18n import lazy_gettext as _l
from app.models import EmployerContributionRate, User
from app.models.enums import Role
from app.services.accounts.organisations import (
    create_organisation,
    list_organisations,
    set_parent,
)
from app.services.accounts.users import create_user
from app.services.compensation.figures import (
    add_contribution_rate,
    add_mileage_rate,
    add_price_base_amount,
    correct_figure,
    list_contribution_rates,
    list_mileage_rates,
    list_price_base_amounts,
    upcoming_missing_figures,
)
from app.services.compensation.payers import set_payer
from app.services.compensation.settings import receipt_threshold, set_receipt_threshold
from app.services.pool.taxonomy import create_area, list_areas
from app.web.access import role_required
from app.web.admin.forms import (
    AreaForm,
    ContributionRateForm,
    CorrectFigureForm,
    MileageRateForm,
    OrganisationForm,
    OrganisationParentForm,
    OrganisationPayerForm,
    PriceBaseAmountForm,
    ReceiptThresholdForm,
    UserForm,
)
from app.web.forms import submit_one_of
from app.web.labels import options

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _forms() -> dict:
    organisations = list_organisations(session=get_session())
    user_form = UserForm(prefix="user")
    user_form.organisation_id.choices = options(
        [(0, "—")] + [(org.id, org.name) for org in organisations]
    )
    organisation_form = OrganisationForm(prefix="org")
    payer_form = OrganisationPayerForm(prefix="payer")
    payers = options([(0, _l("Itself"))] + [(org.id, org.name) for org in organisations])
    organisation_form.payer_id.choices = payers
    payer_form.payer_id.choices = payers
    payer_form.organisation_id.choices = options([(org.id, org.name) for org in organisations])
    parent_form = OrganisationParentForm(prefix="parent")
    parents = options([(0, _l("None (top level)"))] + [(org.id, org.name) for org in organisations])
    organisation_form.parent_id.choices = parents
    parent_form.parent_id.choices = parents
    parent_form.organisation_id.choices = options([(org.id, org.name) for org in organisations])
    return {
        "organisation_form": organisation_form,
        "payer_form": payer_form,
        "parent_form": parent_form,
        "area_form": AreaForm(prefix="area"),
        "pbb_form": PriceBaseAmountForm(prefix="pbb"),
        "rate_form": ContributionRateForm(prefix="rate"),
        "mileage_form": MileageRateForm(prefix="mileage"),
        "correct_form": _correct_form(),
        "user_form": user_form,
        "receipt_form": ReceiptThresholdForm(
            prefix="receipt",
            receipt_threshold_sek=receipt_threshold(session=get_session()),
        ),
    }


def _correct_form() -> CorrectFigureForm:
    """The correction form, offering every figure row by kind and validity."""
    session = get_session()
    form = CorrectFigureForm(prefix="fix")
    pbb = [(f"pbb:{r.id}", f"PBB {r.year}") for r in list_price_base_amounts(session=session)]
    rates = [
        (
            f"contribution:{r.id}",
            f"{format_percent(r.rate_percent)} {r.valid_from}–{r.valid_to or ''}"
            f" ({r.born_from or ''}–{r.born_to or ''})",
        )
        for r in list_contribution_rates(session=session)
    ]
    mileage = [
        (
            f"mileage:{r.id}",
            f"{format_kronor(r.kr_per_10km, places=2)}/10 km {r.valid_from}–{r.valid_to or ''}",
        )
        for r in list_mileage_rates(session=session)
    ]
    form.figure.choices = pbb + rates + mileage
    return form


def _render(forms: dict, status: int = 200):
    session = get_session()
    users = list(session.exec(select(User).order_by(User.role, User.email)))
    organisations = list_organisations(session=session)
    return (
        render_template(
            "admin/home.html",
            users=users,
            organisations={org.id: org for org in organisations},
            areas=list_areas(session=session, only_active=False),
            price_base_amounts=list_price_base_amounts(session=session),
            contribution_rates=list_contribution_rates(session=session),
            mileage_rates=list_mileage_rates(session=session),
            missing_figures=upcoming_missing_figures(session=session, today=clock.today()),
            **forms,
        ),
        status,
    )


@bp.route("/")
@role_required(Role.ADMIN)
def home():
    return _render(_forms())


def _handle(form_name: str, action):
    """Validate one of the page's forms and run its service call."""
    return submit_one_of(_forms(), form_name, action, _render, "admin.home")


@bp.route("/organisations", methods=["POST"])
@role_required(Role.ADMIN)
def add_organisation():
    return _handle(
        "organisation_form",
        lambda f: create_organisation(
            session=get_session(),
            name=f.name.data,
            kind=f.kind.data,
            payer_id=f.payer_id.data or None,
            parent_id=f.parent_id.data or None,
        ),
    )


@bp.route("/organisations/parent", methods=["POST"])
@role_required(Role.ADMIN)
def set_organisation_parent():
    return _handle(
        "parent_form",
        lambda f: set_parent(
            session=get_session(),
            organisation_id=f.organisation_id.data,
            parent_id=f.parent_id.data or None,
        ),
    )


@bp.route("/organisations/payer", methods=["POST"])
@role_required(Role.ADMIN)
def set_organisation_payer():
    return _handle(
        "payer_form",
        lambda f: set_payer(
            session=get_session(),
            organisation_id=f.organisation_id.data,
            payer_id=f.payer_id.data or None,
        ),
    )


@bp.route("/areas", methods=["POST"])
@role_required(Role.ADMIN)
def add_area():
    return _handle(
        "area_form",
        lambda f: create_area(
            session=get_session(), code=f.code.data, name_sv=f.name_sv.data, name_en=f.name_en.data
        ),
    )


@bp.route("/price-base-amounts", methods=["POST"])
@role_required(Role.ADMIN)
def add_pbb():
    return _handle(
        "pbb_form",
        lambda f: add_price_base_amount(
            session=get_session(),
            year=f.year.data,
            amount_sek=f.amount_sek.data,
            source=f.source.data or "",
            actor_id=current_user.id,
        ),
    )


@bp.route("/contribution-rates", methods=["POST"])
@role_required(Role.ADMIN)
def add_rate():
    def action(f):
        row = EmployerContributionRate(
            valid_from=f.valid_from.data,
            valid_to=f.valid_to.data,
            born_from=f.born_from.data,
            born_to=f.born_to.data,
            rate_percent=f.rate_percent.data,
            label=f.label.data or "",
            source=f.source.data or "",
        )
        add_contribution_rate(session=get_session(), row=row, actor_id=current_user.id)

    return _handle("rate_form", action)


@bp.route("/mileage-rates", methods=["POST"])
@role_required(Role.ADMIN)
def add_mileage():
    return _handle(
        "mileage_form",
        lambda f: add_mileage_rate(
            session=get_session(),
            valid_from=f.valid_from.data,
            kr_per_10km=f.kr_per_10km.data,
            source=f.source.data or "",
            actor_id=current_user.id,
        ),
    )


@bp.route("/figures/correct", methods=["POST"])
@role_required(Role.ADMIN)
def correct():
    def action(f):
        kind, _, row_id = f.figure.data.partition(":")
        correct_figure(
            session=get_session(),
            kind=kind,
            row_id=int(row_id),
            actor_id=current_user.id,
            amount=f.amount.data,
            valid_to=f.valid_to.data,
            source=f.source.data or None,
        )

    return _handle("correct_form", action)


@bp.route("/users", methods=["POST"])
@role_required(Role.ADMIN)
def add_user():
    return _handle(
        "user_form",
        lambda f: create_user(
            session=get_session(),
            email=f.email.data,
            password=f.password.data,
            role=f.role.data,
            full_name=f.full_name.data or "",
            organisation_id=f.organisation_id.data or None,
            actor_id=current_user.id,
        ),
    )


@bp.route("/receipt-threshold", methods=["POST"])
@role_required(Role.ADMIN)
def set_receipt_limit():
    """Set the amount above which ticket and other costs need a receipt."""
    return _handle(
        "receipt_form",
        lambda f: set_receipt_threshold(
            session=get_session(),
            amount_sek=f.receipt_threshold_sek.data,
            actor=current_user,
            now=clock.now(),
        ),
    )
