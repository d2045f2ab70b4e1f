"""Dates and amounts as Swedish readers expect them, English on request."""

from datetime import UTC, datetime

import pytest
from flask_babel import force_locale

from app import create_app
from app.i18n import format_kronor, format_local, format_long_date


@pytest.fixture
def app_context(tmp_path):
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite'}", "TESTING": True})
    with app.test_request_context():
        yield


def test_amounts_are_written_with_a_space_between_thousands():
    assert format_kronor(1714) == "1\u00a0714\u00a0kr"
    assert format_kronor(28900.4) == "28\u00a0900\u00a0kr"


def test_days_are_written_out_in_swedish_local_time(app_context):
    winter_evening = datetime(2026, 12, 8, 22, 30, tzinfo=UTC)  # 23:30 in Stockholm

    with force_locale("sv"):
        assert format_long_date(winter_evening) == "tisdag 8 december 2026"
        assert format_local(winter_evening) == "2026-12-08 23:30"
    with force_locale("en"):
        assert format_long_date(winter_evening) == "Tuesday, December 8, 2026"


def test_a_late_utc_time_falls_on_the_next_local_day(app_context):
    with force_locale("sv"):
        assert format_long_date(datetime(2026, 6, 30, 22, 30, tzinfo=UTC)) == "onsdag 1 juli 2026"


def test_numbers_are_written_with_a_decimal_comma_and_spaced_thousands():
    from decimal import Decimal

    from app import formatting

    assert formatting.number(0.91) == "0,91"
    assert formatting.number(302504) == "302\u00a0504"
    assert formatting.number(3.0) == "3"
    assert formatting.number(0.5, places=2) == "0,50"
    assert formatting.kronor(Decimal("25"), places=2) == "25,00\u00a0kr"
    assert formatting.percent(Decimal("20.81")) == "20,81\u00a0%"
    assert formatting.percent(20.806, places=1) == "20,8\u00a0%"
    assert formatting.share(0.20833, up_to=1) == "20,8\u00a0%"
    assert formatting.share(0.2, up_to=1) == "20\u00a0%"
    assert formatting.hours(150) == "2,5"
    assert formatting.hours(180) == "3"
    assert formatting.number_range(18, 34) == "18–34"
    assert formatting.number_range(80, None) == "80+"


def test_numbers_in_english_are_written_the_english_way():
    from app import formatting

    assert formatting.number(302504.5, "en") == "302,504.5"
    assert formatting.kronor(1714, "en") == "1,714\u00a0kr"
    assert formatting.percent(20.81, "en") == "20.81%"
    assert formatting.share(0.20833, "en", up_to=1) == "20.8%"
    assert formatting.hours(150, "en") == "2.5"


def test_template_filters_follow_the_ui_language(app_context):
    from flask import render_template_string

    page = "{{ 0.5|number(2) }} {{ 20.81|percent }} {{ 150|hours }} {{ 1714|kronor }} {{ '18-34'|ageband }}"
    with force_locale("sv"):
        assert render_template_string(page) == "0,50 20,81\u00a0% 2,5 1\u00a0714\u00a0kr 18–34"
    with force_locale("en"):
        assert render_template_string(page) == "0.50 20.81% 2.5 1,714\u00a0kr 18–34"


@pytest.mark.parametrize("locale", ["sv", "en"])
@pytest.mark.parametrize("places", [None, 0, 1, 2])
def test_kept_numbers_equal_freshly_formatted_ones_of_every_type(locale, places):
    from decimal import Decimal

    from app import formatting

    values = [0, 1, 1.0, Decimal("1.00"), 0.1, Decimal("0.1"), -2.5, 2.675, 1234567, 0.0005,
              Decimal("0.0005"), 0.0, -0.0, Decimal("0"), Decimal("-0"), float("inf"),
              Decimal("NaN")]  # fmt: skip
    for value in values + values[::-1]:  # the second time from the kept copy, other order
        assert formatting.number(value, locale, places=places) == formatting._number(
            value, locale, places
        ), value


def test_kept_times_equal_freshly_formatted_ones_in_every_language_and_zone(app_context):
    from datetime import date, timedelta
    from zoneinfo import ZoneInfo

    from babel import dates

    from app import clock

    aware = datetime(2026, 12, 8, 22, 30, tzinfo=UTC)
    values = [aware, aware.replace(tzinfo=None), aware.astimezone(ZoneInfo("Asia/Tokyo")),
              datetime(2026, 3, 29, 0, 59, tzinfo=UTC), datetime(2026, 3, 29, 1, 0, tzinfo=UTC),
              aware + timedelta(microseconds=1)]  # fmt: skip
    before = clock.zone().key
    try:
        for zone in ("Europe/Stockholm", "America/New_York", "Europe/Stockholm"):
            clock.configure(zone)
            for language in ("sv", "en", "sv"):
                with force_locale(language):
                    for value in values + values[::-1]:  # the second time from the kept copy
                        local = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(
                            ZoneInfo(zone)
                        )
                        for fmt in ("yyyy-MM-dd HH:mm", "EEEE d MMMM HH:mm"):
                            fresh = dates.format_datetime(local, fmt, locale=language)
                            assert format_local(value, fmt) == fresh, (zone, language, value)
                        fresh_day = dates.format_date(local.date(), "full", locale=language)
                        assert format_long_date(value) == fresh_day, (zone, language, value)
                    day = date(2026, 12, 8)
                    assert format_long_date(day) == dates.format_date(day, "full", locale=language)
    finally:
        clock.configure(before)


def test_kept_labels_follow_the_language_and_are_not_taken_from_outside_a_request(tmp_path):
    from app.models.enums import RequestStatus
    from app.web.labels import label

    outside = label(RequestStatus, "approved")  # no request: the catalogue is not Swedish
    assert outside == "Approved, invitations sent"
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite'}", "TESTING": True})
    with app.test_request_context():
        for _ in range(2):  # the second time from the kept copy
            with force_locale("sv"):
                assert label(RequestStatus, "approved") == "Godkänd, inbjudningar skickade"
                assert (
                    label(RequestStatus, RequestStatus.APPROVED) == "Godkänd, inbjudningar skickade"
                )
            with force_locale("en"):
                assert label(RequestStatus, "approved") == "Approved, invitations sent"
            assert label(RequestStatus, "no-such-status") == "no-such-status"
            assert label(RequestStatus, ["unhashable"]) == ["unhashable"]
    assert label(RequestStatus, "approved") == outside
