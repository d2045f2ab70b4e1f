"""The council's pool filters (a GET form, so no CSRF token) and its decisions on requests."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, Form, HiddenField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Regexp

from app.models.enums import ExperienceType, Gender, MemberStatus, Pool
from app.services.ages import AGE_BANDS
from app.web.forms import ClockField
from app.web.labels import choices, options

ANY = options([("", _l("Any"))])


class PoolFilterForm(Form):
    area = SelectField(_l("Area"), choices=ANY, default="")
    experience = SelectField(_l("Experience"), choices=ANY + choices(ExperienceType), default="")
    age_band = SelectField(
        _l("Age"), choices=ANY + options((band, band) for band, _, _ in AGE_BANDS), default=""
    )
    gender = SelectField(_l("Gender"), choices=ANY + choices(Gender), default="")
    status = SelectField(_l("Status"), choices=ANY + choices(MemberStatus), default="")
    pool = SelectField(_l("Pool"), choices=ANY + choices(Pool), default="")


class ApproveForm(FlaskForm):
    """Approve the group shown (member ids, comma separated)."""

    member_ids = HiddenField(validators=[DataRequired(), Regexp(r"^\d+(,\d+)*$")])


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


class MoveForm(FlaskForm):
    """A new local date and time for one session."""

    day = DateField(_l("Date"), validators=[InputRequired()])
    start = ClockField(_l("Starts"), validators=[InputRequired()])
    end = ClockField(_l("Ends"), validators=[InputRequired()])
