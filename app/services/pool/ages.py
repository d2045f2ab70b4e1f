"""Age bands for filters and descriptions: the matching engine's bands, with URL-safe keys."""

from __future__ import annotations

from app import clock
from matching.taxonomy import AGE_BANDS as MATCHING_AGE_BANDS
from matching.taxonomy import age_band_key, band_key

#: (key, lowest age, highest age) — inclusive; keys use ASCII hyphens so they survive URLs.
AGE_BANDS: list[tuple[str, int, int]] = [
    (band_key(label), low, high) for low, high, label in MATCHING_AGE_BANDS
]


def band_label(key: str) -> str:
    """Return an age band's key as people read it: "18-34" → "18–34" (en dash), "80+"."""
    return next((label for low, high, label in MATCHING_AGE_BANDS if band_key(label) == key), key)


def birth_years_for_band(key: str, year: int | None = None) -> tuple[int, int] | None:
    """Return the (earliest, latest) birth years of an age band, or None for an unknown key."""
    this_year = year or clock.today().year
    for band, low, high in AGE_BANDS:
        if band == key:
            return this_year - high, this_year - low
    return None


def age_band(birth_year: int, year: int | None = None) -> str:
    """Return the key of the band the person's age falls in (this year by default)."""
    return age_band_key(birth_year, year or clock.today().year)
