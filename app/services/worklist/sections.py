"""The worklist's shape: items, sections and the provider of a section (see ``registry``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property, lru_cache

from sqlalchemy import Select, bindparam, func
from sqlalchemy.sql.elements import BindParameter
from sqlmodel import Session, select

from app.models.base import UTCDateTime

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


def at(name: str) -> BindParameter:
    """Return a bound moment of a provider's statement; ``Provider.params`` gives its value.

    The statements are built once and run with each request's moment: building one costs
    more CPU than running it (the council's navigation counts every section on every page).
    """
    return bindparam(name, type_=UTCDateTime())


def _now(moment: Moment) -> dict:
    return {"now": moment.now}


def no_params(_moment: Moment) -> dict:
    """The ``params`` of a section whose statement does not depend on the moment."""
    return {}


@dataclass(frozen=True)
class Provider:
    """One section's data source: a query of its items, most urgent first, and a row's item."""

    key: str
    #: The section's rows, ordered, with the moment bound (``at``); ``item`` turns one row
    #: into a line.
    query: Callable[[], Select]
    item: Callable[[tuple, Moment], WorkItem]
    #: The values of the statement's bound moments as of a moment.
    params: Callable[[Moment], dict] = _now

    @cached_property
    def statement(self) -> Select:
        """Return the section's statement, built on first use."""
        return self.query()

    @cached_property
    def count_statement(self) -> Select:
        """Return the statement counting the section's rows."""
        return select(func.count()).select_from(self.statement.order_by(None).subquery())

    def page(self, *, session: Session, moment: Moment, limit: int) -> tuple[list[WorkItem], int]:
        """Return the first ``limit`` items and how many there are, in one statement."""
        rows = session.exec(_page_statement(self, limit), params=self.params(moment)).all()
        items = [self.item(tuple(row)[:-1], moment) for row in rows]
        return items, (rows[0][-1] if rows else 0)

    def count(self, *, session: Session, moment: Moment) -> int:
        """Return how many items wait, in one statement."""
        return session.exec(self.count_statement, params=self.params(moment)).one()


@lru_cache(maxsize=64)
def _page_statement(provider: Provider, limit: int) -> Select:
    return provider.statement.add_columns(func.count().over()).limit(limit)


@dataclass(frozen=True)
class Moment:
    """The worklist's 'now': the moment and the local date (for days to a session)."""

    now: datetime
    today: date
