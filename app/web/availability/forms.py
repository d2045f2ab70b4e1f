"""Forms of the member's calendar page: weekly windows, blocked periods, pausing."""

from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectField, StringField
from wtforms.validators import InputRequired, Length, Optional

from app.i18n import lazy_gettext as _l
from app.models.enums import AvailabilityKind
from app.services.pool.availability import PeriodInput, WindowInput
from app.web.forms import ClockField, OneLine
from app.web.labels import LABELS, WEEKDAYS, options


class WindowForm(FlaskForm):
    weekday = SelectField(
        _l("Weekday"),
        coerce=int,
        choices=options(enumerate(WEEKDAYS)),
        validators=[InputRequired()],
    )
    start_time = ClockField(_l("From"), validators=[InputRequired()])
    end_time = ClockField(_l("To"), validators=[InputRequired()])

    def to_input(self) -> WindowInput:
        return WindowInput(self.weekday.data, self.start_time.data, self.end_time.data)


BLOCK_KINDS = (AvailabilityKind.VACATION, AvailabilityKind.SICK, AvailabilityKind.BLOCKED)


class PeriodForm(FlaskForm):
    start_date = DateField(_l("First day"), validators=[InputRequired()])
    end_date = DateField(_l("Last day"), validators=[InputRequired()])
    kind = SelectField(
        _l("Reason"),
        choices=options((k.value, LABELS[AvailabilityKind][k]) for k in BLOCK_KINDS),
    )
    note = StringField(
        _l("Note (optional, only you and the council see it)"),
        validators=[OneLine(), Length(max=200)],
    )
    confirm_withdraw = HiddenField(default="")

    def to_input(self) -> PeriodInput:
        return PeriodInput(
            self.start_date.data, self.end_date.data, self.kind.data, self.note.data or ""
        )


class PauseForm(FlaskForm):
    until = DateField(_l("Pause all assignments up to and including"), validators=[InputRequired()])


class EmptyForm(FlaskForm):
    """Only the CSRF token: for buttons that post without fields."""

    extra = HiddenField(validators=[Optional()])
