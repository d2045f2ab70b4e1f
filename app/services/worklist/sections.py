"""The worklist's shape: items, sections and the provider of a section (see ``registry``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

#: How many items a section shows on the home page; the count tells how many there are.
SHOWN = 20


@dataclass(frozen=True)
class WorkItem:
    """One line of the worklist: what it is about and the one step it needs."""

    #: Unique within its section (e.g. the request's or the invitation's id).
    key: int
    #: The request the item belongs to, when there is one.
    request_id: int | None
    #: The item's name: a request's title, a member's name, a mail's subject.
    title: str
    #: The moment that makes the item urgent (first session, reply deadline, submitted at).
    due_at: datetime | None = None
    #: Section-specific facts the line shows (e.g. ``{"missing": 2, "days": 5}``).
    facts: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Section:
    """A section as shown: its key, how many items wait and the first of them."""

    key: str
    total: int
    items: list[WorkItem]


@dataclass(frozen=True)
class Provider:
    """One section's data source: its key, its count and its items."""

    key: str
    count: Callable[..., int]
    items: Callable[..., list[WorkItem]]


@dataclass(frozen=True)
class Moment:
    """The worklist's 'now': the moment and the local date (for days to a session)."""

    now: datetime
    today: date
