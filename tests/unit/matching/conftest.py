"""Factories for matching tests: a plain member and request that match each other."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time

import pytest

from matching.types import STOCKHOLM, Experience, Member, Request, Session, WeeklyWindow

WORKDAYS = tuple(WeeklyWindow(d, time(8, 0), time(17, 0)) for d in range(5))


def at(text: str) -> datetime:
    """Return a Europe/Stockholm datetime from 'YYYY-MM-DDTHH:MM'."""
    return datetime.fromisoformat(text).replace(tzinfo=STOCKHOLM)


def member(mid: str = "m1", **changes) -> Member:
    """Return an active member with own psychosis experience, free on weekdays 08-17."""
    base = Member(
        id=mid,
        birth_year=1970,
        gender="woman",
        experiences=(Experience("psychiatry/psychosis", "own"),),
        weekly=WORKDAYS,
        max_per_month=2,
    )
    return replace(base, **changes)


def request(**changes) -> Request:
    """Return a two-person on-site education request on Tuesday 10 March 2026, 10-12."""
    base = Request(
        id="r1",
        organisation="Region Jönköpings län",
        type="education",
        areas=("psychiatry/psychosis",),
        sessions=(Session(at("2026-03-10T10:00"), at("2026-03-10T12:00")),),
    )
    return replace(base, **changes)


@pytest.fixture
def make_member():
    return member


@pytest.fixture
def make_request():
    return request


@pytest.fixture(name="at")
def at_fixture():
    return at
