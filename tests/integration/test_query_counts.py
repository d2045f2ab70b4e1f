"""The busiest pages run a fixed number of SQL statements, however many rows they show.

Each page is asked on a small set of rows, then again after three times as many rows were
added; the statement count (``tests/query_count.py``) must stay the same, so an N+1 (one query
per row) cannot come back unnoticed. A bound per page keeps the fixed part in check too.
"""

from __future__ import annotations

import itertools
import re

import pytest
from sqlmodel import select

from app.models import Member
from app.models.enums import Role
from tests.api_support import ApiClient, token_for
from tests.booking_support import booking_setting
from tests.conftest import login
from tests.query_count import count_statements

#: Rows of each kind before and after growing.
SMALL, LARGE = 2, 6
CODES = ("cancer", "diabetes", "psychiatry/psychosis", "stroke", "heart", "kidney")
_names = itertools.count(1)


def _orders(factory, db_session):
    """An orderer whose organisation's requests are in every state, with people booked."""
    orderer = factory.user(Role.ORDERER)

    def grow(count: int) -> None:
        for _ in range(count):
            member = factory.member(experiences=(("cancer", "own"),))
            for status in ("submitted", "approved", "booked", "completed", "declined"):
                request = factory.booking_request(orderer, status=status, title=f"R{next(_names)}")
                if status in ("booked", "completed"):
                    factory.assignment(member, request, status="booked")

    return orderer, "/orders/", grow


def _council_home(factory, db_session):
    """Open requests of several organisations, and pool members with experiences."""
    council = factory.user(Role.COUNCIL)

    def grow(count: int) -> None:
        for _ in range(count):
            orderer = factory.user(Role.ORDERER)
            for status in ("submitted", "question", "approved", "booked"):
                request = factory.booking_request(orderer, status=status, title=f"C{next(_names)}")
                member = factory.member(experiences=(("cancer", "own"), ("stroke", "relative")))
                if status in ("approved", "booked"):
                    factory.assignment(member, request, status="booked")

    return council, "/council/", grow


def _proposal(factory, db_session):
    """A submitted request; growing adds eligible people with past assignments."""
    request, _row, members, orderer, council = booking_setting(factory, db_session, people=1)
    weekday = _row.starts_at.weekday()

    def grow(count: int) -> None:
        past = factory.booking_request(orderer, status="completed", title=f"P{next(_names)}")
        for _ in range(count):
            member = factory.member(experiences=(("cancer", "own"),))
            factory.weekly_window(member, weekday=weekday, start=0, end=23)
            factory.assignment(member, past, status="completed")

    return council, request, grow


def _member_home(factory, db_session):
    """A member whose experiences, weekly windows and assignments grow."""
    user = factory.user(Role.MEMBER)
    member = factory.member(user=user)
    orderer = factory.user(Role.ORDERER)
    codes = iter(CODES)

    def grow(count: int) -> None:
        for _ in range(count):
            code = next(codes)
            factory.session.add(_experience(factory, member, code))
            factory.weekly_window(member, weekday=len(code) % 7, start=8, end=12)
            request = factory.booking_request(orderer, status="booked", title=f"M{next(_names)}")
            factory.assignment(member, request, status="booked")
        factory.session.flush()

    return user, "/me/", grow


def _member_calendar(factory, db_session):
    """A member whose weekly windows and booked sessions grow (the week's calendar)."""
    user, _path, grow = _member_home(factory, db_session)
    return user, "/me/calendar/", grow


def _council_member(factory, db_session):
    """The council reads one member whose experiences, windows and bookings grow.

    Every council page counts the worklist for its navigation: one statement for all sections.
    """
    council = factory.user(Role.COUNCIL)
    user, _path, grow = _member_home(factory, db_session)
    member = db_session.exec(select(Member).where(Member.user_id == user.id)).one()
    return council, f"/council/members/{member.id}", grow


def _experience(factory, member, code: str):
    from app.models import Experience

    return Experience(member_id=member.id, area_id=factory.area(code).id, type="own")


def _statements(engine, get, path: str) -> tuple[int, str]:
    with count_statements(engine) as seen:
        response = get(path)
    assert response.status_code == 200, path
    return seen.count, str(seen)


def _small_and_large(engine, get, path: str, grow) -> tuple[int, int]:
    """Return the statements of ``path`` on SMALL, then on LARGE rows; assert they are equal."""
    get(path)  # one-time work of a first visit (a calendar token, a token's last use) left out
    grow(SMALL)
    small, before = _statements(engine, get, path)
    grow(LARGE - SMALL)
    large, text = _statements(engine, get, path)
    assert small == large, f"{path}: {small} statements:\n{before}\nthen {large}:\n{text}"
    return small, large


@pytest.mark.parametrize(
    ("arrange", "bound"),
    [
        (_orders, 4),
        (_council_home, 12),
        (_member_home, 8),
        (_member_calendar, 5),
        (_council_member, 9),
    ],
    ids=["orders", "council", "me", "calendar", "council-member"],
)
def test_page_statements_do_not_grow_with_rows(arrange, bound, factory, db_session, client, engine):
    user, path, grow = arrange(factory, db_session)
    login(client, user.email)

    small, large = _small_and_large(engine, client.get, path, grow)

    assert small <= bound


def test_council_request_page_statements_do_not_grow_with_the_pool(
    factory, db_session, client, engine
):
    council, request, grow = _proposal(factory, db_session)
    login(client, council.email)

    small, large = _small_and_large(engine, client.get, f"/council/requests/{request.id}", grow)

    # 36 before issue 19; its sections (meetings, changes, conflicts, contact person, absences,
    # stand-ins, material) add one constant statement each, never one per row. 32 since the
    # page reads the request's sessions, areas, history, invitations, markable assignments and
    # approved proposal once, reuses the proposal's members and reads the organisation with its
    # family. 28 since (stop 31) the proposal leaves out the request's own commitments from the
    # invitations and assignments the page shows, the group's spread takes their experience
    # from the ranked pool, and the stand-in panel reads invitations only when someone is absent.
    # 29 with the kept settings: the proposal reads the pool stamp first. Here the arranged rows
    # are not committed, so the weights, model, organisations, requirements and areas are still
    # read; committed and unchanged, they are not (five fewer, tests/integration/
    # test_kept_settings.py). 28 since (stop 32) the absences and the stand-in panel share one
    # read of the request's absences. 29 since (stop 36): the pool is read with each member's
    # opportunities, one more statement while the arranged rows are not committed.
    assert small <= 29


def test_approved_request_without_a_group_approved_here_asks_no_open_places(
    factory, db_session, client, engine
):
    """An approved request without a group approved here (an imported one) has no open places.

    The page knows it from the approved proposal it has read, so it does not ask the database
    again (four statements: the status, the group's size, the booked, the invited).
    """
    request, _row, _members, _orderer, council = booking_setting(factory, db_session, people=1)
    request.status = "approved"
    db_session.add(request)
    db_session.flush()
    login(client, council.email)
    path = f"/council/requests/{request.id}"
    client.get(path)

    with count_statements(engine) as seen:
        response = client.get(path)

    assert response.status_code == 200
    assert 'id="replacement"' not in response.get_data(as_text=True)
    assert not [sql for sql in seen.sql if "count(proposal_entry.id)" in sql], str(seen)


def test_api_availability_statements_do_not_grow_with_windows(factory, db_session, app, engine):
    user, _path, grow = _member_home(factory, db_session)
    api = ApiClient(app, token_for(factory, user))

    small, large = _small_and_large(engine, api.get, "/api/v1/me/availability", grow)

    # The token with its user, the member, the windows, the periods.
    assert small <= 4


def test_api_proposal_statements_do_not_grow_with_the_pool(factory, db_session, app, engine):
    council, request, grow = _proposal(factory, db_session)
    api = ApiClient(app, token_for(factory, council))

    small, large = _small_and_large(
        engine, api.get, f"/api/v1/requests/{request.id}/proposal", grow
    )

    # 22 until the request's organisation was read with its family (one statement for both); 22
    # again since (stop 36) the pool is read with each member's opportunities.
    assert small <= 22


def _without_tokens(html: str) -> str:
    return re.sub(r'(name="csrf_token"[^>]*? value=")[^"]*"', r'\1"', html)


def test_orders_list_pages_finished_requests(factory, db_session, client):
    orderer = factory.user(Role.ORDERER)
    for index in range(52):
        factory.booking_request(orderer, title=f"Request {index:02d}", status="completed")
    factory.booking_request(orderer, title="Still open", status="submitted")
    login(client, orderer.email)

    first = client.get("/orders/").get_data(as_text=True)
    second = client.get("/orders/?page=2").get_data(as_text=True)
    beyond = client.get("/orders/?page=9").get_data(as_text=True)

    titles = [f"Request {index:02d}" for index in range(52)]
    assert [t for t in titles if f">{t}</a>" in first] == titles[2:]  # newest first, 50
    assert [t for t in titles if f">{t}</a>" in second] == titles[:2]
    assert 'rel="next" href="/orders/?page=2"' in first
    assert 'rel="prev" href="/orders/?page=1"' in second
    assert 'rel="next"' not in second
    # A page past the end shows the last one (the forms' CSRF tokens carry the second they
    # were signed in, so they may differ between the two answers).
    assert _without_tokens(beyond) == _without_tokens(second)
    assert ">Still open</a>" in first and ">Still open</a>" in second  # open ones on every page


def test_orders_list_pages_requests_in_progress_too(factory, db_session, client):
    """A group still in progress is paged by its own argument; the other groups stay put."""
    from app.services.requests.waiting import OPEN_PER_PAGE

    orderer = factory.user(Role.ORDERER)
    for index in range(OPEN_PER_PAGE + 1):
        factory.booking_request(orderer, title=f"Sent {index:02d}", status="submitted")
    factory.booking_request(orderer, title="Done", status="completed")
    login(client, orderer.email)

    first = client.get("/orders/").get_data(as_text=True)
    second = client.get("/orders/?council_page=2").get_data(as_text=True)

    titles = [f"Sent {index:02d}" for index in range(OPEN_PER_PAGE + 1)]
    assert [t for t in titles if f">{t}</a>" in first] == titles[1:]  # newest first
    assert [t for t in titles if f">{t}</a>" in second] == titles[:1]
    assert 'rel="next" href="/orders/?council_page=2"' in first
    assert 'rel="prev" href="/orders/?council_page=1"' in second
    assert f'<span class="count">{OPEN_PER_PAGE + 1}</span>' in first  # the group's size
    assert ">Done</a>" in first and ">Done</a>" in second


def test_orderer_request_page_statements_do_not_grow_with_the_people_booked(
    factory, db_session, client, engine
):
    """The orderer's request page reads its sessions and booked people once for all sections.

    The audit log gets one event per person whose experience is shown (a read of health data,
    by design); those writes are left out of the count, every read is in it.
    """
    orderer = factory.user(Role.ORDERER)
    request = factory.booking_request(orderer, status="booked", title="Booked")
    path = f"/orders/{request.id}"

    def grow(count: int) -> None:
        for _ in range(count):
            member = factory.member(experiences=(("cancer", "own"),))
            factory.assignment(member, request, status="booked")

    def reads() -> int:
        with count_statements(engine) as seen:
            assert client.get(path).status_code == 200
        return sum(not sql.startswith("INSERT INTO audit_event") for sql in seen.sql)

    login(client, orderer.email)
    client.get(path)
    grow(SMALL)
    small = reads()
    grow(LARGE - SMALL)
    large = reads()

    assert small == large
    assert small <= 15  # 22 before sessions, booked people, changes and fee tables were read once
