"""``levbib fees quote``: every year with a PBB, with or without a contribution rate; the terms."""

import json
from datetime import date

from sqlmodel import delete, select

from app.models import EmployerContributionRate, PriceBaseAmount


def _quote(app, *args):
    return app.test_cli_runner().invoke(args=["fees", "quote", *args])


def _without_2021_contribution_rates(db_session):
    """No contribution rate covers 2021: the fee must not need one."""
    db_session.exec(
        delete(EmployerContributionRate).where(
            EmployerContributionRate.valid_from <= date(2021, 12, 31),
            (EmployerContributionRate.valid_to.is_(None))
            | (EmployerContributionRate.valid_to >= date(2021, 1, 1)),
        )
    )
    db_session.flush()


def test_quote_2021_with_birth_year_and_no_rate_gives_the_fee_and_a_note(app, db_session):
    _without_2021_contribution_rates(db_session)

    result = _quote(app, "--date", "2021-05-10", "--hours", "3", "--birth-year", "1981")

    assert (result.exit_code, json.loads(result.output)) == (
        0,
        {
            "class": "half_day",
            "pbb": 47600,
            "fee": 857,
            "rate": None,
            "employer_contribution": None,
            "notes": [
                "No employer contribution rate for people born 1981 on 2021-05-10. "
                "The fee does not depend on it."
            ],
        },
    )


def test_quote_2021_without_birth_year(app, db_session):
    _without_2021_contribution_rates(db_session)

    result = _quote(app, "--date", "2021-05-10", "--hours", "5")

    assert (result.exit_code, json.loads(result.output)) == (
        0,
        {
            "class": "full_day",
            "pbb": 47600,
            "fee": 1714,
            "rate": None,
            "employer_contribution": None,
            "notes": ["No birth year given: employer contributions depend on the birth year."],
        },
    )


def test_quote_every_year_with_a_pbb_works(app, db_session):
    recorded = {row.year: row.amount_sek for row in db_session.exec(select(PriceBaseAmount))}

    outputs = {
        year: json.loads(_quote(app, "--date", f"{year}-06-01", "--hours", "1").output)
        for year in sorted(recorded)
    }

    assert {year: (out["pbb"], out["class"]) for year, out in outputs.items()} == {
        year: (amount, "short") for year, amount in recorded.items()
    }


def test_quote_missing_pbb_exits_2_naming_the_year(app, db_session):
    db_session.exec(delete(PriceBaseAmount).where(PriceBaseAmount.year == 2020))
    db_session.flush()

    result = _quote(app, "--date", "2020-05-10", "--hours", "3", "--birth-year", "1981")

    assert (result.exit_code, result.output.strip()) == (
        2,
        "error: No price base amount (PBB) is recorded for 2020.",
    )


def test_quote_hourly_above_two_hours_exits_2(app):
    result = _quote(app, "--date", "2026-06-01", "--hours", "3", "--hourly")

    assert (result.exit_code, "up to two hours including travel" in result.output) == (2, True)


def test_quote_hourly_counts_travel_into_the_two_hours(app):
    result = _quote(
        app, "--date", "2026-06-01", "--hours", "1.5", "--travel-hours", "1", "--hourly"
    )

    assert result.exit_code == 2


def test_quote_extra_hours_pay_a_reading_day_the_same_way(app):
    result = _quote(
        app, "--date", "2026-06-01", "--hours", "5", "--extra-hours", "8", "--birth-year", "1970"
    )

    # A full day (2 131 kr) and a reading day paid as a full day (2 131 kr); 31.42 %.
    assert (result.exit_code, json.loads(result.output)) == (
        0,
        {
            "class": "full_day",
            "pbb": 59200,
            "fee": 4262,
            "rate": 31.42,
            "employer_contribution": 1339,
            "notes": ["Extra agreed time 8 h paid as full_day: 2131 kr."],
        },
    )


def test_quote_employment_pays_no_fee_with_a_note(app):
    result = _quote(app, "--date", "2026-06-01", "--hours", "3", "--employment")

    body = json.loads(result.output)
    assert (result.exit_code, body["class"], body["fee"], body["notes"][0]) == (
        0,
        "none",
        0,
        "No fee: the assignment is part of the person's employment.",
    )
