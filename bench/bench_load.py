"""Load benchmark: the app under gunicorn on PostgreSQL (loopback), 10 000 members, 50 000
historical assignments, 50 simulated users of the three roles (locust) for a bounded time.

    .venv/bin/python bench/bench_load.py [--users 50 100 200] [--duration 60] [--workers 3]
        [--threads 8] [--sign-in-burst 10] [--quick] [--label TEXT]

Prints requests per second and p50/p95/p99 per page and API call, the errors (the goal: none,
p95 under 100 ms at 50 users and under 200 ms at 200 users on a 2-core machine), and the
server's own cost of each page: CPU ms of the thread that served it, SQL ms and statements,
from the ``Server-Timing`` header the app sends under ``SERVER_TIMING=true``. Each run is saved
as JSON under ``bench/results/`` (with the git commit, the load average and the machine) and
compared with the previous run of the same shape: the ratios are printed. ``--quick`` is a
reduced-size check (1 000 members, 5 000 assignments, 20 s); ``--sign-in-burst N`` keeps N more
simulated people signing in over and over while the others work.

The figures are those of the steady state: the simulated users reset the statistics once every
one of them has signed in (sign-in hashes the password with argon2 on purpose, and 50 sign-ins
at once are not what the pages are measured on); the sign-in figures are printed on their own
line, and the arrival time is added to ``--duration``. The app runs as in production (README):
``deploy/gunicorn.conf.py`` (threaded workers, preloaded) with ``WARM_MATCHING_INDEX=true``, so
the matching index is built once before the workers fork. A throw-away database
``levbib_bench_<random>`` is created on the PostgreSQL server of ``BENCH_DATABASE_URL`` (default
``postgresql://postgres@127.0.0.1:5432/postgres``) and dropped at the end.
"""

from __future__ import annotations

import argparse
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

import results  # noqa: E402
from pool_data import accounts, fill  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlmodel import Session, select  # noqa: E402

from app.db import make_engine  # noqa: E402
from app.migrate import upgrade  # noqa: E402
from app.models import Area  # noqa: E402
from app.services.demo.data import DEMO_PASSWORD  # noqa: E402

#: p95 goals (ms) by number of users (issue 22): under 100 ms at 50, under 200 ms at 200.
GOALS_P95_MS = {50: 100, 100: 150, 200: 200}


@contextmanager
def bench_database(drop: bool = True):
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
        if drop:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def filled_database(keep: str | None, members: int, assignments: int, users: int):
    """Yield (url, environment) of a filled database: a throw-away one, or the one ``keep`` notes.

    With ``keep`` (a file), the database is kept and noted there; a later run with the same file
    and at most as many users reuses it instead of filling again.
    """
    if keep is None:
        with bench_database() as url:
            yield url, prepare(url, members, assignments, users)
        return
    note = Path(keep)
    kept = json.loads(note.read_text()) if note.exists() else None
    if kept is None or kept.get("shape") != [members, assignments] or kept["users"] < users:
        with bench_database(drop=False) as url:
            env = prepare(url, members, assignments, users)
        kept = {"url": url, "env": env, "shape": [members, assignments], "users": users}
        note.write_text(json.dumps(kept))
    yield kept["url"], kept["env"]


@contextmanager
def copy_of(url: str):
    """Yield the URL of a copy of the filled database ``url`` (PostgreSQL's TEMPLATE); drop it after.

    Every run then starts from the same data (the runs before it created requests and periods),
    without filling again.
    """
    source = make_url(url)
    admin = create_engine(source.set(database="postgres"), isolation_level="AUTOCOMMIT")
    name = f"{source.database}_run{uuid.uuid4().hex[:6]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{source.database}"'))
    try:
        yield source.set(database=name).render_as_string(hide_password=False)
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
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("ANALYZE"))  # as autovacuum would have, long before the load
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
        "SERVER_TIMING": "true",
    }
    command = [
        sys.executable, "-m", "gunicorn", "--config", str(ROOT / "deploy" / "gunicorn.conf.py"),
        "--workers", str(workers), "--threads", str(threads),
        "--worker-class", "gthread" if threads > 1 else "sync", "--timeout", "300",
        "--graceful-timeout", "10",
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


def run_locust(
    host: str, env: dict, users: int, duration: int, out: Path, burst: int, think=(1.0, 3.0)
) -> Path:
    """Run the simulated users (and ``burst`` repeated sign-ins) headless; return the stats CSV."""
    prefix = out / "load"
    arrival = users // max(1, users // 10) + 10  # spawning, then everyone's first sign-in
    command = [
        sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "load" / "locustfile.py"),
        "--headless", "--users", str(users + burst), "--spawn-rate", str(max(1, users // 10)),
        "--run-time", f"{duration + arrival}s", "--host", host, "--csv", str(prefix), "--only-summary",
        "--stop-timeout", "10", "--loglevel", "WARNING",
    ]  # fmt: skip
    env = {
        **os.environ, **env, "BENCH_USERS": str(users),
        "BENCH_SIGN_IN_STATS": str(out / "sign_in.json"),
        "BENCH_SERVER_STATS": str(out / "server.json"), "BENCH_SIGN_IN_BURST": str(burst),
        "BENCH_THINK_TIME": " ".join(str(seconds) for seconds in think),
    }  # fmt: skip
    with open(out / "locust.log", "w") as log:
        subprocess.run(command, env=env, stdout=log, stderr=log, check=False)
    return prefix.with_name("load_stats.csv")


def report(pages: dict[str, dict], goal: int) -> None:
    """Print the table of client latencies and server costs."""
    header = (
        f"{'request':42} {'count':>7} {'errors':>6} {'req/s':>7} {'p50':>6} {'p95':>6} "
        f"{'p99':>6} {'app':>6} {'cpu':>6} {'sql':>5} {'turn':>5} {'stmts':>5}"
    )
    print(header)
    print("-" * len(header))
    for name, row in pages.items():
        mark = "" if name == "TOTAL" or row["p95"] < goal else "  > goal"
        print(
            f"{name:42} {row['count']:>7} {row['errors']:>6} {row['rps']:7.1f} "
            f"{row['p50']:6.0f} {row['p95']:6.0f} {row['p99']:6.0f} "
            f"{row.get('app_ms_mean', 0):6.1f} {row.get('cpu_ms_mean', 0):6.1f} "
            f"{row.get('sql_ms_mean', 0):5.1f} {row.get('turn_ms_mean', 0):5.1f} "
            f"{row.get('queries_mean', 0):5.1f}{mark}"
        )
    print(
        "(times in ms; app (the server's time for the request), cpu, sql, turn (waiting for a "
        f"turn to run) and stmts: the server's mean per request; goal p95 < {goal})"
    )


def one_run(args, url: str, env: dict, users: int) -> dict:
    """Serve, load with ``users`` people, print and return the result."""
    with tempfile.TemporaryDirectory(prefix="levbib-bench-") as folder:
        out = Path(folder)
        load_before, loop_ms = os.getloadavg(), results.python_loop_ms()
        with gunicorn(url, args.port, args.workers, args.threads, out) as (host, pid):
            print(
                f"load: {users} users (+{args.sign_in_burst} signing in over and over) for "
                f"{args.duration} s, gunicorn {args.workers} workers x {args.threads} "
                f"thread(s), proposals {'off' if args.without_proposals else 'on'}, think time "
                f"{args.think_time[0]:g}–{args.think_time[1]:g} s; "
                f"load average before {load_before[0]:.2f}; python loop {loop_ms} ms"
            )
            stats = run_locust(
                host, env, users, args.duration, out, args.sign_in_burst, args.think_time
            )
            memory = memory_mib(pid)
        server = _json(out / "server.json") or {"pages": {}, "sign_in": {}}
        result = {
            "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "commit": results.git_commit(),
            "label": args.label,
            "shape": {
                "users": users, "members": args.members, "assignments": args.assignments,
                "workers": args.workers, "threads": args.threads, "duration": args.duration,
                "sign_in_burst": args.sign_in_burst, "proposals": not args.without_proposals,
                "think_time": args.think_time,
            },
            "machine": {**results.machine(), "load_before": load_before, "load_after": os.getloadavg(), "python_loop_ms": loop_ms, "cores_used": server.get("cores", {})},
            "pages": results.pages(stats, server["pages"]),
            "sign_in": {**(_json(out / "sign_in.json") or {}), **results.server_figures(server["sign_in"])},
            "memory_mib": memory,
        }  # fmt: skip
        _print(result, GOALS_P95_MS.get(users, 200))
        if result["pages"].get("TOTAL", {}).get("errors"):
            print((out / "locust.log").read_text()[-3000:])
    return result


def _json(path: Path) -> dict | None:
    return json.loads(path.read_text()) if path.exists() else None


def _print(result: dict, goal: int) -> None:
    report(result["pages"], goal)
    figures = result["sign_in"]
    if "p95" in figures:
        print(
            f"sign-in while the users arrived (argon2 on purpose; not in the table): "
            f"{figures['count']} requests, {figures['errors']} errors, p50 {figures['p50']:.0f}, "
            f"p95 {figures['p95']:.0f}, p99 {figures['p99']:.0f} ms, "
            f"server cpu {figures.get('cpu_ms_mean', 0):.0f} ms each"
        )
    cores = result["machine"].get("cores_used") or {}
    if cores:
        shares = ", ".join(f"{group} {used:.2f}" for group, used in cores.items())
        print(
            f"cores used in the steady state: {sum(cores.values()):.2f} of "
            f"{result['machine']['cpus']} ({shares})"
        )
    memory, load = result["memory_mib"], result["machine"]["load_after"]
    print(
        f"memory of gunicorn's {memory['processes']} processes after the run: RSS "
        f"{memory['rss']:.0f} MiB, PSS {memory['pss']:.0f} MiB; load average after "
        f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {result['machine']['cpus']} CPUs"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, nargs="+", default=[50], help="e.g. 50 100 200")
    parser.add_argument("--duration", type=int, help="seconds of load (60; --quick: 20)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=8, help="threads per worker (1: sync)")
    parser.add_argument(
        "--without-proposals",
        action="store_true",
        help="leave out the council's proposal pages (they rank the whole pool per request)",
    )
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--assignments", type=int, default=50_000)
    parser.add_argument("--sign-in-burst", type=int, default=0, help="people signing in again")
    parser.add_argument(
        "--quick", action="store_true", help="1 000 members, 5 000 assignments, 20 s"
    )
    parser.add_argument(
        "--think-time",
        type=float,
        nargs=2,
        default=[1.0, 3.0],
        metavar=("LOW", "HIGH"),
        help="seconds each person waits between steps (1 3); 0 0 measures saturation throughput",
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs per number of users, each on a fresh copy"
    )
    parser.add_argument(
        "--keep", metavar="FILE", help="keep the filled database, noted in FILE, for later runs"
    )
    parser.add_argument("--label", default="", help="a note saved with the result")
    parser.add_argument("--no-save", action="store_true", help="do not write bench/results/")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    if args.quick:
        args.members, args.assignments = 1_000, 5_000
    args.duration = args.duration or (20 if args.quick else 60)
    failures = 0
    with filled_database(args.keep, args.members, args.assignments, max(args.users)) as (url, env):
        env["BENCH_PROPOSALS"] = "0" if args.without_proposals else "1"
        for users in args.users:
            runs = []
            for number in range(1, args.repeat + 1):
                if args.repeat > 1:
                    print(f"\n# {users} users, run {number} of {args.repeat}")
                with copy_of(url) as run_url:
                    result = one_run(args, run_url, env, users)
                runs.append(result)
                failures += result["pages"].get("TOTAL", {}).get("errors", 0)
                if args.no_save:
                    continue
                path = results.save(result)
                print(f"saved {path.relative_to(ROOT)}")
                found = results.previous(result, before=path)
                if found:
                    print(f"compared with {found[0].name} ({found[1]['commit']}):")
                    print("\n".join(results.compare(result, found[1])))
            if len(runs) > 1:
                print(f"\n# {users} users: median of {len(runs)} runs")
                print("\n".join(results.medians(runs, GOALS_P95_MS.get(users, 200))))
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
