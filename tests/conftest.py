"""Shared fixtures: every DB test runs on SQLite and on PostgreSQL, each test rolled back."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from datetime import UTC

if "LEVBIB_INSTANCE" not in os.environ:
    _instance = tempfile.mkdtemp(prefix="levbib-test-instance-")
    os.environ["LEVBIB_INSTANCE"] = _instance
    atexit.register(shutil.rmtree, _instance, ignore_errors=True)
os.environ.setdefault("SECRET_KEY", "test-secret-key-" + "x" * 32)

import pytest  # noqa: E402
import time_machine  # noqa: E402
from sqlmodel import Session  # noqa: E402

from app import clock, create_app  # noqa: E402
from app.db import make_engine  # noqa: E402
from tests.clock_support import (  # noqa: E402
    REAL_CLOCK_REASON,
    TEST_DATE_VARIABLE,
    TRICKY_DAYS,
    moment_from_environment,
)
from tests.databases import BACKENDS, fresh_database  # noqa: E402
from tests.factories import Factory  # noqa: E402

TEST_PASSWORD = "correct horse battery"


_session_travel: time_machine.travel | None = None


def pytest_configure(config):
    """Under ``LEVBIB_TEST_DATE`` the whole session runs as if on that day (clock ticking).

    Started here, before collection, so module-level dates travel too. It patches this process
    only: the app served to the browser runs in a thread of it, but a subprocess (gunicorn, a
    ``levbib scheduler``) keeps the machine's clock, so tests marked ``real_clock`` are skipped.
    """
    global _session_travel
    moment = moment_from_environment()
    if moment is not None and _session_travel is None:
        _session_travel = time_machine.travel(moment, tick=True)
        _session_travel.start()


def pytest_unconfigure(config):
    global _session_travel
    if _session_travel is not None:
        _session_travel.stop()
        _session_travel = None


def pytest_report_header(config):
    moment = moment_from_environment()
    if moment is not None:
        return f"{TEST_DATE_VARIABLE}: the session travels to {moment.isoformat()} (UTC)"
    return None


def pytest_sessionstart(session):
    """Build the message catalogues the UI tests read (the Makefile does the same)."""
    from app.translations import compile_catalogues

    compile_catalogues()


def pytest_collection_modifyitems(config, items):
    """Run tests marked ``postgres`` only on the PostgreSQL parameter (deselect, not skip).

    Under ``LEVBIB_TEST_DATE``, skip the tests marked ``real_clock`` (other processes there do
    not travel).
    """
    if moment_from_environment() is not None:
        for item in items:
            if item.get_closest_marker("real_clock"):
                item.add_marker(pytest.mark.skip(reason=REAL_CLOCK_REASON))
    kept, dropped = [], []
    for item in items:
        is_sqlite_run = "[sqlite" in item.nodeid or "-sqlite" in item.nodeid
        (dropped if item.get_closest_marker("postgres") and is_sqlite_run else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture(autouse=True)
def _keep_the_clock_zone():
    """Give the zone back after a test whose app (or the test itself) configured another."""
    zone = clock.zone()
    yield
    clock.configure(zone.key)


@pytest.fixture(params=TRICKY_DAYS, ids=[day.name for day in TRICKY_DAYS])
def tricky_day(request):
    """Run the test as if now were one of the tricky moments (the clock keeps ticking).

    Yields the ``TrickyDay`` (name and Stockholm wall-clock moment). List it before the
    fixtures that sign in or arrange rows, so they happen on that day too. Inside a
    ``LEVBIB_TEST_DATE`` session this travel wins for the test.
    """
    day = request.param
    with time_machine.travel(day.moment.astimezone(UTC), tick=True):
        yield day


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request, tmp_path_factory):
    """A migrated database per backend, shared by the session's tests."""
    with fresh_database(request.param, tmp_path_factory.mktemp("db")) as url:
        yield url


@pytest.fixture(scope="session")
def engine(database_url):
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def pg_engine(tmp_path):
    """An engine on a fresh PostgreSQL database of its own, for tests that commit for real."""
    with fresh_database("postgresql", tmp_path) as url:
        engine = make_engine(url)
        yield engine
        engine.dispose()


@pytest.fixture
def connection(engine):
    """One connection in an outer transaction that is rolled back after the test."""
    with engine.connect() as connection:
        transaction = connection.begin()
        yield connection
        transaction.rollback()


def _savepoint_session(connection) -> Session:
    return Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )


@pytest.fixture
def db_session(connection):
    """A session for arranging and asserting; sees what the app's requests wrote."""
    session = _savepoint_session(connection)
    yield session
    session.close()


@pytest.fixture
def factory(db_session) -> Factory:
    return Factory(db_session)


#: The address links in mail, feeds and pages are built from (never the request's Host).
PUBLIC_BASE_URL = "https://levande.region.example"


@pytest.fixture
def app_config(database_url, connection, tmp_path) -> dict:
    return {
        "TESTING": True,
        # Receipts written by a test stay in its own folder, never the instance folder.
        "RECEIPT_FOLDER": str(tmp_path / "receipts"),
        "DATABASE_URL": database_url,
        "DB_SESSION_FACTORY": lambda: _savepoint_session(connection),
        "LOGIN_RATE_LIMIT": "1000 per minute",
        "LOGIN_ACCOUNT_RATE_LIMIT": "1000 per minute",
        "SECRET_KEY": "test-secret-key-" + "y" * 32,
        "PUBLIC_BASE_URL": PUBLIC_BASE_URL,
    }


@pytest.fixture
def app(app_config):
    return create_app(app_config)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def csrf_free_app(app_config):
    """An app without CSRF checks, for tests about other things than CSRF."""
    return create_app({**app_config, "WTF_CSRF_ENABLED": False})


@pytest.fixture
def csrf_free_client(csrf_free_app):
    return csrf_free_app.test_client()


def login(client, email: str, password: str = TEST_PASSWORD):
    """Sign in through the real form, fetching its CSRF token first."""
    from tests.html import csrf_token

    page = client.get("/login")
    token = csrf_token(page.get_data(as_text=True))
    data = {"email": email, "password": password}
    if token:
        data["csrf_token"] = token
    return client.post("/login", data=data)
