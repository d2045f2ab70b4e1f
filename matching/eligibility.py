"""Hard rules, vectorised: one exclusion code per member, the first rule that fails."""

from __future__ import annotations

from datetime import timedelta

import numpy as np

from matching.index import (
    PoolIndex,
    epoch_seconds,
    local,
    local_date_range,
    month_key,
    shifted,
)
from matching.taxonomy import organisation_heads, organisation_key
from matching.types import ASSIGNMENT_TYPES, FORMATS, POOLS, Request

# Stable rule codes, in the order they are checked; the web app stores these strings.
RULES = (
    "inactive",
    "no_consent",
    "no_introduction",
    "no_agreement",
    "no_area",
    "wrong_experience_type",
    "unavailable",
    "already_booked",
    "monthly_max",
    "assignment_type",
    "format",
    "language",
    "conflict_of_interest",
    "age_range",
    "availability_unknown",
)
ELIGIBLE = 0  # codes are 1 + index into RULES
DEFAULT_BUFFER_MINUTES = 30


def rule_code(code: int) -> str:
    """Return the rule name of a numeric exclusion code."""
    return RULES[code - 1]


def travel_buffer(request: Request, buffer_minutes: int = DEFAULT_BUFFER_MINUTES) -> timedelta:
    """Return the travel buffer around each session: only on-site sessions need travel."""
    return timedelta(minutes=buffer_minutes if request.format == "onsite" else 0)


def area_match(index: PoolIndex, request: Request) -> tuple[np.ndarray, np.ndarray]:
    """Return (level, type bits) per member and requested area: level 1 exact, 0.75 below, 0."""
    type_mask = {"own": 1, "relative": 2}.get(request.experience, 3)
    level = np.zeros((index.n, len(request.areas)), dtype=np.float32)
    bits = np.zeros((index.n, len(request.areas)), dtype=np.uint8)
    for r, area in enumerate(request.areas):
        exact, below = index.area_columns(area)
        if below:
            sub = index.area_bits[:, below] & type_mask
            level[:, r] = np.where(sub.any(axis=1), 0.75, 0.0)
            bits[:, r] |= np.bitwise_or.reduce(sub, axis=1)
        if exact:
            sub = index.area_bits[:, exact[0]] & type_mask
            level[:, r] = np.where(sub > 0, 1.0, level[:, r])
            bits[:, r] |= sub
    return level, bits


def _any_area(index: PoolIndex, request: Request) -> np.ndarray:
    cols = sorted({c for a in request.areas for part in index.area_columns(a) for c in part})
    if not cols:
        return np.zeros(index.n, dtype=bool)
    return (index.area_bits[:, cols] > 0).any(axis=1)


def _unavailable(index: PoolIndex, request: Request, buffer: timedelta) -> np.ndarray:
    """Windows that leave a session out (no windows at all: not judged), blocked dates, pauses."""
    outside = np.zeros(index.n, dtype=bool)
    spans = [local_date_range(s, timedelta(0)) for s in request.sessions]
    for s in request.sessions:
        start, end = shifted(s.start, -buffer), shifted(s.end, buffer)
        if start.date() != end.date() and not (end.hour == 0 and end.minute == 0):
            outside[:] = True  # crosses midnight: no window can hold it
            break
        lo = start.hour * 60 + start.minute
        hi = 1440 if end.date() != start.date() else end.hour * 60 + end.minute
        day = start.weekday()
        fits = (index.win_start[:, day, :] <= lo) & (index.win_end[:, day, :] >= hi)
        outside |= ~fits.any(axis=1)
    return (outside & ~index.no_windows) | _paused_or_blocked(index, spans)


def _paused_or_blocked(index: PoolIndex, spans: list[tuple[int, int]]) -> np.ndarray:
    fail = index.paused_until >= min(a for a, _ in spans)
    blk = index.blocked
    hit = np.zeros(len(blk.member), dtype=bool)
    for a, b in spans:
        hit |= (blk.cols["start"] <= b) & (blk.cols["end"] >= a)
    fail[blk.member[hit]] = True
    return fail


def _booked(index: PoolIndex, request: Request, buffer: timedelta) -> np.ndarray:
    bk = index.bookings
    hit = np.zeros(len(bk.member), dtype=bool)
    for s in request.sessions:
        pad = int(buffer.total_seconds())
        lo, hi = epoch_seconds(s.start) - pad, epoch_seconds(s.end) + pad
        hit |= (bk.cols["start"] < hi) & (bk.cols["end"] > lo)
    fail = np.zeros(index.n, dtype=bool)
    fail[bk.member[hit]] = True
    return fail


def _monthly_max(index: PoolIndex, request: Request) -> np.ndarray:
    fail = np.zeros(index.n, dtype=bool)
    units = index.month_units
    for month in {month_key(local(s.start).date()) for s in request.sessions}:
        counts = np.bincount(units.member[units.cols["month"] == month], minlength=index.n)
        fail |= counts + 1 > index.max_per_month
    return fail


def conflicting_organisations(request: Request) -> tuple[set[str], set[str]]:
    """Return the organisation keys a member may not work for, and those whose units count too.

    Conflict of interest follows the organisation tree (docs/matching.md): the ordering
    organisation, the ones above it and the ones below it. A name written as
    "<organisation> – <unit>" is a unit of that organisation, on either side.
    """
    own = organisation_key(request.organisation)
    below = {own, *(organisation_key(n) for n in request.organisation_descendants)} - {""}
    above = {organisation_key(n) for n in request.organisation_ancestors}
    above |= set(organisation_heads(own))
    return (below | above) - {""}, below


def _conflict(index: PoolIndex, request: Request) -> np.ndarray:
    names, with_units = conflicting_organisations(request)
    codes = {index.employer_vocab[n] for n in names if n in index.employer_vocab}
    for name in with_units:
        codes.update(index.employer_heads.get(name, ()))
    if not codes:
        return np.zeros(index.n, dtype=bool)
    hit = np.zeros(len(index.employer_vocab) + 1, dtype=bool)  # the last one stands for -1
    hit[sorted(codes)] = True
    return hit[index.employer].any(axis=1)


def _required(index: PoolIndex, pools: tuple[str, ...], done: np.ndarray) -> np.ndarray:
    """Return who lacks ``done`` in a pool that requires it."""
    codes = [POOLS.index(pool) for pool in pools if pool in POOLS]
    return np.isin(index.pool, codes) & ~done


def _unknown(index: PoolIndex, request: Request) -> np.ndarray:
    if request.interest_round:
        return np.zeros(index.n, dtype=bool)
    return index.no_windows


def _age(index: PoolIndex, request: Request) -> np.ndarray:
    if request.age_range is None:
        return np.zeros(index.n, dtype=bool)
    age = local(request.first_start).year - index.birth_year
    return (age < request.age_range[0]) | (age > request.age_range[1])


def _language(index: PoolIndex, request: Request) -> np.ndarray:
    if request.language not in index.lang_vocab:
        return np.ones(index.n, dtype=bool)
    return ~index.lang[:, index.lang_vocab.index(request.language)]


def exclusion_codes(
    index: PoolIndex,
    request: Request,
    *,
    buffer_minutes: int = DEFAULT_BUFFER_MINUTES,
    bits: np.ndarray | None = None,
) -> np.ndarray:
    """Return per member 0 when eligible, else 1 + the index in RULES of the first failing rule."""
    buffer = travel_buffer(request, buffer_minutes)
    if bits is None:
        bits = area_match(index, request)[1]
    checks = (
        lambda: ~index.active,
        lambda: ~index.consent,
        lambda: _required(index, request.introduction_required_in, index.introduced),
        lambda: _required(index, request.agreement_required_in, index.agreement_signed),
        lambda: ~_any_area(index, request),
        lambda: ~(bits > 0).any(axis=1),
        lambda: _unavailable(index, request, buffer),
        lambda: _booked(index, request, buffer),
        lambda: _monthly_max(index, request),
        lambda: ~index.takes_type[:, ASSIGNMENT_TYPES.index(request.type)],
        lambda: ~index.formats[:, FORMATS.index(request.format)],
        lambda: _language(index, request),
        lambda: _conflict(index, request),
        lambda: _age(index, request),
        lambda: _unknown(index, request),
    )
    codes = np.zeros(index.n, dtype=np.int8)
    for code, check in enumerate(checks, start=1):
        codes[(codes == ELIGIBLE) & check()] = code
    return codes
