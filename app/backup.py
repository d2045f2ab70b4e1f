"""Backups: SQLite through its online backup API, PostgreSQL through pg_dump/pg_restore.

The SQLite copy is taken page by page while the app keeps running (readers and writers are
not stopped; a write during the copy makes SQLite restart it), so the copy is always one
consistent database. PostgreSQL's own tools do the same for a server database: ``pg_dump``
takes a consistent snapshot in the custom format, ``pg_restore`` loads it.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

from sqlalchemy.engine import make_url


class BackupError(RuntimeError):
    """The backup or restore could not be made; the message says why."""


def sqlite_path(database_url: str) -> Path:
    """Return the file of an SQLite URL."""
    database = make_url(database_url).database
    if not database or database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up.")
    return Path(database)


def libpq_url(database_url: str) -> str:
    """Return the URL in the form pg_dump and pg_restore understand (no +driver)."""
    url = make_url(database_url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def _copy_sqlite(source: Path, target: Path) -> None:
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dest:
        src.backup(dest)
        if dest.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError(f"{target} failed SQLite's integrity check.")


def _sqlite_tables(path: Path) -> set[str]:
    with closing(sqlite3.connect(path)) as connection:
        try:
            return {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        except sqlite3.DatabaseError:
            return set()


def _run(command: list[str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(
            f"{command[0]} is not installed (Debian: apt-get install postgresql-client)."
        )
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()}")


def backup_database(database_url: str, target: Path) -> Path:
    """Write a consistent copy of the database to ``target`` and return it."""
    target = Path(target)
    if make_url(database_url).get_backend_name() == "sqlite":
        source = sqlite_path(database_url)
        if not source.exists():
            raise BackupError(f"There is no database at {source}.")
        _copy_sqlite(source, target)
    else:
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                f"--file={target}",
                libpq_url(database_url),
            ]
        )
    return target


def restore_database(database_url: str, source: Path) -> None:
    """Replace the database's contents with the backup in ``source``."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"There is no backup at {source}.")
    if make_url(database_url).get_backend_name() == "sqlite":
        if "alembic_version" not in _sqlite_tables(source):
            raise BackupError(f"{source} is not a backup of this application's database.")
        _copy_sqlite(source, sqlite_path(database_url))
    else:
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                f"--dbname={libpq_url(database_url)}",
                str(source),
            ]
        )
