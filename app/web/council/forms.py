"""The council's pool filters (a GET form, so no CSRF token) and its decisions on requests."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    Form,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    StopValidation,
)

from app.models.enums import ExperienceType, Gender, MemberStatus, Pool, ReplacementMode
from app.services.pool.ages import AGE_BANDS, band_label
from app.web.forms import OneLine
from app.web.labels import choices, options

ANY = options([("", _l("Any"))])


class PoolFilterForm(Form):
    search = StringField(
        _l("Name or municipality"),
        validators=[Optional(), Length(max=100), OneLine()],
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
    )
    area = SelectField(_l("Area"), choices=ANY, default="")
    experience = SelectField(_l("Experience"), choices=ANY + choices(ExperienceType), default="")
    age_band = SelectField(
        _l("Age"),
        choices=ANY + options((band, band_label(band)) for band, _, _ in AGE_BANDS),
        default="",
    )
    gender = SelectField(_l("Gender"), choices=ANY + choices(Gender), default="")
    status = SelectField(_l("Status"), choices=ANY + choices(MemberStatus), default="")
    pool = SelectField(_l("Pool"), choices=ANY + choices(Pool), default="")


class ApproveForm(FlaskForm):
    """Approve the group shown (member ids, comma separated)."""

    member_ids = HiddenField(validators=[DataRequired(), Regexp(r"^\d+(,\d+)*$")])
    replacement_mode = SelectField(
        _l("When someone declines, does not answer or withdraws"),
        choices=choices(ReplacementMode),
        default=ReplacementMode.COUNCIL_CONFIRMS,
    )


class ReplacementModeForm(FlaskForm):
    """Change how places are refilled after approval."""

    mode = SelectField(
        _l("When someone declines, does not answer or withdraws"), choices=choices(ReplacementMode)
    )


class ReplaceForm(FlaskForm):
    """Invite a reserve into an open place (the next one with one click, or another)."""

    member_id = SelectField(_l("Reserve"), coerce=int, validators=[DataRequired()])


class InterestForm(FlaskForm):
    """Ask the top ranked eligible people whether they are interested."""

    count = IntegerField(
        _l("How many people to ask"), validators=[InputRequired(), NumberRange(min=1, max=20)]
    )
    deadline = DateField(_l("Answer by (the end of the day)"), validators=[InputRequired()])


class ConfirmForm(FlaskForm):
    """A button with nothing to fill in (the CSRF token only)."""


class SwapForm(FlaskForm):
    """Swap one person in the group for an eligible alternative."""

    group = HiddenField(validators=[DataRequired(), Regexp(r"^\d+(,\d+)*$")])
    out_id = SelectField(_l("Replace"), coerce=int, validators=[DataRequired()])
    in_id = SelectField(_l("With"), coerce=int, validators=[DataRequired()])


class MessageForm(FlaskForm):
    """A question to the orderer, or the reason for declining or cancelling."""

    message = TextAreaField(
        _l("Message to the orderer"), validators=[DataRequired(), Length(max=4000)]
    )


def _finite_hours(_form, field):
    """Refuse NaN and infinity before the range check (Decimal NaN cannot be compared)."""
    if field.data is not None and not field.data.is_finite():
        field.data = None
        raise StopValidation(_l("Give a number of hours from 0 to 40."))


class TermsForm(FlaskForm):
    """Set one person's agreement terms: extra time, hourly fee, part of employment."""

    member_id = SelectField(_l("Person"), coerce=int, validators=[DataRequired()])
    extra_hours = DecimalField(
        _l("Extra agreed time in hours (e.g. a reading day)"),
        default=0,
        places=2,
        validators=[InputRequired(), _finite_hours, NumberRange(min=0, max=40)],
    )
    is_hourly = BooleanField(_l("Paid per hour (efforts up to two hours including travel)"))
    is_part_of_employment = BooleanField(
        _l("Part of the person's employment at a patient organisation (no fee)")
    )
