"""Fresh test databases on SQLite and PostgreSQL, migrated with Alembic."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from app.migrate import upgrade

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
BACKENDS = ["sqlite", "postgresql"]


def in_ci() -> bool:
    """Return True under CI, where a missing real part is a failure, never a skip."""
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def missing_part(message: str) -> None:
    """Skip on a laptop, fail under CI, when a real part of the test set-up is absent."""
    if in_ci():
        pytest.fail(f"{message} (CI=true: absence is a failure)", pytrace=False)
    pytest.skip(message)


def postgres_admin_url() -> str:
    """Return the URL of the PostgreSQL server used to create throw-away databases."""
    url = os.environ.get("TEST_DATABASE_URL", DEFAULT_POSTGRES_URL)
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def postgres_available() -> bool:
    """Return True when the test PostgreSQL server answers."""
    url = make_url(postgres_admin_url())
    try:
        with socket.create_connection((url.host or "127.0.0.1", url.port or 5432), timeout=2):
            return True
    except OSError:
        return False


def require_backend(backend: str) -> None:
    """Skip or fail when the backend's server is not there."""
    if backend == "postgresql" and not postgres_available():
        missing_part(
            "PostgreSQL is not reachable: start it (pg_ctlcluster 15 main start) "
            "or set TEST_DATABASE_URL=postgresql://user@host:port/db"
        )


@contextmanager
def fresh_database(backend: str, tmp_dir: Path, migrate: bool = True) -> Iterator[str]:
    """Yield the URL of a new, empty (optionally migrated) database; drop it afterwards."""
    require_backend(backend)
    if backend == "sqlite":
        url = f"sqlite:///{tmp_dir / f'test-{uuid.uuid4().hex[:8]}.sqlite'}"
        if migrate:
            upgrade(url)
        yield url
        return
    admin_url = make_url(postgres_admin_url())
    name = f"levbib_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = admin_url.set(database=name).render_as_string(hide_password=False)
    try:
        if migrate:
            upgrade(url)
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def committing_engine(backend: str, tmp_dir: Path, forget: Callable[[], None]) -> Iterator[Engine]:
    """Yield an engine on a fresh migrated database, for tests that commit for real.

    ``forget`` drops what the process keeps between requests (kept index, kept settings)
    before and after, so no test sees another's.
    """
    from app.db import make_engine

    with fresh_database(backend, tmp_dir) as url:
        engine = make_engine(url)
        forget()
        try:
            yield engine
        finally:
            forget()
            engine.dispose()
