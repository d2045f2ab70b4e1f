"""Language selection (Swedish first, English on request) and display formatting."""

from __future__ import annotations

from datetime import datetime

from flask import Flask, current_app, request, session
from flask_babel import format_date, format_datetime, get_locale
from flask_login import current_user

from app.extensions import babel


def select_locale() -> str:
    """Return the UI language: the session's choice, the user's preference, else Swedish."""
    languages = current_app.config["LANGUAGES"]
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def format_kronor(amount: int | float) -> str:
    """Format an amount the Swedish way with a no-break thin space: 1 714 kr."""
    whole = round(amount)
    return f"{whole:,}".replace(",", "\u00a0") + "\u00a0kr"


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


def init_i18n(app: Flask) -> None:
    """Bind Flask-Babel and the template helpers."""
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.filters["kronor"] = format_kronor
    app.jinja_env.filters["localtime"] = format_local
    app.jinja_env.filters["longdate"] = format_long_date

    @app.context_processor
    def _language():
        return {"current_locale": str(get_locale()), "request_path": request.path}


def current_language() -> str:
    """Return the active UI language code ("sv" or "en")."""
    return str(get_locale() or "sv")
