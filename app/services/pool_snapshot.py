"""The matching index of the whole pool, kept between requests until the pool's data changes.

Building the index of a 10 000-member pool with 50 000 assignments takes seconds (loading the
rows, then turning them into arrays); ranking it for one request takes milliseconds. Each
process therefore keeps the last index per database and reuses it while the database's pool
stamp (``app.models.pool_stamp``) is unchanged and the index is younger than ``MAX_AGE``
(work that ends becomes history as time passes). A session with uncommitted changes to the
pool always gets an index built from what it sees.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, replace

from sqlalchemy import Engine
from sqlmodel import Session, select

import matching
from app.models import Assignment
from app.models.pool_stamp import current_stamp, has_unstamped_changes
from app.services.matching_input import WORK_STATES, pool_for_matching

#: Seconds an index is reused at most, even when nothing changed: work that has ended moves
#: from "bookings" to "history" (it counts as load either way; only the acceptance figures and
#: reasons see the difference), so an hour's drift is harmless and a rebuild per hour is cheap.
MAX_AGE = 3600.0
#: Databases whose index a process keeps (the newest used).
KEPT_DATABASES = 2


@dataclass(frozen=True)
class _Snapshot:
    stamp: str
    built: float
    index: matching.PoolIndex


_lock = threading.Lock()
_snapshots: OrderedDict[str, _Snapshot] = OrderedDict()


def pool_index(*, session: Session, exclude_request_id: int | None = None) -> matching.PoolIndex:
    """Return the index of every member who has not left, without one request's own work.

    The same pool as ``pool_for_matching(exclude_request_id=...)``, from the kept index when
    the data has not changed since it was built.
    """
    base = _base_index(session)
    if exclude_request_id is None or base.n == 0:
        return base
    own = {
        str(assignment_id)
        for assignment_id in session.exec(
            select(Assignment.id).where(
                Assignment.request_id == exclude_request_id,
                Assignment.status.in_([state.value for state in WORK_STATES]),
            )
        )
    }
    if not own:
        return base
    return base.with_events_of(
        [_without_work(member, own) for member in base.members if _has_work(member, own)]
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


def _base_index(session: Session) -> matching.PoolIndex:
    if has_unstamped_changes(session):
        return matching.PoolIndex(pool_for_matching(session=session))
    stamp = current_stamp(session)
    key = session.get_bind().url.render_as_string(hide_password=True)
    with _lock:
        kept = _snapshots.get(key)
        if kept and kept.stamp == stamp and time.monotonic() - kept.built < MAX_AGE:
            _snapshots.move_to_end(key)
            return kept.index
    # Built outside the lock: two requests may both build after a change, and the last wins.
    built = time.monotonic()
    index = matching.PoolIndex(pool_for_matching(session=session))
    if stamp is not None:
        with _lock:
            _snapshots[key] = _Snapshot(stamp, built, index)
            _snapshots.move_to_end(key)
            while len(_snapshots) > KEPT_DATABASES:
                _snapshots.popitem(last=False)
    return index


def _has_work(member: matching.Member, assignments: set[str]) -> bool:
    return any(b.assignment in assignments for b in member.bookings) or any(
        h.assignment in assignments for h in member.history
    )


def _without_work(member: matching.Member, assignments: set[str]) -> matching.Member:
    return replace(
        member,
        bookings=tuple(b for b in member.bookings if b.assignment not in assignments),
        history=tuple(h for h in member.history if h.assignment not in assignments),
    )
