"""The council's home page renders the worklist: counts, one action per item, the nav count,
and a bounded number of SQL statements whatever the size of the pool."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from app.models.enums import Role
from tests.conftest import login


@pytest.fixture
def council_client(client, factory):
    login(client, factory.user(Role.COUNCIL).email)
    return client


def _section(html: str, key: str) -> str:
    return html.split(f'id="worklist-{key}"', 1)[1].split("</section>", 1)[0]


def test_the_home_lists_a_waiting_request_with_its_one_action(council_client, factory):
    orderer = factory.user(Role.ORDERER)
    request = factory.booking_request(orderer, title="Patientråd om cancer", people_count=4)

    html = council_client.get("/council/").get_data(as_text=True)
    decision = _section(html, "decision")

    assert "Förfrågningar som väntar på beslut" in decision
    assert '<span class="badge worklist-count">1</span>' in decision
    assert "Patientråd om cancer (Organisation" in decision
    assert "4 personer efterfrågade, första tillfället om 14 dagar – Inskickad" in decision
    assert decision.count("<a ") == 1
    assert f'href="/council/requests/{request.id}">Besluta' in decision
    assert "Inget att göra." in _section(html, "claims")
    assert 'id="nav-worklist">Att göra (1)</a>' in html


def test_the_nav_counts_on_other_council_pages(council_client, factory):
    orderer = factory.user(Role.ORDERER)
    factory.booking_request(orderer)
    factory.booking_request(orderer)

    html = council_client.get("/council/pool").get_data(as_text=True)

    assert 'id="nav-worklist">Att göra (2)</a>' in html


def test_the_home_no_longer_lists_the_pool_or_the_feed(council_client, factory):
    factory.member(last_name="Pooldeltagare")

    html = council_client.get("/council/").get_data(as_text=True)

    assert 'id="pool-table"' not in html and 'id="feed-url"' not in html
    assert "Pooldeltagare" not in html
    assert 'href="/council/pool"' in html and 'href="/council/calendar"' in html


def _statements(engine, client, path: str) -> int:
    seen = []

    def count(*_args, **_kwargs):
        seen.append(1)

    event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(seen)


def _more_work(factory, orderer, index: int) -> None:
    """Add a member, a waiting request and a short booked group with a declared conflict."""
    member = factory.member(last_name=f"M{index}", experiences=(("cancer", "own"),))
    factory.booking_request(orderer, title=f"Väntar {index}")
    booked = factory.booking_request(
        orderer, title=f"Bokad {index}", status="booked", people_count=3
    )
    assignment = factory.assignment(member, booked)
    assignment.conflict_declaration = "Släkt med beställaren"


def test_the_home_issues_a_bounded_number_of_statements(council_client, factory, engine):
    orderer = factory.user(Role.ORDERER)
    _more_work(factory, orderer, 0)
    council_client.get("/council/")  # the first visit may warm caches
    with_one = _statements(engine, council_client, "/council/")
    for index in range(1, 16):
        _more_work(factory, orderer, index)

    with_sixteen = _statements(engine, council_client, "/council/")

    assert with_sixteen == with_one
    assert with_one <= 20, with_one
