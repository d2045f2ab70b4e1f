"""What every proposal reads besides the pool, kept between requests until it changes.

A proposal needs the council's weights, the acceptance model in force, the organisation tree
(conflicts of interest), the pools' requirements and the area names (explanations): five
statements a request, on a page that is asked often and changes rarely. Each process keeps
them per database with the pool stamp's ``settings_version``
(``app.models.pool_stamp``), which every commit changing one of those tables raises; the
stamp is read anyway to know whether the kept pool index is current. A session with
uncommitted changes to them always reads them itself.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

from sqlmodel import Session

import matching
from app.db import database_key
from app.models.pool_stamp import has_unstamped_settings
from app.services.accounts.organisations import organisation_rows
from app.services.matchmaking.acceptance_model import current_model
from app.services.matchmaking.requirements import required_in
from app.services.matchmaking.weights import current_weights

#: Databases whose settings a process keeps (the newest used).
KEPT_DATABASES = 2


@dataclass(frozen=True)
class MatchingSettings:
    """The non-pool inputs of a proposal, as one database holds them at one moment."""

    weights: matching.Weights
    model: matching.AcceptanceModel
    #: (id, parent id, name) of every organisation
    organisations: tuple[tuple[int, int | None, str], ...]
    #: the pools requiring an introduction, and those requiring a signed agreement
    introduction_in: tuple[str, ...]
    agreement_in: tuple[str, ...]
    #: area code → (Swedish, English) name
    area_names: dict[str, tuple[str, str]]


_lock = threading.Lock()
_kept: OrderedDict[str, tuple[str, int, MatchingSettings]] = OrderedDict()


def matching_settings(*, session: Session, state=None) -> MatchingSettings:
    """Return the settings a proposal uses, from the process's copy while they are unchanged.

    ``state``: the pool stamp's row (``pool_state``) when the caller has read it, else None
    (then they are read, not kept).
    """
    if state is None or has_unstamped_settings(session):
        return read_settings(session=session)
    key = database_key(session)
    with _lock:
        kept = _kept.get(key)
    if kept is not None and kept[:2] == (state.stamp, state.settings_version):
        return kept[2]
    settings = read_settings(session=session)
    with _lock:
        _kept[key] = (state.stamp, state.settings_version, settings)
        _kept.move_to_end(key)
        while len(_kept) > KEPT_DATABASES:
            _kept.popitem(last=False)
    return settings


def read_settings(*, session: Session) -> MatchingSettings:
    """Read the settings a proposal uses from the database."""
    from app.services.matchmaking.matching_input import area_names

    introduction_in, agreement_in = required_in(session=session)
    return MatchingSettings(
        weights=current_weights(session=session),
        model=current_model(session=session),
        organisations=tuple(organisation_rows(session=session)),
        introduction_in=introduction_in,
        agreement_in=agreement_in,
        area_names=area_names(session=session),
    )


def forget_settings() -> None:
    """Drop every kept copy (tests, and after a restore into a running process)."""
    with _lock:
        _kept.clear()
