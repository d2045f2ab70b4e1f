"""Password hashing with argon2id at OWASP-recommended parameters.

The hashing is slow on purpose (tens of milliseconds of CPU and 46 MiB each), so a burst of
sign-ins must not take the cores from the pages: each process hashes on one thread of its own
(``HASHING_THREADS``), run at a lower CPU priority (``HASHING_NICENESS``). A sign-in waits for
that thread without holding the GIL (argon2 runs in C and releases it), so under gunicorn's
threaded workers the process's other threads keep serving pages, and when both want a core
the kernel runs the page first. The cost itself stays as the security setting says
(docs/performance.md, "Sign-in").
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from app.concurrency import stepped_aside

# OWASP (2023): argon2id with m ≥ 19 MiB, t ≥ 2, p = 1; we use more memory than the minimum.
_hasher = PasswordHasher(time_cost=2, memory_cost=47_104, parallelism=1)

MIN_PASSWORD_LENGTH = 12
#: Hashes computed at once per process; more sign-ins wait their turn (holding a thread only).
HASHING_THREADS = 1
#: How much lower the hashing thread's CPU priority is (Linux ``nice``; 0 keeps it equal).
HASHING_NICENESS = 5

_T = TypeVar("_T")
_pool: tuple[int, ThreadPoolExecutor] | None = None
_pool_lock = threading.Lock()


def _lower_priority() -> None:
    """Lower this thread's CPU priority (Linux sets niceness per thread id)."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), HASHING_NICENESS)
    except (AttributeError, OSError):  # not Linux, or not allowed: hash at normal priority
        pass


def _on_hashing_thread(work: Callable[[], _T]) -> _T:
    """Run ``work`` on this process's hashing thread and return its result."""
    global _pool
    with _pool_lock:
        if _pool is None or _pool[0] != os.getpid():  # a forked worker starts its own thread
            executor = ThreadPoolExecutor(
                HASHING_THREADS, thread_name_prefix="argon2", initializer=_lower_priority
            )
            _pool = (os.getpid(), executor)
        executor = _pool[1]
    future = executor.submit(work)
    with stepped_aside():  # the wait needs no interpreter: let another request run meanwhile
        return future.result()


def hash_password(password: str) -> str:
    """Return an argon2id hash of the password."""
    return _on_hashing_thread(lambda: _hasher.hash(password))


def verify_password(password_hash: str, password: str) -> bool:
    """Return True when the password matches the hash."""

    def verify() -> bool:
        try:
            return _hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    return _on_hashing_thread(verify)


def needs_rehash(password_hash: str) -> bool:
    """Return True when the hash was made with weaker parameters than today's."""
    return _hasher.check_needs_rehash(password_hash)


# A hash to verify against when the email is unknown, so timing does not reveal accounts.
# Made directly: at import (gunicorn --preload: in the master) no hashing thread is started.
DUMMY_HASH = _hasher.hash("not-a-real-password-for-timing")
