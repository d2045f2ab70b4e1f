"""The council's member form, status form and import form."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from app.i18n import lazy_gettext as _l
from app.models.enums import ApplicantNeed, AssignmentType, Gender, Mandate, MemberStatus, Pool
from app.services.journey.needs import NEEDS_NOTE_MAX
from app.services.pool.member_admin import MemberInput
from app.web.forms import EmailAddress, OneLine
from app.web.labels import choices, options
from app.web.member.forms import LANGUAGE_CHOICES
from app.web.recruitment.forms import CheckboxesField


class MemberForm(FlaskForm):
    first_name = StringField(
        _l("First name"), validators=[InputRequired(), OneLine(), Length(max=100)]
    )
    last_name = StringField(
        _l("Last name"), validators=[InputRequired(), OneLine(), Length(max=100)]
    )
    email = EmailField(_l("Email"), validators=[Optional(), EmailAddress(), Length(max=254)])
    phone = StringField(_l("Phone"), validators=[OneLine(), Length(max=40)])
    birth_year = IntegerField(
        _l("Birth year"), validators=[InputRequired(), NumberRange(1900, 2100)]
    )
    gender = SelectField(_l("Gender"), choices=choices(Gender))
    municipality = StringField(_l("Municipality"), validators=[OneLine(), Length(max=100)])
    languages = SelectMultipleField(
        _l("Languages"), choices=options(LANGUAGE_CHOICES), default=["sv"]
    )
    pool = SelectField(_l("Pool"), choices=choices(Pool))
    mandate = SelectField(_l("Taking part"), choices=choices(Mandate))
    mandate_organisation_id = SelectField(_l("Organisation that gave the mandate"), coerce=int)
    employer = StringField(
        _l("Employers (for conflicts of interest; separate several with a semicolon)"),
        validators=[OneLine(), Length(max=200)],
    )
    assignment_types = SelectMultipleField(
        _l("Assignment types wanted (none chosen = all)"), choices=choices(AssignmentType)
    )
    is_onsite_ok = BooleanField(_l("Can come on site"), default=True)
    is_digital_ok = BooleanField(_l("Can take part digitally"), default=True)
    max_per_month = IntegerField(
        _l("At most this many assignments per month"),
        default=2,
        validators=[InputRequired(), NumberRange(0, 31)],
    )
    training_completed_on = DateField(_l("Training completed on"), validators=[Optional()])
    has_signed_agreement = BooleanField(_l("Signed agreement on file"))
    #: Needs are saved by ``journey.needs.set_member_needs``, not ``MemberInput``.
    needs = CheckboxesField(_l("Needs at assignments"), choices=choices(ApplicantNeed))
    needs_note = TextAreaField(
        _l("Needs in the member's own words"), validators=[Length(max=NEEDS_NOTE_MAX)]
    )

    def to_input(self) -> MemberInput:
        return MemberInput(
            first_name=self.first_name.data or "",
            last_name=self.last_name.data or "",
            email=self.email.data or "",
            phone=self.phone.data or "",
            birth_year=self.birth_year.data,
            gender=self.gender.data,
            municipality=self.municipality.data or "",
            languages=list(self.languages.data or []),
            pool=self.pool.data,
            mandate=self.mandate.data,
            mandate_organisation_id=self.mandate_organisation_id.data or None,
            employer=self.employer.data or "",
            assignment_types=list(self.assignment_types.data or []),
            is_onsite_ok=bool(self.is_onsite_ok.data),
            is_digital_ok=bool(self.is_digital_ok.data),
            max_per_month=self.max_per_month.data,
            training_completed_on=self.training_completed_on.data,
            has_signed_agreement=bool(self.has_signed_agreement.data),
        )


class StatusForm(FlaskForm):
    status = SelectField(_l("Status"), choices=choices(MemberStatus))
    until = DateField(_l("Paused until (optional)"), validators=[Optional()])


class ImportForm(FlaskForm):
    file = FileField(_l("Register file (.csv or .xlsx)"), validators=[FileRequired()])
