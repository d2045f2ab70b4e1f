"""The kept matching index: reused while the pool stamp stands, rebuilt after any change.

These tests commit for real (a fresh database per backend), since the stamp is about what
other processes can see.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select, update

import matching
from app.models import AvailabilityException, Member, RequestSession
from app.models.enums import Role
from app.models.pool_stamp import (
    PART_AVAILABILITY,
    PART_MEMBER,
    PART_WORK,
    PoolChange,
    members_changed_since,
    pool_state,
)
from app.services.matchmaking.kept_index import forget_pool_indexes, pool_index
from app.services.matchmaking.matching_input import pool_for_matching, request_for_matching
from app.services.matchmaking.proposals import compute_proposal
from tests.booking_support import STOCKHOLM
from tests.databases import BACKENDS, committing_engine
from tests.factories import Factory


@pytest.fixture(params=BACKENDS)
def engine(request, tmp_path):
    with committing_engine(request.param, tmp_path, forget_pool_indexes) as engine:
        yield engine


@pytest.fixture
def pool_loads(monkeypatch) -> list[dict]:
    """Record every load of the whole pool by the kept-index service from now on."""
    loads: list[dict] = []
    monkeypatch.setattr(
        "app.services.matchmaking.kept_index.pool_for_matching",
        lambda **kwargs: loads.append(kwargs) or pool_for_matching(**kwargs),
    )
    return loads


def _stamp(engine) -> int:
    """Return the pool's version (raised by every commit that changed matching's data)."""
    with Session(engine) as session:
        return pool_state(session).version


def _logged(engine, after: int) -> list[int | None]:
    with Session(engine) as session:
        query = select(PoolChange.member_id).where(PoolChange.version > after)
        return sorted(session.exec(query), key=lambda m: (m is None, m))


def _index(engine, **kwargs) -> matching.PoolIndex:
    with Session(engine) as session:
        return pool_index(session=session, **kwargs)


@pytest.fixture
def pool(engine):
    """Committed: a request two weeks ahead and four members free on its weekday."""
    with Session(engine, expire_on_commit=False) as session:
        factory = Factory(session)
        orderer = factory.user(Role.ORDERER)
        booking_request = factory.booking_request(orderer, areas=("cancer",), people_count=2)
        start = session.exec(
            select(RequestSession.starts_at).where(RequestSession.request_id == booking_request.id)
        ).one()
        weekday = start.astimezone(STOCKHOLM).weekday()
        members = []
        for n in range(4):
            member = factory.member(
                last_name=f"P{n}", birth_year=1950 + 10 * n, experiences=(("cancer", "own"),)
            )
            factory.weekly_window(member, weekday=weekday, start=0, end=23)
            members.append(member)
        session.commit()
    return booking_request, members, orderer


def test_index_is_reused_until_a_change_is_committed(engine, pool):
    _, members, _ = pool
    first = _index(engine)
    assert _index(engine) is first

    with Session(engine) as session:
        day = datetime.now(UTC).date() + timedelta(days=3)
        session.add(
            AvailabilityException(
                member_id=members[0].id, start_date=day, end_date=day, kind="blocked"
            )
        )
        session.commit()

    second = _index(engine)
    assert second is not first
    blocked = {m.id: m.blocked for m in second.members}
    assert len(blocked[str(members[0].id)]) == 1
    assert _index(engine) is second


def test_the_log_names_the_members_whose_matching_data_changed(engine, pool):
    booking_request, members, orderer = pool
    version = _stamp(engine)

    with Session(engine) as session:  # not read by matching: a feed token, a new request
        member = session.get(Member, members[1].id)
        member.calendar_token = "t" * 40
        Factory(session).booking_request(orderer, areas=("cancer",))
        session.commit()
    assert _stamp(engine) == version

    with Session(engine) as session:  # rolled back: nothing changed
        session.get(Member, members[1].id).max_per_month = 9
        session.flush()
        session.rollback()
    assert _stamp(engine) == version

    with Session(engine) as session:  # one member's blocked period and another's limit
        day = datetime.now(UTC).date() + timedelta(days=3)
        session.add(
            AvailabilityException(
                member_id=members[0].id, start_date=day, end_date=day, kind="blocked"
            )
        )
        session.get(Member, members[3].id).max_per_month = 4
        session.commit()
    assert _stamp(engine) == version + 1
    assert _logged(engine, version) == [members[0].id, members[3].id]

    with Session(engine) as session:  # a bulk update: everyone
        session.exec(update(Member).where(Member.id == members[1].id).values(max_per_month=5))
        session.commit()
    assert _logged(engine, version + 1) == [None]

    with Session(engine) as session:  # a new session of a request: the people assigned to it
        Factory(session).assignment(session.get(Member, members[2].id), booking_request)
        session.commit()
    assert _logged(engine, version + 2) == [members[2].id]
    with Session(engine) as session:
        later = datetime.now(UTC).replace(microsecond=0) + timedelta(days=20)
        Factory(session).request_session(booking_request, later)
        session.commit()
    assert _stamp(engine) == version + 4
    assert _logged(engine, version + 3) == [members[2].id]


def test_after_a_change_only_the_named_members_are_reloaded(engine, pool, pool_loads):
    booking_request, members, orderer = pool
    kept = _index(engine)
    pool_loads.clear()
    with Session(engine) as session:
        day = (
            session.exec(
                select(RequestSession.starts_at).where(
                    RequestSession.request_id == booking_request.id
                )
            )
            .one()
            .astimezone(STOCKHOLM)
            .date()
        )
        session.add(
            AvailabilityException(
                member_id=members[0].id, start_date=day, end_date=day, kind="blocked"
            )
        )
        session.get(Member, members[1].id).status = "left"
        session.commit()

    with Session(engine) as session:
        view = compute_proposal(session=session, booking_request=booking_request)
        request = request_for_matching(session=session, booking_request=booking_request)
        fresh = matching.propose(
            matching.PoolIndex(
                pool_for_matching(session=session, exclude_request_id=booking_request.id)
            ),
            request,
        )

    # The one who left is reloaded whole; the other's availability alone changed (below).
    assert [load.get("member_ids") for load in pool_loads] == [{members[1].id}]
    assert view.proposal == fresh
    assert view.proposal.excluded[str(members[0].id)].rule == "unavailable"
    assert str(members[1].id) not in _index(engine).ids  # left the pool
    assert kept.ids == [str(m.id) for m in members]  # the old index was not changed


def test_uncommitted_changes_are_seen_by_their_own_session_only(engine, pool):
    kept = _index(engine)
    with Session(engine) as session:
        newcomer = Factory(session).member(last_name="New", experiences=(("cancer", "own"),))
        own = pool_index(session=session)
        assert str(newcomer.id) in own.ids
        assert own is not kept
        assert _index(engine) is kept  # other sessions: the committed pool, still kept
        session.rollback()
    assert _index(engine) is kept


def test_proposal_from_the_kept_index_equals_a_fresh_build(engine, pool, pool_loads):
    booking_request, members, orderer = pool
    with Session(engine, expire_on_commit=False) as session:
        factory = Factory(session)
        # Two people already booked on this request, one booked at the same time elsewhere.
        factory.assignment(members[0], booking_request)
        factory.assignment(members[1], booking_request)
        start = session.exec(
            select(RequestSession.starts_at).where(RequestSession.request_id == booking_request.id)
        ).one()
        other = factory.booking_request(orderer, areas=("cancer",))
        other_session = session.exec(
            select(RequestSession).where(RequestSession.request_id == other.id)
        ).one()
        other_session.starts_at, other_session.ends_at = start, start + timedelta(hours=2)
        session.add(other_session)
        factory.assignment(members[2], other)
        session.commit()
    _index(engine)  # kept, with everyone's bookings
    pool_loads.clear()

    with Session(engine) as session:
        kept_view = compute_proposal(session=session, booking_request=booking_request)
        assert pool_loads == []  # ranked on the kept index, without loading the pool again
        request = request_for_matching(session=session, booking_request=booking_request)
        fresh = matching.propose(
            matching.PoolIndex(
                pool_for_matching(session=session, exclude_request_id=booking_request.id)
            ),
            request,
        )

    assert kept_view.proposal == fresh
    assert str(members[0].id) in kept_view.proposal.group  # its own booking is no clash
    assert kept_view.proposal.excluded[str(members[2].id)].rule == "already_booked"


def test_app_started_warm_ranks_without_loading_the_pool(engine, pool, pool_loads):
    from app import create_app

    booking_request, _, _ = pool
    create_app(
        {
            "TESTING": True,
            "DATABASE_URL": engine.url.render_as_string(hide_password=False),
            "SECRET_KEY": "test-secret-key-" + "w" * 32,
            "WARM_MATCHING_INDEX": True,
        }
    )
    assert len(pool_loads) == 1  # at start-up
    pool_loads.clear()
    with Session(engine) as session:
        view = compute_proposal(session=session, booking_request=booking_request)
    assert pool_loads == []
    assert len(view.proposal.group) == 2


def test_an_index_older_than_its_age_limit_is_rebuilt(engine, pool, monkeypatch):
    first = _index(engine)
    assert _index(engine) is first
    monkeypatch.setattr("app.services.matchmaking.kept_index.MAX_AGE", 0.0)
    assert _index(engine) is not first


def test_an_index_older_than_the_pruned_log_is_rebuilt_whole(engine, pool, pool_loads, monkeypatch):
    _, members, _ = pool
    monkeypatch.setattr("app.models.pool_stamp.PRUNE_EVERY", 2)
    monkeypatch.setattr("app.models.pool_stamp.KEEP_VERSIONS", 1)
    _index(engine)
    pool_loads.clear()
    start = _stamp(engine)
    for n in range(4):
        with Session(engine) as session:
            session.get(Member, members[n].id).max_per_month = 3 + n
            session.commit()

    with Session(engine) as session:
        state = pool_state(session)
        logged = sorted(session.exec(select(PoolChange.version)))
    assert state.version == start + 4
    assert state.pruned_below > start + 1  # the kept index's next changes are gone
    assert logged and logged[0] >= state.pruned_below
    index = _index(engine)
    assert [load.get("member_ids") for load in pool_loads] == [None]  # rebuilt whole
    assert [m.max_per_month for m in index.members] == [3, 4, 5, 6]


def test_the_log_names_the_parts_that_changed(engine, pool):
    booking_request, members, _orderer = pool
    version = _stamp(engine)
    day = datetime.now(UTC).date() + timedelta(days=3)
    with Session(engine) as session:
        session.add(
            AvailabilityException(
                member_id=members[0].id, start_date=day, end_date=day, kind="blocked"
            )
        )
        session.add(
            AvailabilityException(
                member_id=members[1].id, start_date=day, end_date=day, kind="blocked"
            )
        )
        session.get(Member, members[1].id).max_per_month = 3
        Factory(session).assignment(session.get(Member, members[2].id), booking_request)
        session.commit()
    with Session(engine) as session:
        assert members_changed_since(session, version) == {
            members[0].id: PART_AVAILABILITY,
            members[1].id: PART_AVAILABILITY | PART_MEMBER,
            members[2].id: PART_WORK,
        }


def test_an_availability_change_reloads_windows_and_periods_only(engine, pool, pool_loads):
    from tests.query_count import count_statements

    booking_request, members, _orderer = pool
    _index(engine)
    pool_loads.clear()
    day = datetime.now(UTC).date() + timedelta(days=5)
    with Session(engine) as session:
        session.add(
            AvailabilityException(
                member_id=members[2].id, start_date=day, end_date=day, kind="vacation"
            )
        )
        session.commit()

    with count_statements(engine) as seen:
        refreshed = _index(engine)
    # The stamp, the log, the windows and the periods: no member row, experience or work.
    assert seen.count == 4, str(seen)
    assert pool_loads == []
    with Session(engine) as session:
        built = {m.id: m for m in pool_for_matching(session=session)}
    assert {m.id: m for m in refreshed.members} == built
    assert len(built[str(members[2].id)].blocked) == 1
