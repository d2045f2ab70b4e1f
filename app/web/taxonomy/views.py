"""Editing the area taxonomy (administrators and the council): add, rename, merge."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import InputRequired, Length

from app.db import get_session
from app.i18n import current_language
from app.i18n import lazy_gettext as _l
from app.models.enums import Role
from app.services.pool.taxonomy import create_area, list_areas, merge_areas, rename_area
from app.web.access import role_required
from app.web.admin.forms import AreaForm
from app.web.forms import area_options, submit_one_of

bp = Blueprint("taxonomy", __name__, url_prefix="/taxonomy")


class RenameForm(FlaskForm):
    area_id = SelectField(_l("Area"), coerce=int)
    name_sv = StringField(_l("New Swedish name"), validators=[InputRequired(), Length(max=200)])
    name_en = StringField(_l("New English name"), validators=[InputRequired(), Length(max=200)])


class MergeForm(FlaskForm):
    source_id = SelectField(_l("Merge this area"), coerce=int)
    target_id = SelectField(_l("into this area"), coerce=int)


def _forms(**given) -> dict:
    rename, merge = (
        given.get("rename") or RenameForm(prefix="rename"),
        given.get("merge") or MergeForm(prefix="merge"),
    )
    rename.area_id.choices = merge.source_id.choices = merge.target_id.choices = area_options()
    return {"add": given.get("add") or AreaForm(prefix="add"), "rename": rename, "merge": merge}


def _page(forms: dict, status: int = 200):
    areas = list_areas(session=get_session(), only_active=False)
    return render_template(
        "taxonomy/home.html", areas=areas, locale=current_language(), **forms
    ), status


@bp.route("/")
@role_required(Role.ADMIN, Role.COUNCIL)
def home():
    return _page(_forms())


def _handle(name: str, action):
    """Validate one of the page's forms and run its service call."""
    return submit_one_of(_forms(), name, action, _page, "taxonomy.home")


@bp.route("/areas", methods=["POST"])
@role_required(Role.ADMIN, Role.COUNCIL)
def add():
    return _handle(
        "add",
        lambda f: create_area(
            session=get_session(), code=f.code.data, name_sv=f.name_sv.data, name_en=f.name_en.data
        ),
    )


@bp.route("/rename", methods=["POST"])
@role_required(Role.ADMIN, Role.COUNCIL)
def rename():
    return _handle(
        "rename",
        lambda f: rename_area(
            session=get_session(),
            area_id=f.area_id.data,
            name_sv=f.name_sv.data,
            name_en=f.name_en.data,
            actor_id=current_user.id,
        ),
    )


@bp.route("/merge", methods=["POST"])
@role_required(Role.ADMIN, Role.COUNCIL)
def merge():
    return _handle(
        "merge",
        lambda f: merge_areas(
            session=get_session(),
            source_id=f.source_id.data,
            target_id=f.target_id.data,
            actor_id=current_user.id,
        ),
    )
