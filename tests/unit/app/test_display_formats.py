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
