"""The range of dates and years the service works with (query strings, filters, statements).

Dates far outside it (year 1 or 9999) overflow date arithmetic and time-zone conversion, so
pages and exports refuse them with a message instead of failing. The years are those the
yearly figures' forms accept.
"""

from __future__ import annotations

from datetime import date

from app.services.errors import InvalidInput
from app.services.messages import N_

FIRST_YEAR, LAST_YEAR = 2000, 2100
FIRST_DAY, LAST_DAY = date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31)

YEAR_MESSAGE = N_("Give a year from 2000 to 2100.")
DAY_MESSAGE = N_("Give a date from 2000-01-01 to 2100-12-31.")


def check_year(year: int, field: str = "year") -> None:
    """Refuse a year outside FIRST_YEAR..LAST_YEAR."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidInput(YEAR_MESSAGE, {field: YEAR_MESSAGE})


def check_day(day: date, field: str = "date") -> None:
    """Refuse a date outside FIRST_DAY..LAST_DAY."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise InvalidInput(DAY_MESSAGE, {field: DAY_MESSAGE})


def day_in_range(day: date) -> bool:
    """Return True for a date the service can work with."""
    return FIRST_DAY <= day <= LAST_DAY
