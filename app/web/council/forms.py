"""The council's pool filters (a GET form, so no CSRF token) and its decisions on requests."""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    FieldList,
    Form,
    FormField,
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

from app.i18n import lazy_gettext as _l
from app.models.enums import (
    ExperienceType,
    Gender,
    MemberStatus,
    Pool,
    QuotaBalance,
    ReplacementMode,
)
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
    #: Required by the service when a working or standing group gets fewer than two.
    below_two_reason = TextAreaField(
        _l("Why fewer than two people (the routine asks for at least two)"),
        validators=[Optional(), Length(max=2000)],
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


#: The values a council quota row can be about ("field:value"; age takes from and to).
QUOTA_KINDS = [
    ("", _l("Choose who")),
    ("gender:woman", _l("Women")),
    ("gender:man", _l("Men")),
    ("gender:nonbinary", _l("Non-binary people")),
    ("experience:own", _l("Own experience in a requested area")),
    ("experience:relative", _l("A relative's experience in a requested area")),
    ("mandate:organisation", _l("Speaking for an organisation")),
    ("mandate:self", _l("Speaking for themselves")),
    ("age", _l("Age (give from and to)")),
]


class QuotaRowForm(Form):
    """One quota: who, and at least and/or at most how many of the group; blank rows are ignored."""

    kind = SelectField(_l("Who"), choices=options(QUOTA_KINDS), default="")
    age_from = IntegerField(_l("Aged from"), validators=[Optional(), NumberRange(min=0, max=130)])
    age_to = IntegerField(_l("Aged to"), validators=[Optional(), NumberRange(min=0, max=130)])
    least = IntegerField(_l("At least"), validators=[Optional(), NumberRange(min=0, max=50)])
    most = IntegerField(_l("At most"), validators=[Optional(), NumberRange(min=0, max=50)])

    def is_blank(self) -> bool:
        return not self.kind.data

    def validate(self, extra_validators=None) -> bool:
        """Check the fields, then that a filled row says how many and, for age, which ages."""
        valid = super().validate(extra_validators)
        if self.is_blank():
            return valid
        least, most = self.least.data, self.most.data
        if least is None and most is None:
            self.most.errors.append(_l("Give at least, at most or both."))
        elif least is not None and most is not None and most < least:
            self.most.errors.append(_l("At most must not be below at least."))
        if self.kind.data == "age":
            low, high = self.age_from.data, self.age_to.data
            if low is None and high is None:
                self.age_to.errors.append(_l("Give the age the quota is about."))
            elif low is not None and high is not None and high < low:
                self.age_to.errors.append(_l("The highest age must not be below the lowest age."))
        return valid and not (self.most.errors or self.age_to.errors)

    def to_json(self) -> dict:
        """Return the row as a quota in the CLI's JSON shape."""
        if self.kind.data == "age":
            low = self.age_from.data if self.age_from.data is not None else 0
            high = self.age_to.data if self.age_to.data is not None else 130
            quota: dict = {"field": "age", "value": [low, high]}
        else:
            name, _, value = self.kind.data.partition(":")
            quota = {"field": name, "value": value}
        for key, field in (("min", self.least), ("max", self.most)):
            if field.data is not None:
                quota[key] = field.data
        return quota


class QuotasForm(FlaskForm):
    """The council's quotas and balance for a request's group."""

    balance = SelectField(
        _l("Even shares over gender, age band, experience type and mandate"),
        choices=choices(QuotaBalance),
    )
    rows = FieldList(FormField(QuotaRowForm), min_entries=1, max_entries=20)

    def quotas(self) -> list[dict]:
        """Return the filled rows as quotas."""
        return [entry.form.to_json() for entry in self.rows.entries if not entry.form.is_blank()]


class ConflictDecisionForm(FlaskForm):
    """Keep or replace a booked person who declared a conflict of interest."""

    decision = SelectField(
        _l("Decision"),
        choices=options([("keep", _l("Keep the person")), ("replace", _l("Replace the person"))]),
        validators=[DataRequired()],
    )
    note = TextAreaField(
        _l("Note (required to replace)"), validators=[Optional(), Length(max=2000)]
    )


class CoordinatorForm(FlaskForm):
    """Name the council user who is the booked people's contact person."""

    coordinator_id = SelectField(_l("Contact person"), coerce=int, validators=[DataRequired()])


class DebriefHandledForm(FlaskForm):
    """Close a debrief request with a short note on the talk."""

    note = TextAreaField(_l("Note on the talk"), validators=[DataRequired(), Length(max=2000)])
