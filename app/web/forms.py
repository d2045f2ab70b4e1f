"""Helpers shared by the blueprints' forms."""

from __future__ import annotations

from flask_babel import gettext
from flask_wtf import FlaskForm


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
