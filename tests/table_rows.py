"""Read every row of every table, to prove that a backup or a migration lost nothing."""

from __future__ import annotations

import json

from sqlalchemy import MetaData, select
from sqlalchemy.engine import Engine


def all_rows(engine: Engine, columns_of: dict[str, set[str]] | None = None) -> dict[str, list]:
    """Return table → its rows (sorted by primary key), optionally only the given columns."""
    metadata = MetaData()
    metadata.reflect(engine)
    result = {}
    with engine.connect() as connection:
        for name, table in sorted(metadata.tables.items()):
            if name == "alembic_version":
                continue
            wanted = columns_of.get(name) if columns_of is not None else None
            if columns_of is not None and wanted is None:
                continue
            chosen = [c for c in table.columns if wanted is None or c.name in wanted]
            order = list(table.primary_key.columns) or chosen
            rows = connection.execute(select(*chosen).order_by(*order)).all()
            result[name] = [tuple(_plain(value) for value in row) for row in rows]
    return result


def _plain(value):
    """Return JSON values as canonical text, so rows can be counted and compared."""
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, default=str)
    return value


def column_names(engine: Engine) -> dict[str, set[str]]:
    """Return table → its column names, as the database has them now."""
    metadata = MetaData()
    metadata.reflect(engine)
    return {
        name: {column.name for column in table.columns}
        for name, table in metadata.tables.items()
        if name != "alembic_version"
    }
