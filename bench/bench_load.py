"""Load benchmark: the app under gunicorn on PostgreSQL (loopback), 10 000 members, 50 000
historical assignments, 50 simulated users of the three roles (locust) for a bounded time.

    .venv/bin/python bench/bench_load.py [--users 50] [--duration 60] [--workers 5]

Prints requests per second and p50/p95/p99 per page and API call, and the errors (the goal:
none, and p95 under 200 ms for every page on a 2-core machine). The figures are those of the
steady state: the simulated users reset the statistics once every one of them has signed in
(sign-in hashes the password with argon2 on purpose, and 50 sign-ins at once are not what the
pages are measured on); the sign-in figures are printed on their own line. The app runs as in
production (README): ``gunicorn --preload`` with ``WARM_MATCHING_INDEX=true``, so the matching
index is built once before the workers fork. Memory of the gunicorn processes is printed too.
A throw-away database
``levbib_bench_<random>`` is created on the PostgreSQL server of ``BENCH_DATABASE_URL`` (default
``postgresql://postgres@127.0.0.1:5432/postgres``) and dropped at the end.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench" / "load"))

from pool_data import accounts, fill  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlmodel import Session, select  # noqa: E402

from app.db import make_engine  # noqa: E402
from app.migrate import upgrade  # noqa: E402
from app.models import Area  # noqa: E402
from app.services.demo.data import DEMO_PASSWORD  # noqa: E402

GOAL_P95_MS = 200


@contextmanager
def bench_database():
    """Yield the URL of a new database on the benchmark's PostgreSQL server; drop it after."""
    admin_url = make_url(
        os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    ).set(drivername="postgresql+psycopg")
    name = f"levbib_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def prepare(url: str, members: int, assignments: int, users: int) -> dict:
    """Migrate, fill, and make an account and token per simulated person; return their logins."""
    upgrade(url)
    engine = make_engine(url)
    started = time.perf_counter()
    with Session(engine) as session:
        counts = fill(session, members=members, assignments=assignments)
        logins = accounts(session, per_role=users, password=DEMO_PASSWORD)
        area_id = session.exec(select(Area.id).where(Area.is_active).order_by(Area.id)).first()
    engine.dispose()
    print(
        f"data: {counts['members']} members, {counts['assignments']} assignments "
        f"({time.perf_counter() - started:.0f} s to generate)"
    )
    return {
        "BENCH_ACCOUNTS": json.dumps(logins),
        "BENCH_PASSWORD": DEMO_PASSWORD,
        "BENCH_MEMBERS": str(counts["members"]),
        "BENCH_AREA_ID": str(area_id),
    }


@contextmanager
def gunicorn(url: str, port: int, workers: int, threads: int, instance: Path):
    """Run the app under gunicorn on loopback until the block ends."""
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "LEVBIB_INSTANCE": str(instance),
        "SECRET_KEY": "bench-" + "k" * 40,
        "LOGIN_RATE_LIMIT": "100000 per minute",
        "API_RATE_LIMIT": "100000 per minute",
        "MAIL_OUTBOX": str(instance / "outbox"),
        "WARM_MATCHING_INDEX": "true",
    }
    command = [
        sys.executable, "-m", "gunicorn", "--workers", str(workers), "--threads", str(threads),
        "--worker-class", "gthread" if threads > 1 else "sync", "--timeout", "300",
        "--graceful-timeout", "10", "--preload",
        "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "app:create_app()",
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        _wait_until_up(f"http://127.0.0.1:{port}/healthz", process)
        yield f"http://127.0.0.1:{port}", process.pid
    finally:
        process.terminate()  # gunicorn lets running requests finish for --graceful-timeout
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_up(url: str, process: subprocess.Popen, seconds: int = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn exited before answering")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{url} did not answer within {seconds} s")


def memory_mib(master_pid: int) -> dict[str, float]:
    """Return the resident and proportional (shared pages split) memory of gunicorn's processes."""
    pids = [master_pid]
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children")
    if children.exists():
        pids += [int(pid) for pid in children.read_text().split()]
    totals = {"rss": 0.0, "pss": 0.0}
    for pid in pids:
        try:
            lines = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
        except OSError:
            continue
        for line in lines:
            name, _, value = line.partition(":")
            if name.lower() in totals:
                totals[name.lower()] += int(value.split()[0]) / 1024
    return {**totals, "processes": len(pids)}


def run_locust(host: str, env: dict, users: int, duration: int, out: Path) -> Path:
    """Run the simulated users headless and return the stats CSV."""
    prefix = out / "load"
    command = [
        sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "load" / "locustfile.py"),
        "--headless", "--users", str(users), "--spawn-rate", str(max(1, users // 10)),
        "--run-time", f"{duration}s", "--host", host, "--csv", str(prefix), "--only-summary",
        "--stop-timeout", "10", "--loglevel", "WARNING",
    ]  # fmt: skip
    env = {
        **os.environ, **env, "BENCH_USERS": str(users),
        "BENCH_SIGN_IN_STATS": str(out / "sign_in.json"),
    }  # fmt: skip
    with open(out / "locust.log", "w") as log:
        subprocess.run(command, env=env, stdout=log, stderr=log, check=False)
    return prefix.with_name("load_stats.csv")


def report(stats: Path) -> int:
    """Print the table; return the number of failed requests."""
    rows = list(csv.DictReader(stats.open()))
    header = (
        f"{'request':42} {'count':>7} {'errors':>6} {'req/s':>7} {'p50':>6} {'p95':>6} {'p99':>6}"
    )
    print(header)
    print("-" * len(header))
    failures = 0
    for row in rows:
        if int(row["Request Count"]) == 0:
            continue  # asked only while the users arrived (sign-in), before the statistics reset
        name = "TOTAL" if row["Name"] == "Aggregated" else row["Name"]
        p95 = float(row["95%"])
        mark = "" if name == "TOTAL" or p95 < GOAL_P95_MS else "  > goal"
        print(
            f"{name:42} {row['Request Count']:>7} {row['Failure Count']:>6} "
            f"{float(row['Requests/s']):7.1f} {row['50%']:>6} {row['95%']:>6} {row['99%']:>6}{mark}"
        )
        if row["Name"] == "Aggregated":
            failures = int(row["Failure Count"])
    print("(times in ms)")
    return failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=int, default=60, help="seconds of load")
    parser.add_argument("--workers", type=int, default=5, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=1, help="threads per worker (1: sync)")
    parser.add_argument(
        "--without-proposals",
        action="store_true",
        help="leave out the council's proposal pages (they rank the whole pool per request)",
    )
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--assignments", type=int, default=50_000)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="levbib-bench-") as folder, bench_database() as url:
        out = Path(folder)
        env = prepare(url, args.members, args.assignments, args.users)
        env["BENCH_PROPOSALS"] = "0" if args.without_proposals else "1"
        with gunicorn(url, args.port, args.workers, args.threads, out) as (host, pid):
            print(
                f"load: {args.users} users for {args.duration} s, gunicorn {args.workers} "
                f"workers x {args.threads} thread(s), proposals "
                f"{'off' if args.without_proposals else 'on'}"
            )
            stats = run_locust(host, env, args.users, args.duration, out)
            memory = memory_mib(pid)
        failures = report(stats)
        sign_in = out / "sign_in.json"
        if sign_in.exists():
            figures = json.loads(sign_in.read_text())
            print(
                f"sign-in while the {args.users} users arrived (argon2 on purpose; not in the "
                f"table): {figures['count']} requests, {figures['errors']} errors, p50 "
                f"{figures['p50']:.0f}, p95 {figures['p95']:.0f}, p99 {figures['p99']:.0f} ms"
            )
        print(
            f"memory of gunicorn's {memory['processes']} processes after the run: "
            f"RSS {memory['rss']:.0f} MiB, PSS {memory['pss']:.0f} MiB (shared pages split)"
        )
        if failures:
            print((out / "locust.log").read_text()[-3000:])
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
