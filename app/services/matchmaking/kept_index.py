"""The matching index of the whole pool, kept between requests and kept current.

Building the index of a 10 000-member pool with 50 000 assignments takes seconds (loading the
rows, then turning them into arrays); ranking it for one request takes milliseconds. Each
process therefore keeps the last index per database. While the pool's version
(``app.models.pool_stamp``) is unchanged the index is used as it is; after a change, only the
members the change log names are reloaded and their rows replaced — only their windows and
blocked periods when nothing else of theirs changed, the commonest change (a change that
concerns everyone, or very many members, rebuilds it whole). An index older than ``MAX_AGE`` is rebuilt
(work that ends becomes history as time passes). A session with uncommitted changes to the
pool always gets an index built from what it sees.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, replace

from sqlalchemy import Engine
from sqlmodel import Session

import matching
from app.db import database_key
from app.models.pool_stamp import (
    PART_AVAILABILITY,
    has_unstamped_changes,
    members_changed_since,
    pool_state,
)
from app.services.matchmaking.matching_input import (
    availability_of,
    commitment_keys,
    pool_for_matching,
)

#: Seconds an index is reused at most, even when nothing changed: work that has ended moves
#: from "bookings" to "history" (it counts as load either way; only the acceptance figures and
#: reasons see the difference), so an hour's drift is harmless and a rebuild per hour is cheap.
MAX_AGE = 3600.0
#: More changed members than this since the kept index: rebuild it whole instead.
MAX_INCREMENTAL = 2000
#: Databases whose index a process keeps (the newest used).
KEPT_DATABASES = 2


@dataclass(frozen=True)
class _Snapshot:
    stamp: str
    version: int
    built: float
    index: matching.PoolIndex


_lock = threading.Lock()
_snapshots: OrderedDict[str, _Snapshot] = OrderedDict()


def pool_index(
    *,
    session: Session,
    exclude_request_id: int | None = None,
    commitments: dict[int, set[str]] | None = None,
    state=None,
) -> matching.PoolIndex:
    """Return the index of every member who has not left, without one request's own commitments.

    The same pool as ``pool_for_matching(exclude_request_id=...)``, from the kept index when
    the data has not changed since it was built. ``commitments``: that request's
    ``commitment_keys``, and ``state``: the pool stamp's row (``pool_state``), when the caller
    has them already.
    """
    base = _base_index(session, state)
    if exclude_request_id is None or base.n == 0:
        return base
    own = (
        commitments
        if commitments is not None
        else commitment_keys(session=session, request_id=exclude_request_id)
    )
    keys = set().union(*own.values())
    people = {str(member_id) for member_id in own if str(member_id) in base.pos}
    return base.updated(
        [_without_work(base.members[base.pos[member_id]], keys) for member_id in people]
    )


def warm_pool_index(engine: Engine) -> None:
    """Build and keep the index now, then close the connections (they must not cross a fork).

    Under ``gunicorn --preload`` this runs once in the master process: every worker starts
    with the index in memory shared copy-on-write, and the first proposal is as fast as the rest.
    """
    with Session(engine) as session:
        pool_index(session=session)
    engine.dispose()


def forget_pool_indexes() -> None:
    """Drop every kept index (tests, and after a restore into a running process)."""
    with _lock:
        _snapshots.clear()


def _base_index(session: Session, state=None) -> matching.PoolIndex:
    if has_unstamped_changes(session):
        return matching.PoolIndex(pool_for_matching(session=session))
    state = state or pool_state(session)
    if state is None:
        return matching.PoolIndex(pool_for_matching(session=session))
    key = database_key(session)
    with _lock:
        kept = _snapshots.get(key)
    if kept and kept.stamp == state.stamp and time.monotonic() - kept.built < MAX_AGE:
        if kept.version == state.version:
            return kept.index
        if state.pruned_below <= kept.version < state.version:
            changed = members_changed_since(session, kept.version)
            if changed is not None and len(changed) <= MAX_INCREMENTAL:
                index = _refreshed(session, kept.index, changed)
                _keep(key, _Snapshot(state.stamp, state.version, kept.built, index))
                return index
    # Built outside the lock: two requests may both build after a change, and the last wins.
    built = time.monotonic()
    index = matching.PoolIndex(pool_for_matching(session=session))
    _keep(key, _Snapshot(state.stamp, state.version, built, index))
    return index


def _refreshed(session: Session, index: matching.PoolIndex, changed: dict[int, int]):
    """Return the index with the changed members reloaded (those who left are taken out).

    ``changed``: member id → the parts of their data that changed (``PART_*`` bits). A member
    the index holds whose availability alone changed gets only windows and periods reloaded.
    """
    availability_only = {
        m for m, parts in changed.items() if parts == PART_AVAILABILITY and str(m) in index.pos
    }
    whole = set(changed) - availability_only
    fresh = pool_for_matching(session=session, member_ids=whole) if whole else []
    if availability_only:
        weekly, blocked = availability_of(session=session, member_ids=availability_only)
        fresh += [
            replace(index.members[index.pos[str(m)]], weekly=weekly[m], blocked=blocked[m])
            for m in availability_only
        ]
    present = {member.id for member in fresh}
    return index.updated(fresh, removed=[str(m) for m in whole if str(m) not in present])


def _keep(key: str, snapshot: _Snapshot) -> None:
    with _lock:
        kept = _snapshots.get(key)
        if kept is None or kept.stamp != snapshot.stamp or kept.version <= snapshot.version:
            _snapshots[key] = snapshot
        _snapshots.move_to_end(key)
        while len(_snapshots) > KEPT_DATABASES:
            _snapshots.popitem(last=False)


def _without_work(member: matching.Member, keys: set[str]) -> matching.Member:
    return replace(
        member,
        bookings=tuple(b for b in member.bookings if b.assignment not in keys),
        history=tuple(h for h in member.history if h.assignment not in keys),
    )
