"""Per-request facts and score parts for the eligible members, as arrays."""

from __future__ import annotations

import numpy as np

from matching.index import PoolIndex, local
from matching.types import ASSIGNMENT_TYPES, FORMATS, Request

DAYS_PER_MONTH = 30.44
LOAD_WINDOW_DAYS = 365
# "Longer since the last assignment ranks higher" looks further back than the 12-month window, so
# that people whose last assignment just left the window do not all tie with the never-asked.
RECENCY_HORIZON_DAYS = 2 * 365
# Relevance = how well the experiences fit, plus whether the member asked for this kind of work.
AREA_WEIGHT, TYPE_WEIGHT, FORMAT_WEIGHT = 0.70, 0.15, 0.15
# Load: months of pseudo-exposure at the eligible set's average rate, so a newcomer with a
# zero count looks like an average member, not like the least loaded one.
NEWCOMER_PSEUDO_MONTHS = 3.0
# Opportunity: the fair shares of seats of the requests a member was eligible for over this
# window; two years, so that the estimate of who is scarce rests on enough requests.
OPPORTUNITY_WINDOW_DAYS = 2 * 365
# The opportunity term is added to the pressure: members few requests fit are preferred when
# their load is alike, because later requests will not offer them the seats they miss now.
PRESSURE_WEIGHTS = {"assignments": 0.8, "recency": 0.2, "opportunity": 0.3}


def first_day(request: Request) -> int:
    """Return the local date ordinal of the request's first session."""
    return local(request.first_start).date().toordinal()


def relevance(
    index: PoolIndex, request: Request, level: np.ndarray, rows: np.ndarray
) -> np.ndarray:
    """Return relevance in [0, 1] for members ``rows`` given their area match ``level``."""
    area_fit = level[rows].mean(axis=1)
    t = ASSIGNMENT_TYPES.index(request.type)
    type_fit = np.where(index.explicit_type[rows, t], 1.0, 0.5)
    f = FORMATS.index(request.format)
    only = index.formats[rows, f] & (index.n_formats[rows] == 1)
    format_fit = np.where(only, 1.0, 0.75)
    return AREA_WEIGHT * area_fit + TYPE_WEIGHT * type_fit + FORMAT_WEIGHT * format_fit


def load_facts(index: PoolIndex, day0: int, rows: np.ndarray) -> dict[str, np.ndarray]:
    """Return the load of members ``rows`` as seen by a request whose first session is ``day0``.

    ``assignments`` counts assignments (one unit however many sessions) dated in the 12 months
    before ``day0``, open invitations among them as provisional load (``provisional`` counts
    those alone); ``hours`` their hours; ``months_since_last`` the months since the last
    assignment (not invitation); ``months_in_pool`` the months of the window the member was in
    the pool; ``opportunity`` the fair shares of seats of the requests she was eligible for in
    the two years up to ``day0`` (``Opportunity``). Declines and no-shows are no load units at
    all (docs/domain.md §5).
    """
    units = index.load_units
    day = units.cols["day"]
    past = day < day0
    mask = past & (day >= day0 - LOAD_WINDOW_DAYS)
    who = units.member[mask]
    assignments = np.bincount(who, minlength=index.n)[rows].astype(np.float64)
    hours = np.bincount(who, weights=units.cols["hours"][mask], minlength=index.n)[rows]
    pending = units.cols["provisional"][mask]
    provisional = np.bincount(who[pending], minlength=index.n)[rows].astype(np.float64)
    done = past & ~units.cols["provisional"]
    last = np.full(index.n, -1, dtype=np.int64)
    # Same dtype on both sides: ufunc.at takes its fast path (about 20 times faster than casting).
    np.maximum.at(last, units.member[done], day[done].astype(np.int64))
    last = last[rows]
    chances = index.opportunities
    recent = (chances.cols["day"] <= day0) & (chances.cols["day"] >= day0 - OPPORTUNITY_WINDOW_DAYS)
    opportunity = np.bincount(
        chances.member[recent], weights=chances.cols["share"][recent], minlength=index.n
    )[rows]
    joined = index.joined[rows]
    in_pool = np.where(joined > 0, np.clip(day0 - joined, 0, None), RECENCY_HORIZON_DAYS)
    since = np.where(last >= 0, day0 - last, np.minimum(in_pool, RECENCY_HORIZON_DAYS))
    return {
        "assignments": assignments,
        "provisional": provisional,
        "hours": hours,
        "months_since_last": np.minimum(since, RECENCY_HORIZON_DAYS) / DAYS_PER_MONTH,
        "months_in_pool": np.minimum(in_pool, LOAD_WINDOW_DAYS) / DAYS_PER_MONTH,
        "opportunity": opportunity,
        # 1 = as many requests fitted her as the average eligible member; also where none had
        # any or the term does not count (busy 0), so that no explanation mentions it there
        "opportunity_relative": _relative(opportunity)
        if opportunity.any() and busy(assignments) > 0
        else np.ones(rows.size),
        "never": (last < 0) & (assignments == 0),
        "newcomer": (joined > 0) & (in_pool < LOAD_WINDOW_DAYS),
    }


def _shrunk_rate(count: np.ndarray, exposure: np.ndarray) -> np.ndarray:
    base = count.sum() / max(exposure.sum(), 1e-9)
    return (count + NEWCOMER_PSEUDO_MONTHS * base) / (exposure + NEWCOMER_PSEUDO_MONTHS)


def _relative(values: np.ndarray) -> np.ndarray:
    mean = values.mean() if values.size else 0.0
    return values / mean if mean > 0 else np.zeros_like(values)


def load_pressure(facts: dict[str, np.ndarray]) -> np.ndarray:
    """Return how loaded each member is compared with the others (higher = more loaded).

    The load is the assignments per month in the pool over the 12-month window (shrunk towards
    the eligible set's rate, so a newcomer looks average), relative to the eligible set's mean;
    recency only orders people with the same rate (docs/matching.md, "Score").
    """
    exposure = facts["months_in_pool"]
    rate = _shrunk_rate(facts["assignments"], exposure)
    recency = 1.0 - facts["months_since_last"] * DAYS_PER_MONTH / RECENCY_HORIZON_DAYS
    w = PRESSURE_WEIGHTS
    return w["assignments"] * _relative(rate) + w["recency"] * recency


def turn_pressure(facts: dict[str, np.ndarray]) -> np.ndarray:
    """Return the load pressure plus the opportunity (higher = less her turn).

    Of two members with alike load, the one whom more requests fit goes second: the requests to
    come will offer her seats, while the other's chances are few. The term counts in full where
    the eligible people had at least one assignment each in the window on average, not at all
    below half of one, and in proportion between: where most have had no work, her turn may
    never come however many requests fit her, and who waited longest (recency) decides
    (docs/matching.md, "Opportunity").
    """
    pressure = load_pressure(facts)
    if "opportunity_relative" not in facts:
        return pressure
    weight = busy(facts["assignments"]) * PRESSURE_WEIGHTS["opportunity"]
    return pressure + weight * facts["opportunity_relative"]


def busy(assignments: np.ndarray) -> float:
    """Return how much the opportunity counts: 1 at a mean of one assignment each, 0 below half."""
    return float(np.clip(2.0 * assignments.mean() - 1.0, 0.0, 1.0)) if assignments.size else 0.0


def load_score(facts: dict[str, np.ndarray]) -> np.ndarray:
    """Return the load part in [0, 1]: 1 for the most their turn among the eligible, by mid-rank."""
    pressure = np.round(turn_pressure(facts), 9)
    n = pressure.size
    if n <= 1:
        return np.ones(n)
    ordered = np.sort(pressure)
    below = np.searchsorted(ordered, pressure, side="left")
    upto = np.searchsorted(ordered, pressure, side="right")
    return 1.0 - (below + upto - 1) / 2.0 / (n - 1)


def opportunity_share(count: int, eligible: int) -> float:
    """Return each eligible member's fair share of a request's seats (0 when nobody fits)."""
    return min(count, eligible) / eligible if eligible else 0.0


def answer_counts(index: PoolIndex, day0: int, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return (accepted, answered) invitation counts before ``day0``."""
    ans = index.answers
    mask = ans.cols["day"] < day0
    who = ans.member[mask]
    answered = np.bincount(who, minlength=index.n)[rows]
    accepted = np.bincount(who, weights=ans.cols["accepted"][mask], minlength=index.n)[rows]
    return accepted, answered
