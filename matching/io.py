"""JSON input: parse and validate pools, requests, streams and history into matching types."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from matching.classes import TARGET_LABELS
from matching.selection import DIMENSIONS
from matching.taxonomy import normalise_area
from matching.types import (
    ANSWERS,
    ASSIGNMENT_TYPES,
    BALANCES,
    FORMATS,
    GENDERS,
    MANDATES,
    POOLS,
    QUOTA_FIELDS,
    STOCKHOLM,
    BlockedPeriod,
    Booking,
    Experience,
    HistoryEntry,
    Member,
    Opportunity,
    Quota,
    Request,
    Session,
    WeeklyWindow,
    Weights,
)


class InputError(ValueError):
    """Bad input, with the file, record and field named so an analyst can fix it."""


class _Record:
    """A JSON object being read, that knows how to name itself in error messages."""

    def __init__(self, obj: Any, label: str):
        if not isinstance(obj, dict):
            raise InputError(f"{label}: expected a JSON object, got {type(obj).__name__}")
        self.obj, self.label = obj, label

    def fail(self, name: str, problem: str) -> InputError:
        return InputError(f"{self.label}: field '{name}': {problem}")

    def get(
        self, name: str, kind: type | tuple, default: Any = ..., *, required: bool = False
    ) -> Any:
        if name not in self.obj or self.obj[name] is None:
            if required or default is ...:
                raise self.fail(name, "missing")
            return default
        value = self.obj[name]
        bad_bool = isinstance(value, bool) and bool not in (
            kind if isinstance(kind, tuple) else (kind,)
        )
        if not isinstance(value, kind) or bad_bool:
            raise self.fail(name, f"expected {_kind_name(kind)}, got {json.dumps(value)[:40]}")
        return value

    def choice(self, name: str, choices: tuple[str, ...], default: Any = ...) -> str:
        value = self.get(name, str, default)
        if value not in choices:
            raise self.fail(name, f"{value!r} is not one of {', '.join(choices)}")
        return value

    def parse(self, name: str, value: Any, fn: Callable[[Any], Any], what: str) -> Any:
        try:
            return fn(value)
        except (TypeError, ValueError):
            raise self.fail(name, f"expected {what}, got {json.dumps(value)[:40]}") from None


def _kind_name(kind: type | tuple) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    names = {
        str: "a string",
        int: "an integer",
        float: "a number",
        bool: "true or false",
        list: "a list",
        dict: "an object",
    }
    return " or ".join(names.get(k, k.__name__) for k in kinds)


def _local(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    return (
        moment.replace(tzinfo=STOCKHOLM) if moment.tzinfo is None else moment.astimezone(STOCKHOLM)
    )


def _optional_moment(rec: _Record, name: str) -> datetime | None:
    value = rec.get(name, str, None)
    if value is None:
        return None
    return rec.parse(name, value, _local, "a local time YYYY-MM-DDTHH:MM")


def _clock(value: str) -> time:
    if value == "24:00":
        return time(0, 0)
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def _interval(rec: _Record, name: str, item: Any, label: str) -> tuple[datetime, datetime, _Record]:
    sub = _Record(item, f"{rec.label}, {name} {label}")
    start = sub.parse("start", sub.get("start", str), _local, "a local time YYYY-MM-DDTHH:MM")
    end = sub.parse("end", sub.get("end", str), _local, "a local time YYYY-MM-DDTHH:MM")
    if end <= start:
        raise sub.fail("end", "must be after start")
    return start, end, sub


def _weekly(rec: _Record, i: int, item: Any) -> WeeklyWindow:
    sub = _Record(item, f"{rec.label}.weekly #{i}")
    weekday = sub.get("weekday", int)
    if not 0 <= weekday <= 6:
        raise sub.fail("weekday", "must be 0 (Monday) to 6 (Sunday)")
    start = sub.parse("start", sub.get("start", str), _clock, "HH:MM")
    end = sub.parse("end", sub.get("end", str), _clock, "HH:MM")
    if end != time(0, 0) and end <= start:
        raise sub.fail("end", "must be after start")
    return WeeklyWindow(weekday, start, end)


def _blocked(rec: _Record, i: int, item: Any) -> BlockedPeriod:
    sub = _Record(item, f"{rec.label}.blocked #{i}")
    start = sub.parse("start", sub.get("start", str), date.fromisoformat, "a date YYYY-MM-DD")
    end = sub.parse("end", sub.get("end", str), date.fromisoformat, "a date YYYY-MM-DD")
    if end < start:
        raise sub.fail("end", "must not be before start")
    return BlockedPeriod(start, end)


def history_entry(rec: _Record) -> HistoryEntry:
    """Return a HistoryEntry read from ``rec``."""
    day = rec.parse("date", rec.get("date", str), date.fromisoformat, "a date YYYY-MM-DD")
    hours = float(rec.get("hours", (int, float), 0.0))
    if hours < 0:
        raise rec.fail("hours", "must not be negative")
    answer = rec.choice("answer", ANSWERS, None) if rec.obj.get("answer") is not None else None
    fmt = rec.choice("format", FORMATS, None) if rec.obj.get("format") is not None else None
    lead = rec.get("lead_days", (int, float), None)
    days = tuple(
        rec.parse("session_dates", value, date.fromisoformat, "dates YYYY-MM-DD")
        for value in rec.get("session_dates", list, [])
    )
    return HistoryEntry(
        day, hours, answer, fmt, None if lead is None else float(lead), session_dates=days
    )


def opportunity(rec: _Record) -> Opportunity:
    """Return an Opportunity read from ``rec`` (a share of seats, or a sum of shares: >= 0)."""
    day = rec.parse(
        "date", rec.get("date", str, required=True), date.fromisoformat, "a date YYYY-MM-DD"
    )
    share = float(rec.get("share", (int, float), required=True))
    if share < 0:
        raise rec.fail("share", "must not be negative")
    return Opportunity(day, share)


def _list(rec: _Record, name: str, default: Any = ...) -> list:
    return rec.get(name, list, [] if default is ... else default)


def _strings(
    rec: _Record, name: str, choices: tuple[str, ...] | None, default: tuple
) -> tuple[str, ...]:
    values = rec.get(name, list, list(default))
    for v in values:
        if not isinstance(v, str) or (choices and v not in choices):
            allowed = f"one of {', '.join(choices)}" if choices else "strings"
            raise rec.fail(name, f"{json.dumps(v)[:40]} is not allowed; expected {allowed}")
    return tuple(values)


def parse_member(obj: Any, i: int, source: str) -> Member:
    """Return the Member in pool record ``i`` or raise InputError naming record and field."""
    ident = obj.get("id") if isinstance(obj, dict) else None
    rec = _Record(
        obj, f"{source}: member #{i}" + (f" (id {ident!r})" if isinstance(ident, str) else "")
    )
    experiences = []
    for j, item in enumerate(_list(rec, "experiences")):
        sub = _Record(item, f"{rec.label}, experiences #{j}")
        experiences.append(
            Experience(sub.get("area", str), sub.choice("type", ("own", "relative")))
        )
    avail = _Record(rec.get("availability", dict, {}), f"{rec.label}, availability")
    history = [
        history_entry(_Record(h, f"{rec.label}, history #{j}"))
        for j, h in enumerate(_list(rec, "history"))
    ]
    bookings = []
    for j, item in enumerate(_list(rec, "bookings")):
        start, end, sub = _interval(rec, "bookings", item, f"#{j}")
        bookings.append(
            Booking(start, end, sub.get("assignment", str, None), sub.get("is_work", bool, True))
        )
    max_pm = rec.get("max_per_month", int, 2)
    if max_pm < 0:
        raise rec.fail("max_per_month", "must not be negative")

    def day(name: str) -> date | None:
        value = rec.get(name, str, None)
        return (
            None
            if value is None
            else rec.parse(name, value, date.fromisoformat, "a date YYYY-MM-DD")
        )

    return Member(
        id=rec.get("id", str, required=True),
        birth_year=rec.get("birth_year", int, required=True),
        gender=rec.choice("gender", GENDERS),
        experiences=tuple(experiences),
        weekly=tuple(_weekly(avail, j, w) for j, w in enumerate(_list(avail, "weekly"))),
        blocked=tuple(_blocked(avail, j, b) for j, b in enumerate(_list(avail, "blocked"))),
        municipality=rec.get("municipality", str, ""),
        languages=_strings(rec, "languages", None, ("sv",)),
        pool=rec.choice("pool", POOLS, "levande_bibliotek"),
        mandate=rec.choice("mandate", MANDATES, "self"),
        active=rec.get("active", bool, True),
        consent=rec.get("consent", bool, True),
        introduced=rec.get("introduced", bool, True),
        agreement_signed=rec.get("agreement_signed", bool, True),
        assignment_types=_strings(rec, "assignment_types", ASSIGNMENT_TYPES, ()),
        formats=_strings(rec, "formats", FORMATS, FORMATS),
        max_per_month=max_pm,
        history=tuple(history),
        bookings=tuple(bookings),
        employer=rec.get("employer", str, None),
        employers=_strings(rec, "employers", None, ()),
        joined=day("joined"),
        paused_until=day("paused_until"),
        opportunities=tuple(
            opportunity(_Record(o, f"{rec.label}, opportunities #{j}"))
            for j, o in enumerate(_list(rec, "opportunities"))
        ),
    )


def _target(rec: _Record) -> dict[str, dict[str, float]]:
    raw = rec.get("target", dict, {})
    out = {}
    for dim, shares in raw.items():
        if dim not in DIMENSIONS:
            raise rec.fail("target", f"unknown dimension {dim!r}; use {', '.join(DIMENSIONS)}")
        if not isinstance(shares, dict) or not all(
            isinstance(v, (int, float)) and not isinstance(v, bool) and 0 <= v <= 1
            for v in shares.values()
        ):
            raise rec.fail("target", f"{dim!r} must map values to shares from 0 to 1")
        # A misspelt value ("18-34", "women") would otherwise want no seats, silently.
        known = [label for label in TARGET_LABELS[dim] if label]
        for value in shares:
            if value not in known:
                raise rec.fail("target", f"{dim!r}: {value!r} is not one of {', '.join(known)}")
        out[dim] = {str(k): float(v) for k, v in shares.items()}
    return out


QUOTA_VALUES = {
    "gender": ("woman", "man", "nonbinary"),
    "experience": ("own", "relative"),
    "mandate": ("self", "organisation"),
}
MAX_AGE = 130


def parse_quota(obj: Any, where: str) -> Quota:
    """Return the Quota in JSON-like ``obj`` or raise InputError naming ``where`` and the field."""
    rec = _Record(obj, where)
    unknown = sorted(set(rec.obj) - {"field", "value", "min", "max"})
    if unknown:
        raise rec.fail(unknown[0], "unknown field; a quota has field, value, min and max")
    name = rec.choice("field", QUOTA_FIELDS)
    if name == "age":
        value: str | tuple[int, int] = _age_value(rec)
    else:
        value = rec.choice("value", QUOTA_VALUES[name])
    low, high = rec.get("min", int, None), rec.get("max", int, None)
    for bound, number in (("min", low), ("max", high)):
        if number is not None and number < 0:
            raise rec.fail(bound, "must not be negative")
    if low is None and high is None:
        raise rec.fail("min", "give min, max or both")
    if low is not None and high is not None and low > high:
        raise rec.fail("max", f"must not be below min ({low})")
    return Quota(name, value, low, high)


def _age_value(rec: _Record) -> tuple[int, int]:
    value = rec.get("value", list)
    if (
        len(value) != 2
        or not all(isinstance(a, int) and not isinstance(a, bool) for a in value)
        or not 0 <= value[0] <= value[1] <= MAX_AGE
    ):
        raise rec.fail("value", f"expected [min_age, max_age] in whole years, 0 to {MAX_AGE}")
    return (value[0], value[1])


def quota_json(q: Quota) -> dict:
    """Return the JSON shape of a quota (the one ``parse_quota`` reads)."""
    out: dict[str, Any] = {
        "field": q.field,
        "value": list(q.value) if isinstance(q.value, tuple) else q.value,
    }
    if q.min is not None:
        out["min"] = q.min
    if q.max is not None:
        out["max"] = q.max
    return out


def _quotas(rec: _Record, count: int) -> tuple[Quota, ...]:
    quotas = []
    for j, item in enumerate(_list(rec, "quotas")):
        where = f"{rec.label}, quotas #{j}"
        quota = parse_quota(item, where)
        if quota.min is not None and quota.min > count:
            raise InputError(f"{where}: field 'min': {quota.min} is more than count ({count})")
        quotas.append(quota)
    return tuple(quotas)


def _area_names(rec: _Record) -> dict[str, tuple[str, str]]:
    raw = rec.get("area_names", dict, {})
    out = {}
    for code, names in raw.items():
        if not (
            isinstance(names, list) and len(names) == 2 and all(isinstance(n, str) for n in names)
        ):
            raise rec.fail("area_names", f"{code!r} must map to [Swedish name, English name]")
        out[normalise_area(code)] = (names[0], names[1])
    return out


def parse_request(obj: Any, i: int, source: str) -> Request:
    """Return the Request in record ``i`` or raise InputError naming record and field."""
    ident = obj.get("id") if isinstance(obj, dict) else None
    rec = _Record(
        obj, f"{source}: request #{i}" + (f" (id {ident!r})" if isinstance(ident, str) else "")
    )
    areas = _strings(rec, "areas", None, ())
    if not areas:
        raise rec.fail("areas", "must list at least one area")
    sessions = [
        Session(*_interval(rec, "sessions", s, f"#{j}")[:2])
        for j, s in enumerate(_list(rec, "sessions"))
    ]
    if not sessions:
        raise rec.fail("sessions", "must list at least one session")
    count = rec.get("count", int, 2)
    if count < 1:
        raise rec.fail("count", "must be at least 1")
    age_range = rec.get("age_range", list, None)
    if age_range is not None and (
        len(age_range) != 2
        or not all(isinstance(a, int) and not isinstance(a, bool) for a in age_range)
        or age_range[0] > age_range[1]
    ):
        raise rec.fail("age_range", "expected [min, max] with whole years, min <= max")
    return Request(
        id=rec.get("id", str, required=True),
        organisation=rec.get("organisation", str, ""),
        type=rec.choice("type", ASSIGNMENT_TYPES),
        areas=areas,
        sessions=tuple(sessions),
        experience=rec.choice("experience", ("own", "relative", "any"), "any"),
        count=count,
        format=rec.choice("format", FORMATS, "onsite"),
        language=rec.get("language", str, "sv"),
        age_range=None if age_range is None else (age_range[0], age_range[1]),
        target=_target(rec),
        quotas=_quotas(rec, count),
        balance=rec.choice("balance", BALANCES, "soft"),
        organisation_ancestors=_strings(rec, "organisation_ancestors", None, ()),
        organisation_descendants=_strings(rec, "organisation_descendants", None, ()),
        interest_round=rec.get("interest_round", bool, False),
        introduction_required_in=_strings(rec, "introduction_required_in", POOLS, ()),
        agreement_required_in=_strings(rec, "agreement_required_in", POOLS, ()),
        invited_at=_optional_moment(rec, "invited_at"),
        area_names=_area_names(rec),
    )


def _records(data: Any, source: str, what: str) -> list:
    if not isinstance(data, list):
        raise InputError(f"{source}: expected a JSON list of {what}, got {type(data).__name__}")
    return data


def parse_pool(data: Any, source: str = "pool") -> list[Member]:
    """Return the members of a pool file (a JSON list); ids must be unique."""
    members = [
        parse_member(obj, i, source) for i, obj in enumerate(_records(data, source, "members"))
    ]
    return _unique_ids(members, source, "member")


def parse_stream(data: Any, source: str = "stream") -> list[Request]:
    """Return the requests of a stream file (a JSON list); ids must be unique.

    A request's id is the assignment id its bookings carry, and one assignment is one unit of
    load however many sessions it has: two requests sharing an id would count as one.
    """
    requests = [
        parse_request(obj, i, source) for i, obj in enumerate(_records(data, source, "requests"))
    ]
    return _unique_ids(requests, source, "request")


def _unique_ids(records: list, source: str, what: str) -> list:
    """Return ``records`` or raise InputError naming the first record whose id came before."""
    seen: dict[str, int] = {}
    for i, record in enumerate(records):
        if record.id in seen:
            raise InputError(
                f"{source}: {what} #{i} (id {record.id!r}): field 'id': "
                f"duplicate of {what} #{seen[record.id]}"
            )
        seen[record.id] = i
    return records


def parse_history(
    data: Any, known: set[str], source: str = "history"
) -> dict[str, list[HistoryEntry]]:
    """Return extra history per member id from a list of entries that each name their ``member``."""
    out: dict[str, list[HistoryEntry]] = {}
    for i, obj in enumerate(_records(data, source, "history entries")):
        rec = _Record(obj, f"{source}: entry #{i}")
        member = rec.get("member", str, required=True)
        if member not in known:
            raise rec.fail("member", f"unknown member id {member!r}")
        out.setdefault(member, []).append(history_entry(rec))
    return out


def parse_weights(data: Any, source: str = "weights") -> Weights:
    """Return Weights from a JSON object; missing names keep their defaults."""
    rec = _Record(data, source)
    defaults = Weights()
    values = {}
    for name in defaults.__dataclass_fields__:
        value = float(rec.get(name, (int, float), getattr(defaults, name)))
        if value < 0:
            raise rec.fail(name, "must not be negative")
        values[name] = value
    if values["relevance"] + values["load"] + values["acceptance"] <= 0:
        raise rec.fail("relevance", "relevance, load and acceptance must not all be zero")
    return Weights(**values)


def load_json(path: str | Path) -> Any:
    """Return the parsed JSON in ``path`` or raise InputError."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read: {exc}") from None
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{path}: not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from None
