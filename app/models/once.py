"""Write a row at most once, whoever else writes the same key at the same time."""

from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session


def insert_once(
    session: Session, model: type, values: dict, unique: list[str], returning: str = "id"
):
    """Insert a row unless one with the same ``unique`` columns exists; return its id or None.

    ``INSERT … ON CONFLICT DO NOTHING``: a concurrent writer of the same key waits for the first
    to commit and then inserts nothing (PostgreSQL); SQLite serialises writers.
    """
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(model)
        .values(**values)
        .on_conflict_do_nothing(index_elements=unique)
        .returning(getattr(model, returning))
    )
    return session.exec(statement).scalar_one_or_none()
