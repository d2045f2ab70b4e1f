"""Age bands used for filters and for describing the pool."""

from __future__ import annotations

from datetime import date

#: (label, lowest age, highest age) — inclusive; the last band is open-ended.
AGE_BANDS: list[tuple[str, int, int]] = [
    ("18-34", 18, 34),
    ("35-49", 35, 49),
    ("50-64", 50, 64),
    ("65-79", 65, 79),
    ("80+", 80, 150),
]


def age_in_year(birth_year: int, year: int | None = None) -> int:
    """Return the age a person reaches during ``year`` (default: this year)."""
    return (year or date.today().year) - birth_year


def birth_years_for_band(label: str, year: int | None = None) -> tuple[int, int] | None:
    """Return the (earliest, latest) birth years of an age band, or None for an unknown label."""
    for band, low, high in AGE_BANDS:
        if band == label:
            this_year = year or date.today().year
            return this_year - high, this_year - low
    return None


def age_band(birth_year: int, year: int | None = None) -> str:
    """Return the label of the band the person's age falls in."""
    age = age_in_year(birth_year, year)
    for band, low, high in AGE_BANDS:
        if low <= age <= high:
            return band
    return "<18"
