"""Plain sentences, in Swedish and English, for proposals and exclusions."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import numpy as np

from matching.acceptance import LIKELY_NO, LIKELY_YES
from matching.eligibility import RULES
from matching.index import PoolIndex, local
from matching.taxonomy import AGE_BANDS, area_name, match_level, normalise_area
from matching.types import Member, Reason, Request

TYPE_NAMES = {
    "education": ("utbildning", "education"),
    "lecture": ("föreläsning", "lecture"),
    "development": ("utvecklingsarbete", "development work"),
    "working_group": ("arbetsgrupp", "working group"),
    "conference": ("konferens", "conference"),
    "coaching": ("coachning", "coaching"),
    "simulated_patient": ("professionell patient", "simulated patient"),
    "review": ("granskning", "review"),
    "interview": ("intervju eller fokusgrupp", "interview or focus group"),
}
LANGUAGE_NAMES = {
    "sv": ("svenska", "Swedish"),
    "en": ("engelska", "English"),
    "ar": ("arabiska", "Arabic"),
    "fi": ("finska", "Finnish"),
    "fa": ("persiska", "Persian"),
    "so": ("somaliska", "Somali"),
    "bs": ("bosniska", "Bosnian"),
    "ti": ("tigrinja", "Tigrinya"),
}


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _areas(request: Request, lang: str) -> str:
    names = [area_name(normalise_area(a), lang, request.area_names) for a in request.areas]
    return (" or " if lang == "en" else " eller ").join(names)


def exclusion_reason(rule: str, request: Request) -> Reason:
    """Return the readable reason for ``rule`` in the context of ``request``."""
    kind = {
        "own": ("egen erfarenhet", "own experience"),
        "relative": ("närståendeerfarenhet", "relative's experience"),
    }
    fmt = {"onsite": ("på plats", "on-site"), "digital": ("digitalt", "digital")}[request.format]
    lang = LANGUAGE_NAMES.get(request.language, (request.language, request.language))
    low, high = request.age_range or (0, 0)
    tn = TYPE_NAMES[request.type]
    texts = {
        "inactive": ("inte aktiv i poolen", "not active in the pool"),
        "no_consent": ("saknar giltigt samtycke", "no valid consent"),
        "no_introduction": (
            "har inte gått introduktionen, som poolen kräver",
            "has not completed the introduction the pool requires",
        ),
        "no_agreement": (
            "saknar underskriven överenskommelse, som poolen kräver",
            "has no signed agreement, which the pool requires",
        ),
        "no_area": (
            f"saknar erfarenhet av {_areas(request, 'sv')}",
            f"no experience of {_areas(request, 'en')}",
        ),
        "wrong_experience_type": (
            f"har inte {kind.get(request.experience, ('', ''))[0]} av {_areas(request, 'sv')}",
            f"has no {kind.get(request.experience, ('', ''))[1]} of {_areas(request, 'en')}",
        ),
        "unavailable": (
            "inte tillgänglig vid alla tillfällen (veckotider, spärrade datum eller paus, "
            "restid inräknad)",
            "not available for every session (weekly times, blocked dates or pause, "
            "travel included)",
        ),
        "already_booked": (
            "redan bokad vid en överlappande tid",
            "already booked at an overlapping time",
        ),
        "monthly_max": (
            "har nått sitt största antal uppdrag per månad",
            "has reached their monthly maximum",
        ),
        "assignment_type": (
            f"tar inte uppdrag av typen {tn[0]}",
            f"does not take {tn[1]} assignments",
        ),
        "format": (f"tar inte uppdrag {fmt[0]}", f"does not take {fmt[1]} assignments"),
        "language": (f"talar inte {lang[0]}", f"does not speak {lang[1]}"),
        "conflict_of_interest": (
            f"jäv: anställd hos beställaren ({request.organisation}) eller en organisation "
            "över eller under den",
            f"conflict of interest: employed by the ordering organisation "
            f"({request.organisation}) or one above or below it",
        ),
        "age_range": (
            f"utanför åldersspannet {low}–{high} år",
            f"outside the age range {low}–{high}",
        ),
        "availability_unknown": (
            "tillgänglighet okänd (inga veckotider): kan tillfrågas om intresse",
            "availability unknown (no weekly times): can be asked about interest",
        ),
    }
    sv, en = texts[rule]
    return Reason(rule, sv, en)


def experience_reasons(member: Member, request: Request) -> list[Reason]:
    """Return one sentence per requested area the member fits, naming their closest experience."""
    out = []
    for requested in request.areas:
        req = normalise_area(requested)
        fits = [
            e
            for e in member.experiences
            if match_level(req, normalise_area(e.area)) and request.experience in ("any", e.type)
        ]
        if not fits:
            continue
        best = max(fits, key=lambda e: (match_level(req, normalise_area(e.area)), e.type == "own"))
        area = normalise_area(best.area)
        sv, en = (
            area_name(area, "sv", request.area_names),
            area_name(area, "en", request.area_names),
        )
        if best.type == "own":
            out.append(Reason("experience", f"egen erfarenhet av {sv}", f"own experience of {en}"))
        else:
            out.append(
                Reason(
                    "experience",
                    f"närståendeerfarenhet av {sv}",
                    f"experience of {en} as a relative",
                )
            )
    return out


def availability_reasons(member: Member) -> list[Reason]:
    """Return the flag of a member whose availability is unknown (no weekly window at all)."""
    if not member.availability_unknown:
        return []
    return [
        Reason(
            "availability_unknown",
            "tillgänglighet okänd — fråga först",
            "availability unknown — ask first",
        )
    ]


#: Below this share of the eligible set's mean opportunity a member "fitted few requests".
FEW_REQUESTS_FITTED = 0.5


def load_reasons(facts: Mapping[str, float]) -> list[Reason]:
    """Return sentences on the member's recent load and how many requests fitted her."""
    out = _work_reasons(facts)
    if facts.get("opportunity_relative", 1.0) < FEW_REQUESTS_FITTED:
        out.append(
            Reason(
                "load",
                "har passat få förfrågningar de senaste två åren",
                "fitted few requests in the last two years",
            )
        )
    return out


def _work_reasons(facts: Mapping[str, float]) -> list[Reason]:
    count = int(facts["assignments"])
    if facts["never"]:
        if facts["newcomer"]:
            months = int(facts["months_in_pool"])
            return [
                Reason(
                    "load",
                    f"ny i poolen ({_plural(months, 'månad', 'månader')}), inget uppdrag ännu",
                    f"new in the pool ({_plural(months, 'month', 'months')}), no assignment yet",
                )
            ]
        return [Reason("load", "inget tidigare uppdrag", "no earlier assignment")]
    out = []
    months = int(facts["months_since_last"])
    if months >= 1:
        out.append(
            Reason(
                "load",
                f"inget uppdrag på {_plural(months, 'månad', 'månader')}",
                f"no assignment for {_plural(months, 'month', 'months')}",
            )
        )
    if count == 0:
        return out
    out.append(
        Reason(
            "load",
            f"{count} uppdrag de senaste 12 månaderna",
            f"{_plural(count, 'assignment', 'assignments')} in the last 12 months",
        )
    )
    return out


def novelty_reasons(novelty: Mapping[str, object]) -> list[Reason]:
    """Return sentences on what the member adds to the group chosen before them."""
    out = []
    types = int(novelty.get("experience_type", 0))
    if types & 2:
        out.append(
            Reason(
                "complement",
                "kompletterar gruppen med närståendeperspektiv",
                "adds a relative's perspective to the group",
            )
        )
    elif types & 1:
        out.append(
            Reason(
                "complement",
                "kompletterar gruppen med eget patientperspektiv",
                "adds a patient's own perspective to the group",
            )
        )
    if "age_band" in novelty:
        band = AGE_BANDS[int(novelty["age_band"])][2]
        out.append(
            Reason(
                "complement",
                f"kompletterar gruppen med åldersgruppen {band} år",
                f"adds the age band {band} to the group",
            )
        )
    if "gender" in novelty:
        out.append(
            Reason(
                "complement",
                "gör gruppen mer blandad i kön",
                "makes the group more mixed in gender",
            )
        )
    if "mandate" in novelty:
        if int(novelty["mandate"]) == 1:
            out.append(
                Reason(
                    "complement",
                    "kompletterar gruppen med en organisations mandat",
                    "adds an organisation's mandate to the group",
                )
            )
        else:
            out.append(
                Reason(
                    "complement",
                    "kompletterar gruppen med någon som deltar för egen del",
                    "adds someone taking part for themselves",
                )
            )
    return out


def acceptance_reasons(chance: float) -> list[Reason]:
    """Return what the acceptance model expects of the member, in plain words."""
    percent = round(100 * chance)
    if chance >= LIKELY_YES:
        return [
            Reason(
                "acceptance",
                f"svarar troligen ja (uppskattad chans {percent} %)",
                f"likely to say yes (estimated chance {percent} %)",
            )
        ]
    if chance <= LIKELY_NO:
        return [
            Reason(
                "acceptance",
                f"svarar troligen nej (uppskattad chans till ja {percent} %)",
                f"likely to say no (estimated chance of a yes {percent} %)",
            )
        ]
    return [
        Reason(
            "acceptance",
            f"osäkert om personen svarar ja (uppskattad chans {percent} %)",
            f"unsure whether they will say yes (estimated chance {percent} %)",
        )
    ]


def preference_reasons(index: PoolIndex, request: Request, row: int) -> list[Reason]:
    """Return sentences on wishes and answers that moved the score."""
    out = []
    member = index.members[row]
    if request.type in member.assignment_types:
        sv, en = TYPE_NAMES[request.type]
        out.append(
            Reason("wish", f"önskar uppdrag av typen {sv}", f"has asked for {en} assignments")
        )
    before = local(request.first_start).date()
    answers = [h.answer for h in member.history if h.answer is not None and h.date < before]
    if len(answers) >= 3 and answers.count("accepted") / len(answers) < 0.5:
        out.append(
            Reason(
                "answers",
                "har ofta tackat nej och tillfrågas därför mer sällan",
                "often declines, so is asked less often",
            )
        )
    return out


class Exclusions(Mapping):
    """Member id -> Exclusion for every excluded member, built on access (pools can be large)."""

    def __init__(self, index: PoolIndex, request: Request, codes: np.ndarray):
        self._index = index
        self._codes = codes
        self._rows = np.flatnonzero(codes)
        self._reasons = {
            int(c): exclusion_reason(RULES[int(c) - 1], request)
            for c in np.unique(codes[self._rows])
        }

    def __getitem__(self, member_id: str):
        from matching.types import Exclusion

        row = self._index.pos[member_id]
        code = int(self._codes[row])
        if code == 0:
            raise KeyError(member_id)
        return Exclusion(member_id, RULES[code - 1], self._reasons[code])

    def __iter__(self) -> Iterator[str]:
        return (self._index.ids[r] for r in self._rows)

    def __len__(self) -> int:
        return int(self._rows.size)

    def by_rule(self) -> dict[str, tuple[Reason, int]]:
        """Return rule → (its reason, how many it excluded), in order of first exclusion."""
        codes = self._codes[self._rows]
        unique, first, counts = np.unique(codes, return_index=True, return_counts=True)
        ordered = sorted(zip(first.tolist(), unique.tolist(), counts.tolist(), strict=True))
        return {RULES[code - 1]: (self._reasons[code], count) for _, code, count in ordered}


def exclusions_by_rule(excluded: Mapping) -> dict[str, tuple[Reason, int]]:
    """Return rule → (the reason of the first person it excluded, how many it excluded)."""
    if isinstance(excluded, Exclusions):
        return excluded.by_rule()  # without building an Exclusion per excluded member
    out: dict[str, tuple[Reason, int]] = {}
    for exclusion in excluded.values():
        reason, count = out.get(exclusion.rule, (exclusion.reason, 0))
        out[exclusion.rule] = (reason, count + 1)
    return out
