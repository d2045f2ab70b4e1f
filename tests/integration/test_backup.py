"""``levbib backup`` and ``levbib restore``: a backup restored into a fresh database has every row."""

from __future__ import annotations

import shutil

import pytest
from sqlmodel import Session

from app import create_app
from app.db import make_engine
from app.services.demo.data import load_demo_data
from tests.databases import BACKENDS, fresh_database, missing_part
from tests.table_rows import all_rows

#: Tables the demo data fills; each must come back non-empty.
FILLED = {"member", "experience", "booking_request", "request_session", "user_account", "area"}


def _require_pg_tools(backend: str) -> None:
    if backend == "postgresql" and not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        missing_part("pg_dump/pg_restore are missing: apt-get install postgresql-client")


def _filled_database(url: str) -> dict[str, list]:
    engine = make_engine(url)
    with Session(engine) as session:
        load_demo_data(session=session)
        session.commit()
    rows = all_rows(engine)
    engine.dispose()
    return rows


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS)
def test_a_backup_restores_into_a_fresh_database_with_every_row(backend, tmp_path):
    _require_pg_tools(backend)
    backup = tmp_path / "levbib.backup"
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with fresh_database(backend, tmp_path / "a") as source_url:
        before = _filled_database(source_url)
        source = create_app({"DATABASE_URL": source_url, "TESTING": True})
        made = source.test_cli_runner().invoke(args=["backup", str(backup)])
        source.extensions["db_engine"].dispose()
    with fresh_database(backend, tmp_path / "b", migrate=False) as target_url:
        target = create_app({"DATABASE_URL": target_url, "TESTING": True})
        restored = target.test_cli_runner().invoke(args=["restore", "--yes", str(backup)])
        target.extensions["db_engine"].dispose()
        engine = make_engine(target_url)
        after = all_rows(engine)
        engine.dispose()

    assert made.exit_code == 0, made.output
    assert restored.exit_code == 0, restored.output
    assert all(before[name] for name in FILLED)
    assert after == before


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("hello")
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}", "TESTING": True})

    result = app.test_cli_runner().invoke(args=["restore", "--yes", str(not_a_backup)])

    assert result.exit_code == 1
    assert "is not a backup of this application's database" in result.output


def test_restore_asks_before_replacing(tmp_path):
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}", "TESTING": True})

    result = app.test_cli_runner().invoke(args=["restore", str(tmp_path / "x")], input="n\n")

    assert result.exit_code == 1 and "Aborted" in result.output
