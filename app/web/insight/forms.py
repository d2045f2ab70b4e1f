"""The insight filters (a GET form, so no CSRF token) and the target population forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, Form, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from app.i18n import lazy_gettext as _l
from app.models.enums import ExperienceType, Gender, OrganisationKind, Pool
from app.services.pool.population import BANDS, MAX_PEOPLE, POPULATION_GENDERS
from app.web.forms import OneLine
from app.web.labels import choices, options

ANY = options([("", _l("Any"))])


class InsightFilterForm(Form):
    start = DateField(_l("From"), validators=[InputRequired()])
    end = DateField(_l("To"), validators=[InputRequired()])
    pool = SelectField(_l("Pool"), choices=ANY + choices(Pool), default="")
    area = SelectField(_l("Area"), choices=ANY, default="")
    orderer_kind = SelectField(
        _l("Kind of orderer"), choices=ANY + choices(OrganisationKind), default=""
    )


def grid_field_name(band: str, gender: str) -> str:
    """Return the form field of one age band × sex cell, e.g. ``p_18_34_woman``."""
    return f"p_{band.replace('-', '_').replace('+', 'plus')}_{gender}"


class PopulationGridForm(FlaskForm):
    """One whole number per age band × sex, for the whole area (no municipalities)."""

    source = StringField(_l("Source"), validators=[Optional(), OneLine(), Length(max=200)])

    def cells(self) -> dict[tuple[str, str], int]:
        """Return the entered counts by (age band, sex)."""
        return {
            (band, str(gender)): getattr(self, grid_field_name(band, gender)).data
            for band in BANDS
            for gender in POPULATION_GENDERS
        }


for _band in BANDS:
    for _gender in POPULATION_GENDERS:
        setattr(
            PopulationGridForm,
            grid_field_name(_band, _gender),
            IntegerField(
                _l("%(band)s, women", band=_band.replace("-", "–"))
                if _gender == "woman"
                else _l("%(band)s, men", band=_band.replace("-", "–")),
                validators=[InputRequired(), NumberRange(min=0, max=MAX_PEOPLE)],
            ),
        )


class PatientGroupForm(PopulationGridForm):
    """An area's patient group: the year, its source and one number per age band × sex."""

    year = IntegerField(
        _l("Year the figures describe"),
        validators=[InputRequired(), NumberRange(min=1900, max=2100)],
    )


class PatientGroupAreaForm(Form):
    """Choose the area whose patient group to enter or see (a GET form)."""

    area = SelectField(_l("Area of experience"), choices=[])


class PopulationImportForm(FlaskForm):
    file = FileField(_l("Population file (.csv or .xlsx)"), validators=[FileRequired()])
    source = StringField(_l("Source"), validators=[Optional(), OneLine(), Length(max=200)])


class TargetForm(FlaskForm):
    """A recruitment target: how many more people of which kind, by when."""

    wanted_count = IntegerField(
        _l("How many more people"), validators=[InputRequired(), NumberRange(min=1, max=1000)]
    )
    age_min = IntegerField(_l("Youngest age"), validators=[Optional(), NumberRange(min=0, max=120)])
    age_max = IntegerField(_l("Oldest age"), validators=[Optional(), NumberRange(min=0, max=120)])
    gender = SelectField(_l("Gender"), choices=ANY + choices(Gender), default="")
    experience_type = SelectField(
        _l("Kind of experience"), choices=ANY + choices(ExperienceType), default=""
    )
    area = SelectField(_l("Area of experience"), choices=ANY, default="")
    pool = SelectField(_l("Pool"), choices=ANY + choices(Pool), default="")
    due_on = DateField(_l("Reach it by"), validators=[InputRequired()])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=1000)])
