"""The worklist's shape: items, sections and the provider of a section (see ``registry``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Select, func
from sqlmodel import Session, select

#: How many items a section shows on the home page; the count tells how many there are.
SHOWN = 20


@dataclass(frozen=True)
class WorkItem:
    """One line of the worklist: what it is about and the facts its line shows."""

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
    """One section's data source: a query of its items, most urgent first, and a row's item."""

    key: str
    #: The section's rows as of a moment, ordered; ``item`` turns one row into a line.
    query: Callable[[Moment], Select]
    item: Callable[[tuple, Moment], WorkItem]

    def page(self, *, session: Session, moment: Moment, limit: int) -> tuple[list[WorkItem], int]:
        """Return the first ``limit`` items and how many there are, in one statement."""
        query = self.query(moment).add_columns(func.count().over()).limit(limit)
        rows = session.exec(query).all()
        items = [self.item(tuple(row)[:-1], moment) for row in rows]
        return items, (rows[0][-1] if rows else 0)

    def count(self, *, session: Session, moment: Moment) -> int:
        """Return how many items wait, in one statement."""
        query = self.query(moment).order_by(None).subquery()
        return session.exec(select(func.count()).select_from(query)).one()


@dataclass(frozen=True)
class Moment:
    """The worklist's 'now': the moment and the local date (for days to a session)."""

    now: datetime
    today: date
