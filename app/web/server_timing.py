"""Per-request cost in a ``Server-Timing`` header, for the load benchmark (SERVER_TIMING=true).

Off by default. When on, every answer carries the wall time, the CPU time of the thread that
served it and the SQL statements it ran (count and time), e.g.
``Server-Timing: app;dur=23.1, cpu;dur=17.9, sql;dur=3.2, turn;dur=0.4, queries;desc="7"``.
``bench/bench_load.py`` turns it on and collects the figures per page, so a slow page shows
whether it waits (queueing, database) or computes (CPU), and how many statements it needs.
``turn`` is the time the request waited for its turn to run (``app/concurrency.py``).
CPU time is ``time.thread_time()``: with gunicorn's threaded workers it counts this request's
thread only (a sign-in's argon2 hashing runs on a thread of its own and is not included).
"""

from __future__ import annotations

import threading
import time

from flask import Flask
from sqlalchemy import Engine, event

from app.concurrency import turn_wait_seconds

_local = threading.local()


def init_server_timing(app: Flask) -> None:
    """Add the Server-Timing header to every answer when the SERVER_TIMING setting is on."""
    if not app.config.get("SERVER_TIMING"):
        return
    if not event.contains(Engine, "after_cursor_execute", _after):
        # On the Engine class: the app's own engine, or the one a test hands its sessions.
        event.listen(Engine, "before_cursor_execute", _before)
        event.listen(Engine, "after_cursor_execute", _after)
    app.wsgi_app = _Timed(app.wsgi_app)


class _Timed:
    """WSGI middleware: time the whole request, the commit and the session cookie included."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        _local.statements, _local.sql_seconds = 0, 0.0
        wall, cpu = time.perf_counter(), time.thread_time()

        def timed_start_response(status, headers, exc_info=None):
            headers.append(("Server-Timing", _header(wall, cpu)))
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, timed_start_response)


def _header(wall: float, cpu: float) -> str:
    return (
        f"app;dur={(time.perf_counter() - wall) * 1000:.1f}, "
        f"cpu;dur={(time.thread_time() - cpu) * 1000:.1f}, "
        f"sql;dur={_local.sql_seconds * 1000:.1f}, turn;dur={turn_wait_seconds() * 1000:.1f}, "
        f'queries;desc="{_local.statements}"'
    )


def _before(_conn, _cursor, _statement, _parameters, context, _executemany) -> None:
    context.timing_started = time.perf_counter()


def _after(_conn, _cursor, _statement, _parameters, context, _executemany) -> None:
    _local.statements = getattr(_local, "statements", 0) + 1
    started = getattr(context, "timing_started", None)
    if started is not None:
        _local.sql_seconds = getattr(_local, "sql_seconds", 0.0) + time.perf_counter() - started
