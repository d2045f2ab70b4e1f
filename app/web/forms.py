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


def area_options(*, with_any: bool = False, as_text: bool = False) -> list:
    """Return the taxonomy as indented select options in the UI language."""
    from flask_babel import lazy_gettext

    from app.db import get_session
    from app.i18n import current_language
    from app.services.taxonomy import list_areas
    from app.web.labels import options

    locale = current_language()
    pairs = [
        (str(area.id) if as_text else area.id, ("— " * area.code.count("/")) + area.name(locale))
        for area in list_areas(session=get_session())
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
