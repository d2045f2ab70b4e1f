"""Forms for training events, attendance and the pools' requirements."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from app.i18n import lazy_gettext as _l
from app.models.enums import TrainingKind
from app.services.training.events import MAX_CAPACITY, EventInput
from app.web.forms import ClockField, DayInRange, OneLine
from app.web.labels import choices

#: The service's field names → the form's, for its errors.
SERVICE_FIELDS = {"starts_at": "start", "ends_at": "end"}


class EventForm(FlaskForm):
    """An introduction session or a training occasion."""

    kind = SelectField(_l("Kind of event"), choices=choices(TrainingKind))
    title = StringField(_l("Title"), validators=[DataRequired(), OneLine(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Length(max=5000)])
    day = DateField(_l("Date"), validators=[InputRequired(), DayInRange()])
    start = ClockField(_l("Starts"), validators=[InputRequired()])
    end = ClockField(_l("Ends"), validators=[InputRequired()])
    place = StringField(_l("Place (on site)"), validators=[OneLine(), Length(max=200)])
    video_link = StringField(_l("Video link (digital)"), validators=[OneLine(), Length(max=500)])
    capacity = IntegerField(
        _l("Number of places"), validators=[InputRequired(), NumberRange(min=1, max=MAX_CAPACITY)]
    )

    def to_input(self, zone: ZoneInfo) -> EventInput:
        """Return the service's input, local times made aware."""
        return EventInput(
            kind=self.kind.data,
            title=(self.title.data or "").strip(),
            description=self.description.data or "",
            starts_at=datetime.combine(self.day.data, self.start.data, tzinfo=zone),
            ends_at=datetime.combine(self.day.data, self.end.data, tzinfo=zone),
            place=(self.place.data or "").strip(),
            video_link=(self.video_link.data or "").strip(),
            capacity=self.capacity.data,
        )


class RequirementForm(FlaskForm):
    """One pool's requirements before its members are proposed."""

    is_introduction_required = BooleanField(_l("Require a completed introduction"))
    is_agreement_required = BooleanField(_l("Require a signed agreement"))
