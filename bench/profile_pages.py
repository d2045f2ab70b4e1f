"""Profile the load benchmark's pages one at a time, in process, under cProfile.

    .venv/bin/python bench/profile_pages.py [--quick] [--repeat 20] [--top 25] [PAGE ...]
    .venv/bin/python bench/profile_pages.py --keep FILE --times | --calls | --statements [PAGE ...]

Fills a throw-away PostgreSQL database as ``bench/bench_load.py`` does, signs in one person of
each role through the real form, asks each page ``--repeat`` times (after one warm-up) and
prints, per page, the mean wall and CPU time and the functions with the most own time and the
most cumulative time. PAGE filters by a part of the page's name (e.g. ``council``).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "bench" / "load"))

from bench_load import filled_database  # noqa: E402

CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def pages(request_id: int, member_id: int) -> list[tuple[str, str, str]]:
    """Return (role, name, path) of the pages the benchmark's people ask most."""
    return [
        ("council", "GET /council/", "/council/"),
        ("council", "GET /council/requests/[id]", f"/council/requests/{request_id}"),
        ("council", "API GET /requests/[id]/proposal", f"/api/v1/requests/{request_id}/proposal"),
        ("council", "API GET /requests", "/api/v1/requests"),
        ("council", "API GET /requests/[id]", f"/api/v1/requests/{request_id}"),
        ("council", "GET /council/members/[id]", f"/council/members/{member_id}"),
        ("council", "GET /council/pool", "/council/pool"),
        ("orderer", "GET /orders/", "/orders/"),
        ("orderer", "GET /orders/new", "/orders/new"),
        ("orderer", "GET /orders/[id]", f"/orders/{request_id}"),
        ("member", "GET /me/", "/me/"),
        ("member", "GET /me/calendar/", "/me/calendar/"),
        ("member", "API GET /me/availability", "/api/v1/me/availability"),
    ]


def signed_in(app, account: dict, password: str):
    """Return a test client signed in as ``account`` (and its API headers)."""
    client = app.test_client()
    token = CSRF.search(client.get("/login").get_data(as_text=True)).group(1)
    data = {"email": account["email"], "password": password, "csrf_token": token}
    assert client.post("/login", data=data).status_code == 302
    return client, {"Authorization": f"Bearer {account['token']}"}


def profile(client, headers: dict, path: str, repeat: int) -> tuple[float, float, pstats.Stats]:
    """Ask ``path`` ``repeat`` times under cProfile; return mean wall ms, CPU ms and stats."""
    assert client.get(path, headers=headers).status_code == 200, path
    profiler = cProfile.Profile()
    wall, cpu = time.perf_counter(), time.process_time()
    profiler.enable()
    for _ in range(repeat):
        client.get(path, headers=headers)
    profiler.disable()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return wall * 1000 / repeat, cpu * 1000 / repeat, pstats.Stats(profiler)


def timed(client, headers: dict, path: str, repeat: int) -> tuple[float, float]:
    """Ask ``path`` ``repeat`` times; return the median wall ms and CPU ms of one request."""
    assert client.get(path, headers=headers).status_code == 200, path
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.thread_time()
        client.get(path, headers=headers)
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.thread_time() - cpu) * 1000)
    return statistics.median(walls), statistics.median(cpus)


def calls(client, headers: dict, path: str, repeat: int) -> float:
    """Ask ``path`` ``repeat`` times under cProfile; return the function calls per request.

    Unlike CPU time, the count does not move with the machine's speed (which on a shared host
    changes from minute to minute): two versions of the code compare on it without noise.
    """
    for _ in range(3):
        assert client.get(path, headers=headers).status_code == 200, path
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(repeat):
        client.get(path, headers=headers)
    profiler.disable()
    return pstats.Stats(profiler).total_calls / repeat


def statements(app, client, headers: dict, path: str) -> list[tuple[float, str]]:
    """Ask ``path`` once (after a warm-up); return each SQL statement's ms and its first 150 chars."""
    from sqlalchemy import event

    assert client.get(path, headers=headers).status_code == 200, path
    engine = app.extensions["db_engine"]
    seen: list[tuple[float, str]] = []
    started: list[float] = []

    def before(*_args):
        started.append(time.perf_counter())

    def after(_conn, _cursor, statement, *_args):
        took = (time.perf_counter() - started.pop()) * 1000
        seen.append(
            (took, " ".join(statement.split())[: int(os.environ.get("STATEMENT_CHARS", "150"))])
        )

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        client.get(path, headers=headers)
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)
    return seen


def print_stats(stats: pstats.Stats, top: int) -> None:
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        stats.stream = out
        stats.sort_stats(order).print_stats(top)
        text = out.getvalue()
        print(text[text.index("   ncalls") :].replace(str(ROOT) + "/", ""))


def print_callers(stats: pstats.Stats, pattern: str) -> None:
    """Print who calls the functions matching ``pattern``, with counts and times."""
    out = io.StringIO()
    stats.stream = out
    stats.sort_stats("tottime").print_callers(pattern)
    text = out.getvalue()
    print(text[text.index("Function") :].replace(str(ROOT) + "/", ""))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="parts of page names to profile")
    parser.add_argument("--quick", action="store_true", help="1 000 members, 5 000 assignments")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument(
        "--times", action="store_true", help="median CPU and wall ms per page, no profiler"
    )
    parser.add_argument(
        "--keep",
        metavar="FILE",
        help="keep the filled database and note it in FILE; a later run with the same FILE reuses it",
    )
    parser.add_argument(
        "--statements", action="store_true", help="list each page's SQL statements, one request"
    )
    parser.add_argument(
        "--calls",
        action="store_true",
        help="Python function calls per request (a measure that does not move with the machine)",
    )
    parser.add_argument(
        "--callers",
        metavar="PATTERN",
        help="with the profile, list who calls the functions matching PATTERN (a regular expression)",
    )
    args = parser.parse_args()
    members, assignments = (1_000, 5_000) if args.quick else (10_000, 50_000)
    with filled_database(args.keep, members, assignments, 1) as (url, env):
        os.environ.update(DATABASE_URL=url, WARM_MATCHING_INDEX="true", SECRET_KEY="p" * 40)
        os.environ.update(LOGIN_RATE_LIMIT="1000 per minute", API_RATE_LIMIT="100000 per minute")
        from app import create_app

        app = create_app()
        accounts = json.loads(env["BENCH_ACCOUNTS"])
        clients = {
            role: signed_in(app, found[0], env["BENCH_PASSWORD"])
            for role, found in accounts.items()
        }
        listed = clients["council"][0].get(
            "/api/v1/requests?only_open=true", headers=clients["council"][1]
        )
        request_id = listed.get_json()["items"][0]["id"]
        # As a gunicorn worker runs (deploy/gunicorn.conf.py): what is built so far frozen for
        # the collector, and its young generation as large; else collections, charged to
        # whatever allocates, take a fifth of a list page's profile.
        from app.server_tuning import DEFAULT_GEN0_THRESHOLD, prepare_for_workers

        prepare_for_workers(DEFAULT_GEN0_THRESHOLD)
        for role, name, path in pages(request_id, member_id=int(env["BENCH_MEMBERS"]) // 2):
            if args.names and not any(part in name for part in args.names):
                continue
            client, headers = clients[role]
            headers = headers if "API" in name else {}
            if args.statements:
                seen = statements(app, client, headers, path)
                print(f"\n=== {name}: {len(seen)} statements, {sum(t for t, _ in seen):.1f} ms")
                for took, text in seen:
                    print(f"{took:6.2f} ms  {text}")
                continue
            if args.calls:
                print(f"{name:<40} {calls(client, headers, path, args.repeat):9.0f} calls/request")
                continue
            if args.times:
                wall, cpu = timed(client, headers, path, args.repeat)
                print(f"{name:<40} {wall:6.1f} ms wall {cpu:6.1f} ms CPU (median)")
                continue
            wall, cpu, stats = profile(client, headers, path, args.repeat)
            print(f"\n=== {name}: {wall:.1f} ms wall, {cpu:.1f} ms CPU per request (profiled)")
            print_stats(stats, args.top)
            if args.callers:
                print_callers(stats, args.callers)
        app.extensions["db_engine"].dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
