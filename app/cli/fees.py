"""``levbib fees``: quote a fee from the command line with the same engine as the web."""

from __future__ import annotations

import json
import sys
from datetime import date
from decimal import Decimal, InvalidOperation

import click
from flask import current_app
from flask.cli import AppGroup

from app.config import fee_hourly_rule
from app.services.compensation import fees

fees_group = AppGroup("fees", help="Fees per price base amount (prisbasbelopp).")


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(2)


def _minutes(text: str, name: str) -> int:
    try:
        hours = Decimal(text)
    except InvalidOperation:
        _fail(f"{name} must be a number of hours, got {text!r}")
    if not hours.is_finite() or hours < 0 or hours > 24 * 31:
        _fail(f"{name} must be between 0 and 744 hours, got {text!r}")
    return int((hours * 60).to_integral_value())


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        _fail(f"--date must be YYYY-MM-DD, got {text!r}")


@fees_group.command("quote")
@click.option("--date", "day", required=True, help="Date of the activity, YYYY-MM-DD.")
@click.option("--hours", required=True, help="Duration in hours, e.g. 2.5.")
@click.option("--travel-hours", default="0", help="Travel time in hours (counts into the class).")
@click.option(
    "--hourly", is_flag=True, help="The agreement pays per hour (up to 2 h including travel)."
)
@click.option("--birth-year", default=None, help="The member's birth year (contribution band).")
@click.option(
    "--extra-hours", default="0", help="Extra agreed time in hours (e.g. a reading day), paid too."
)
@click.option(
    "--employment", is_flag=True, help="Part of the person's employment at a patient organisation."
)
def quote_command(
    day: str,
    hours: str,
    travel_hours: str,
    hourly: bool,
    birth_year: str | None,
    extra_hours: str,
    employment: bool,
):
    """Print the fee class, PBB, fee, rate, employer contribution and notes as JSON.

    The rate and contribution are null (with a note) without a birth year or a recorded rate;
    only a missing PBB or an hourly agreement above two hours exits with code 2.
    """
    from app.services.compensation.fee_tables import load_tables, quote_fee

    on = _date(day)
    minutes = _minutes(hours, "--hours")
    travel = _minutes(travel_hours, "--travel-hours")
    extra = _minutes(extra_hours, "--extra-hours")
    year = None
    if birth_year is not None:
        if not birth_year.isdigit() or not 1900 <= int(birth_year) <= 2100:
            _fail(f"--birth-year must be a year from 1900 to 2100, got {birth_year!r}")
        year = int(birth_year)
    rule = fee_hourly_rule(current_app.config)
    # The app's own session factory: a read-only look at the figures (tests see theirs).
    session = current_app.extensions["db_session_factory"]()
    try:
        tables = load_tables(session=session)
    finally:
        session.close()
    try:
        quote = quote_fee(
            tables=tables,
            on=on,
            minutes=minutes,
            travel_minutes=travel,
            is_hourly=hourly,
            birth_year=year,
            hourly_rule=rule,
            extra_minutes=extra,
            is_part_of_employment=employment,
        )
    except fees.FeeError as error:
        _fail(str(error))
    click.echo(json.dumps(quote.as_json()))
