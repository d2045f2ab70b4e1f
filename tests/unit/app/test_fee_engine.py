"""The pure fee engine: classes at every boundary, rounding, zero fees, contributions."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.services.compensation import fees

PBB = {2021: 47_600, 2024: 57_300, 2025: 58_800, 2026: 59_200}
STOCKHOLM = ZoneInfo("Europe/Stockholm")
ROWS_2026 = (
    fees.ContributionRow(date(2026, 1, 1), date(2026, 12, 31), 1959, None, Decimal("31.42")),
    fees.ContributionRow(date(2026, 1, 1), date(2026, 12, 31), 1938, 1958, Decimal("10.21")),
    fees.ContributionRow(date(2026, 1, 1), date(2026, 12, 31), None, 1937, Decimal("0")),
    fees.ContributionRow(date(2026, 4, 1), date(2027, 9, 30), 2003, 2007, Decimal("20.81")),
)
years = st.sampled_from(sorted(PBB))


def fee(minutes, travel=0, year=2021, **kwargs):
    return fees.activity_fee(
        on=date(year, 6, 1), minutes=minutes, travel_minutes=travel, pbb_table=PBB, **kwargs
    )


def test_class_amounts_of_2021_match_the_domain_table():
    assert fees.class_amounts(47_600) == {
        "full_day": 1714,
        "half_day": 857,
        "short": 428,
        "hourly": 238,
    }


def test_class_amounts_of_2026():
    assert fees.class_amounts(59_200) == {
        "full_day": 2131,
        "half_day": 1066,
        "short": 533,
        "hourly": 296,
    }


def test_rounding_is_half_up():
    assert [fees.round_kronor(Decimal(v)) for v in ("1713.5", "1713.49", "0.5", "2.5")] == [
        1714,
        1713,
        1,
        3,
    ]


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [(1, "short"), (120, "short"), (121, "half_day"), (240, "half_day"), (241, "full_day")],
)
def test_fee_class_at_the_boundaries(minutes, expected):
    assert fees.fee_class_for(minutes) == expected


@given(minutes=st.integers(1, 120), year=years)
def test_up_to_exactly_two_hours_is_short(minutes, year):
    assert (fee(minutes, year=year).fee_class, fee(minutes, year=year).fee) == (
        "short",
        fees.class_amounts(PBB[year])["short"],
    )


@given(minutes=st.integers(121, 240), year=years)
def test_more_than_two_up_to_exactly_four_hours_is_a_half_day(minutes, year):
    assert fee(minutes, year=year).fee_class == "half_day"


@given(minutes=st.integers(241, 24 * 60), year=years)
def test_four_hours_and_one_minute_or_more_is_a_full_day(minutes, year):
    assert (fee(minutes, year=year).fee_class, fee(minutes, year=year).fee) == (
        "full_day",
        fees.round_kronor(Decimal(PBB[year]) * Decimal("0.036")),
    )


@given(meeting=st.integers(1, 240), travel=st.integers(0, 600))
def test_travel_counts_into_the_class(meeting, travel):
    assert fee(meeting, travel).fee_class == fees.fee_class_for(meeting + travel)


@given(travel=st.integers(1, 120))
def test_travel_pushes_exactly_two_hours_over_the_boundary(travel):
    assert (fee(120).fee_class, fee(120, travel).fee_class) == ("short", "half_day")


@given(travel=st.integers(1, 120))
def test_travel_pushes_exactly_four_hours_to_a_full_day(travel):
    assert (fee(240).fee_class, fee(240, travel).fee_class) == ("half_day", "full_day")


@given(start_minute=st.integers(20 * 60, 23 * 60 + 59), length=st.integers(1, 600))
def test_sessions_crossing_midnight_count_their_real_duration(start_minute, length):
    start = datetime(2025, 3, 10, tzinfo=STOCKHOLM) + timedelta(minutes=start_minute)

    minutes = fees.minutes_between(start, start + timedelta(minutes=length))

    assert minutes == length


def test_session_over_the_dst_change_counts_real_minutes():
    start = datetime(2025, 3, 30, 1, 0, tzinfo=STOCKHOLM)  # clocks jump 02:00 → 03:00
    end = datetime(2025, 3, 30, 6, 0, tzinfo=STOCKHOLM)

    assert fees.minutes_between(start, end) == 240


@given(length=st.integers(1, 600))
def test_new_years_eve_session_uses_the_year_it_starts(length):
    starts = datetime(2025, 12, 31, 22, 0, tzinfo=STOCKHOLM)
    minutes = fees.minutes_between(starts, starts + timedelta(minutes=length))

    line = fees.activity_fee(on=starts.date(), minutes=minutes, pbb_table=PBB)

    assert (line.year, line.pbb) == (2025, 58_800)


def test_new_year_session_uses_the_new_years_pbb():
    line = fees.activity_fee(on=date(2026, 1, 1), minutes=300, pbb_table=PBB)

    assert (line.pbb, line.fee) == (59_200, 2131)


def test_missing_pbb_year_is_an_error_naming_the_year():
    with pytest.raises(fees.MissingPriceBaseAmount, match="2019") as raised:
        fees.activity_fee(on=date(2019, 5, 5), minutes=60, pbb_table=PBB)

    assert raised.value.year == 2019


@given(minutes=st.integers(1, 120))
def test_hourly_started_hours_pay_every_started_hour(minutes):
    line = fee(minutes, is_hourly=True, hourly_rule=fees.HOURLY_STARTED)

    assert (line.fee_class, line.fee) == ("hourly", -(-minutes // 60) * 238)


@given(minutes=st.integers(1, 120))
def test_hourly_actual_time_pays_to_the_minute(minutes):
    line = fee(minutes, is_hourly=True, hourly_rule=fees.HOURLY_ACTUAL)

    assert line.fee == fees.round_kronor(Decimal(47_600) * Decimal("0.005") * minutes / 60)


def test_hourly_rules_differ_on_a_started_hour():
    started = fee(61, is_hourly=True, hourly_rule=fees.HOURLY_STARTED).fee
    actual = fee(61, is_hourly=True, hourly_rule=fees.HOURLY_ACTUAL).fee

    assert (started, actual) == (476, 242)


def test_unknown_hourly_rule_is_refused():
    with pytest.raises(fees.FeeError, match="hourly rule"):
        fee(60, is_hourly=True, hourly_rule="rounded")


@pytest.mark.parametrize(
    ("flags", "reason"),
    [
        (
            {"is_open_meeting_audience": True, "is_part_of_employment": False},
            "open_information_meeting",
        ),
        (
            {"is_open_meeting_audience": False, "is_part_of_employment": True},
            "part_of_employment",
        ),
        (
            {"is_open_meeting_audience": True, "is_part_of_employment": True},
            "part_of_employment",
        ),
    ],
)
def test_zero_fee_cases_say_why(flags, reason):
    line = fee(300, no_fee_reason=fees.no_fee_reason(**flags))

    assert (line.fee_class, line.fee, line.reason) == ("none", 0, reason)


def test_speakers_at_an_open_meeting_are_paid():
    assert fees.no_fee_reason(is_part_of_employment=False) == ""


def test_zero_fee_needs_no_pbb():
    line = fees.activity_fee(
        on=date(2019, 1, 1), minutes=60, pbb_table=PBB, no_fee_reason=fees.REASON_OPEN_MEETING
    )

    assert line.fee == 0


def test_car_cost_is_25_kr_per_10_km_rounded_half_up():
    assert [fees.car_cost(km, Decimal("25")) for km in (0, 10, 42, 1, 3)] == [0, 25, 105, 3, 8]


def test_mileage_rate_is_the_latest_valid_one():
    rates = {date(2021, 1, 1): Decimal("25"), date(2027, 1, 1): Decimal("30")}

    assert [fees.mileage_rate_on(d, rates) for d in (date(2026, 5, 1), date(2027, 2, 1))] == [
        Decimal("25"),
        Decimal("30"),
    ]


@pytest.mark.parametrize(
    ("birth_year", "on", "rate"),
    [
        (1959, date(2026, 6, 1), "31.42"),
        (1958, date(2026, 6, 1), "10.21"),
        (1938, date(2026, 6, 1), "10.21"),
        (1937, date(2026, 6, 1), "0"),
        (2003, date(2026, 3, 31), "31.42"),
        (2003, date(2026, 4, 1), "20.81"),
        (2007, date(2026, 12, 31), "20.81"),
        (2008, date(2026, 6, 1), "31.42"),
    ],
)
def test_contribution_rate_by_birth_year_and_pay_date(birth_year, on, rate):
    assert fees.contribution_rate(birth_year, on, ROWS_2026) == Decimal(rate)


def test_missing_contribution_rate_is_an_error():
    with pytest.raises(fees.MissingContributionRate, match="1970"):
        fees.contribution_rate(1970, date(2028, 1, 1), ROWS_2026)


@given(paid=st.integers(0, 999))
def test_no_contributions_under_1000_kr_in_a_year(paid):
    assert fees.yearly_contribution(paid, Decimal("31.42")) == 0


def test_contributions_from_1000_kr_in_a_year():
    assert fees.yearly_contribution(1000, Decimal("31.42")) == 314


def _worked_example_fees(amounts: dict[str, int]) -> list[int]:
    """One member's year: 4 full days, 4 half days, 6 short video check-ins, one reading day."""
    durations = [6 * 60] * 4 + [3 * 60] * 4 + [60] * 6 + [8 * 60]
    return [sum(amounts[fees.fee_class_for(minutes)] for minutes in durations)] * 2


def test_worked_example_with_the_routines_rounded_fees():
    per_person = _worked_example_fees({"full_day": 1700, "half_day": 850, "short": 425})

    summary = fees.cost_summary(per_person, Decimal("31.42"), travel=8 * 1000)

    assert (summary.fees, summary.with_contributions, summary.total) == (28_900, 37_980, 45_980)


def test_worked_example_with_the_real_2021_pbb():
    per_person = _worked_example_fees(fees.class_amounts(47_600))

    summary = fees.cost_summary(per_person, Decimal("31.42"), travel=8 * 1000)

    assert (per_person, summary.fees, summary.contributions, summary.total) == (
        [14_566, 14_566],
        29_132,
        9_154,
        46_286,
    )


def test_naive_times_are_refused():
    with pytest.raises(fees.FeeError):
        fees.minutes_between(datetime(2025, 1, 1), datetime(2025, 1, 1, 2, tzinfo=UTC))
