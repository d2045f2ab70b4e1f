"""Backups: SQLite through its online backup API, PostgreSQL through pg_dump/pg_restore.

``levbib backup`` writes one tar archive: ``database`` (the copy described below) and
``receipts/<stored name>`` for every receipt file, which bookkeeping law keeps for seven years
(docs/domain.md §9), so a restore brings back the database and the receipts it points to.
``levbib restore`` also takes a bare database copy made before receipts were included.

The SQLite copy is taken page by page while the app keeps running (readers and writers are
not stopped; a write during the copy makes SQLite restart it), so the copy is always one
consistent database. PostgreSQL's own tools do the same for a server database: ``pg_dump``
takes a consistent snapshot in the custom format, ``pg_restore`` loads it.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
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


DATABASE_MEMBER = "database"
RECEIPTS_PREFIX = "receipts/"


def backup_all(database_url: str, target: Path, receipt_folder: Path) -> int:
    """Write the database and every receipt file to the archive ``target``; return the receipts."""
    target, receipt_folder = Path(target), Path(receipt_folder)
    with tempfile.TemporaryDirectory() as scratch:
        copy = backup_database(database_url, Path(scratch) / DATABASE_MEMBER)
        # Listed after the copy: a receipt's file is written before its row is committed, so
        # every receipt in the copy has its file here.
        files = sorted(p for p in receipt_folder.glob("*") if p.is_file())
        partial = target.with_name(target.name + ".partial")
        with tarfile.open(partial, "w") as archive:
            archive.add(copy, arcname=DATABASE_MEMBER)
            for path in files:
                archive.add(path, arcname=RECEIPTS_PREFIX + path.name)
        partial.replace(target)  # never leave a half-written archive under the real name
    return len(files)


def restore_all(database_url: str, source: Path, receipt_folder: Path) -> int:
    """Restore the database and the receipt files from ``source``; return the receipts written.

    Receipt files already in the folder and not in the backup are left alone (their names are
    random, so nothing is overwritten by mistake).
    """
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"There is no backup at {source}.")
    if not tarfile.is_tarfile(source):
        restore_database(database_url, source)  # a bare database copy: no receipts in it
        return 0
    with tarfile.open(source) as archive, tempfile.TemporaryDirectory() as scratch:
        members = {member.name: member for member in archive.getmembers() if member.isfile()}
        if DATABASE_MEMBER not in members:
            raise BackupError(f"{source} is not a backup of this application's database.")
        copy = Path(scratch) / DATABASE_MEMBER
        copy.write_bytes(archive.extractfile(members[DATABASE_MEMBER]).read())
        restore_database(database_url, copy)
        receipts = [m for name, m in members.items() if name.startswith(RECEIPTS_PREFIX)]
        Path(receipt_folder).mkdir(parents=True, exist_ok=True)
        for member in receipts:
            name = Path(member.name).name  # never a path outside the folder
            (Path(receipt_folder) / name).write_bytes(archive.extractfile(member).read())
    return len(receipts)
