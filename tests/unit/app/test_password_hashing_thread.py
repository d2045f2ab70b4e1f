"""A burst of sign-ins hashes one password at a time per process, at a lower CPU priority."""

import os
import threading
import time

from app.services.accounts import passwords


class _SlowHasher:
    """Stands in for argon2: records how many hashes overlap and on which thread they run."""

    def __init__(self):
        self.lock = threading.Lock()
        self.active = 0
        self.peak = 0
        self.threads: list[tuple[str, int]] = []

    def verify(self, _hash, _password):
        with self.lock:
            self.active += 1
            self.peak = max(self.peak, self.active)
            nice = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
            self.threads.append((threading.current_thread().name, nice))
        time.sleep(0.03)
        with self.lock:
            self.active -= 1
        return True


def test_concurrent_sign_ins_hash_one_at_a_time_below_the_pages_priority(monkeypatch):
    slow = _SlowHasher()
    monkeypatch.setattr(passwords, "_hasher", slow)
    answers = []
    callers = [
        threading.Thread(target=lambda: answers.append(passwords.verify_password("h", "p")))
        for _ in range(5)
    ]
    page_priority = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    for caller in callers:
        caller.start()
    for caller in callers:
        caller.join()

    assert answers == [True] * 5
    assert slow.peak == passwords.HASHING_THREADS == 1
    expected_nice = min(19, page_priority + passwords.HASHING_NICENESS)
    assert {(name.split("_")[0], nice) for name, nice in slow.threads} == {
        ("argon2", expected_nice)
    }
