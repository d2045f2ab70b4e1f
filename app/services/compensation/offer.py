"""The fee offered on an invitation, before the member answers (docs/domain.md §6).

Per session and in total, with the agreed extra time and the car rate of the first session's
date. A missing yearly figure is reported by its year, never as an error or a blank.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlmodel import Session

from app.models import RequestSession
from app.services.compensation import fees
from app.services.compensation.fee_tables import Tables, load_tables
from app.services.compensation.terms import Terms


@dataclass(frozen=True)
class OfferLine:
    """The fee of one session, or of the agreed extra time (``is_extra``)."""

    on: date
    minutes: int
    fee_class: str
    fee: int
    is_extra: bool = False


@dataclass(frozen=True)
class FeeOffer:
    """What the invitation says about money before the member accepts."""

    terms: Terms
    lines: tuple[OfferLine, ...]
    #: Why the fee is zero (part of employment), or ''.
    reason: str
    #: The year whose PBB is missing (its sessions are left out of ``lines``), or None.
    missing_year: int | None
    #: Car allowance per 10 km on the first session's date; None when not recorded.
    kr_per_10km: Decimal | None

    @property
    def total(self) -> int:
        return sum(line.fee for line in self.lines)

    @property
    def minutes(self) -> int:
        """Return the time the fee assumes: sessions and extra time, travel not included."""
        return sum(line.minutes for line in self.lines)


def agreed_activities(
    items: list[RequestSession], *, extra_minutes: int, zone: ZoneInfo
) -> list[tuple[date, int]]:
    """Return (local day, minutes) per session, then the agreed extra time on the last day."""
    activities = [
        (item.starts_at.astimezone(zone).date(), fees.minutes_between(item.starts_at, item.ends_at))
        for item in items
    ]
    if extra_minutes and activities:
        activities.append((activities[-1][0], extra_minutes))
    return activities


def price_activities(
    activities: list[tuple[date, int]],
    *,
    tables: Tables,
    terms: Terms,
    hourly_rule: str = fees.HOURLY_STARTED,
) -> tuple[list[tuple[int, fees.FeeLine]], list[fees.MissingFigure]]:
    """Price each activity under ``terms``: (index, fee line) for those with their figures, and
    the figures missing for the rest (the part that can be computed is always returned)."""
    reason = fees.no_fee_reason(is_part_of_employment=terms.is_part_of_employment)
    priced, missing = [], []
    for index, (day, minutes) in enumerate(activities):
        try:
            line = fees.activity_fee(
                on=day,
                minutes=minutes,
                pbb_table=tables.pbb,
                is_hourly=fees.hourly_applies(minutes, is_hourly=terms.is_hourly),
                hourly_rule=hourly_rule,
                no_fee_reason=reason,
            )
        except fees.MissingFigure as error:
            missing.append(error)
            continue
        priced.append((index, line))
    return priced, missing


def fee_offer(
    *,
    session: Session,
    items: list[RequestSession],
    terms: Terms,
    zone: ZoneInfo,
    hourly_rule: str = fees.HOURLY_STARTED,
) -> FeeOffer:
    """Return the expected fee of one person on a request's sessions under ``terms``."""
    tables = load_tables(session=session)
    reason = fees.no_fee_reason(is_part_of_employment=terms.is_part_of_employment)
    activities = agreed_activities(items, extra_minutes=terms.extra_minutes, zone=zone)
    first = activities[0][0] if activities else None
    try:
        rate = fees.mileage_rate_on(first, tables.mileage) if first else None
    except fees.FeeError:
        rate = None
    priced, missing = price_activities(
        activities, tables=tables, terms=terms, hourly_rule=hourly_rule
    )
    last = len(activities) - 1
    lines = tuple(
        OfferLine(
            activities[index][0],
            activities[index][1],
            line.fee_class,
            line.fee,
            bool(terms.extra_minutes) and index == last,
        )
        for index, line in priced
    )
    # The part that can be computed is still offered; the gap is named by its (first) year.
    missing_year = min((error.year for error in missing), default=None)
    return FeeOffer(terms, lines, reason, missing_year, rate)
