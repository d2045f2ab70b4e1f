"""Database engine and the one-session-per-request unit of work."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, g
from sqlalchemy import Engine, create_engine, event
from sqlmodel import Session

from app.mail.outbox import discard_queued
from app.services.privacy.audit import save_reads, take_reads


def database_key(session: Session) -> str:
    """Return what a process keeps things under per database: its address, without password."""
    return session.get_bind().url.render_as_string(hide_password=True)


def make_engine(url: str, *, lock_first: bool = False, **kwargs) -> Engine:
    """Create an engine; on SQLite enforce foreign keys and let SQLAlchemy own transactions.

    ``lock_first`` (the app's own engine) starts SQLite transactions with BEGIN IMMEDIATE: the
    demo runs the web app and the scheduler as two processes on one file, and a transaction
    that read first and writes later (every page that audits a read) would otherwise be refused
    at once ("database is locked") while the other process writes, instead of waiting its turn.
    """
    if url.startswith("sqlite"):
        # Wait up to 30 s for the other process's write (the demo's web app and scheduler).
        connect_args = {"check_same_thread": False, "timeout": 30}
        engine = create_engine(url, connect_args=connect_args, **kwargs)
        _fix_sqlite_transactions(engine, "BEGIN IMMEDIATE" if lock_first else "BEGIN")
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def _fix_sqlite_transactions(engine: Engine, begin: str) -> None:
    """Make pysqlite honour BEGIN/SAVEPOINT (SQLAlchemy's documented recipe)."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
        # SQLite's own lower() folds ASCII only; searches must match "ÖSTRA" with "östra" as
        # PostgreSQL does (the pool search, ``app/services/pool/listing.py``).
        dbapi_connection.create_function("lower", 1, _lower, deterministic=True)

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql(begin)


def _lower(value):
    return value.lower() if isinstance(value, str) else value


def init_app(app: Flask, session_factory: Callable[[], Session] | None = None) -> None:
    """Attach an engine and a request-scoped session that commits once at the end."""
    if session_factory is None:
        engine = make_engine(app.config["DATABASE_URL"], lock_first=True)
        app.extensions["db_engine"] = engine

        def session_factory() -> Session:
            return Session(engine, expire_on_commit=False)

    app.extensions["db_session_factory"] = session_factory

    @app.after_request
    def _commit(response):
        """Commit before the response leaves, so a failed commit is never reported as success."""
        session: Session | None = g.get("db_session")
        if session is not None:
            if response.status_code < 400 and not g.pop("db_rollback", False):
                try:
                    session.commit()
                except Exception:
                    _roll_back(app, session)
                    raise
                take_reads(session)  # committed with the unit of work
                # A web request only queues mail: the committed rows are sent by the scheduler's
                # deliver_outbox job, so no answer waits for (or fails on, or is timed by) SMTP.
                discard_queued(session)
            else:
                _roll_back(app, session)
        return response

    @app.teardown_appcontext
    def _close(_exc: BaseException | None) -> None:
        session: Session | None = g.pop("db_session", None)
        if session is not None:
            _roll_back(app, session)
            session.close()


def _roll_back(app: Flask, session: Session) -> None:
    """Undo the unit of work, forget its mail, and keep its reads of protected data on record.

    The reads (``record_read``) are written again in a session and transaction of their own,
    opened after the rollback so no lock of the undone work stands in the way (SQLite).
    """
    session.rollback()
    discard_queued(session)
    reads = take_reads(session)
    if not reads:
        return
    own = app.extensions["db_session_factory"]()
    try:
        save_reads(own, reads)
    except Exception:
        own.rollback()
        app.logger.exception("Could not keep %d read audit events", len(reads))
    finally:
        own.close()


def get_session() -> Session:
    """Return this request's session, opening it on first use."""
    if "db_session" not in g:
        from flask import current_app

        g.db_session = current_app.extensions["db_session_factory"]()
    return g.db_session


def mark_rollback() -> None:
    """Roll this request's work back at teardown instead of committing it."""
    g.db_rollback = True
