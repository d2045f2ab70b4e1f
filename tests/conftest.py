"""Shared fixtures: every DB test runs on SQLite and on PostgreSQL, each test rolled back."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

if "LEVBIB_INSTANCE" not in os.environ:
    _instance = tempfile.mkdtemp(prefix="levbib-test-instance-")
    os.environ["LEVBIB_INSTANCE"] = _instance
    atexit.register(shutil.rmtree, _instance, ignore_errors=True)
os.environ.setdefault("SECRET_KEY", "test-secret-key-" + "x" * 32)

import pytest  # noqa: E402
from sqlmodel import Session  # noqa: E402

from app import clock, create_app  # noqa: E402
from app.db import make_engine  # noqa: E402
from tests.databases import BACKENDS, fresh_database  # noqa: E402
from tests.factories import Factory  # noqa: E402

TEST_PASSWORD = "correct horse battery"


def pytest_sessionstart(session):
    """Build the message catalogues the UI tests read (the Makefile does the same)."""
    from app.translations import compile_catalogues

    compile_catalogues()


def pytest_collection_modifyitems(config, items):
    """Run tests marked ``postgres`` only on the PostgreSQL parameter (deselect, not skip)."""
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


@pytest.fixture
def app_config(database_url, connection) -> dict:
    return {
        "TESTING": True,
        "DATABASE_URL": database_url,
        "DB_SESSION_FACTORY": lambda: _savepoint_session(connection),
        "LOGIN_RATE_LIMIT": "1000 per minute",
        "SECRET_KEY": "test-secret-key-" + "y" * 32,
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
