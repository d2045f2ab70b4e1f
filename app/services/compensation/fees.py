"""The fee engine of docs/domain.md §6, on plain values: minutes, dates, tables as mappings.

The dated tables (PBB per year, contribution rates, mileage rates) are passed in; this module
never reads them itself, so the rules are testable without a database.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal

FULL_DAY = "full_day"
HALF_DAY = "half_day"
SHORT = "short"
HOURLY = "hourly"
NONE = "none"

#: Share of the PBB per class (per hour for the hourly class).
SHARES = {
    FULL_DAY: Decimal("0.036"),
    HALF_DAY: Decimal("0.018"),
    SHORT: Decimal("0.009"),
    HOURLY: Decimal("0.005"),
}
SHORT_MAX_MINUTES = 120  # up to 2 h is short
HOURLY_MAX_MINUTES = 120  # the hourly alternative: efforts up to 2 h including travel
HALF_DAY_MAX_MINUTES = 240  # 2–4 h is a half day; more than 4 h a full day
YEARLY_CONTRIBUTION_THRESHOLD = 1000  # below this per payer, person and year: no contributions

#: How hourly fees count time: every started hour, or the actual time to the minute.
HOURLY_STARTED = "started"
HOURLY_ACTUAL = "actual"
HOURLY_RULES = (HOURLY_STARTED, HOURLY_ACTUAL)

#: Why a fee is zero.
REASON_OPEN_MEETING = "open_information_meeting"
REASON_EMPLOYMENT = "part_of_employment"
#: A session called off at short notice: no fee, costs already paid are reimbursed.
REASON_CANCELLED_LATE = "cancelled_late"


class FeeError(ValueError):
    """A fee cannot be computed from the given values."""


#: The kinds of dated figure the engine needs (``MissingFigure.kind``).
FIGURE_PBB = "pbb"
FIGURE_CONTRIBUTION = "contribution"
FIGURE_MILEAGE = "mileage"


class MissingFigure(FeeError):
    """A dated figure the rules need is not recorded: which one (``kind``) and for which year.

    The web turns ``kind`` and ``year`` into a translated message; never a silent zero.
    """

    def __init__(self, kind: str, year: int, message: str):
        super().__init__(message)
        self.kind = kind
        self.year = year


class MissingPriceBaseAmount(MissingFigure):
    """No prisbasbelopp is known for the year: never a silent zero."""

    def __init__(self, year: int):
        super().__init__(FIGURE_PBB, year, f"No price base amount (PBB) is recorded for {year}.")


class MissingContributionRate(MissingFigure):
    """No employer contribution rate covers the birth year on the pay date."""

    def __init__(self, birth_year: int, on: date):
        super().__init__(
            FIGURE_CONTRIBUTION,
            on.year,
            f"No employer contribution rate for people born {birth_year} on {on}.",
        )
        self.birth_year = birth_year
        self.on = on


class HourlyTooLong(FeeError):
    """The hourly alternative is only for efforts up to two hours including travel."""

    def __init__(self, minutes: int):
        super().__init__(
            f"The hourly fee is only for efforts up to two hours including travel, "
            f"not {minutes} minutes."
        )
        self.minutes = minutes


class MissingMileageRate(MissingFigure):
    """No tax-free mileage rate is valid on the date of the journey."""

    def __init__(self, on: date):
        super().__init__(FIGURE_MILEAGE, on.year, f"No mileage rate is recorded for {on}.")
        self.on = on


@dataclass(frozen=True)
class ContributionRow:
    """One dated contribution rate for a birth-year band (None: unbounded)."""

    valid_from: date
    valid_to: date | None
    born_from: int | None
    born_to: int | None
    rate_percent: Decimal


@dataclass(frozen=True)
class FeeLine:
    """The fee of one activity (a session or agreed extra time)."""

    fee_class: str
    minutes: int
    year: int
    pbb: int
    fee: int
    #: Hours paid (hourly class only), as a Decimal for the actual-time rule.
    hours: Decimal = Decimal(0)
    #: Why the fee is zero, when it is.
    reason: str = ""


def round_kronor(amount: Decimal | int) -> int:
    """Round to whole kronor, half up (1 713.6 → 1 714)."""
    return int(Decimal(amount).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def minutes_between(starts_at: datetime, ends_at: datetime) -> int:
    """Return whole minutes between two aware datetimes (midnight and DST safe)."""
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        raise FeeError("Times must be timezone-aware.")
    # Same-zone subtraction is wall-clock time in Python; UTC gives the real duration.
    seconds = (ends_at.astimezone(UTC) - starts_at.astimezone(UTC)).total_seconds()
    if seconds <= 0:
        raise FeeError("An activity must end after it starts.")
    return int(seconds // 60)


def fee_class_for(minutes: int, *, is_hourly: bool = False) -> str:
    """Return the fee class of an activity lasting ``minutes`` including travel."""
    if minutes <= 0:
        raise FeeError("An activity must last at least one minute.")
    if is_hourly:
        if minutes > HOURLY_MAX_MINUTES:
            raise HourlyTooLong(minutes)
        return HOURLY
    if minutes <= SHORT_MAX_MINUTES:
        return SHORT
    if minutes <= HALF_DAY_MAX_MINUTES:
        return HALF_DAY
    return FULL_DAY


def hourly_applies(minutes: int, *, is_hourly: bool) -> bool:
    """Return whether an hourly agreement pays an activity of ``minutes`` including travel.

    An effort that turns out longer than two hours is paid by the fee classes instead.
    """
    return is_hourly and minutes <= HOURLY_MAX_MINUTES


def pbb_for(year: int, pbb_table: Mapping[int, int]) -> int:
    """Return the PBB of ``year`` or raise naming the year."""
    try:
        return int(pbb_table[year])
    except KeyError:
        raise MissingPriceBaseAmount(year) from None


def class_amounts(pbb: int) -> dict[str, int]:
    """Return the rounded amount per class (per hour for hourly) for one PBB."""
    return {name: round_kronor(pbb * share) for name, share in SHARES.items()}


def paid_hours(minutes: int, rule: str) -> Decimal:
    """Return the hours an hourly fee pays for: started hours or exact time."""
    if rule == HOURLY_STARTED:
        return Decimal(math.ceil(minutes / 60))
    if rule == HOURLY_ACTUAL:
        return Decimal(minutes) / Decimal(60)
    raise FeeError(f"Unknown hourly rule {rule!r}; use one of {', '.join(HOURLY_RULES)}.")


def activity_fee(
    *,
    on: date,
    minutes: int,
    travel_minutes: int = 0,
    pbb_table: Mapping[int, int],
    is_hourly: bool = False,
    hourly_rule: str = HOURLY_STARTED,
    no_fee_reason: str = "",
) -> FeeLine:
    """Return the fee of one activity on ``on`` lasting ``minutes`` plus travel."""
    if travel_minutes < 0:
        raise FeeError("Travel time cannot be negative.")
    total = minutes + travel_minutes
    fee_class = fee_class_for(total, is_hourly=is_hourly)
    if no_fee_reason:
        return FeeLine(NONE, total, on.year, 0, 0, reason=no_fee_reason)
    pbb = pbb_for(on.year, pbb_table)
    if fee_class != HOURLY:
        return FeeLine(fee_class, total, on.year, pbb, class_amounts(pbb)[fee_class])
    hours = paid_hours(total, hourly_rule)
    if hourly_rule == HOURLY_STARTED:
        fee = int(hours) * class_amounts(pbb)[HOURLY]
    else:
        # Divide last, so an exact half (e.g. 58 800 × 0.5 % × 65 / 60 = 318.5) rounds up.
        fee = round_kronor(pbb * SHARES[HOURLY] * total / Decimal(60))
    return FeeLine(HOURLY, total, on.year, pbb, fee, hours=hours)


def no_fee_reason(*, is_part_of_employment: bool, is_open_meeting_audience: bool = False) -> str:
    """Return why a person's participation carries no fee, or '' when it does.

    The open-information-meeting rule exempts the audience only: people booked to speak at an
    open meeting are contributors and are paid (docs/domain.md §6.2).
    """
    if is_part_of_employment:
        return REASON_EMPLOYMENT
    if is_open_meeting_audience:
        return REASON_OPEN_MEETING
    return ""


def car_cost(km: int, kr_per_10km: Decimal) -> int:
    """Return the tax-free car allowance for ``km`` kilometres, whole kronor."""
    if km < 0:
        raise FeeError("Distance cannot be negative.")
    return round_kronor(Decimal(km) * Decimal(kr_per_10km) / 10)


def mileage_rate_on(
    on: date, rates: Mapping[date, Decimal], ends: Mapping[date, date | None] | None = None
) -> Decimal:
    """Return the mileage rate valid on ``on`` (the latest starting on or before it).

    ``ends`` maps a rate's first day to its last (None or absent: open-ended); a rate that has
    ended before ``on`` does not cover it.
    """
    valid = [start for start in rates if start <= on]
    if not valid:
        raise MissingMileageRate(on)
    start = max(valid)
    last = (ends or {}).get(start)
    if last is not None and last < on:
        raise MissingMileageRate(on)
    return Decimal(rates[start])


def contribution_rate(birth_year: int, on: date, rows: Sequence[ContributionRow]) -> Decimal:
    """Return the contribution rate (per cent) for a birth year on a pay date.

    When bands overlap (the temporary youth rate inside the full band), the narrowest band wins.
    """
    matching = [row for row in rows if _covers(row, birth_year, on)]
    if not matching:
        raise MissingContributionRate(birth_year, on)
    best = min(matching, key=lambda row: (_band_width(row), -row.valid_from.toordinal()))
    return Decimal(best.rate_percent)


def _covers(row: ContributionRow, birth_year: int, on: date) -> bool:
    in_period = row.valid_from <= on and (row.valid_to is None or on <= row.valid_to)
    above = row.born_from is None or birth_year >= row.born_from
    below = row.born_to is None or birth_year <= row.born_to
    return in_period and above and below


def _band_width(row: ContributionRow) -> float:
    if row.born_from is None or row.born_to is None:
        return math.inf
    return row.born_to - row.born_from


def employer_contribution(amount: int, rate_percent: Decimal) -> int:
    """Return the employer contribution on ``amount`` at ``rate_percent``, whole kronor."""
    return round_kronor(Decimal(amount) * Decimal(rate_percent) / 100)


def yearly_contribution(paid_in_year: int, rate_percent: Decimal) -> int:
    """Return the contributions on one payer's yearly total to one person (0 under 1 000 kr)."""
    if paid_in_year < YEARLY_CONTRIBUTION_THRESHOLD:
        return 0
    return employer_contribution(paid_in_year, rate_percent)


@dataclass(frozen=True)
class CostSummary:
    """What a payer's budget carries: fees, contributions on them, and travel."""

    fees: int
    contributions: int
    travel: int

    @property
    def with_contributions(self) -> int:
        return self.fees + self.contributions

    @property
    def total(self) -> int:
        return self.fees + self.contributions + self.travel


def cost_summary(
    fees_per_person: Sequence[int], rate_percent: Decimal, travel: int = 0
) -> CostSummary:
    """Sum fees and each person's contributions (rounded per person), then travel."""
    contributions = sum(employer_contribution(fee, rate_percent) for fee in fees_per_person)
    return CostSummary(sum(fees_per_person), contributions, travel)
