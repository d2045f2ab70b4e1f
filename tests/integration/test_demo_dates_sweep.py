"""No page of any role fails on any day from 2026-12-01 to 2027-12-31, on the demo data.

The demo (app.services.demo) is loaded on 2026-12-01 on a freshly migrated database, so its
sessions fall in January–March 2027, past the last recorded price base amount (2026) and the
2026 contribution bands. Then the clock moves to the 1st and 15th of every month and to the
days either side of the year's turn and the youth-rate dates, and each role's pages are fetched:
every GET page reachable from its start page (two clicks deep, a few of each kind of detail
page) and the detail pages of the demo's requests, assignments, claims and agreements.
SQLite is enough here (the figures' own tests run on both databases).
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, date, datetime, time

import pytest
import time_machine
from sqlmodel import select

from app.models import Assignment, BookingRequest, Member, RequestSession, User
from app.models.enums import RequestStatus, Role
from app.services.compensation.figures import add_price_base_amount
from app.services.demo.data import DEMO_LOGINS, DEMO_PASSWORD, load_demo_data
from tests.clock_support import STOCKHOLM
from tests.conftest import login
from tests.databases import fresh_database

LOADED_ON = date(2026, 12, 1)
#: The orderer's live cost estimate for a session in 2027 and one in 2026.
ESTIMATE = (
    "/orders/estimate?day=2026-12-14&start=09:00&end=12:00"
    "&day=2027-02-10&start=09:00&end=15:00&people=2"
)


#: The days either side of the year's turn, the youth rate's and the warning's dates: there
#: every demo object's page is fetched; on the other days a sample of each kind.
BOUNDARY_DAYS = {
    date(2026, 12, 31),
    date(2027, 1, 1),
    date(2027, 3, 31),
    date(2027, 4, 1),
    date(2027, 9, 30),
    date(2027, 10, 1),
    date(2027, 12, 31),
}


def _sweep_days() -> list[date]:
    days = {date(2026, 12, 1), date(2026, 12, 15)} | BOUNDARY_DAYS
    for month in range(1, 13):
        days |= {date(2027, month, 1), date(2027, month, 15)}
    return sorted(days)


SWEEP_DAYS = _sweep_days()
#: The fee engine's own English sentences: a page must name a missing figure in Swedish.
ENGINE_TEXT = re.compile(r"No price base amount|No employer contribution rate|No mileage rate")
#: Links never followed: signing out, and files a browser downloads rather than shows.
SKIPPED = re.compile(r"^/(logout|static/)|\.(ics|csv|xlsx|pdf|zip)$")
HREF = re.compile(r'href="(/[^"#]*)"')
PER_KIND = 2  # detail pages of one kind (same path with other ids) fetched by the crawl


@pytest.fixture(scope="session", params=["sqlite"])
def database_url(request, tmp_path_factory):
    """Only SQLite: the sweep is about dates, not about the database."""
    with fresh_database(request.param, tmp_path_factory.mktemp("sweepdb")) as url:
        yield url


def _moment(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=STOCKHOLM).astimezone(UTC)


@pytest.fixture
def demo(db_session, factory):
    with time_machine.travel(_moment(LOADED_ON), tick=False):
        summary = load_demo_data(session=db_session, today=LOADED_ON)
        db_session.flush()
    assert summary.created
    _book_the_demo_member(db_session, factory)
    return summary


def _book_the_demo_member(db_session, factory) -> None:
    """Book the demo member on the demo's booked requests that meet in the sweep's year.

    The demo books requests in January–March 2027 without naming who goes; the member's claim
    and agreement pages of exactly those bookings are the ones a missing figure broke.
    """
    user = db_session.exec(select(User).where(User.email == DEMO_LOGINS[Role.MEMBER])).one()
    member = db_session.exec(select(Member).where(Member.user_id == user.id)).one()
    booked = db_session.exec(
        select(BookingRequest)
        .join(RequestSession, RequestSession.request_id == BookingRequest.id)
        .where(
            BookingRequest.status.in_([RequestStatus.BOOKED, RequestStatus.COMPLETED]),
            RequestSession.starts_at >= datetime(2026, 12, 1, tzinfo=UTC),
        )
    ).all()
    assert booked, "the demo books requests in the coming months"
    for request in {item.id: item for item in booked}.values():
        factory.assignment(member, request)


def _kind(path: str) -> str:
    return re.sub(r"\d+", "N", path.split("?")[0])


def _crawl(client, start_paths: list[str], depth: int = 2) -> dict[str, int]:
    """Fetch the start paths and the links they show, ``depth`` clicks on; path → status.

    A page showing the fee engine's English text counts as failed (status 599).
    """
    seen: dict[str, int] = {}
    kinds: Counter = Counter()
    frontier = list(start_paths)
    for _ in range(depth + 1):
        found: list[str] = []
        for path in frontier:
            if path in seen:
                continue
            kind = _kind(path)
            if kinds[kind] >= PER_KIND and path not in start_paths:
                continue
            kinds[kind] += 1
            response = client.get(path)
            seen[path] = response.status_code
            if ENGINE_TEXT.search(response.get_data(as_text=True)):
                seen[path] = 599
            if response.status_code in (301, 302, 303) and response.location.startswith("/"):
                found.append(response.location)  # the role's start page, and the like
            if response.status_code == 200 and response.mimetype == "text/html":
                html = response.get_data(as_text=True)
                found += [
                    link.replace("&amp;", "&")
                    for link in HREF.findall(html)
                    if not SKIPPED.search(link.split("?")[0])
                ]
        frontier = found
    return seen


def _detail_pages(db_session, role: Role) -> list[str]:
    """The pages of the demo objects whose dates fall in the sweep, for each role."""
    current = select(RequestSession.request_id).where(
        RequestSession.starts_at >= datetime(2026, 11, 1, tzinfo=UTC)
    )
    requests = sorted(set(db_session.exec(current).all()))
    user = db_session.exec(select(User).where(User.email == DEMO_LOGINS[role])).one()
    if role == Role.COUNCIL:
        return [f"/council/requests/{rid}" for rid in requests]
    if role == Role.ORDERER:
        own = db_session.exec(
            select(BookingRequest.id).where(
                BookingRequest.organisation_id == user.organisation_id,
                BookingRequest.id.in_(requests),
            )
        ).all()
        return [f"/orders/{rid}" for rid in own] + [ESTIMATE]
    if role == Role.MEMBER:
        member = db_session.exec(select(Member).where(Member.user_id == user.id)).one()
        assignments = db_session.exec(
            select(Assignment.id).where(Assignment.member_id == member.id)
        ).all()
        pages = [f"/compensation/assignments/{aid}/claim" for aid in assignments]
        return pages + [f"/compensation/agreements/{aid}" for aid in assignments]
    return []


@pytest.mark.parametrize("pbb_2027", [False, True], ids=["as-seeded", "pbb-2027-added"])
@pytest.mark.parametrize("role", [Role.ADMIN, Role.COUNCIL, Role.ORDERER, Role.MEMBER])
def test_no_page_of_the_role_fails_on_any_day_of_the_coming_year(
    app, demo, db_session, role, pbb_2027
):
    if pbb_2027:  # then the 2027 contribution bands are the gap (a stand-in test figure)
        add_price_base_amount(session=db_session, year=2027, amount_sek=60_000)
    failures: list[str] = []
    fetched = 0
    for day in SWEEP_DAYS:
        with time_machine.travel(_moment(day), tick=False):
            client = app.test_client()
            assert login(client, DEMO_LOGINS[role], DEMO_PASSWORD).status_code == 302
            details = _detail_pages(db_session, role) if day in BOUNDARY_DAYS else []
            statuses = _crawl(client, ["/", *details])
        fetched += len(statuses)
        # 409 is the page that names a missing figure in place of the one asked for: a page
        # of the demo must show its own content with the gap named, not that stand-in.
        failures += [
            f"{day} {path} {status}"
            for path, status in statuses.items()
            if status >= 500 or status == 409
        ]

    assert failures == []
    assert fetched >= len(SWEEP_DAYS) * 5  # the crawl really reached the role's pages
