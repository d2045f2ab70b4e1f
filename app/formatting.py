"""Numbers for people, in the reader's language: the one place every page, mail and PDF uses.

Swedish writes a decimal comma and groups thousands with a no-break space ("302 504",
"0,91"), puts a no-break space before "kr" and "%" ("25,00 kr", "20,8 %") and an en dash
between the ends of a range ("18–34"). English gets English conventions ("302,504", "0.91",
"20.8%"). Every function takes the locale, so services (mail) can use them without Flask;
``app.i18n`` binds them to the request's language as template filters.

Files for machines (CSV, JSON, ICS properties) never use these: see docs/formats.md.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from babel import Locale
from babel.numbers import NumberPattern, parse_pattern
from babel.numbers import format_decimal as _babel_decimal
from babel.numbers import format_percent as _babel_percent

NBSP = "\u00a0"
EN_DASH = "\u2013"


@lru_cache(maxsize=32)
def _locale(code) -> Locale:
    return code if isinstance(code, Locale) else Locale.parse(code)


@lru_cache(maxsize=64)
def _pattern(pattern: str) -> NumberPattern:
    return parse_pattern(pattern)


def format_decimal(value, format: str | None = None, locale="sv", **options) -> str:  # noqa: A002
    """Babel's ``format_decimal`` with the locale and pattern parsed once (pages call it often)."""
    return _babel_decimal(
        value, format=_pattern(format) if format else None, locale=_locale(locale), **options
    )


def format_percent(value, format: str | None = None, locale="sv", **options) -> str:  # noqa: A002
    """Babel's ``format_percent`` with the locale and pattern parsed once."""
    return _babel_percent(
        value, format=_pattern(format) if format else None, locale=_locale(locale), **options
    )


def _exact(value: int | float | Decimal) -> Decimal:
    """Return the value as a Decimal without binary noise (0.1 stays 0.1)."""
    return value if isinstance(value, Decimal) else Decimal(str(value))


def number(value: int | float | Decimal, locale: str = "sv", *, places: int | None = None) -> str:
    """Format a number: ``places`` fixed decimals, or as many as it has (at most three)."""
    return _kept_number(str(value), locale, places)


@lru_cache(maxsize=4096)
def _kept_number(text: str, locale, places: int | None) -> str:
    """``_number`` of the value ``str`` writes as ``text``, kept: a page writes the same scores,
    counts and ages many times over.

    Keyed by the text, not the value: equal values can format differently (0.0 and -0.0,
    Decimal("0") and Decimal("-0")), and the text is what ``_exact`` reads a float from.
    """
    return _number(Decimal(text), locale, places)


def _number(value, locale, places: int | None) -> str:
    pattern = "#,##0." + "0" * places if places else "#,##0" if places == 0 else "#,##0.###"
    return format_decimal(_exact(value), format=pattern, locale=locale)


def kronor(amount: int | float | Decimal, locale: str = "sv", *, places: int = 0) -> str:
    """Format an amount of Swedish crowns: "1 714 kr", or "25,00 kr" with ``places=2``."""
    return number(amount, locale, places=places) + NBSP + "kr"


def percent(
    value: int | float | Decimal,
    locale: str = "sv",
    *,
    places: int | None = None,
    up_to: int | None = None,
) -> str:
    """Format a figure given in per cent (20.81 → "20,81 %").

    ``places`` fixes the decimals; ``up_to`` rounds to at most that many (20.833 → "20,8 %").
    """
    share = _exact(value) / 100
    if places is None and up_to is None:
        return format_percent(share, locale=locale, decimal_quantization=False)
    decimals = "0" * places if places else "#" * (up_to or 0)
    pattern = f"#,##0.{decimals}%" if decimals else "#,##0%"
    text = format_percent(share, format=pattern, locale=locale)
    # A custom pattern loses the locale's own spacing: Swedish puts a no-break space before %.
    return text.replace("%", NBSP + "%") if str(locale).startswith("sv") else text


def share(value: int | float | Decimal, locale: str = "sv", *, up_to: int = 0) -> str:
    """Format a share between 0 and 1 as a percentage, at most ``up_to`` decimals (0.208 → "21 %")."""
    return percent(_exact(value) * 100, locale, up_to=up_to)


def hours(minutes: int | float, locale: str = "sv") -> str:
    """Format a duration in minutes as hours with at most two decimals (150 → "2,5")."""
    return format_decimal(
        (_exact(minutes) / 60).quantize(Decimal("0.01")), format="#,##0.##", locale=locale
    )


def number_range(low: int | float | None, high: int | float | None, locale: str = "sv") -> str:
    """Format a range with an en dash: "18–34"; an open end reads "80+" or "–34"."""
    if high is None:
        return number(low, locale) + "+"
    if low is None:
        return EN_DASH + number(high, locale)
    return number(low, locale) + EN_DASH + number(high, locale)


def date_span(start, end, locale: str = "sv") -> str:
    """Return a span of local days, e.g. "1 feb. 2027 – 31 jan. 2028" (an open end left out)."""
    from babel.dates import format_date

    ends = [format_date(day, "medium", locale=locale) for day in (start, end) if day is not None]
    return f" {EN_DASH} ".join(ends)


def moment_span(starts_at, ends_at, locale: str = "sv") -> str:
    """Return a meeting's local time, e.g. "måndag 1 februari 2027 10:00–12:00"."""
    from babel.dates import format_datetime, format_time

    from app import clock

    zone = clock.zone()
    start = format_datetime(starts_at, "EEEE d MMMM y HH:mm", tzinfo=zone, locale=locale)
    return f"{start}{EN_DASH}{format_time(ends_at, 'HH:mm', tzinfo=zone, locale=locale)}"
