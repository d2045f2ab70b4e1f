"""Count the SQL statements an engine runs, to hold pages to a fixed number of queries."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import Engine, event

#: Transaction control the test harness adds around each request (SAVEPOINT isolation).
_CONTROL = re.compile(r"^\s*(SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT|BEGIN)\b", re.I)


@dataclass
class Statements:
    """The statements seen inside a ``count_statements`` block."""

    sql: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        """Return how many statements ran."""
        return len(self.sql)

    def __str__(self) -> str:
        return "\n".join(f"{index}: {text[:200]}" for index, text in enumerate(self.sql, 1))


@contextmanager
def count_statements(engine: Engine) -> Iterator[Statements]:
    """Collect every statement ``engine`` runs in the block, transaction control left out."""
    seen = Statements()

    def _record(_conn, _cursor, statement, _parameters, _context, _executemany):
        if not _CONTROL.match(statement):
            seen.sql.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", _record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", _record)
