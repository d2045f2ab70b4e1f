"""The public application form and the council's pipeline form."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.i18n import lazy_gettext as _l
from app.models.enums import ApplicantNeed, AssignmentType, Gender
from app.services.recruitment.applications import MAX_NEEDS_LENGTH, ApplicationInput
from app.services.recruitment.pipeline import MAX_REASON_LENGTH
from app.web.forms import EmailAddress, OneLine
from app.web.labels import choices, options
from app.web.member.forms import LANGUAGE_CHOICES

#: Own, relative or both: which kinds of experience the chosen areas are.
EXPERIENCE_KINDS = {"own": ("own",), "relative": ("relative",), "both": ("own", "relative")}


class CheckboxesField(SelectMultipleField):
    """A multiple choice shown as a list of checkboxes (easier on a phone than a list box)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ApplicationForm(FlaskForm):
    first_name = StringField(
        _l("First name"), validators=[InputRequired(), OneLine(), Length(max=100)]
    )
    last_name = StringField(
        _l("Last name"), validators=[InputRequired(), OneLine(), Length(max=100)]
    )
    email = EmailField(_l("Email"), validators=[InputRequired(), EmailAddress(), Length(max=254)])
    phone = StringField(_l("Phone (optional)"), validators=[OneLine(), Length(max=40)])
    birth_year = IntegerField(
        _l("Year you were born"),
        validators=[
            InputRequired(_l("Give the year you were born, with four digits.")),
            NumberRange(1900, 2100),
        ],
    )
    gender = RadioField(
        _l("Gender (optional)"),
        choices=[*choices(Gender)[:3], *options([("", _l("I do not want to say"))])],
        default="",
        validators=[Optional()],
    )
    municipality = StringField(
        _l("Municipality you live in"), validators=[InputRequired(), OneLine(), Length(max=100)]
    )
    experience_kind = RadioField(
        _l("Your experience"),
        choices=options(
            [
                ("own", _l("I have been a patient myself")),
                ("relative", _l("I am or have been a relative (närstående)")),
                ("both", _l("Both")),
            ]
        ),
        validators=[InputRequired(_l("Choose one of the listed values."))],
    )
    areas = CheckboxesField(
        _l("Areas of your experience"),
        coerce=int,
        validators=[DataRequired(_l("Choose at least one area of experience."))],
    )
    participation = CheckboxesField(
        _l("How you would like to take part (choose any)"), choices=choices(AssignmentType)
    )
    languages = CheckboxesField(
        _l("Languages you can take part in"),
        choices=options(LANGUAGE_CHOICES),
        default=["sv"],
        validators=[DataRequired(_l("Choose at least one language."))],
    )
    need_codes = CheckboxesField(_l("What you need to take part"), choices=choices(ApplicantNeed))
    needs = TextAreaField(
        _l("Anything else we should know (optional)"),
        validators=[Length(max=MAX_NEEDS_LENGTH)],
    )
    consent = BooleanField(
        _l(
            "I agree that Samordningen stores and uses what I have written to handle my "
            "application, as the privacy notice describes."
        ),
        validators=[InputRequired(_l("Consent to the processing is needed to apply."))],
    )
    #: A field people never see: robots fill it in.
    website = StringField(_l("Leave this field empty"))
    #: When the form was shown, signed (a person takes more than a few seconds).
    started = HiddenField()

    def to_input(self) -> ApplicationInput:
        kinds = EXPERIENCE_KINDS.get(self.experience_kind.data or "", ())
        return ApplicationInput(
            first_name=self.first_name.data or "",
            last_name=self.last_name.data or "",
            email=self.email.data or "",
            phone=self.phone.data or "",
            birth_year=self.birth_year.data,
            gender=self.gender.data or None,
            municipality=self.municipality.data or "",
            experiences=tuple(
                (area_id, kind) for area_id in (self.areas.data or []) for kind in kinds
            ),
            participation=tuple(self.participation.data or ()),
            needs=self.needs.data or "",
            languages=tuple(self.languages.data or ()),
            need_codes=tuple(self.need_codes.data or ()),
        )


class MoveForm(FlaskForm):
    status = SelectField(_l("Move to"), choices=[])
    reason = TextAreaField(
        _l("Reason or note (sent to the person for not now, declined and a booked conversation)"),
        validators=[Length(max=MAX_REASON_LENGTH)],
    )
    birth_year = IntegerField(
        _l("Birth year (needed to activate when missing)"),
        validators=[Optional(), NumberRange(1900, 2100)],
    )
