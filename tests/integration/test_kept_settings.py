"""What every proposal reads besides the pool, kept per process until a commit changes it.

Commits for real (a fresh database per backend): the settings version is about what other
processes can see.
"""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from app.models import Member, Organisation
from app.models.matching_settings import MatchingWeights, PoolRequirement
from app.models.pool_stamp import pool_state
from app.services.matchmaking.kept_settings import forget_settings, matching_settings
from tests.databases import BACKENDS, committing_engine
from tests.factories import Factory
from tests.query_count import count_statements


@pytest.fixture(params=BACKENDS)
def engine(request, tmp_path):
    with committing_engine(request.param, tmp_path, forget_settings) as engine:
        yield engine


def _state(engine):
    with Session(engine) as session:
        return pool_state(session)


def _settings(engine):
    with Session(engine) as session:
        return matching_settings(session=session, state=pool_state(session))


def _commit(engine, *rows) -> None:
    with Session(engine) as session:
        session.add_all(rows)
        session.commit()


def test_each_settings_table_raises_the_settings_version_and_members_do_not(engine):
    before = _state(engine)
    _commit(engine, MatchingWeights(values={"relevance": 2.0, "load": 1.0, "acceptance": 1.0}))
    _commit(engine, Organisation(name="Region Norr", kind="region"))
    _commit(engine, PoolRequirement(pool="peer", is_introduction_required=True))
    after = _state(engine)
    assert after.settings_version == before.settings_version + 3
    assert after.version == before.version  # the pool itself did not change

    with Session(engine) as session:
        Factory(session).member(last_name="Ny")
        session.commit()
    assert _state(engine).settings_version == after.settings_version
    assert _state(engine).version > after.version

    with Session(engine) as session:
        organisation = session.exec(select(Organisation)).first()
        organisation.name = "Region Norr – Psykiatri"
        session.commit()
    assert _state(engine).settings_version == after.settings_version + 1


def test_a_process_reuses_its_copy_until_a_commit_changes_the_settings(engine):
    first = _settings(engine)
    with Session(engine) as session:
        state = pool_state(session)
        with count_statements(engine) as seen:
            again = matching_settings(session=session, state=state)
    assert again is first and seen.count == 0, str(seen)

    _commit(engine, MatchingWeights(values={"relevance": 3.0, "load": 0.5, "acceptance": 1.0}))
    changed = _settings(engine)
    assert changed is not first
    assert (changed.weights.relevance, changed.weights.load) == (3.0, 0.5)

    _commit(engine, Organisation(name="Kommun Syd", kind="municipality"))
    assert "Kommun Syd" in {name for _, _, name in _settings(engine).organisations}


def test_a_session_that_changed_settings_reads_its_own_and_keeps_nothing(engine):
    kept = _settings(engine)
    with Session(engine) as session:
        session.add(MatchingWeights(values={"relevance": 1.0, "load": 4.0, "acceptance": 1.0}))
        session.flush()
        own = matching_settings(session=session, state=pool_state(session))
        assert own.weights.load == 4.0
        session.rollback()
    assert _settings(engine) is kept
    assert _settings(engine).weights.load == kept.weights.load != 4.0


def test_a_member_change_keeps_the_settings_copy(engine):
    kept = _settings(engine)
    with Session(engine) as session:
        member = Factory(session).member(last_name="Kvar")
        session.commit()
        member = session.get(Member, member.id)
        member.municipality = "Umeå"
        session.commit()
    assert _settings(engine) is kept
