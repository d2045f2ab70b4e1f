"""The scheduler's stop signal handler never waits for the stop event's lock."""

from __future__ import annotations

import signal
import threading

from scheduling.runner import stop_on_signal


def _handle_while_holding_the_lock(stop: threading.Event, signals: int) -> None:
    """Run the handler ``signals`` times the way a signal arrives in ``Event.wait``/``set``.

    The main thread is then inside the event's own lock, so a handler that sets the event
    directly would wait for a lock its own thread holds, for ever.
    """
    handler = stop_on_signal(stop)
    with stop._cond:  # the lock Event.wait and Event.set hold while they run
        for _ in range(signals):
            handler(signal.SIGTERM, None)


def test_a_signal_arriving_inside_the_events_lock_still_stops_the_runner():
    stop = threading.Event()
    # In a thread of its own, so that a deadlocking handler fails this test instead of hanging it.
    worker = threading.Thread(target=_handle_while_holding_the_lock, args=(stop, 2), daemon=True)

    worker.start()
    worker.join(timeout=10)

    assert not worker.is_alive(), "the handler waited for the lock its own thread holds"
    assert stop.wait(timeout=10)


def test_a_signal_in_the_ordinary_case_sets_the_stop_event():
    stop = threading.Event()

    stop_on_signal(stop)(signal.SIGINT, None)

    assert stop.wait(timeout=10)
