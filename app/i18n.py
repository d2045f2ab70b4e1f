"""Language selection (Swedish first, English on request) and display formatting."""

from __future__ import annotations

from datetime import datetime

from babel import Locale, UnknownLocaleError
from flask import Flask, current_app, g, request, session
from flask_babel import format_date, format_datetime, get_locale, get_translations
from flask_login import current_user

from app import formatting
from app.extensions import babel
from app.services.pool.ages import band_label


def select_locale() -> str:
    """Return the UI language: the session's choice, the user's preference, else Swedish."""
    languages = current_app.config["LANGUAGES"]
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def format_kronor(amount, places: int = 0) -> str:
    """Format an amount in the UI language: "1 714 kr", "25,00 kr" (see app/formatting.py)."""
    return formatting.kronor(amount, current_language(), places=places)


def format_number(value, places: int | None = None) -> str:
    """Format a number in the UI language: "0,91", "302 504"."""
    return formatting.number(value, current_language(), places=places)


def format_percent(value, places: int | None = None) -> str:
    """Format a figure in per cent in the UI language: "20,81 %"."""
    return formatting.percent(value, current_language(), places=places)


def format_hours(minutes) -> str:
    """Format minutes as hours in the UI language: 150 → "2,5"."""
    return formatting.hours(minutes, current_language())


def format_range(low, high) -> str:
    """Format a range with an en dash: "18–34"."""
    return formatting.number_range(low, high, current_language())


def format_local(value: datetime | None, fmt: str = "yyyy-MM-dd HH:mm") -> str:
    """Format an aware datetime in the service's time zone."""
    if value is None:
        return ""
    return format_datetime(value, fmt)


def format_long_date(value: datetime | None) -> str:
    """Write a day out in full in the UI language ("tisdag 8 december 2026"), local time."""
    if value is None:
        return ""
    return format_date(value, "full")


def format_language_name(code: str) -> str:
    """Name a language (ISO 639-1 code) in the UI language: "sv" → "svenska" in Swedish."""
    try:
        names = Locale.parse(current_language()).languages
    except (ValueError, UnknownLocaleError):
        return code
    return names.get(code or "", code)


def init_i18n(app: Flask) -> None:
    """Bind Flask-Babel and the template helpers."""
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.filters["kronor"] = format_kronor
    app.jinja_env.filters["number"] = format_number
    app.jinja_env.filters["percent"] = format_percent
    app.jinja_env.filters["hours"] = format_hours
    app.jinja_env.filters["numrange"] = format_range
    app.jinja_env.filters["ageband"] = band_label
    app.jinja_env.filters["localtime"] = format_local
    app.jinja_env.filters["longdate"] = format_long_date
    app.jinja_env.filters["language_name"] = format_language_name
    app.jinja_env.globals["date_span"] = format_date_span
    # Flask-Babel's own callables look the locale and the catalogue up again for every
    # ``_()`` in a template (a page has about a hundred); ``_translations`` remembers them.
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
    )

    @app.context_processor
    def _language():
        return {"current_locale": str(get_locale()), "request_path": request.path}


def _translations():
    """Return Flask-Babel's translations for the locale in force, remembered per request.

    They are kept with the locale object they belong to: ``force_locale`` (mail in the
    recipient's language) puts another locale object in place, so the remembered catalogue
    is used only while the same locale is in force.
    """
    state = g.get("_flask_babel") if g else None
    if state is not None:
        locale = getattr(state, "babel_locale", None)
        remembered = getattr(state, "levbib_translations", None)
        if locale is not None and remembered is not None and remembered[0] is locale:
            return remembered[1]
    translations = get_translations()
    state = g.get("_flask_babel") if g else None
    if state is not None:
        state.levbib_translations = (getattr(state, "babel_locale", None), translations)
    return translations


def format_date_span(start, end) -> str:
    """Return a span of local days in the page's language ("1 feb. 2027 – 31 jan. 2028")."""
    return formatting.date_span(start, end, current_language())


def current_language() -> str:
    """Return the active UI language code ("sv" or "en")."""
    return str(get_locale() or "sv")
