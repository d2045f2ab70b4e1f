import pytest
from sqlalchemy import inspect
from sqlmodel import Session, select

from app import create_app
from app.db import make_engine
from app.models import Member, User
from tests.databases import BACKENDS, fresh_database


@pytest.fixture(params=BACKENDS)
def cli_app(request, tmp_path):
    with fresh_database(request.param, tmp_path, migrate=False) as url:
        app = create_app({"DATABASE_URL": url, "TESTING": True})
        yield app, url
        app.extensions["db_engine"].dispose()


def test_db_upgrade_demo_data_and_create_user_commands(cli_app):
    app, url = cli_app
    runner = app.test_cli_runner()

    upgraded = runner.invoke(args=["db", "upgrade"])
    first = runner.invoke(args=["demo-data"])
    second = runner.invoke(args=["demo-data"])
    created = runner.invoke(
        args=[
            "create-user",
            "--email",
            "Ny@Example.org",
            "--role",
            "council",
            "--password",
            "a long password 1",
        ]
    )

    assert upgraded.exit_code == 0, upgraded.output
    assert "Loaded demo data" in first.output
    for email in ("admin@demo.test", "council@demo.test", "orderer@demo.test", "member@demo.test"):
        assert email in first.output
    assert "already loaded" in second.output
    assert created.exit_code == 0, created.output
    engine = make_engine(url)
    with Session(engine) as session:
        assert (
            session.exec(select(User.role).where(User.email == "ny@example.org")).one() == "council"
        )
        assert len(session.exec(select(Member)).all()) == 125
    engine.dispose()


def test_db_downgrade_base_removes_the_schema(cli_app):
    app, url = cli_app
    runner = app.test_cli_runner()
    runner.invoke(args=["db", "upgrade"])

    result = runner.invoke(args=["db", "downgrade", "base"])

    assert result.exit_code == 0, result.output
    engine = make_engine(url)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()


def test_create_user_with_bad_input_exits_with_a_message(cli_app):
    app, _ = cli_app
    runner = app.test_cli_runner()
    runner.invoke(args=["db", "upgrade"])

    short = runner.invoke(
        args=["create-user", "--email", "a@b.se", "--role", "admin", "--password", "short"]
    )
    no_org = runner.invoke(
        args=[
            "create-user",
            "--email",
            "o@b.se",
            "--role",
            "orderer",
            "--password",
            "long enough pass",
            "--organisation",
            "Nope",
        ]
    )

    assert short.exit_code == 1
    assert "at least 12 characters" in short.output
    assert no_org.exit_code == 2
    assert "no organisation named 'Nope'" in no_org.output
