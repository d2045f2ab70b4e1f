from datetime import time

import pytest

from app.web.forms import parse_clock


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("9", time(9, 0)),
        ("09", time(9, 0)),
        ("9:15", time(9, 15)),
        ("09.15", time(9, 15)),
        ("9,15", time(9, 15)),
        ("0915", time(9, 15)),
        ("930", time(9, 30)),
        (" 23:59 ", time(23, 59)),
        ("00:00", time(0, 0)),
    ],
)
def test_times_are_read_as_people_type_them(typed, expected):
    assert parse_clock(typed) == expected


@pytest.mark.parametrize("typed", ["", "24:00", "12:60", "9:5", "nio", "12:00:00", "-1", "12345"])
def test_unreadable_times_give_none(typed):
    assert parse_clock(typed) is None
