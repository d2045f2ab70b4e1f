"""Work a web process would otherwise do on its first requests, done once before the fork.

Under ``gunicorn --preload`` (``deploy/gunicorn.conf.py``) the master builds the app, then
forks the workers; whatever the master has loaded, every worker starts with. Measured on the
council's request page (10 000 members): the first request of a fresh process took 314 ms of
CPU against 30 ms for the next ones. Compiling its templates took ~120 ms of that, and NumPy's
masked-array module, which ``numpy.unique`` imports on first use in the explanation of a
proposal, ~135 ms. A worker's first requests were therefore the slowest of the service,
and with three workers and a page asked a few times a minute they were the 95th percentile.
The matching index is warmed by ``app.services.matchmaking.kept_index.warm_pool_index``
(``WARM_MATCHING_INDEX``); this module does the rest, and ranks the pool once for the newest
request the council still decides on, so that the statements a proposal runs are compiled
(SQLAlchemy compiles each statement once per process: ~30 ms on that page's first request).
Statements of other pages are still compiled on their first request (a few ms each).
"""

from __future__ import annotations

import importlib
import logging

from flask import Flask
from flask_babel import force_locale, get_translations
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, select

from app.models import BookingRequest
from app.services.matchmaking.proposals import compute_proposal
from app.services.requests.states import APPROVABLE_REQUEST_STATES

log = logging.getLogger(__name__)

#: Modules imported lazily on first use by the libraries the requests call.
LAZY_MODULES = ("numpy.ma",)


def warm_start(app: Flask) -> dict[str, int]:
    """Compile every template, load the translations and the lazy modules, rank once; return counts.

    The database connections it opened are closed again: they must not cross the fork.
    """
    names = app.jinja_env.list_templates()
    for name in names:
        app.jinja_env.get_template(name)
    for module in LAZY_MODULES:
        importlib.import_module(module)
    languages = tuple(app.config.get("LANGUAGES", ()))
    with app.test_request_context():
        for language in languages:
            with force_locale(language):
                get_translations()
    engine = app.extensions.get("db_engine")
    ranked = _rank_once(engine) if engine is not None else 0
    return {
        "templates": len(names),
        "languages": len(languages),
        "modules": len(LAZY_MODULES),
        "proposals": ranked,
    }


def _rank_once(engine) -> int:
    """Rank the pool for the newest request awaiting a decision (reads only); return 0 or 1.

    A database that cannot answer (not migrated yet, not reachable) leaves the service to start
    cold rather than not at all.
    """
    try:
        with Session(engine) as session:
            newest = session.exec(
                select(BookingRequest)
                .where(BookingRequest.status.in_(APPROVABLE_REQUEST_STATES))
                .order_by(BookingRequest.id.desc())
                .limit(1)
            ).first()
            if newest is None:
                return 0
            compute_proposal(session=session, booking_request=newest)
            session.rollback()
            return 1
    except SQLAlchemyError as error:
        log.warning("warm start: no proposal ranked (%s)", type(error).__name__)
        return 0
    finally:
        engine.dispose()
