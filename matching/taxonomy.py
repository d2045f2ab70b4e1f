"""Area taxonomy (slash-separated paths), readable area names, age bands and organisation names."""

from __future__ import annotations

import re
from collections.abc import Mapping

EXACT = 1.0
DESCENDANT = (
    0.75  # an experience below the requested area fits, but less precisely than an exact one
)

AGE_BANDS = (
    (18, 34, "18–34"),
    (35, 49, "35–49"),
    (50, 64, "50–64"),
    (65, 79, "65–79"),
    (80, 200, "80+"),
)

# Swedish and English names of the areas we know; unknown areas fall back to their last segment.
AREA_NAMES: dict[str, tuple[str, str]] = {
    "psychiatry": ("psykisk ohälsa", "mental ill-health"),
    "psychosis": ("psykos", "psychosis"),
    "depression": ("depression", "depression"),
    "anxiety": ("ångest", "anxiety"),
    "bipolar": ("bipolär sjukdom", "bipolar disorder"),
    "eating_disorder": ("ätstörning", "eating disorder"),
    "adhd": ("adhd", "ADHD"),
    "autism": ("autism", "autism"),
    "self_harm": ("självskadebeteende", "self-harm"),
    "addiction": ("beroende", "addiction"),
    "suicide_bereavement": ("suicid i familjen", "suicide in the family"),
    "cancer": ("cancer", "cancer"),
    "breast": ("bröstcancer", "breast cancer"),
    "prostate": ("prostatacancer", "prostate cancer"),
    "colorectal": ("tjock- och ändtarmscancer", "colorectal cancer"),
    "lung": ("lungcancer", "lung cancer"),
    "rheumatology": ("reumatisk sjukdom", "rheumatic disease"),
    "arthritis": ("ledgångsreumatism", "rheumatoid arthritis"),
    "sepsis": ("sepsis", "sepsis"),
    "cardiology": ("hjärtsjukdom", "heart disease"),
    "heart_failure": ("hjärtsvikt", "heart failure"),
    "myocardial_infarction": ("hjärtinfarkt", "heart attack"),
    "pulmonology": ("lungsjukdom", "lung disease"),
    "copd": ("KOL", "COPD"),
    "asthma": ("astma", "asthma"),
    "neurology": ("neurologisk sjukdom", "neurological disease"),
    "stroke": ("stroke", "stroke"),
    "ms": ("MS", "multiple sclerosis"),
    "parkinson": ("Parkinsons sjukdom", "Parkinson's disease"),
    "epilepsy": ("epilepsi", "epilepsy"),
    "diabetes": ("diabetes", "diabetes"),
    "dementia": ("demens", "dementia"),
    "paediatrics": ("barnsjukvård", "children's care"),
    "premature_birth": ("för tidigt född", "premature birth"),
    "chronic_pain": ("långvarig smärta", "chronic pain"),
}


def normalise_area(area: str) -> str:
    """Return ``area`` lower-cased with surrounding and doubled slashes removed."""
    return "/".join(part for part in area.strip().lower().split("/") if part)


def matches(requested: str, area: str) -> bool:
    """Return whether an experience in ``area`` fits ``requested`` (itself or a descendant)."""
    return area == requested or area.startswith(requested + "/")


def match_level(requested: str, area: str) -> float:
    """Return how closely ``area`` fits ``requested``: EXACT, DESCENDANT or 0."""
    if area == requested:
        return EXACT
    if area.startswith(requested + "/"):
        return DESCENDANT
    return 0.0


def area_name(
    area: str, lang: str = "sv", names: Mapping[str, tuple[str, str]] | None = None
) -> str:
    """Return a readable name for ``area`` in ``lang``: from ``names`` (code -> (sv, en), the
    app's taxonomy) when it has the code, else from AREA_NAMES, else the code's last segment."""
    given = (names or {}).get(area)
    if given is not None:
        return given[1] if lang == "en" else given[0]
    last = area.rsplit("/", 1)[-1]
    names = AREA_NAMES.get(last)
    if names is None:
        return last.replace("_", " ")
    return names[1] if lang == "en" else names[0]


def age_band(birth_year: int, year: int) -> str:
    """Return the age band label of someone born ``birth_year`` during ``year``."""
    return AGE_BANDS[age_band_index(year - birth_year)][2]


def age_band_key(birth_year: int, year: int) -> str:
    """Return the URL-safe key of the age band (ASCII hyphen: "18-34"), as filters use it."""
    return band_key(age_band(birth_year, year))


def band_key(label: str) -> str:
    """Return the URL-safe key of an age band label ("18–34" → "18-34")."""
    return label.replace("–", "-")


def age_band_index(age: int) -> int:
    """Return the index into AGE_BANDS for ``age`` (ages below 18 go to the first band)."""
    for i, (_, high, _) in enumerate(AGE_BANDS):
        if age <= high:
            return i
    return len(AGE_BANDS) - 1


#: What separates an organisation's name from a unit's in one written name:
#: "Region Jönköpings län – Psykiatriska kliniken" is a unit of "Region Jönköpings län".
UNIT_SEPARATOR = re.compile(r"\s+[–—-]\s+|\s*,\s+|\s+/\s+")


def organisation_key(name: str) -> str:
    """Return the comparable form of an organisation name: case and spacing folded."""
    return " ".join(name.split()).casefold()


def organisation_heads(key: str) -> list[str]:
    """Return the keys of the organisations a written name is a unit of, outermost first.

    "region x – psykiatri – avdelning 3" -> ["region x", "region x – psykiatri"].
    """
    return [key[: m.start()] for m in UNIT_SEPARATOR.finditer(key) if m.start() > 0]
