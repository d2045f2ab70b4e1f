"""Language selection (Swedish first, English on request) and display formatting."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache

from babel import Locale, UnknownLocaleError, dates
from flask import Flask, current_app, g, request, session
from flask_babel import Domain, get_domain, get_locale, gettext
from flask_babel.speaklater import LazyString
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup

from app import clock, formatting
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
    """Format a datetime in the service's time zone (a naive one is taken as UTC)."""
    if value is None:
        return ""
    return _kept_local(value, fmt, _language()[1], clock.zone())


def format_long_date(value: datetime | None) -> str:
    """Write a day out in full in the UI language ("tisdag 8 december 2026"), local time."""
    if value is None:
        return ""
    return _kept_long_date(value, _language()[1], clock.zone())


# Kept like the numbers (app/formatting.py, ``_kept_number``): a list writes the same sessions'
# times on every view, and Babel takes about 25 µs for each. Keyed by the value (an aware and a
# naive datetime never compare equal, nor a date and a datetime), the pattern, the language and
# the zone.
@lru_cache(maxsize=8192)
def _kept_local(value: datetime, fmt: str, language: str, zone) -> str:
    return dates.format_datetime(_local(value, zone), fmt, locale=language)


@lru_cache(maxsize=4096)
def _kept_long_date(value, language: str, zone) -> str:
    day = _local(value, zone) if isinstance(value, datetime) else value
    return dates.format_date(day, "full", locale=language)


def _local(value: datetime, zone) -> datetime:
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(zone)


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
    babel.domain_instance = _RequestDomain(domain=app.config.get("BABEL_DOMAIN", "messages"))
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
    # Flask-Babel's template gettext looks the request's translations up anew on every call
    # (about 50 µs; a page calls it hundreds of times); these read them once per request.
    app.jinja_env.globals.update(_=_template_gettext, gettext=_template_gettext)
    app.jinja_env.globals["ngettext"] = _template_ngettext

    @app.context_processor
    def _language():
        return {"current_locale": str(get_locale()), "request_path": request.path}


def format_date_span(start, end) -> str:
    """Return a span of local days in the page's language ("1 feb. 2027 – 31 jan. 2028")."""
    return formatting.date_span(start, end, current_language())


def current_language() -> str:
    """Return the active UI language code ("sv" or "en")."""
    return _language()[1]


class KeptLazyString(LazyString):
    """Flask-Babel's lazy translation, kept with the catalogue it was translated in.

    Form labels, choices and the vocabularies' labels are lazy strings made once at import and
    written on every page (a calendar page writes some 130); each writing looked the
    translation up anew through Flask-Babel's request context. The text is kept with the
    catalogue (``active_translations``) and made again when another catalogue is in force.
    """

    def __str__(self) -> str:
        translations = active_translations()
        kept = self.__dict__.get("_kept")
        if kept is None or kept[0] is not translations:
            kept = (translations, str(self._func(*self._args, **self._kwargs)))
            self._kept = kept
        return kept[1]


def lazy_gettext(string: str, **variables) -> KeptLazyString:
    """Flask-Babel's ``lazy_gettext``, kept per catalogue (``KeptLazyString``)."""
    return KeptLazyString(gettext, string, **variables)


def active_translations():
    """Return the translations (gettext catalogue) in force: the request's, or the fallback."""
    return _language()[2]


def _language() -> tuple[Locale | None, str, object]:
    """Return the request's (locale, language code, translations), looked up once per locale.

    Kept on Flask-Babel's own per-request namespace and keyed by its locale object, so a
    ``force_locale`` block (mail in the recipient's language) and ``refresh()`` are followed.
    """
    try:
        namespace = g._flask_babel
    except (AttributeError, RuntimeError):
        locale = get_locale()  # outside a request, or before Flask-Babel's first look-up
        return locale, str(locale or "sv"), Domain.get_translations(get_domain())
    known = namespace.__dict__.get("levbib_language")
    if known is not None and known[0] is namespace.__dict__.get("babel_locale"):
        return known
    locale = get_locale()
    known = (locale, str(locale or "sv"), Domain.get_translations(get_domain()))
    namespace.levbib_language = known
    return known


class _RequestDomain(Domain):
    """Flask-Babel's message domain, reading the request's translations once (``_language``).

    Every ``gettext``/``lazy_gettext`` in Python code (views, forms' labels) goes through it.
    """

    def get_translations(self):
        return _language()[2]


@pass_context
def _template_gettext(context, string: str, /, **variables) -> str:
    """Jinja's new-style ``_()``/``gettext()``: translated, escaped, then formatted."""
    text = _language()[2].ugettext(string)
    if context.eval_ctx.autoescape:
        text = Markup(text)
    return text % variables if "%" in text else text


@pass_context
def _template_ngettext(context, singular: str, plural: str, count: int, /, **variables) -> str:
    """Jinja's new-style ``ngettext()``, with ``num`` set to the count as Jinja's own is."""
    variables.setdefault("num", count)
    text = _language()[2].ungettext(singular, plural, count)
    if context.eval_ctx.autoescape:
        text = Markup(text)
    return text % variables
