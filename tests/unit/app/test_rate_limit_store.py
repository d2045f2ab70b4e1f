"""The default rate-limit store (app/extensions.py) counts as ``memory://`` does."""

from __future__ import annotations

from limits import parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter, MovingWindowRateLimiter

from app.extensions import LazyMemoryStorage


def test_the_scheme_names_the_lazy_store():
    assert isinstance(storage_from_string("lazymemory://"), LazyMemoryStorage)


def test_fixed_and_moving_windows_refuse_the_hit_over_the_limit():
    for strategy in (FixedWindowRateLimiter, MovingWindowRateLimiter):
        limiter = strategy(LazyMemoryStorage())
        limit = parse("3 per minute")
        assert [limiter.hit(limit, "token:a") for _ in range(4)] == [True, True, True, False]
        assert limiter.hit(limit, "token:b")


def test_a_hit_after_the_sweep_ended_starts_no_new_thread():
    store = LazyMemoryStorage()
    limiter = FixedWindowRateLimiter(store)
    limit = parse("1000 per minute")
    limiter.hit(limit, "token:a")  # the first hit schedules a sweep
    sweep = store.timer
    for _ in range(3):
        sweep.join()
        limiter.hit(limit, "token:a")
        assert store.timer is sweep  # memory:// would start a thread here each time
