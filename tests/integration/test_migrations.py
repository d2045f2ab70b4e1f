import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

import app.models  # noqa: F401
from app.db import make_engine
from app.migrate import downgrade, upgrade
from tests.databases import BACKENDS, fresh_database


@pytest.mark.parametrize("backend", BACKENDS)
def test_upgrade_downgrade_base_and_upgrade_again(backend, tmp_path):
    with fresh_database(backend, tmp_path, migrate=False) as url:
        engine = make_engine(url)
        upgrade(url)
        assert "member" in inspect(engine).get_table_names()

        downgrade(url, "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}

        upgrade(url)
        assert set(SQLModel.metadata.tables) <= set(inspect(engine).get_table_names())
        engine.dispose()


def test_migrations_match_the_models(engine):
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, SQLModel.metadata)

    assert differences == []
