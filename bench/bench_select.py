"""Latency of rank + exact quota-respecting select on one core, per balance setting.

    .venv/bin/python bench/bench_select.py [--sizes 10000 100000] [--requests 50] [--repeat 3]

Every request of the generated stream gets quotas (at least one person under 35 and, with two
or more seats, at least one with own and one with a relative's experience, at most half of the
seats women) and each balance setting in turn. Times are per request in milliseconds, median
(p50) and 95th percentile over requests x repeats, in one process; ``--cpu`` times with the
process's CPU clock instead of the wall clock. ``share unmet`` is the share of requests with
at least one quota the eligible people do not allow.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import argparse  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from dataclasses import replace  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from make_pool import make_pool, make_stream, with_opportunities  # noqa: E402

from matching import PoolIndex, rank, select  # noqa: E402
from matching.io import parse_pool, parse_stream  # noqa: E402
from matching.types import BALANCES, Quota  # noqa: E402


def with_quotas(request, balance: str):
    """Return ``request`` with the benchmark's quotas and ``balance``."""
    quotas = [Quota("age", (18, 34), min=1), Quota("gender", "woman", max=(request.count + 1) // 2)]
    if request.count >= 2:
        quotas += [Quota("experience", "own", min=1), Quota("experience", "relative", min=1)]
    return replace(request, quotas=tuple(quotas), balance=balance)


CLOCK = time.perf_counter


def timed(fn, items, repeat: int) -> np.ndarray:
    """Return per-call milliseconds of ``fn(item)`` over all items, ``repeat`` times."""
    out = []
    for _ in range(repeat):
        for item in items:
            started = CLOCK()
            fn(item)
            out.append((CLOCK() - started) * 1000.0)
    return np.array(out)


def bench(n: int, n_requests: int, repeat: int) -> list[str]:
    """Return table rows for a pool of ``n`` members, one per balance setting."""
    index = PoolIndex(parse_pool(with_opportunities(make_pool(n, seed=21))))
    stream = parse_stream(make_stream(make_pool(min(n, 2000), seed=21), n_requests, seed=22))
    rows = []
    for balance in BALANCES:
        requests = [with_quotas(r, balance) for r in stream]
        rankings = [rank(index, r) for r in requests]
        eligible = np.median([len(k.rows) for k in rankings])
        s_ms = timed(select, rankings, repeat)
        rs_ms = timed(lambda r: select(rank(index, r)), requests, repeat)
        unmet = np.mean([len(select(k).unmet) > 0 for k in rankings])
        rows.append(
            f"{n:>8} {balance:>7} {eligible:>9.0f} {np.median(s_ms):>8.2f} "
            f"{np.percentile(s_ms, 95):>8.2f} {np.median(rs_ms):>9.2f} "
            f"{np.percentile(rs_ms, 95):>9.2f} {unmet:>12.2f}"
        )
    return rows


def main() -> None:
    """Run the benchmark and print the table."""
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    args.add_argument("--requests", type=int, default=50)
    args.add_argument("--repeat", type=int, default=3)
    args.add_argument(
        "--cpu",
        action="store_true",
        help="time with the process's CPU clock (for a machine shared with other work)",
    )
    opts = args.parse_args()
    global CLOCK
    CLOCK = time.process_time if opts.cpu else time.perf_counter
    clock = "CPU" if opts.cpu else "wall-clock"
    print(f"one core (OMP threads = {os.environ['OMP_NUM_THREADS']}); {clock} times in ms")
    print(
        f"{'members':>8} {'balance':>7} {'eligible':>9} {'sel p50':>8} {'sel p95':>8} "
        f"{'r+s p50':>9} {'r+s p95':>9} {'share unmet':>12}"
    )
    for n in opts.sizes:
        for row in bench(n, opts.requests, opts.repeat):
            print(row, flush=True)
    print("targets: rank+select p50 <= 5 ms at 10 000 members, <= 50 ms at 100 000 (with quotas)")


if __name__ == "__main__":
    main()
