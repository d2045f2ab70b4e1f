"""Who holds a quota's value, and why a quota the eligible people do not allow stays unmet."""

from __future__ import annotations

from collections import Counter

import numpy as np

from matching.eligibility import area_match, rule_code
from matching.index import local
from matching.taxonomy import matches
from matching.types import GENDERS, MANDATES, Member, Quota, Reason, Request, UnmetQuota

# A quota's value in words: (sv one, sv many, sv "is …", en one, en many, en "is …").
_WORDS = {
    ("gender", "woman"): ("kvinna", "kvinnor", "är kvinna", "woman", "women", "is a woman"),
    ("gender", "man"): ("man", "män", "är man", "man", "men", "is a man"),
    ("gender", "nonbinary"): (
        "icke-binär person",
        "icke-binära personer",
        "är icke-binär",
        "non-binary person",
        "non-binary people",
        "is non-binary",
    ),
    ("experience", "own"): (
        "person med egen erfarenhet",
        "personer med egen erfarenhet",
        "har egen erfarenhet av området",
        "person with own experience",
        "people with own experience",
        "has own experience of the area",
    ),
    ("experience", "relative"): (
        "person med närståendeerfarenhet",
        "personer med närståendeerfarenhet",
        "har närståendeerfarenhet av området",
        "person with a relative's experience",
        "people with a relative's experience",
        "has a relative's experience of the area",
    ),
    ("mandate", "self"): (
        "person som företräder sig själv",
        "personer som företräder sig själva",
        "företräder sig själv",
        "person speaking for themselves",
        "people speaking for themselves",
        "speaks for themselves",
    ),
    ("mandate", "organisation"): (
        "person med en organisations mandat",
        "personer med en organisations mandat",
        "har en organisations mandat",
        "person with an organisation's mandate",
        "people with an organisation's mandate",
        "has an organisation's mandate",
    ),
}

# Short names of the exclusion rules, for "3 in the pool are excluded: 2 booked, 1 monthly maximum".
_SHORT = {
    "inactive": ("inaktiva", "inactive"),
    "no_consent": ("utan samtycke", "no consent"),
    "no_introduction": ("utan introduktion", "no introduction"),
    "no_agreement": ("utan underskriven överenskommelse", "no signed agreement"),
    "no_area": ("utan erfarenhet av området", "no experience of the area"),
    "wrong_experience_type": ("fel erfarenhetstyp", "wrong experience type"),
    "unavailable": ("inte tillgängliga", "unavailable"),
    "already_booked": ("upptagna", "booked"),
    "monthly_max": ("månadstak", "monthly maximum"),
    "assignment_type": ("tar inte uppdragstypen", "do not take the assignment type"),
    "format": ("tar inte formatet", "do not take the format"),
    "language": ("talar inte språket", "do not speak the language"),
    "conflict_of_interest": ("jäv", "conflict of interest"),
    "age_range": ("utanför åldersspannet", "outside the age range"),
}


def holds(
    quota: Quota, *, gender: np.ndarray, mandate: np.ndarray, age: np.ndarray, types: np.ndarray
) -> np.ndarray:
    """Return per person whether they hold ``quota``'s value (``types``: own 1, relative 2 bits)."""
    if quota.field == "gender":
        return gender == GENDERS.index(quota.value)
    if quota.field == "mandate":
        return mandate == MANDATES.index(quota.value)
    if quota.field == "experience":
        return (types & (1 if quota.value == "own" else 2)) != 0
    low, high = quota.value
    return (age >= low) & (age <= high)


TYPE_BITS = {"own": 1, "relative": 2}


def member_holds(member: Member, quota: Quota, request: Request) -> bool:
    """Return whether one person holds ``quota``'s value: ``holds`` for a single Member.

    The same rule as the selection's: experience counts only in a requested area and of a type
    the request accepts; age is the age in the (local) year of the first session.
    """
    if quota.field == "gender":
        return member.gender == quota.value
    if quota.field == "mandate":
        return member.mandate == quota.value
    if quota.field == "experience":
        accepted = TYPE_BITS.get(request.experience, 3)
        return bool(TYPE_BITS[quota.value] & accepted) and any(
            experience.type == quota.value
            and any(matches(area, experience.area) for area in request.areas)
            for experience in member.experiences
        )
    if not request.sessions:
        return False
    low, high = quota.value
    return low <= local(request.first_start).year - member.birth_year <= high


def words(quota: Quota) -> tuple[str, str, str, str, str, str]:
    """Return the quota's value in words: sv one, many, predicate; en one, many, predicate."""
    if quota.field == "age":
        low, high = quota.value
        return (
            f"person i åldern {low}–{high} år",
            f"personer i åldern {low}–{high} år",
            f"är {low}–{high} år",
            f"person aged {low}–{high}",
            f"people aged {low}–{high}",
            f"is aged {low}–{high}",
        )
    return _WORDS[(quota.field, quota.value)]


def _pool_holders(ranking, quota: Quota) -> np.ndarray:
    index = ranking.index
    _, bits = area_match(index, ranking.request) if quota.field == "experience" else (None, None)
    types = np.bitwise_or.reduce(bits, axis=1) if bits is not None else np.zeros(index.n, int)
    return holds(
        quota,
        gender=index.gender,
        mandate=index.mandate,
        age=local(ranking.request.first_start).year - index.birth_year,
        types=types,
    )


def _excluded(ranking, quota: Quota) -> tuple[str, str]:
    """Return " (3 i poolen är uteslutna: 2 upptagna, 1 månadstak)" for holders not eligible."""
    mask = _pool_holders(ranking, quota) & (ranking.codes != 0)
    counts = Counter(rule_code(int(c)) for c in ranking.codes[mask])
    if not counts:
        return "", ""
    total = sum(counts.values())
    order = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    sv = ", ".join(f"{n} {_SHORT[rule][0]}" for rule, n in order)
    en = ", ".join(f"{n} {_SHORT[rule][1]}" for rule, n in order)
    verb_sv = "är utesluten" if total == 1 else "är uteslutna"
    verb_en = "is excluded" if total == 1 else "are excluded"
    return f" ({total} i poolen {verb_sv}: {sv})", f" ({total} in the pool {verb_en}: {en})"


def _few(have: int, eligible: int, pred_sv: str, pred_en: str) -> tuple[str, str]:
    if have == 0:
        return (
            f"ingen av de {eligible} behöriga {pred_sv}",
            f"none of the {eligible} eligible {pred_en}",
        )
    return (
        f"bara {have} av de {eligible} behöriga {pred_sv}",
        f"only {have} of the {eligible} eligible {pred_en}",
    )


def unmet_reason(ranking, quota: Quota, holders: int, seats: int) -> Reason:
    """Return why ``quota`` is not met: ``holders`` of the eligible hold its value, ``seats`` seats."""
    one_sv, many_sv, pred_sv, one_en, many_en, pred_en = words(quota)
    eligible = len(ranking.rows)
    if quota.min is not None and (holders < quota.min or seats < quota.min):
        bound_sv = f"Minst {quota.min} {one_sv if quota.min == 1 else many_sv}"
        bound_en = f"At least {quota.min} {one_en if quota.min == 1 else many_en}"
        if holders < quota.min:
            sv, en = _few(holders, eligible, pred_sv, pred_en)
            ex_sv, ex_en = _excluded(ranking, quota)
            sv, en = sv + ex_sv, en + ex_en
        else:
            sv, en = f"gruppen har bara {seats} platser", f"the group has only {seats} seats"
    elif quota.max is not None and eligible - holders < seats - quota.max:
        bound_sv = f"Högst {quota.max} {one_sv if quota.max == 1 else many_sv}"
        bound_en = f"At most {quota.max} {one_en if quota.max == 1 else many_en}"
        others = eligible - holders
        sv = f"bara {others} av de {eligible} behöriga är inte {many_sv}"
        en = f"only {others} of the {eligible} eligible are not {many_en}"
        sv += f" och gruppen har {seats} platser"
        en += f" and the group has {seats} seats"
    else:
        bound_sv, bound_en = _bounds(quota, one_sv, many_sv, one_en, many_en)
        sv = f"går inte att förena med de andra kvoterna i en grupp om {seats}"
        en = f"cannot be met together with the other quotas in a group of {seats}"
    return Reason(
        "quota_unmet",
        f"{bound_sv} kan inte uppfyllas: {sv}",
        f"{bound_en} cannot be met: {en}",
    )


def _bounds(quota: Quota, one_sv: str, many_sv: str, one_en: str, many_en: str) -> tuple[str, str]:
    parts_sv, parts_en = [], []
    if quota.min is not None:
        parts_sv.append(f"minst {quota.min}")
        parts_en.append(f"at least {quota.min}")
    if quota.max is not None:
        parts_sv.append(f"högst {quota.max}")
        parts_en.append(f"at most {quota.max}")
    n = quota.min if quota.min is not None else quota.max
    sv = " och ".join(parts_sv) + " " + (one_sv if n == 1 else many_sv)
    en = " and ".join(parts_en) + " " + (one_en if n == 1 else many_en)
    return sv[0].upper() + sv[1:], en[0].upper() + en[1:]


def broken_reason(quota: Quota, chosen: int) -> Reason:
    """Return why a group misses ``quota`` that the eligible people allow (``chosen`` hold it).

    Only a policy other than the engine's selection makes such a group (the simulator's
    references): the selection meets every quota the eligible people allow.
    """
    one_sv, many_sv, _, one_en, many_en, _ = words(quota)
    bound_sv, bound_en = _bounds(quota, one_sv, many_sv, one_en, many_en)
    return Reason(
        "quota_broken",
        f"{bound_sv}: inte uppfyllt – gruppen har {chosen}, fast de behöriga tillåter det",
        f"{bound_en}: not met – the group has {chosen}, although the eligible people allow it",
    )


def unmet_quotas(ranking, unmet: tuple[int, ...], holders: dict[int, int], seats: int):
    """Return UnmetQuota entries for the quota indices ``unmet`` of the ranking's request."""
    quotas = ranking.request.quotas
    return tuple(
        UnmetQuota(quotas[q], unmet_reason(ranking, quotas[q], holders[q], seats)) for q in unmet
    )
