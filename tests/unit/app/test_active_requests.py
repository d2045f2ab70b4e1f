"""At most N requests of a process at once; a request waiting on the hashing thread steps aside."""

from __future__ import annotations

import threading
import time

import pytest

from app.concurrency import ActiveRequests, stepped_aside, turn_wait_seconds


def _ignore_start(*_args) -> None:
    """A WSGI start_response that keeps nothing."""


def _call(app) -> list:
    return app({}, _ignore_start)


def test_no_more_than_the_limit_run_at_once():
    running, most = [0], [0]
    lock = threading.Lock()

    def inner(environ, start_response):
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.02)
        with lock:
            running[0] -= 1
        return [b"ok"]

    app = ActiveRequests(inner, limit=2)
    threads = [threading.Thread(target=_call, args=(app,)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(5)
    assert most[0] == 2
    assert running[0] == 0


def test_a_request_waiting_elsewhere_lets_another_run_and_then_finishes():
    waited_on = threading.Event()
    order = []

    def inner(environ, start_response):
        if environ.get("slow"):
            with stepped_aside():
                order.append("slow waits")
                assert waited_on.wait(5)
            order.append("slow done")
        else:
            order.append("quick runs")
            waited_on.set()
        return [b"ok"]

    app = ActiveRequests(inner, limit=1)
    slow = threading.Thread(target=app, args=({"slow": True}, _ignore_start))
    slow.start()
    while "slow waits" not in order:
        time.sleep(0.001)
    _call(app)  # would wait forever for the only turn if the slow request still held it
    slow.join(5)
    assert order == ["slow waits", "quick runs", "slow done"]


def test_password_hashing_steps_aside(monkeypatch):
    from app.services.accounts import passwords

    seen = []
    monkeypatch.setattr(passwords, "stepped_aside", lambda: _Recording(seen))
    assert passwords.verify_password(
        passwords.hash_password("a long enough secret"), "a long enough secret"
    )
    assert seen == ["aside", "back", "aside", "back"]


class _Recording:
    def __init__(self, seen):
        self.seen = seen

    def __enter__(self):
        self.seen.append("aside")

    def __exit__(self, *exc):
        self.seen.append("back")


def test_outside_a_limited_request_stepping_aside_does_nothing():
    with stepped_aside():
        pass


def test_a_limit_below_one_is_refused():
    with pytest.raises(ValueError):
        ActiveRequests(_ignore_start, limit=0)


def test_the_wait_for_a_turn_is_measured_per_request():
    holding, release = threading.Event(), threading.Event()
    waits = {}

    def inner(environ, start_response):
        if environ.get("first"):
            holding.set()
            assert release.wait(5)
        waits[environ["name"]] = turn_wait_seconds()
        return [b"ok"]

    app = ActiveRequests(inner, limit=1)
    first = threading.Thread(target=app, args=({"first": True, "name": "first"}, _ignore_start))
    first.start()
    assert holding.wait(5)
    threading.Timer(0.05, release.set).start()
    app({"name": "second"}, _ignore_start)  # waits until the first request lets go
    first.join(5)
    assert waits["first"] < 0.04
    assert waits["second"] >= 0.04
