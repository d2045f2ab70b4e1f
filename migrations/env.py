"""Alembic environment: the URL comes from the caller or DATABASE_URL; metadata from app.models."""

from alembic import context
from sqlmodel import SQLModel

import app.models  # noqa: F401  (registers every table)
from app.config import database_url
from app.db import make_engine

config = context.config
target_metadata = SQLModel.metadata


def _url() -> str:
    return config.attributes.get("database_url") or database_url()


def run_migrations_offline() -> None:
    context.configure(
        url=_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(_url())
    with engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            _run_sqlite(connection)
        else:
            _run(connection)
    engine.dispose()


def _run_sqlite(connection) -> None:
    """Migrate SQLite with foreign keys unenforced, then check them all.

    SQLite alters most tables by rebuilding them (batch mode): with foreign keys enforced, dropping
    the old copy of a table that filled tables point to fails. Alembic's documented remedy is to
    switch enforcement off for the migration (the PRAGMA only works outside a transaction, hence
    the driver connection) and to check every key afterwards.
    """
    raw = connection.connection.driver_connection
    raw.execute("PRAGMA foreign_keys=OFF")
    try:
        _run(connection)
        broken = raw.execute("PRAGMA foreign_key_check").fetchall()
    finally:
        raw.execute("PRAGMA foreign_keys=ON")
    if broken:
        raise RuntimeError(f"the migration left broken foreign keys: {broken[:5]}")


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
