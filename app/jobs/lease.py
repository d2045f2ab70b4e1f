"""The scheduler's lease: only its holder runs jobs; a second scheduler waits and takes over.

APScheduler's job store must never be shared by two running schedulers. On PostgreSQL the lease
is a session-level advisory lock held on a dedicated connection: it is released the moment the
holding process dies (its connection closes), so the standby takes over at its next poll. On
SQLite (and as the visible record on both) it is a row with an expiry that the holder renews; a
holder that stops renewing loses the lease once it runs out.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import Engine, or_, text, update
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from app.models import SchedulerLease
from app.models.base import utcnow
from app.models.once import insert_once

LEASE_NAME = "scheduler"


class RowLease:
    """A lease row with an expiry: works on every database."""

    def __init__(
        self,
        engine: Engine,
        holder: str,
        ttl: timedelta,
        clock: Callable[[], datetime] = utcnow,
        name: str = LEASE_NAME,
    ):
        self.engine, self.holder, self.ttl, self.clock, self.name = engine, holder, ttl, clock, name

    def _update(self, condition, **values) -> bool:
        with Session(self.engine) as session:
            insert_once(
                session,
                SchedulerLease,
                {"name": self.name, "holder": ""},
                unique=["name"],
                returning="name",
            )
            result = session.exec(
                update(SchedulerLease)
                .where(SchedulerLease.name == self.name, condition)
                .values(**values)
            )
            session.commit()
            return result.rowcount == 1

    def acquire(self) -> bool:
        """Take the lease if it is free, expired or already ours; return True when held."""
        if self.renew():
            return True
        now = self.clock()
        free = or_(
            SchedulerLease.holder == "",
            SchedulerLease.expires_at.is_(None),
            SchedulerLease.expires_at < now,
        )
        return self._update(
            free, holder=self.holder, acquired_at=now, renewed_at=now, expires_at=now + self.ttl
        )

    def renew(self) -> bool:
        """Extend our lease; False when another scheduler has taken it over."""
        now = self.clock()
        return self._update(
            SchedulerLease.holder == self.holder, renewed_at=now, expires_at=now + self.ttl
        )

    def release(self) -> None:
        """Give the lease up so a standby scheduler can take over at once."""
        self._update(SchedulerLease.holder == self.holder, holder="", expires_at=None)


class AdvisoryLease:
    """PostgreSQL: an advisory lock on a dedicated connection, plus the row for the record."""

    def __init__(
        self,
        engine: Engine,
        holder: str,
        ttl: timedelta,
        clock: Callable[[], datetime] = utcnow,
        name: str = LEASE_NAME,
    ):
        from app.jobs.definitions import LOCK_NAMESPACE, lock_key

        self.engine, self.connection = engine, None
        self.key = (LOCK_NAMESPACE, lock_key(f"lease:{name}"))
        self.row = RowLease(engine, holder, ttl, clock, name)

    def _lock(self, sql: str) -> bool:
        if self.connection is None:
            self.connection = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        namespace, key = self.key
        statement = text(sql).bindparams(namespace=namespace, key=key)
        return bool(self.connection.execute(statement).scalar())

    def acquire(self) -> bool:
        """Take the advisory lock if no other process holds it."""
        try:
            if not self._lock("SELECT pg_try_advisory_lock(:namespace, :key)"):
                return False
        except DBAPIError:
            self._drop_connection()
            return False
        self._record()
        return True

    def _record(self) -> None:
        now = self.row.clock()
        self.row._update(
            SchedulerLease.name == self.row.name,
            holder=self.row.holder,
            acquired_at=now,
            renewed_at=now,
            expires_at=now + self.row.ttl,
        )

    def renew(self) -> bool:
        """Check that the lock's connection is alive (the lock lives with it) and note it."""
        try:
            self.connection.execute(text("SELECT 1"))
        except (DBAPIError, AttributeError):
            self._drop_connection()
            return False
        self.row.renew()
        return True

    def release(self) -> None:
        """Unlock and hand the dedicated connection back."""
        if self.connection is not None:
            try:
                self._lock("SELECT pg_advisory_unlock(:namespace, :key)")
                self.connection.close()
                self.connection = None
            except DBAPIError:
                self._drop_connection()
        self.row.release()

    def _drop_connection(self) -> None:
        """Throw a broken (or unlockable) connection away instead of pooling it with a lock."""
        if self.connection is not None:
            self.connection.invalidate()
        self.connection = None


def make_lease(
    engine: Engine, holder: str, ttl: timedelta, clock: Callable[[], datetime] = utcnow
) -> RowLease | AdvisoryLease:
    """Return the lease suited to the database: advisory lock on PostgreSQL, else a row."""
    kind = AdvisoryLease if engine.dialect.name == "postgresql" else RowLease
    return kind(engine, holder, ttl, clock)
