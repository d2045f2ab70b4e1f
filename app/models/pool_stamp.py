"""The pool's change log: which members' matching data changed, in commit order.

Ranking a 10 000-member pool needs the whole pool and its history turned into arrays, which
takes seconds; the web processes keep that index between requests (``app.services.matchmaking.kept_index``)
and must know, cheaply and across processes, when it has gone stale and for whom. Every commit
that changed a row matching reads (members, experiences, areas, weekly windows, availability
exceptions, assignments, invitations, or sessions of requests that have people assigned) raises
``pool_stamp.version`` by one and writes the members it touched to ``pool_change`` under that
version — in the same transaction, so the log and the data become visible together.

The version is raised as the transaction's last statements: its row lock serialises these
commits (so versions are visible in order, with no gaps a reader could skip) and is held only
for the commit itself, so writers never wait on it while holding other locks (no deadlocks).
Changes made with raw SQL text are not seen; the app makes none to these tables.

The same row carries ``settings_version``, raised by every commit that changed what each
proposal reads besides the pool (the council's weights, the acceptance model, organisations,
pool requirements, areas): a process keeps those between requests too
(``app.services.matchmaking.kept_settings``).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Connection, Engine, Pool, delete, event, insert, inspect, select, update
from sqlalchemy.orm import Session, UOWTransaction
from sqlmodel import Field, SQLModel

from app.models.availability import AvailabilityException, WeeklyWindow
from app.models.base import UTCDateTime, utcnow
from app.models.booking import Assignment, Invitation
from app.models.matching_settings import AcceptanceModelVersion, MatchingWeights, PoolRequirement
from app.models.member import Experience, Member
from app.models.order import RequestSession
from app.models.organisation import Organisation
from app.models.taxonomy import Area

#: The single stamp row's id.
STAMP_ID = 1
#: ``session.info`` keys for what the open transaction changed.
MEMBERS, EVERYONE, REQUESTS = "levbib.pool_members", "levbib.pool_everyone", "levbib.pool_requests"
SETTINGS = "levbib.matching_settings"
#: ``connection.info`` keys: some session on this connection changed matching's data (pool,
#: settings).
CONNECTION_CHANGED, CONNECTION_SETTINGS = "levbib.pool_changed", "levbib.settings_changed"
#: A commit touching more members than this is logged as "everyone".
MAX_LISTED = 500
#: Every this many versions, log rows older than ``KEEP_VERSIONS`` are deleted.
PRUNE_EVERY, KEEP_VERSIONS = 1000, 5000

#: Rows of these tables belong to one member (``member_id``).
PER_MEMBER = (Experience, WeeklyWindow, AvailabilityException, Assignment, Invitation)
#: What of a member's matching data a commit changed (``PoolChange.parts``, bits): a reader
#: reloads only those parts when it can (an availability change: windows and periods only).
PART_MEMBER, PART_EXPERIENCE, PART_AVAILABILITY, PART_WORK = 1, 2, 4, 8
ALL_PARTS = PART_MEMBER | PART_EXPERIENCE | PART_AVAILABILITY | PART_WORK
#: The part each per-member table's rows belong to.
PART_OF = {
    Experience: PART_EXPERIENCE,
    WeeklyWindow: PART_AVAILABILITY,
    AvailabilityException: PART_AVAILABILITY,
    Assignment: PART_WORK,
    Invitation: PART_WORK,
}
#: Rows every proposal reads besides the pool: a change raises ``settings_version``.
SETTINGS_TABLES = (MatchingWeights, AcceptanceModelVersion, Organisation, PoolRequirement, Area)
#: Member columns matching never reads: changing only these is not logged.
UNTRACKED_MEMBER_COLUMNS = frozenset(
    {"calendar_token", "email", "phone", "first_name", "last_name", "created_at", "user_id"}
)


class PoolStamp(SQLModel, table=True):
    """The pool's identity (``stamp``, random per database) and its change counter."""

    __tablename__ = "pool_stamp"

    id: int = Field(default=STAMP_ID, primary_key=True)
    #: Random, set when the database is created: tells two databases at one address apart.
    stamp: str = Field(max_length=32)
    #: Raised by every commit that changed data matching reads.
    version: int = Field(default=0)
    #: Log rows below this version are deleted: an index older than that is rebuilt whole.
    pruned_below: int = Field(default=0)
    #: Raised by every commit that changed a row of ``SETTINGS_TABLES``.
    settings_version: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    changed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class PoolChange(SQLModel, table=True):
    """A member whose matching data a commit changed; no member means everyone."""

    __tablename__ = "pool_change"

    id: int | None = Field(default=None, primary_key=True)
    version: int = Field(index=True)
    member_id: int | None = None
    #: The parts of the member's data that changed (``PART_*`` bits).
    parts: int = Field(default=ALL_PARTS, sa_column_kwargs={"server_default": str(ALL_PARTS)})


def new_stamp() -> str:
    """Return a fresh random stamp (never reused, even by a database created again)."""
    return uuid.uuid4().hex


def pool_state(session: Session):
    """Return the committed (stamp, version, pruned_below, settings_version), or None when the
    row is missing.

    Read as plain columns: an entity already in the session's identity map would not be
    refreshed by the query and could report an old version.
    """
    return session.execute(
        select(
            PoolStamp.stamp, PoolStamp.version, PoolStamp.pruned_below, PoolStamp.settings_version
        ).where(PoolStamp.id == STAMP_ID)
    ).first()


def members_changed_since(session: Session, version: int) -> dict[int, int] | None:
    """Return member id → the parts of their data changed after ``version`` (``PART_*`` bits);
    None when it was everyone."""
    changed: dict[int, int] = {}
    rows = session.execute(
        select(PoolChange.member_id, PoolChange.parts).where(PoolChange.version > version)
    )
    for member_id, parts in rows:
        if member_id is None:
            return None
        changed[member_id] = changed.get(member_id, 0) | parts
    return changed


def has_unstamped_changes(session: Session) -> bool:
    """Return whether the open transaction changed matching's data (not committed yet).

    Asked of the session and of its connection: sessions sharing one connection (the tests'
    savepoint sessions) see each other's flushed, uncommitted rows.
    """
    session.flush()
    if any(session.info.get(key) for key in (MEMBERS, EVERYONE, REQUESTS)):
        return True
    return bool(session.connection().info.get(CONNECTION_CHANGED))


def has_unstamped_settings(session: Session) -> bool:
    """Return whether the open transaction changed a row of ``SETTINGS_TABLES`` (not committed)."""
    session.flush()
    return bool(session.info.get(SETTINGS) or session.connection().info.get(CONNECTION_SETTINGS))


def _note(session: Session, key: str, value: int | None = None, part: int = ALL_PARTS) -> None:
    if key == SETTINGS:
        session.info[SETTINGS] = True
        session.connection().info[CONNECTION_SETTINGS] = True
        return
    if key == EVERYONE:
        session.info[EVERYONE] = True
    elif key == MEMBERS:
        parts = session.info.setdefault(MEMBERS, {})
        parts[value] = parts.get(value, 0) | part
    else:
        session.info.setdefault(key, set()).add(value)
    session.connection().info[CONNECTION_CHANGED] = True


def _values(instance: object, key: str) -> set:
    """Return the attribute's values before and after the flush (no database access)."""
    history = inspect(instance).attrs[key].history
    return {v for v in (*history.added, *history.unchanged, *history.deleted) if v is not None}


def _note_instance(session: Session, instance: object, *, is_new: bool) -> None:
    if isinstance(instance, Member):
        state = inspect(instance)
        if is_new or any(
            attr.history.has_changes()
            for attr in state.attrs
            if attr.key not in UNTRACKED_MEMBER_COLUMNS
        ):
            for member_id in _values(instance, "id") or {None}:
                _note(session, MEMBERS if member_id else EVERYONE, member_id, PART_MEMBER)
    elif isinstance(instance, PER_MEMBER):
        part = PART_OF[type(instance)]
        for member_id in _values(instance, "member_id") or {None}:
            _note(session, MEMBERS if member_id else EVERYONE, member_id, part)
    elif isinstance(instance, RequestSession):
        for request_id in _values(instance, "request_id"):
            _note(session, REQUESTS, request_id)
    if isinstance(instance, SETTINGS_TABLES):
        _note(session, SETTINGS)
    if isinstance(instance, Area):
        _note(session, EVERYONE)


@event.listens_for(Session, "after_flush")
def _note_flushed_changes(session: Session, _flush_context: UOWTransaction) -> None:
    """Note which members a flush changed matching data of."""
    for instance in session.new:
        _note_instance(session, instance, is_new=True)
    for instance in (*session.dirty, *session.deleted):
        _note_instance(session, instance, is_new=False)


@event.listens_for(Session, "do_orm_execute")
def _note_bulk_changes(orm_execute_state) -> None:
    """``update(...)``/``delete(...)`` statements on tracked tables count as everyone; also
    ``insert(...)`` ones on the settings tables change the settings."""
    if not (
        orm_execute_state.is_update or orm_execute_state.is_delete or orm_execute_state.is_insert
    ):
        return
    classes = {mapper.class_ for mapper in orm_execute_state.all_mappers}
    if classes & set(SETTINGS_TABLES):
        _note(orm_execute_state.session, SETTINGS)
    if orm_execute_state.is_insert:
        return
    if classes == {Member} and orm_execute_state.is_update:
        # ``_values`` is the statement's SET clause; unreadable (None) counts as a change.
        values = getattr(orm_execute_state.statement, "_values", None)
        columns = {getattr(key, "key", key) for key in values or ()}
        if values and columns <= UNTRACKED_MEMBER_COLUMNS:
            return
    if classes & {Member, Area, RequestSession, *PER_MEMBER}:
        _note(orm_execute_state.session, EVERYONE)


@event.listens_for(Session, "before_commit")
def _log_changes(session: Session) -> None:
    """Raise the version and log who changed, as the transaction's last statements."""
    session.flush()
    members: dict[int, int] = session.info.pop(MEMBERS, {})
    everyone = session.info.pop(EVERYONE, False)
    requests = session.info.pop(REQUESTS, set())
    settings = session.info.pop(SETTINGS, False)
    if settings:
        session.execute(
            update(PoolStamp)
            .where(PoolStamp.id == STAMP_ID)
            .values(settings_version=PoolStamp.settings_version + 1, changed_at=utcnow())
        )
    if requests and not everyone:
        # A session's time matters to the people assigned to its request (bookings, load).
        for member_id in session.execute(
            select(Assignment.member_id).where(Assignment.request_id.in_(sorted(requests)))
        ).scalars():
            members[member_id] = members.get(member_id, 0) | PART_WORK
    if not members and not everyone:
        return
    version = session.execute(
        update(PoolStamp)
        .where(PoolStamp.id == STAMP_ID)
        .values(version=PoolStamp.version + 1, changed_at=utcnow())
        .returning(PoolStamp.version)
    ).scalar()
    if version is None:
        return  # no stamp row: no process keeps an index of this database
    if everyone or len(members) > MAX_LISTED:
        listed = [{"version": version, "member_id": None, "parts": ALL_PARTS}]
    else:
        listed = [
            {"version": version, "member_id": m, "parts": members[m]} for m in sorted(members)
        ]
    session.execute(insert(PoolChange), listed)
    if version % PRUNE_EVERY == 0 and version > KEEP_VERSIONS:
        oldest = version - KEEP_VERSIONS
        session.execute(delete(PoolChange).where(PoolChange.version <= oldest))
        session.execute(
            update(PoolStamp).where(PoolStamp.id == STAMP_ID).values(pruned_below=oldest + 1)
        )


@event.listens_for(Engine, "commit")
@event.listens_for(Engine, "rollback")
def _end_of_transaction(connection: Connection) -> None:
    """The connection's transaction ended: what it changed is committed or gone."""
    connection.info.pop(CONNECTION_CHANGED, None)
    connection.info.pop(CONNECTION_SETTINGS, None)


@event.listens_for(Pool, "checkin")
def _back_in_pool(_dbapi_connection, connection_record) -> None:
    connection_record.info.pop(CONNECTION_CHANGED, None)
    connection_record.info.pop(CONNECTION_SETTINGS, None)
