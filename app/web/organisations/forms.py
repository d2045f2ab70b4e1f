"""Forms of the organisation register, nominations, mandates and the nomination link."""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.i18n import lazy_gettext as _l
from app.models.enums import ExperienceType
from app.web.forms import EmailAddress, OneLine
from app.web.labels import choices


class RegisterForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), OneLine(), Length(max=200)])
    contact_name = StringField(_l("Contact person"), validators=[OneLine(), Length(max=200)])
    contact_email = EmailField(
        _l("Contact email"), validators=[Optional(), EmailAddress(), Length(max=254)]
    )
    contact_phone = StringField(_l("Contact phone"), validators=[OneLine(), Length(max=40)])
    member_count = IntegerField(
        _l("Number of members (if known)"),
        validators=[Optional(), NumberRange(min=0, max=10_000_000)],
    )
    area_ids = SelectMultipleField(_l("Areas of experience the organisation serves"), coerce=int)


class NominationForm(FlaskForm):
    area_id = SelectField(_l("Area of experience"), coerce=int, validators=[InputRequired()])
    seats = IntegerField(
        _l("How many representatives"),
        default=1,
        validators=[InputRequired(), NumberRange(min=1, max=50)],
    )
    request_id = IntegerField(
        _l("For the request or standing group no. (optional)"),
        validators=[Optional(), NumberRange(min=1)],
    )
    purpose = TextAreaField(
        _l("What the representatives are wanted for"), validators=[Length(max=2000)]
    )
    mandate_ends_on = DateField(_l("The mandate ends on"), validators=[InputRequired()])
    answer_by = DateField(_l("Answer by"), validators=[InputRequired()])


class RenewForm(FlaskForm):
    ends_on = DateField(_l("New end date"), validators=[InputRequired()])


class ActionForm(FlaskForm):
    """A button that posts (the CSRF token only)."""


class NomineeForm(FlaskForm):
    first_name = StringField(
        _l("First name"), validators=[DataRequired(), OneLine(), Length(max=100)]
    )
    last_name = StringField(
        _l("Last name"), validators=[DataRequired(), OneLine(), Length(max=100)]
    )
    email = EmailField(_l("Email"), validators=[DataRequired(), EmailAddress(), Length(max=254)])
    phone = StringField(_l("Phone"), validators=[OneLine(), Length(max=40)])
    birth_year = IntegerField(
        _l("Year of birth (optional)"), validators=[Optional(), NumberRange(min=1900, max=2100)]
    )
    municipality = StringField(_l("Municipality"), validators=[OneLine(), Length(max=100)])
    experience_type = RadioField(
        _l("Their experience of the area"),
        choices=choices(ExperienceType),
        validators=[InputRequired()],
    )
    needs = TextAreaField(_l("Needs to take part (optional)"), validators=[Length(max=2000)])
    consent = BooleanField(
        _l("The person agrees to be named and to the council storing these details"),
        validators=[InputRequired()],
    )
