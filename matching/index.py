"""PoolIndex: the pool turned into numpy arrays once, so that each request is vectorised."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from matching.taxonomy import normalise_area, organisation_heads, organisation_key
from matching.types import (
    ASSIGNMENT_TYPES,
    FORMATS,
    GENDERS,
    MANDATES,
    POOLS,
    STOCKHOLM,
    Booking,
    Member,
    Session,
    WeeklyWindow,
)

NEVER = 1441  # a window start no session can reach


def month_key(day: date) -> int:
    """Return a sortable integer for the calendar month of ``day``."""
    return day.year * 12 + day.month - 1


def epoch_seconds(moment: datetime) -> int:
    """Return POSIX seconds of an aware datetime."""
    return int(moment.timestamp())


def zone_of(moment: datetime) -> ZoneInfo:
    """Return the zone the engine reckons ``moment``'s local day and hour in.

    The engine takes no zone setting: it reads local time in the named zone its datetimes carry
    (the app gives them in its configured zone). A datetime with only a UTC or fixed offset
    names no zone and is read in Europe/Stockholm, the reference deployment's.
    """
    return moment.tzinfo if isinstance(moment.tzinfo, ZoneInfo) else STOCKHOLM


def local(moment: datetime) -> datetime:
    """Return ``moment`` in the zone it carries (see ``zone_of``)."""
    return moment.astimezone(zone_of(moment))


def shifted(moment: datetime, delta: timedelta) -> datetime:
    """Return ``moment`` moved by real elapsed time (not wall-clock time), in its own zone."""
    return (moment.astimezone(UTC) + delta).astimezone(zone_of(moment))


@dataclass
class _Flat:
    """Growable flat arrays keyed by member position."""

    member: np.ndarray
    cols: dict[str, np.ndarray]

    @classmethod
    def build(cls, rows: list[tuple], names: Sequence[str], dtypes: Sequence[str]) -> _Flat:
        member = np.array([r[0] for r in rows], dtype=np.int32)
        cols = {
            n: np.array([r[i + 1] for r in rows], dtype=d)
            for i, (n, d) in enumerate(zip(names, dtypes, strict=True))
        }
        return cls(member, cols)

    def extend(self, rows: list[tuple]) -> None:
        if not rows:
            return
        self.member = np.concatenate([self.member, np.array([r[0] for r in rows], dtype=np.int32)])
        for i, (name, arr) in enumerate(self.cols.items()):
            self.cols[name] = np.concatenate(
                [arr, np.array([r[i + 1] for r in rows], dtype=arr.dtype)]
            )


def _merge_windows(windows: Sequence[WeeklyWindow]) -> list[list[tuple[int, int]]]:
    """Return per weekday the merged (start, end) minute intervals."""
    days: list[list[tuple[int, int]]] = [[] for _ in range(7)]
    for w in windows:
        end = 1440 if w.end.hour == 0 and w.end.minute == 0 else w.end.hour * 60 + w.end.minute
        days[w.weekday].append((w.start.hour * 60 + w.start.minute, end))
    merged: list[list[tuple[int, int]]] = []
    for intervals in days:
        out: list[tuple[int, int]] = []
        for start, end in sorted(intervals):
            if out and start <= out[-1][1]:
                out[-1] = (out[-1][0], max(out[-1][1], end))
            else:
                out.append((start, end))
        merged.append(out)
    return merged


def booking_units(member_pos: int, bookings: Sequence[Booking]) -> tuple[list, list]:
    """Return (load units, month units) rows for bookings grouped by assignment.

    A group counts once as load, dated by its first session (an open invitation, a group with a
    booking whose ``is_work`` is False, as provisional load: ``provisional`` True), and once in
    each month one of its sessions falls in (docs/domain.md §5).
    """
    groups: dict[object, list[Booking]] = {}
    for i, b in enumerate(bookings):
        groups.setdefault(b.assignment if b.assignment is not None else ("#", i), []).append(b)
    load_rows, month_rows = [], []
    for group in groups.values():
        first = min(local(b.start) for b in group).date()
        hours = sum(b.end.timestamp() - b.start.timestamp() for b in group) / 3600.0
        provisional = not all(b.is_work for b in group)
        load_rows.append((member_pos, first.toordinal(), hours, provisional))
        for month in {month_key(local(b.start).date()) for b in group}:
            month_rows.append((member_pos, month))
    return load_rows, month_rows


#: PoolIndex arrays with one row per member and no vocabulary behind their columns.
ROW_ARRAYS = (
    "birth_year", "gender", "mandate", "active", "consent", "max_per_month", "paused_until",
    "pool", "introduced", "agreement_signed",
    "joined", "takes_type", "explicit_type", "formats", "n_formats", "no_windows",
)  # fmt: skip
#: The PoolIndex arrays of dated events, built by ``_event_rows``.
EVENT_ARRAYS = ("blocked", "bookings", "load_units", "month_units", "answers", "opportunities")


def _event_rows(members: Iterable[tuple[int, Member]]) -> dict[str, list[tuple]]:
    """Return the rows of each event array for (position, member) pairs."""
    rows: dict[str, list[tuple]] = {name: [] for name in EVENT_ARRAYS}
    for i, m in members:
        rows["blocked"] += [(i, b.start.toordinal(), b.end.toordinal()) for b in m.blocked]
        rows["bookings"] += [(i, epoch_seconds(b.start), epoch_seconds(b.end)) for b in m.bookings]
        for h in m.history:
            if h.is_work:
                rows["load_units"].append((i, h.date.toordinal(), h.hours, False))
                rows["month_units"] += [(i, month) for month in {month_key(d) for d in h.months}]
            if h.answer is not None:
                rows["answers"].append((i, h.date.toordinal(), h.answer == "accepted"))
        rows["opportunities"] += [(i, o.date.toordinal(), o.share) for o in m.opportunities]
        more_load, more_month = booking_units(i, m.bookings)
        rows["load_units"] += more_load
        rows["month_units"] += more_month
    return rows


class PoolIndex:
    """Arrays describing the pool; build once, reuse for many requests."""

    def __init__(self, members: Sequence[Member]):
        self.members = tuple(members)
        self.ids = [m.id for m in self.members]
        self.pos = {mid: i for i, mid in enumerate(self.ids)}
        self.n = len(self.members)
        self._build_scalars()
        self._build_vocabularies()
        self._build_windows()
        self._build_events()

    def _build_scalars(self) -> None:
        ms = self.members
        self.birth_year = np.array([m.birth_year for m in ms], dtype=np.int32)
        self.gender = np.array([GENDERS.index(m.gender) for m in ms], dtype=np.int8)
        self.mandate = np.array([MANDATES.index(m.mandate) for m in ms], dtype=np.int8)
        self.active = np.array([m.active for m in ms], dtype=bool)
        self.consent = np.array([m.consent for m in ms], dtype=bool)
        self.pool = np.array([POOLS.index(m.pool) for m in ms], dtype=np.int8)
        self.introduced = np.array([m.introduced for m in ms], dtype=bool)
        self.agreement_signed = np.array([m.agreement_signed for m in ms], dtype=bool)
        self.max_per_month = np.array([m.max_per_month for m in ms], dtype=np.int32)
        self.paused_until = np.array(
            [m.paused_until.toordinal() if m.paused_until else 0 for m in ms], dtype=np.int32
        )
        self.joined = np.array(
            [m.joined.toordinal() if m.joined else 0 for m in ms], dtype=np.int32
        )
        self.takes_type = np.ones((self.n, len(ASSIGNMENT_TYPES)), dtype=bool)
        self.explicit_type = np.zeros((self.n, len(ASSIGNMENT_TYPES)), dtype=bool)
        self.formats = np.zeros((self.n, len(FORMATS)), dtype=bool)
        for i, m in enumerate(ms):
            if m.assignment_types:
                cols = [ASSIGNMENT_TYPES.index(t) for t in m.assignment_types]
                self.takes_type[i] = False
                self.takes_type[i, cols] = True
                self.explicit_type[i, cols] = True
            self.formats[i, [FORMATS.index(f) for f in m.formats]] = True
        self.n_formats = self.formats.sum(axis=1)

    def _build_vocabularies(self) -> None:
        ms = self.members
        self.area_vocab = sorted({normalise_area(e.area) for m in ms for e in m.experiences})
        area_pos = {a: i for i, a in enumerate(self.area_vocab)}
        # bit 1 = own experience, bit 2 = relative experience
        self.area_bits = np.zeros((self.n, max(1, len(self.area_vocab))), dtype=np.uint8)
        self.lang_vocab = sorted({lang for m in ms for lang in m.languages})
        lang_pos = {lang: i for i, lang in enumerate(self.lang_vocab)}
        self.lang = np.zeros((self.n, max(1, len(self.lang_vocab))), dtype=bool)
        # employer_vocab: organisation key -> code; employer_heads: key of an organisation ->
        # codes of employers written as a unit of it ("<organisation> – <unit>").
        self.employer_vocab: dict[str, int] = {}
        self.employer_heads: dict[str, list[int]] = {}
        declared = [[organisation_key(e) for e in m.declared_employers] for m in ms]
        k = max([len(keys) for keys in declared] + [1])
        # one row per member, one column per declared employer (-1: none)
        self.employer = np.full((self.n, k), -1, dtype=np.int32)
        for i, m in enumerate(ms):
            for e in m.experiences:
                self.area_bits[i, area_pos[normalise_area(e.area)]] |= 1 if e.type == "own" else 2
            self.lang[i, [lang_pos[lang] for lang in m.languages]] = True
            for j, key in enumerate(declared[i]):
                self.employer[i, j] = self.employer_code(key)

    def employer_code(self, key: str) -> int:
        """Return the code of an employer key, adding it (and its heads) when new."""
        code = self.employer_vocab.get(key)
        if code is None:
            code = self.employer_vocab[key] = len(self.employer_vocab)
            for head in organisation_heads(key):
                self.employer_heads.setdefault(head, []).append(code)
        return code

    def _build_windows(self) -> None:
        per_member = [_merge_windows(m.weekly) for m in self.members]
        k = max([len(day) for days in per_member for day in days] + [1])
        self.win_start = np.full((self.n, 7, k), NEVER, dtype=np.int16)
        self.win_end = np.full((self.n, 7, k), -1, dtype=np.int16)
        for i, days in enumerate(per_member):
            for d, intervals in enumerate(days):
                for j, (start, end) in enumerate(intervals):
                    self.win_start[i, d, j] = start
                    self.win_end[i, d, j] = end
        #: Per member: no weekly window at all, so their availability is unknown.
        self.no_windows = (self.win_start >= NEVER).all(axis=(1, 2))

    def _build_events(self) -> None:
        rows = _event_rows(enumerate(self.members))
        self.blocked = _Flat.build(rows["blocked"], ("start", "end"), ("int32", "int32"))
        self.bookings = _Flat.build(rows["bookings"], ("start", "end"), ("int64", "int64"))
        self.load_units = _Flat.build(
            rows["load_units"], ("day", "hours", "provisional"), ("int32", "float64", "bool")
        )
        self.month_units = _Flat.build(rows["month_units"], ("month",), ("int32",))
        self.answers = _Flat.build(rows["answers"], ("day", "accepted"), ("int32", "bool"))
        self.opportunities = _Flat.build(
            rows["opportunities"], ("day", "share"), ("int32", "float64")
        )

    def updated(self, members: Sequence[Member], removed: Iterable[str] = ()) -> PoolIndex:
        """Return a copy with these members changed (or added) and ``removed`` ids left out.

        Changed members keep their positions, so only their rows are rebuilt and every other
        array is copied, not recomputed: keeping an index current after a few members changed
        costs milliseconds instead of a rebuild of the whole pool. New or removed members, or
        a change that needs a column the index lacks (an area, a language, more windows a
        day), rebuild the index from its member list, which needs no new data either.
        A member given twice counts in its last version. This index is left as it was.
        """
        latest = {member.id: member for member in members}
        gone = {mid for mid in removed if mid in self.pos} - set(latest)  # others: not here
        if not latest and not gone:
            return self
        if gone or any(mid not in self.pos for mid in latest):
            kept = [latest.pop(m.id, m) for m in self.members if m.id not in gone]
            return PoolIndex(kept + list(latest.values()))
        mini = PoolIndex(list(latest.values()))
        if (
            not set(mini.area_vocab) <= set(self.area_vocab)
            or not set(mini.lang_vocab) <= set(self.lang_vocab)
            or mini.win_start.shape[2] > self.win_start.shape[2]
            or mini.employer.shape[1] > self.employer.shape[1]
        ):
            return PoolIndex([latest.get(m.id, m) for m in self.members])
        return self._with_rows_of(mini)

    def _with_rows_of(self, mini: PoolIndex) -> PoolIndex:
        """Copy this index with the rows of ``mini``'s members (all already here) replaced."""
        clone = copy.copy(self)
        rows = np.array([self.pos[mid] for mid in mini.ids], dtype=np.int64)
        listed = list(self.members)
        for member, row in zip(mini.members, rows, strict=True):
            listed[row] = member
        clone.members = tuple(listed)
        for name in ROW_ARRAYS:
            array = getattr(self, name).copy()
            array[rows] = getattr(mini, name)
            setattr(clone, name, array)
        for name, vocab in (("area_bits", "area_vocab"), ("lang", "lang_vocab")):
            columns = [getattr(self, vocab).index(value) for value in getattr(mini, vocab)]
            array = getattr(self, name).copy()
            array[rows] = 0
            if columns:
                array[np.ix_(rows, columns)] = getattr(mini, name)[:, : len(columns)]
            setattr(clone, name, array)
        clone.employer_vocab = dict(self.employer_vocab)
        clone.employer_heads = {head: list(codes) for head, codes in self.employer_heads.items()}
        keys = {code: key for key, code in mini.employer_vocab.items()}
        clone.employer = self.employer.copy()
        clone.employer[rows] = -1
        for row, mini_codes in zip(rows, mini.employer, strict=True):
            for j, code in enumerate(mini_codes):
                if code >= 0:
                    clone.employer[row, j] = clone.employer_code(keys[code])
        k = mini.win_start.shape[2]
        for name, empty in (("win_start", NEVER), ("win_end", -1)):
            array = getattr(self, name).copy()
            array[rows] = empty
            array[rows, :, :k] = getattr(mini, name)
            setattr(clone, name, array)
        for name in EVENT_ARRAYS:
            flat: _Flat = getattr(self, name)
            keep = ~np.isin(flat.member, rows)
            merged = _Flat(flat.member[keep], {col: arr[keep] for col, arr in flat.cols.items()})
            ours: _Flat = getattr(mini, name)
            merged.member = np.concatenate([merged.member, rows[ours.member].astype(np.int32)])
            merged.cols = {
                col: np.concatenate([arr, ours.cols[col]]) for col, arr in merged.cols.items()
            }
            setattr(clone, name, merged)
        return clone

    def add_assignment(self, member_id: str, sessions: Sequence[Session], assignment: str) -> None:
        """Record that ``member_id`` was booked for ``sessions`` (used by the simulator)."""
        i = self.pos[member_id]
        booked = [Booking(s.start, s.end, assignment) for s in sessions]
        self.bookings.extend([(i, epoch_seconds(b.start), epoch_seconds(b.end)) for b in booked])
        load_rows, month_rows = booking_units(i, booked)
        self.load_units.extend(load_rows)
        self.month_units.extend(month_rows)

    def add_opportunities(self, rows: np.ndarray, day: int, share: float) -> None:
        """Record that members ``rows`` were eligible for a request on ``day`` (simulators)."""
        self.opportunities.extend([(int(i), day, share) for i in rows])

    def area_columns(self, requested: str) -> tuple[list[int], list[int]]:
        """Return vocabulary columns that match ``requested`` exactly and as descendants."""
        req = normalise_area(requested)
        exact = [i for i, a in enumerate(self.area_vocab) if a == req]
        below = [i for i, a in enumerate(self.area_vocab) if a.startswith(req + "/")]
        return exact, below


def local_date_range(session: Session, buffer: timedelta) -> tuple[int, int]:
    """Return the first and last local date ordinals the (buffered) session touches."""
    start = shifted(session.start, -buffer).date().toordinal()
    end = shifted(session.end, buffer - timedelta(microseconds=1)).date().toordinal()
    return start, end
