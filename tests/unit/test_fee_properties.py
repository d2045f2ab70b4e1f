"""Properties of the fee rules (docs/domain.md §6.1) for any duration and any year 2021–2026.

The expected amounts are computed here in plain integer arithmetic, independently of the
engine's Decimal code: a share of the PBB in thousandths, rounded to whole kronor, halves up.
"""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.services.compensation import fees

#: The PBB of every year from 2021 (docs/domain.md §6.3 and the seeded figures).
PBB = {2021: 47_600, 2022: 48_300, 2023: 52_500, 2024: 57_300, 2025: 58_800, 2026: 59_200}
#: Share of the PBB in thousandths: 3.6 %, 1.8 %, 0.9 %, 0.5 % per hour.
THOUSANDTHS = {"full_day": 36, "half_day": 18, "short": 9, "hourly": 5}

years = st.sampled_from(sorted(PBB))
days = st.integers(1, 28)
months = st.integers(1, 12)
minutes = st.integers(1, 24 * 60)
travel = st.integers(0, 10 * 60)


def half_up(numerator: int, denominator: int) -> int:
    """Round a positive fraction to a whole number, halves up."""
    return (2 * numerator + denominator) // (2 * denominator)


def expected_class(total: int) -> str:
    if total <= 120:
        return "short"
    if total <= 240:
        return "half_day"
    return "full_day"


@given(year=years, month=months, day=days, minutes=minutes, travel=travel)
def test_any_duration_gets_the_class_and_fee_the_rule_says(year, month, day, minutes, travel):
    line = fees.activity_fee(
        on=date(year, month, day), minutes=minutes, travel_minutes=travel, pbb_table=PBB
    )

    fee_class = expected_class(minutes + travel)
    assert (line.fee_class, line.minutes, line.pbb, line.fee) == (
        fee_class,
        minutes + travel,
        PBB[year],
        half_up(PBB[year] * THOUSANDTHS[fee_class], 1000),
    )


@given(year=years, minutes=minutes)
def test_the_fee_never_falls_as_the_effort_grows(year, minutes):
    shorter = fees.activity_fee(on=date(year, 6, 1), minutes=minutes, pbb_table=PBB)
    longer = fees.activity_fee(on=date(year, 6, 1), minutes=minutes + 1, pbb_table=PBB)

    assert shorter.fee <= longer.fee


@given(year=years)
def test_rounding_is_half_up_and_never_more_than_half_a_krona(year):
    amounts = fees.class_amounts(PBB[year])

    for name, share in THOUSANDTHS.items():
        exact_in_thousandths = PBB[year] * share
        assert -500 < amounts[name] * 1000 - exact_in_thousandths <= 500


def test_the_2021_amounts_round_half_up():
    # 47 600 × 1.8 % = 856.8 → 857; × 3.6 % = 1 713.6 → 1 714; × 0.9 % = 428.4 → 428.
    assert fees.class_amounts(47_600) == {
        "full_day": 1714,
        "half_day": 857,
        "short": 428,
        "hourly": 238,
    }


@given(year=years, minutes=st.integers(1, 90), travel=st.integers(0, 30))
def test_the_hourly_alternative_pays_every_started_hour_up_to_two_hours(year, minutes, travel):
    line = fees.activity_fee(
        on=date(year, 3, 3),
        minutes=minutes,
        travel_minutes=travel,
        pbb_table=PBB,
        is_hourly=True,
        hourly_rule=fees.HOURLY_STARTED,
    )

    started = -(-(minutes + travel) // 60)
    assert (line.fee_class, line.fee) == (
        "hourly",
        started * half_up(PBB[year] * THOUSANDTHS["hourly"], 1000),
    )


@given(year=years, total=st.integers(1, 120))
def test_the_hourly_actual_rule_pays_to_the_minute(year, total):
    line = fees.activity_fee(
        on=date(year, 3, 3),
        minutes=total,
        pbb_table=PBB,
        is_hourly=True,
        hourly_rule=fees.HOURLY_ACTUAL,
    )

    # PBB × 0.5 % × minutes / 60 = PBB × 5 × minutes / 60 000.
    assert line.fee == half_up(PBB[year] * 5 * total, 60_000)


def test_an_exact_half_krona_in_the_actual_hourly_rule_rounds_up():
    # 58 800 × 0.5 % × 65 / 60 = 318.5 exactly: dividing the hours first gave 318.4999… → 318.
    line = fees.activity_fee(
        on=date(2025, 3, 3),
        minutes=65,
        pbb_table=PBB,
        is_hourly=True,
        hourly_rule=fees.HOURLY_ACTUAL,
    )

    assert line.fee == 319


@given(year=years, minutes=st.integers(1, 24 * 60), travel=travel)
def test_the_hourly_alternative_is_refused_above_two_hours_including_travel(year, minutes, travel):
    total = minutes + travel
    call = dict(
        on=date(year, 9, 9), minutes=minutes, travel_minutes=travel, pbb_table=PBB, is_hourly=True
    )
    if total <= 120:
        assert fees.activity_fee(**call).fee_class == "hourly"
    else:
        with pytest.raises(fees.HourlyTooLong):
            fees.activity_fee(**call)


@given(total=st.integers(1, 24 * 60), is_hourly=st.booleans())
def test_an_hourly_agreement_applies_only_up_to_two_hours(total, is_hourly):
    assert fees.hourly_applies(total, is_hourly=is_hourly) == (is_hourly and total <= 120)


@given(year=years, minutes=minutes, travel=travel)
def test_part_of_employment_pays_nothing_and_says_why(year, minutes, travel):
    reason = fees.no_fee_reason(is_part_of_employment=True)
    line = fees.activity_fee(
        on=date(year, 5, 5),
        minutes=minutes,
        travel_minutes=travel,
        pbb_table=PBB,
        no_fee_reason=reason,
    )

    assert (line.fee, line.fee_class, line.reason) == (0, "none", "part_of_employment")


@given(year=st.integers(1990, 2020) | st.integers(2027, 2100), minutes=minutes)
def test_a_year_without_pbb_is_an_error_naming_it(year, minutes):
    with pytest.raises(fees.MissingPriceBaseAmount) as raised:
        fees.activity_fee(on=date(year, 1, 1), minutes=minutes, pbb_table=PBB)

    assert (raised.value.year, str(year) in str(raised.value)) == (year, True)
