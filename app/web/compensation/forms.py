"""Forms for time and travel reports, attestation and payout batches."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    DateField,
    DecimalField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.i18n import lazy_gettext as _l
from app.models.enums import PayoutFrequency
from app.web.labels import choices, options


class LineForm(Form):
    line_id = HiddenField()
    minutes = IntegerField(
        _l("Actual time (minutes)"), validators=[InputRequired(), NumberRange(min=1, max=1440)]
    )
    travel_minutes = IntegerField(
        _l("Travel time (minutes)"),
        default=0,
        validators=[Optional(), NumberRange(min=0, max=1440)],
    )


class ClaimForm(FlaskForm):
    lines = FieldList(FormField(LineForm), min_entries=0, max_entries=100)
    car_km = IntegerField(
        _l("Car distance (km)"), default=0, validators=[Optional(), NumberRange(min=0, max=5000)]
    )
    ticket_cost_sek = DecimalField(
        _l("Tickets (kr)"), default=0, places=2, validators=[Optional(), NumberRange(min=0)]
    )
    other_cost_sek = DecimalField(
        _l("Other costs (kr)"), default=0, places=2, validators=[Optional(), NumberRange(min=0)]
    )
    note = TextAreaField(_l("Note on travel and costs"), validators=[Length(max=2000)])
    save = SubmitField(_l("Save"))
    send = SubmitField(_l("Send to the council"))


class ReceiptForm(FlaskForm):
    receipt = FileField(_l("Receipt (PDF, PNG or JPEG, at most 5 MB)"), validators=[FileRequired()])


class ReturnForm(FlaskForm):
    comment = TextAreaField(
        _l("What should the member change?"), validators=[DataRequired(), Length(max=2000)]
    )


class BatchForm(FlaskForm):
    day = DateField(_l("A day in the period"), validators=[DataRequired()])
    frequency = SelectField(_l("Frequency"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.frequency.choices = choices(PayoutFrequency)


class PeriodForm(FlaskForm):
    class Meta:
        csrf = False

    start = DateField(_l("From"), validators=[Optional()])
    end = DateField(_l("To"), validators=[Optional()])


class DeclarationForm(FlaskForm):
    has_interests = RadioField(_l("Conflict-of-interest declaration"), validators=[InputRequired()])
    interests = TextAreaField(
        _l("Interests that could affect the assignment"), validators=[Length(max=2000)]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.has_interests.choices = options(
            [
                ("no", _l("I have no conflicts of interest in this assignment")),
                ("yes", _l("I have interests to declare (describe them below)")),
            ]
        )


class YearForm(FlaskForm):
    class Meta:
        csrf = False

    year = IntegerField(_l("Year"), validators=[Optional(), NumberRange(min=2000, max=2100)])


class ConfirmForm(FlaskForm):
    """A button-only form: just the CSRF token."""


class CloseBatchForm(FlaskForm):
    """Close a batch for payment on a pay date (docs/domain.md §6.5)."""

    pay_date = DateField(_l("Pay date"), validators=[DataRequired()])
