"""The request form an orderer fills in."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from app.i18n import lazy_gettext as _l
from app.models.enums import AssignmentType, Participation, SessionFormat, WantedExperience
from app.services.matchmaking.quotas import Wishes, quotas_from_wishes
from app.services.requests.submission import MAX_STANDING_SESSIONS, RequestInput, SessionInput
from app.web.forms import ClockField, EmailAddress, OneLine
from app.web.labels import choices, options

SESSION_ROWS = 4


class SessionForm(Form):
    """One dated session; a row left completely empty is ignored."""

    day = DateField(_l("Date"), validators=[Optional()])
    start = ClockField(_l("Starts"), validators=[Optional()])
    end = ClockField(_l("Ends"), validators=[Optional()])

    def is_blank(self) -> bool:
        return not (self.day.data or self.start.data or self.end.data)

    def validate_end(self, field):
        if self.is_blank():
            return
        if not (self.day.data and self.start.data and field.data):
            raise ValidationError(_l("Give date, start and end."))
        if field.data <= self.start.data:
            raise ValidationError(_l("A session must end after it starts."))


def _wish_field(label) -> IntegerField:
    """Return an optional "at least this many" field of the group wishes."""
    return IntegerField(label, validators=[Optional(), NumberRange(min=0, max=50)])


WISH_FIELDS = ("own", "relative", "women", "men", "organisation", "age_count")


class RequestForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), OneLine(), Length(max=200)])
    purpose = TextAreaField(
        _l("Purpose: why is the patient or relative perspective asked for?"),
        validators=[DataRequired(), Length(max=5000)],
    )
    expectations = TextAreaField(
        _l("What are the participants expected to contribute and think about beforehand?"),
        validators=[DataRequired(), Length(max=5000)],
    )
    participation = SelectField(_l("Degree of participation"), choices=choices(Participation))
    assignment_type = SelectField(_l("Type of assignment"), choices=choices(AssignmentType))
    area_ids = SelectMultipleField(_l("Areas of experience"), coerce=int)
    experience = SelectField(
        _l("Own or relative experience"),
        choices=choices(WantedExperience),
        default=WantedExperience.ANY.value,
    )
    people_count = IntegerField(
        _l("Number of people"), default=2, validators=[InputRequired(), NumberRange(min=1, max=50)]
    )
    sessions = FieldList(
        FormField(SessionForm), min_entries=SESSION_ROWS, max_entries=MAX_STANDING_SESSIONS
    )
    #: Adds an empty meeting row (without JavaScript the page comes back with one more row).
    add_row = SubmitField(_l("Add meeting"))
    is_standing = BooleanField(_l("Standing group: meets over a term (e.g. a working group)"))
    term_start = DateField(_l("Term starts"), validators=[Optional()])
    term_end = DateField(_l("Term ends"), validators=[Optional()])
    meetings_per_period = IntegerField(
        _l("Expected meetings per period"), validators=[Optional(), NumberRange(min=1, max=60)]
    )
    period_months = IntegerField(
        _l("Period (months)"), default=12, validators=[Optional(), NumberRange(min=1, max=48)]
    )
    format = SelectField(_l("On site or digital"), choices=choices(SessionFormat))
    location = StringField(_l("Address (on site)"), validators=[OneLine(), Length(max=300)])
    video_link = StringField(_l("Video link (digital)"), validators=[OneLine(), Length(max=500)])
    language = SelectField(
        _l("Language"), choices=options([("sv", "Svenska"), ("en", "English")]), default="sv"
    )
    preparation_minutes = IntegerField(
        _l("Preparation time (minutes)"),
        default=0,
        validators=[Optional(), NumberRange(min=0, max=6000)],
    )
    age_min = IntegerField(
        _l("Lowest age (optional)"), validators=[Optional(), NumberRange(min=16, max=120)]
    )
    age_max = IntegerField(
        _l("Highest age (optional)"), validators=[Optional(), NumberRange(min=16, max=120)]
    )
    wish_own = _wish_field(_l("At least this many with own experience"))
    wish_relative = _wish_field(_l("At least this many with experience as a relative"))
    wish_women = _wish_field(_l("At least this many women"))
    wish_men = _wish_field(_l("At least this many men"))
    wish_organisation = _wish_field(
        _l("At least this many who speak for a patient or relatives' organisation")
    )
    wish_age_count = _wish_field(_l("At least this many of the age below"))
    wish_age_from = IntegerField(
        _l("Aged from (empty: any age)"), validators=[Optional(), NumberRange(min=0, max=130)]
    )
    wish_age_to = IntegerField(
        _l("Aged up to and including (e.g. 34 for under 35)"),
        validators=[Optional(), NumberRange(min=0, max=130)],
    )
    is_open_information_meeting = BooleanField(
        _l("Open information meeting (the audience pays no fee; the speakers are paid)")
    )
    contact_name = StringField(
        _l("Contact person"), validators=[DataRequired(), OneLine(), Length(max=200)]
    )
    contact_email = EmailField(
        _l("Contact email"), validators=[Optional(), EmailAddress(), Length(max=254)]
    )
    contact_phone = StringField(_l("Contact phone"), validators=[OneLine(), Length(max=40)])

    def validate(self, extra_validators=None) -> bool:
        """Check the fields, then that the wishes fit the request (clear errors, no surprises)."""
        valid = super().validate(extra_validators)
        people = self.people_count.data
        for name in WISH_FIELDS:
            field = getattr(self, f"wish_{name}")
            if people and field.data and field.data > people:
                field.errors.append(_l("Cannot be more than the number of people."))
                valid = False
        low, high = self.wish_age_from.data, self.wish_age_to.data
        if low is not None and high is not None and low > high:
            self.wish_age_to.errors.append(_l("The highest age must not be below the lowest age."))
            valid = False
        if self.wish_age_count.data and low is None and high is None:
            self.wish_age_to.errors.append(_l("Give the age the wish is about."))
            valid = False
        return valid

    def wishes(self) -> Wishes:
        """Return the wishes for the group as the service takes them."""
        return Wishes(
            **{name: getattr(self, f"wish_{name}").data for name in WISH_FIELDS},
            age_from=self.wish_age_from.data,
            age_to=self.wish_age_to.data,
        )

    def to_input(self, zone: ZoneInfo) -> RequestInput:
        """Convert the validated form into the service's input (local times made aware)."""
        sessions = [
            SessionInput(
                starts_at=datetime.combine(row.day.data, row.start.data, tzinfo=zone),
                ends_at=datetime.combine(row.day.data, row.end.data, tzinfo=zone),
            )
            for row in (entry.form for entry in self.sessions.entries)
            if not row.is_blank()
        ]
        return RequestInput(
            title=self.title.data or "",
            purpose=self.purpose.data or "",
            expectations=self.expectations.data or "",
            participation=self.participation.data,
            assignment_type=self.assignment_type.data,
            area_ids=list(self.area_ids.data or []),
            experience=self.experience.data,
            people_count=self.people_count.data or 0,
            sessions=sessions,
            format=self.format.data,
            location=self.location.data or "",
            video_link=self.video_link.data or "",
            language=self.language.data,
            preparation_minutes=self.preparation_minutes.data or 0,
            age_min=self.age_min.data,
            age_max=self.age_max.data,
            is_open_information_meeting=bool(self.is_open_information_meeting.data),
            contact_name=self.contact_name.data or "",
            contact_email=self.contact_email.data or "",
            contact_phone=self.contact_phone.data or "",
            quotas=quotas_from_wishes(self.wishes()),
            is_standing=bool(self.is_standing.data),
            term_start=self.term_start.data,
            term_end=self.term_end.data,
            meetings_per_period=self.meetings_per_period.data,
            period_months=self.period_months.data,
        )


class AnswerForm(FlaskForm):
    """The orderer's answer to the council's question."""

    message = TextAreaField(
        _l("Your answer to the council"), validators=[DataRequired(), Length(max=4000)]
    )
