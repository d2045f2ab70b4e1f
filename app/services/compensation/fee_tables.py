"""Read the dated compensation tables from the database and quote fees with the pure engine."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlmodel import Session, select

from app.models import EmployerContributionRate, MileageRate, PriceBaseAmount
from app.services.compensation import fees

#: Used for quotes without a birth year: the ordinary full rate (someone aged 40 that year).
DEFAULT_AGE_FOR_QUOTES = 40


@dataclass(frozen=True)
class Tables:
    """The dated tables as plain values for the engine."""

    pbb: dict[int, int]
    contributions: tuple[fees.ContributionRow, ...]
    mileage: dict[date, Decimal]
    #: A mileage rate's first day → its last (only the end-dated ones).
    mileage_ends: dict[date, date] = field(default_factory=dict)

    def mileage_rate_on(self, on: date) -> Decimal:
        """Return the mileage rate valid on ``on`` (raises fees.MissingMileageRate)."""
        return fees.mileage_rate_on(on, self.mileage, self.mileage_ends)


def load_tables(*, session: Session, with_mileage: bool = True) -> Tables:
    """Return PBB, contribution and mileage tables as plain values.

    ``with_mileage=False`` leaves the mileage rates out (empty), for a fee estimate that
    reimburses no travel (``estimate_request_cost``): one statement fewer.
    """
    pbb = {row.year: row.amount_sek for row in session.exec(select(PriceBaseAmount))}
    contributions = tuple(
        fees.ContributionRow(
            row.valid_from, row.valid_to, row.born_from, row.born_to, Decimal(row.rate_percent)
        )
        for row in session.exec(select(EmployerContributionRate))
    )
    mileage_rows = list(session.exec(select(MileageRate))) if with_mileage else []
    mileage = {row.valid_from: Decimal(row.kr_per_10km) for row in mileage_rows}
    ends = {row.valid_from: row.valid_to for row in mileage_rows if row.valid_to is not None}
    return Tables(pbb, contributions, mileage, ends)


@dataclass(frozen=True)
class Quote:
    """A fee quote for one activity, as printed by ``levbib fees quote``.

    ``rate`` and ``employer_contribution`` are None when no birth year is given or no rate is
    recorded for it; ``notes`` then says why. A fee never needs the contribution rate.
    """

    fee_class: str
    pbb: int
    fee: int
    employer_contribution: int | None
    rate: Decimal | None
    notes: tuple[str, ...] = ()

    def as_json(self) -> dict:
        return {
            "class": self.fee_class,
            "pbb": self.pbb,
            "fee": self.fee,
            "rate": None if self.rate is None else float(self.rate),
            "employer_contribution": self.employer_contribution,
            "notes": list(self.notes),
        }


def quote_fee(
    *,
    tables: Tables,
    on: date,
    minutes: int,
    travel_minutes: int = 0,
    is_hourly: bool = False,
    birth_year: int | None = None,
    hourly_rule: str = fees.HOURLY_STARTED,
    extra_minutes: int = 0,
    is_part_of_employment: bool = False,
) -> Quote:
    """Quote the fee (and, when the rate is known, the contribution) of one activity.

    Raises fees.FeeError only when the fee itself cannot be computed (no PBB for the year, an
    hourly agreement above two hours). Extra agreed time is a second activity on the same day,
    paid the same way (docs/domain.md §6.1).
    """
    reason = fees.no_fee_reason(is_part_of_employment=is_part_of_employment)
    line = fees.activity_fee(
        on=on,
        minutes=minutes,
        travel_minutes=travel_minutes,
        pbb_table=tables.pbb,
        is_hourly=is_hourly,
        hourly_rule=hourly_rule,
        no_fee_reason=reason,
    )
    pbb = fees.pbb_for(on.year, tables.pbb)
    total, notes = line.fee, []
    if reason:
        notes.append("No fee: the assignment is part of the person's employment.")
    if extra_minutes:
        extra = fees.activity_fee(
            on=on,
            minutes=extra_minutes,
            pbb_table=tables.pbb,
            is_hourly=fees.hourly_applies(extra_minutes, is_hourly=is_hourly),
            hourly_rule=hourly_rule,
            no_fee_reason=reason,
        )
        total += extra.fee
        notes.append(
            f"Extra agreed time {extra_minutes / 60:g} h paid as {extra.fee_class}: {extra.fee} kr."
        )
    rate = contribution = None
    if birth_year is None:
        notes.append("No birth year given: employer contributions depend on the birth year.")
    else:
        try:
            rate = fees.contribution_rate(birth_year, on, tables.contributions)
        except fees.MissingContributionRate as error:
            notes.append(f"{error} The fee does not depend on it.")
        else:
            contribution = fees.employer_contribution(total, rate)
    return Quote(line.fee_class, pbb, total, contribution, rate, tuple(notes))


@dataclass(frozen=True)
class Estimate:
    """An orderer's cost estimate for a request, before anything is booked."""

    fees: int
    contributions: int
    travel: int | None
    lines: tuple[fees.FeeLine, ...]
    reason: str = ""
    #: Figures that were missing: the fees or contributions they hold back are not counted.
    missing: tuple[fees.MissingFigure, ...] = ()

    @property
    def total(self) -> int:
        return self.fees + self.contributions + (self.travel or 0)

    @property
    def is_complete(self) -> bool:
        return not self.missing


def estimate_request_cost(
    *,
    tables: Tables,
    sessions: list[tuple[date, int]],
    people_count: int,
    travel_per_person: int | None = None,
    hourly_rule: str = fees.HOURLY_STARTED,
) -> Estimate:
    """Estimate fees, full-rate contributions and travel for ``people_count`` participants."""
    # The open-meeting rule exempts the audience; the people booked to speak are paid (§6.2),
    # so ``is_open_information_meeting`` no longer zeroes the estimate.
    reason = ""
    lines: list[fees.FeeLine] = []
    missing: list[fees.MissingFigure] = []
    for day, minutes in sessions:
        try:
            lines.append(
                fees.activity_fee(
                    on=day,
                    minutes=minutes,
                    pbb_table=tables.pbb,
                    hourly_rule=hourly_rule,
                    no_fee_reason=reason,
                )
            )
        except fees.MissingFigure as error:
            missing.append(error)
    per_person = sum(line.fee for line in lines)
    contributions = 0
    if sessions and (per_person or missing):  # an unknown fee still needs its rate later
        last_day = max(day for day, _ in sessions)
        try:
            rate = fees.contribution_rate(
                last_day.year - DEFAULT_AGE_FOR_QUOTES, last_day, tables.contributions
            )
            contributions = fees.employer_contribution(per_person, rate) * people_count
        except fees.MissingFigure as error:
            missing.append(error)
    travel = None if travel_per_person is None else travel_per_person * people_count
    return Estimate(
        per_person * people_count,
        contributions,
        travel,
        tuple(lines),
        reason,
        unique_missing(missing),
    )


def unique_missing(errors) -> tuple[fees.MissingFigure, ...]:
    """Return the missing figures once each (by kind and year), in a stable order."""
    seen: dict[tuple[str, int], fees.MissingFigure] = {}
    for error in errors:
        seen.setdefault((error.kind, error.year), error)
    return tuple(seen[key] for key in sorted(seen))
