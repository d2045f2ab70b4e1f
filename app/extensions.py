"""Flask extension objects, created once and bound in ``create_app``."""

import time

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf import CSRFProtect
from limits.storage import MemoryStorage

babel = Babel()
csrf = CSRFProtect()
login_manager = LoginManager()
limiter = Limiter(key_func=get_remote_address, default_limits=[], headers_enabled=False)


class LazyMemoryStorage(MemoryStorage):
    """``memory://`` that sweeps expired counters at most once a second (``lazymemory://``).

    ``limits``' in-memory store starts a 10 ms timer thread after a hit whenever the previous
    one has ended, so a process answering API calls more than 10 ms apart starts a thread per
    call. The sweep only frees memory: every read already drops an expired counter itself and
    a moving window compares the entries' times, so sweeping later counts the same hits.
    """

    STORAGE_SCHEME = ["lazymemory"]
    SWEEP_EVERY = 1.0  # seconds

    _next_sweep = 0.0

    def _MemoryStorage__schedule_expiry(self) -> None:  # the base class's private hook
        now = time.monotonic()
        if now >= self._next_sweep:
            self._next_sweep = now + self.SWEEP_EVERY
            super()._MemoryStorage__schedule_expiry()
