"""Two real ``levbib scheduler`` processes on one PostgreSQL database: every message exactly once.

The first holds the lease and sends; the second waits. The first is killed (SIGKILL, no clean
up); the second takes over, sends what is new, and resends nothing. An SMTP server on loopback
counts what arrives.
"""

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select

from app.db import make_engine
from app.models import JobRun, OutboxMessage, SchedulerLease
from tests.databases import fresh_database
from tests.factories import Factory
from tests.scheduling_support import booked_request
from tests.smtp_support import smtp_server

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.real_clock]
LEVBIB = str(Path(sys.executable).parent / "levbib")


def _wait_for(condition, what: str, processes, timeout: float = 90):
    """Poll ``condition`` until it holds; fail with the processes' logs if it never does."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    logs = "\n".join(
        f"--- {name}\n{path.read_text()[-3000:]}" for name, (_, path) in processes.items()
    )
    pytest.fail(f"timed out waiting for {what}\n{logs}")


def _start(name, env, tmp_path, processes):
    log = tmp_path / f"{name}.log"
    handle = log.open("w")
    process = subprocess.Popen(
        [LEVBIB, "scheduler"], env=env, stdout=handle, stderr=subprocess.STDOUT
    )
    processes[name] = (process, log)
    return process


def _seed(engine, starts_at, people):
    with Session(engine, expire_on_commit=False) as session:
        booked_request(Factory(session), starts_at=starts_at, people=people)
        session.commit()


def test_two_schedulers_send_each_message_exactly_once(tmp_path):
    starts_at = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
    processes = {}
    with fresh_database("postgresql", tmp_path) as url, smtp_server() as (port, received):
        engine = make_engine(url)
        _seed(engine, starts_at, people=2)  # 7-day reminders to 2 members + orderer: 3 messages
        env = os.environ | {
            "DATABASE_URL": url,
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": str(port),
            "LEVBIB_INSTANCE": str(tmp_path),
            "SCHEDULER_SCAN_SECONDS": "1",
            "OUTBOX_DELIVERY_SECONDS": "1",
            "SCHEDULER_LEASE_SECONDS": "3",
        }

        def lease_holder() -> str:
            with Session(engine) as session:
                lease = session.get(SchedulerLease, "scheduler")
                return lease.holder if lease else ""

        def runs_by(process) -> list[JobRun]:
            with Session(engine) as session:
                runs = session.exec(select(JobRun)).all()
                return [run for run in runs if f":{process.pid}:" in run.holder]

        def latest_scan(process) -> int:
            return max((r.id for r in runs_by(process) if r.job_id == "send_reminders"), default=0)

        def statuses() -> list[str]:
            with Session(engine) as session:
                return list(session.exec(select(OutboxMessage.status)))

        try:
            started = [_start(name, env, tmp_path, processes) for name in ("a", "b")]
            _wait_for(lambda: lease_holder() != "", "one of them to take the lease", processes)
            first, second = sorted(started, key=lambda p: f":{p.pid}:" not in lease_holder())
            standby = "a" if second is started[0] else "b"
            _wait_for(
                lambda: "waiting for the lease" in processes[standby][1].read_text(),
                "the other to wait",
                processes,
            )
            _wait_for(
                lambda: len(received) == 3 and statuses() == ["sent"] * 3, "3 messages", processes
            )

            assert f":{first.pid}:" in lease_holder()
            assert runs_by(second) == []
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=30)
            _seed(engine, starts_at + timedelta(hours=2), people=1)  # 2 new messages
            _wait_for(
                lambda: f":{second.pid}:" in lease_holder(), "the second to take over", processes
            )
            _wait_for(
                lambda: len(received) >= 5 and statuses() == ["sent"] * 5, "5 messages", processes
            )
            # Give the new holder two more full scans in which it could resend anything.
            for _ in range(2):
                mark = latest_scan(second)
                _wait_for(lambda mark=mark: latest_scan(second) > mark, "another scan", processes)

            copies = Counter((str(m["To"]), str(m["Subject"])) for m in received)
            assert len(received) == 5
            assert set(copies.values()) == {1}
            second.send_signal(signal.SIGTERM)
            assert second.wait(timeout=60) == 0
            assert lease_holder() == ""
        finally:
            for process, _ in processes.values():
                if process.poll() is None:
                    process.kill()
                    process.wait(timeout=30)
            engine.dispose()
