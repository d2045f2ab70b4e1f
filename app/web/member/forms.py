"""The member's own profile form and the add-experience form."""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from app.i18n import lazy_gettext as _l
from app.models.enums import AssignmentType, ExperienceType
from app.services.pool.profile import ProfileInput
from app.web.forms import EmailAddress, OneLine
from app.web.labels import choices, options

LANGUAGE_CHOICES = [
    ("sv", "Svenska"),
    ("en", "English"),
    ("ar", "العربية"),
    ("fi", "Suomi"),
    ("so", "Soomaali"),
    ("fa", "فارسی"),
    ("bs", "Bosanski"),
    ("ti", "ትግርኛ"),
    ("pl", "Polski"),
    ("de", "Deutsch"),
]


class ProfileForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[Optional(), EmailAddress(), Length(max=254)])
    phone = StringField(_l("Phone"), validators=[OneLine(), Length(max=40)])
    municipality = StringField(_l("Municipality"), validators=[OneLine(), Length(max=100)])
    languages = SelectMultipleField(_l("Languages"), choices=options(LANGUAGE_CHOICES))
    assignment_types = SelectMultipleField(
        _l("Assignment types you want (none chosen = all)"),
        choices=choices(AssignmentType),
    )
    is_onsite_ok = BooleanField(_l("I can come on site"))
    is_digital_ok = BooleanField(_l("I can take part digitally"))
    max_per_month = IntegerField(
        _l("At most this many assignments per month"),
        validators=[InputRequired(), NumberRange(min=0, max=31)],
    )

    def to_input(self) -> ProfileInput:
        return ProfileInput(
            email=self.email.data or "",
            phone=self.phone.data or "",
            municipality=self.municipality.data or "",
            languages=list(self.languages.data or []),
            assignment_types=list(self.assignment_types.data or []),
            is_onsite_ok=bool(self.is_onsite_ok.data),
            is_digital_ok=bool(self.is_digital_ok.data),
            max_per_month=self.max_per_month.data,
        )


class ExperienceForm(FlaskForm):
    area_id = SelectField(_l("Area"), coerce=int)
    type = SelectField(_l("Own or relative experience"), choices=choices(ExperienceType))
