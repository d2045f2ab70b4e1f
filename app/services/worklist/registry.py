"""The registry of the worklist's section providers, and the worklist built from it.

A section provider is a query over one data source, ordered by urgency, and a function that
turns a row into an item: the page reads the first items and the count in one statement, the
navigation only the count. The home page and
the navigation go only through ``PROVIDERS``, so a new kind of work is a new provider appended
here, with its texts in ``app/web/council/worklist_texts.py``; the template renders whatever
the registry gives. No section is listed without a data source behind it.
"""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import Select
from sqlmodel import Session, select

from app.services.worklist import other_sections, request_sections
from app.services.worklist.sections import SHOWN, Moment, Provider, Section

#: The sections in order of urgency.
PROVIDERS: list[Provider] = [
    request_sections.WAITING_FOR_DECISION,
    request_sections.SHORT_GROUPS,
    request_sections.EXPIRING_INVITATIONS,
    other_sections.DECLARED_CONFLICTS,
    other_sections.OPEN_DEBRIEFS,
    request_sections.ORDERER_CHANGES,
    other_sections.CLAIMS_TO_ATTEST,
    other_sections.FAILED_MAIL,
]


def build_worklist(
    *, session: Session, moment: Moment, providers: list[Provider] | None = None
) -> list[Section]:
    """Return every section in order of urgency, each with its count and first items."""
    sections = []
    for provider in PROVIDERS if providers is None else providers:
        items, total = provider.page(session=session, moment=moment, limit=SHOWN)
        sections.append(Section(provider.key, total, items))
    return sections


def worklist_counts(*, session: Session, moment: Moment) -> dict[str, int]:
    """Return the number of waiting items per section, all in one statement.

    The council's navigation shows the total on every page, so this runs on each of them.
    """
    params = {}
    for provider in PROVIDERS:
        params.update(provider.params(moment))
    row = session.exec(_counts_statement(tuple(PROVIDERS)), params=params).one()
    return {provider.key: count for provider, count in zip(PROVIDERS, row, strict=True)}


@lru_cache(maxsize=4)
def _counts_statement(providers: tuple[Provider, ...]) -> Select:
    return select(*(p.count_statement.scalar_subquery() for p in providers))
