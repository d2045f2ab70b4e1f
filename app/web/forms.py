"""Helpers shared by the blueprints' forms."""

from __future__ import annotations

import re
from datetime import time

from flask_babel import gettext
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import ValidationError

from app.i18n import lazy_gettext as _l
from app.services.date_bounds import DAY_MESSAGE, day_in_range
from app.services.text_rules import email_error, one_line_error

#: Shown when a typed time cannot be read.
CLOCK_ERROR = _l("Write the time as hh:mm, for example 09:30.")


class DayInRange:
    """A date field validator: refuse dates outside 2000–2100 (``app/services/date_bounds``)."""

    def __call__(self, _form, field) -> None:
        if field.data is not None and not day_in_range(field.data):
            raise ValidationError(gettext(DAY_MESSAGE))


class OneLine:
    """Refuse a line break or NUL in a one-line field (``app/services/text_rules.py``)."""

    field_flags = {}

    def __call__(self, _form, field) -> None:
        if isinstance(field.data, str) and (message := one_line_error(field.data)):
            raise ValidationError(gettext(message))


class EmailAddress:
    """Refuse an address the service's one e-mail rule refuses; accepts ``.test`` addresses.

    An empty field passes: combine with ``DataRequired`` or ``Optional`` for that.
    """

    field_flags = {}

    def __call__(self, _form, field) -> None:
        value = field.data.strip() if isinstance(field.data, str) else field.data
        if value and (message := email_error(value)):
            raise ValidationError(gettext(message))


def apply_service_errors(form: FlaskForm, fields: dict[str, str]) -> list[str]:
    """Attach a service's field errors to the form; return messages with no matching field."""
    unmatched = []
    for name, message in fields.items():
        field = getattr(form, name, None)
        translated = gettext(message)
        if field is not None and hasattr(field, "errors"):
            field.errors = [*list(field.errors or []), translated]
        else:
            unmatched.append(translated)
    return unmatched


def area_options(*, with_any: bool = False, as_text: bool = False) -> list:
    """Return the taxonomy as indented select options in the UI language."""
    from flask import g

    from app.db import get_session
    from app.i18n import current_language, lazy_gettext
    from app.services.pool.taxonomy import list_area_names
    from app.web.labels import options

    locale = current_language()
    if "active_areas" not in g:  # a page may show several area selects: read the taxonomy once
        g.active_areas = list_area_names(session=get_session())
    pairs = [
        (str(area.id) if as_text else area.id, ("— " * area.code.count("/")) + area.name(locale))
        for area in g.active_areas
    ]
    return options(([("", lazy_gettext("Any"))] if with_any else []) + pairs)


def submit_one_of(forms: dict, name: str, action, render, done_endpoint: str):
    """Handle a page with several forms: validate ``forms[name]``, run ``action(form)``.

    On success flash "Saved." and redirect to ``done_endpoint``; on a validation or service
    error roll back, attach the errors and re-render the whole page with ``render(forms, 422)``.
    """
    from flask import flash, redirect, url_for
    from flask_babel import gettext

    from app.db import mark_rollback
    from app.services.errors import Conflict, InvalidInput

    form = forms[name]
    if not form.validate_on_submit():
        return render(forms, 422)
    try:
        action(form)
    except (InvalidInput, Conflict) as error:
        mark_rollback()
        general = apply_service_errors(form, getattr(error, "fields", {}))
        flash("; ".join(general) if general else gettext(str(error)), "error")
        return render(forms, 422)
    flash(gettext("Saved."), "success")
    return redirect(url_for(done_endpoint))


CLOCK_PATTERN = re.compile(r"^\s*(\d{1,2})(?:\s*[:.,]?\s*(\d{2}))?\s*$")


def parse_clock(text: str) -> time | None:
    """Read a time of day as people type it: 9, 09, 9:15, 09.15, 0915 → time; else None."""
    match = CLOCK_PATTERN.match(text or "")
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


class ClockField(StringField):
    """A time of day in a plain text box.

    Native ``<input type=time>`` pickers are hard to use with the keyboard and screen readers
    (Tab moves between their hour and minute parts, typed digits are not always taken), so
    times are typed as text and read leniently by ``parse_clock``.
    """

    def __init__(self, label=None, validators=None, **kwargs):
        render_kw = {"autocomplete": "off", "spellcheck": "false", "class": "clock"}
        render_kw |= kwargs.pop("render_kw", None) or {}
        super().__init__(label, validators, render_kw=render_kw, **kwargs)

    def process_formdata(self, valuelist):
        text = valuelist[0] if valuelist else ""
        self.data = parse_clock(text)
        if text.strip() and self.data is None:
            raise ValueError(str(CLOCK_ERROR))

    def process_data(self, value):
        self.data = value

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return self.data.strftime("%H:%M") if self.data else ""
