"""At most N requests of a web process run at once; one waiting on another thread steps aside.

gunicorn's threaded worker takes as many connections as it has threads, and Python runs one
thread of a process at a time: with eight requests in flight each gets an eighth of the
interpreter, and a heavy page (the council's request page, a proposal) takes eight times its
own CPU to answer. Fewer threads would cure that but would let a burst of sign-ins hold every
thread while they wait for the password-hashing thread (app/services/accounts/passwords.py).
So the threads stay, and ``ActiveRequests`` lets only ``limit`` of them run a request at a
time; the others wait their turn (a lock, not the CPU). A request that waits on other work
that does not need the interpreter — the hashing thread — gives its turn away meanwhile
(``stepped_aside``), so sign-ins queue without holding the pages up. Measured effect and the
chosen limit: docs/performance.md ("Round three").
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

_local = threading.local()


class ActiveRequests:
    """WSGI middleware: at most ``limit`` requests of this process run at once."""

    def __init__(self, wsgi_app, limit: int):
        if limit < 1:
            raise ValueError("limit must be at least 1")
        self.wsgi_app = wsgi_app
        self.limit = limit
        self._turns = threading.BoundedSemaphore(limit)

    def __call__(self, environ, start_response):
        asked = time.perf_counter()
        self._turns.acquire()
        _local.turn_wait = time.perf_counter() - asked
        _local.turns = self._turns
        try:
            return self.wsgi_app(environ, start_response)
        finally:
            _local.turns = None
            self._turns.release()


def turn_wait_seconds() -> float:
    """Seconds this thread's current request waited for its turn (0 without the limit)."""
    return getattr(_local, "turn_wait", 0.0)


@contextmanager
def stepped_aside() -> Iterator[None]:
    """Give this request's turn away while it waits on another thread; take one back after."""
    turns = getattr(_local, "turns", None)
    if turns is None:
        yield
        return
    turns.release()
    try:
        yield
    finally:
        asked = time.perf_counter()
        turns.acquire()
        _local.turn_wait = turn_wait_seconds() + time.perf_counter() - asked
