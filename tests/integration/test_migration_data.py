"""Migrations with data in the tables: from the first revision to head and back, nothing lost up.

The demo data is loaded at head and the schema taken down to the first revision, which leaves
the first revision's tables filled. Then every upgrade step must keep every row, column for
column, of the tables that were there before it (a step may add rows, e.g. seeded figures); at
head the first revision's data is still all there. Finally the way back down to an empty database works with data in it.
"""

from __future__ import annotations

from collections import Counter

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlmodel import Session

from app.db import make_engine
from app.migrate import alembic_config, downgrade, upgrade
from app.services.demo.data import load_demo_data
from tests.databases import BACKENDS, fresh_database
from tests.table_rows import all_rows, column_names


def revisions_in_order(url: str) -> list[str]:
    """Return the revision ids from the first to head."""
    script = ScriptDirectory.from_config(alembic_config(url))
    return [revision.revision for revision in reversed(list(script.walk_revisions()))]


def corrected_tables(url: str, revision: str) -> tuple[str, ...]:
    """Return the tables whose seeded rows a data migration corrects on purpose."""
    script = ScriptDirectory.from_config(alembic_config(url))
    return getattr(script.get_revision(revision).module, "CORRECTS_SEEDED_ROWS", ())


def missing_rows(before: dict[str, list], after: dict[str, list]) -> dict[str, list]:
    """Return the rows of ``before`` that ``after`` lacks (rows a migration adds are fine)."""
    missing = {}
    for table, rows in before.items():
        gone = Counter(rows) - Counter(after.get(table, []))
        if gone:
            missing[table] = sorted(gone.elements(), key=repr)[:5]
    return missing


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS)
def test_demo_data_survives_every_upgrade_from_the_first_revision(backend, tmp_path):
    with fresh_database(backend, tmp_path) as url:
        engine = make_engine(url)
        with Session(engine) as session:
            load_demo_data(session=session)
            session.commit()
        revisions = revisions_in_order(url)
        downgrade(url, revisions[0])
        first_columns = column_names(engine)
        at_first = all_rows(engine)
        lost = []
        for revision in revisions[1:]:
            columns = column_names(engine)
            before = all_rows(engine, columns)
            upgrade(url, revision)
            for table in corrected_tables(url, revision):
                before.pop(table, None)
            if missing_rows(before, all_rows(engine, columns)):
                lost.append(revision)
        at_head = all_rows(engine, first_columns)
        downgrade(url, "base")
        left = set(inspect(engine).get_table_names()) - {"alembic_version"}
        engine.dispose()

    assert at_first["member"] and at_first["booking_request"] and at_first["experience"]
    assert lost == []
    assert missing_rows(at_first, at_head) == {}
    assert left == set()
