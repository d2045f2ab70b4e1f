"""The pool stamp: a value that changes whenever data the matching engine reads changes.

Ranking a 10 000-member pool needs the whole pool and its history turned into arrays, which
takes seconds; the web processes keep that index between requests (``app.services.pool_snapshot``)
and must know, cheaply and across processes, when it has gone stale. Every commit that changed
a row matching reads (members, experiences, areas, weekly windows, availability exceptions,
assignments, invitations, or sessions of requests that have assignments) writes a new random
stamp in the same transaction, so the stamp and the data become visible together.

The stamp is written as the last statement before commit: the row lock it takes is held only
for the commit itself, so writers never wait on it while holding other locks (no deadlocks).
Changes made with raw SQL text are not seen; the app makes none to these tables.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Connection, Engine, Pool, event, select, update
from sqlalchemy.orm import Session, UOWTransaction
from sqlmodel import Field, SQLModel

from app.models.availability import AvailabilityException, WeeklyWindow
from app.models.base import UTCDateTime, utcnow
from app.models.booking import Assignment, Invitation
from app.models.member import Experience, Member
from app.models.order import RequestSession
from app.models.taxonomy import Area

#: The single row's id.
STAMP_ID = 1
#: ``session.info`` key: this transaction changed data the matching engine reads.
CHANGED = "levbib.pool_changed"
#: ``session.info`` key: request ids that got new sessions in this transaction.
NEW_SESSIONS = "levbib.pool_new_sessions"

#: Tables whose every change matters to matching.
TRACKED = (Member, Experience, Area, WeeklyWindow, AvailabilityException, Assignment, Invitation)
#: Member columns matching never reads: changing only these keeps the stamp.
UNTRACKED_MEMBER_COLUMNS = frozenset(
    {"calendar_token", "email", "phone", "first_name", "last_name", "created_at", "user_id"}
)


class PoolStamp(SQLModel, table=True):
    """One row whose ``stamp`` is replaced by every commit that changes matching's data."""

    __tablename__ = "pool_stamp"

    id: int = Field(default=STAMP_ID, primary_key=True)
    stamp: str = Field(max_length=32)
    changed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


def new_stamp() -> str:
    """Return a fresh random stamp (never reused, even by a database created again)."""
    return uuid.uuid4().hex


def current_stamp(session: Session) -> str | None:
    """Return the committed stamp, or None when the row is missing (then nothing is cached)."""
    return session.execute(select(PoolStamp.stamp).where(PoolStamp.id == STAMP_ID)).scalar()


def has_unstamped_changes(session: Session) -> bool:
    """Return whether the open transaction changed matching's data (not committed yet).

    Asked of the session and of its connection: sessions sharing one connection (the tests'
    savepoint sessions) see each other's flushed, uncommitted rows.
    """
    session.flush()
    if session.info.get(CHANGED) or session.info.get(NEW_SESSIONS):
        return True
    return bool(session.connection().info.get(CHANGED))


def _mark(session: Session, key: str = CHANGED, request_id: int | None = None) -> None:
    if request_id is None:
        session.info[key] = True
    else:
        session.info.setdefault(key, set()).add(request_id)
    session.connection().info[CHANGED] = True


def _changes_matching(instance: object, *, is_new: bool) -> bool:
    if isinstance(instance, Member) and not is_new:
        from sqlalchemy import inspect

        state = inspect(instance)
        return any(
            attr.history.has_changes()
            for attr in state.attrs
            if attr.key not in UNTRACKED_MEMBER_COLUMNS
        )
    return isinstance(instance, TRACKED)


@event.listens_for(Session, "after_flush")
def _note_flushed_changes(session: Session, flush_context: UOWTransaction) -> None:
    """Mark the transaction when a flush wrote rows matching reads."""
    for instance in session.new:
        if isinstance(instance, RequestSession):
            _mark(session, NEW_SESSIONS, instance.request_id)
        elif _changes_matching(instance, is_new=True):
            _mark(session)
    for instance in (*session.dirty, *session.deleted):
        if isinstance(instance, RequestSession) or _changes_matching(instance, is_new=False):
            _mark(session)


@event.listens_for(Session, "do_orm_execute")
def _note_bulk_changes(orm_execute_state) -> None:
    """Mark the transaction for ``update(...)``/``delete(...)`` statements on tracked tables."""
    if not (orm_execute_state.is_update or orm_execute_state.is_delete):
        return
    classes = {mapper.class_ for mapper in orm_execute_state.all_mappers}
    if classes == {Member} and orm_execute_state.is_update:
        # ``_values`` is the statement's SET clause; unreadable (None) counts as a change.
        values = getattr(orm_execute_state.statement, "_values", None)
        columns = {getattr(key, "key", key) for key in values or ()}
        if values and columns <= UNTRACKED_MEMBER_COLUMNS:
            return
    if classes & {*TRACKED, RequestSession}:
        _mark(orm_execute_state.session)


@event.listens_for(Session, "before_commit")
def _write_stamp(session: Session) -> None:
    """Write a new stamp as the transaction's last statement when matching's data changed."""
    session.flush()
    changed = session.info.pop(CHANGED, False)
    requests = session.info.pop(NEW_SESSIONS, set())
    if not changed and requests:
        # A new session only matters when its request already has people assigned.
        changed = (
            session.execute(
                select(Assignment.id).where(Assignment.request_id.in_(sorted(requests))).limit(1)
            ).first()
            is not None
        )
    if changed:
        session.execute(
            update(PoolStamp)
            .where(PoolStamp.id == STAMP_ID)
            .values(stamp=new_stamp(), changed_at=utcnow())
        )


@event.listens_for(Engine, "commit")
@event.listens_for(Engine, "rollback")
def _end_of_transaction(connection: Connection) -> None:
    """The connection's transaction ended: what it changed is committed or gone."""
    connection.info.pop(CHANGED, None)


@event.listens_for(Pool, "checkin")
def _back_in_pool(dbapi_connection, connection_record) -> None:
    connection_record.info.pop(CHANGED, None)
