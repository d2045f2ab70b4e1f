"""Work a web process would otherwise do on its first requests, done once before the fork.

Under ``gunicorn --preload`` (``deploy/gunicorn.conf.py``) the master builds the app, then
forks the workers; whatever the master has loaded, every worker starts with. Measured on the
council's request page (10 000 members): the first request of a fresh process took 314 ms of
CPU against 30 ms for the next ones. Compiling its templates took ~120 ms of that, and NumPy's
masked-array module, which ``numpy.unique`` imports on first use in the explanation of a
proposal, ~135 ms. A worker's first requests were therefore the slowest of the service,
and with three workers and a page asked a few times a minute they were the 95th percentile.
The matching index is warmed by ``app.services.matchmaking.kept_index.warm_pool_index``
(``WARM_MATCHING_INDEX``); this module does the rest. What is left on a first request is
SQLAlchemy compiling each statement once per process (a few ms a page).
"""

from __future__ import annotations

import importlib

from flask import Flask
from flask_babel import force_locale, get_translations

#: Modules imported lazily on first use by the libraries the requests call.
LAZY_MODULES = ("numpy.ma",)


def warm_start(app: Flask) -> dict[str, int]:
    """Compile every template, load the translations and the lazy modules; return counts."""
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
    return {"templates": len(names), "languages": len(languages), "modules": len(LAZY_MODULES)}
