"""Latency benchmark: rank + select for pools of 100, 10 000 and 100 000 members on one core.

    .venv/bin/python bench/bench_latency.py [--sizes 100 10000 100000] [--requests 50] [--repeat 5]

Timed per request, median over requests x repeats, in one process: ``rank`` (hard rules + score
parts), ``select`` (group + reserves), ``rank+select`` (the target), and ``propose`` (rank +
select + explanations for the top 20 and a lazy exclusion map). Building the PoolIndex happens once
per pool snapshot and is reported separately, as is training the acceptance model.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import argparse  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from make_pool import make_pool, make_stream, with_opportunities  # noqa: E402

from matching import PoolIndex, propose, rank, select, train_acceptance  # noqa: E402
from matching.io import parse_pool, parse_stream  # noqa: E402


def timed(fn, requests, repeat: int) -> np.ndarray:
    """Return per-call milliseconds of ``fn(request)`` over all requests, ``repeat`` times."""
    out = []
    for _ in range(repeat):
        for request in requests:
            started = time.perf_counter()
            fn(request)
            out.append((time.perf_counter() - started) * 1000.0)
    return np.array(out)


def bench_size(n: int, n_requests: int, repeat: int) -> str:
    """Return one table row for a pool of ``n`` members."""
    members = parse_pool(with_opportunities(make_pool(n, seed=21)))
    started = time.perf_counter()
    index = PoolIndex(members)
    build = time.perf_counter() - started
    started = time.perf_counter()
    model = train_acceptance(members[:5000], seed=0)
    train = time.perf_counter() - started
    requests = parse_stream(make_stream(make_pool(min(n, 2000), seed=21), n_requests, seed=22))
    eligible = np.median([len(rank(index, r, model=model).rows) for r in requests])
    r_ms = timed(lambda r: rank(index, r, model=model), requests, repeat)
    rankings = {r.id: rank(index, r, model=model) for r in requests}
    s_ms = timed(lambda r: select(rankings[r.id]), requests, repeat)
    rs_ms = timed(lambda r: select(rank(index, r, model=model)), requests, repeat)
    p_ms = timed(lambda r: propose(index, r, model=model), requests, repeat)
    return (
        f"{n:>8} {build:>9.2f} {train:>8.2f} {eligible:>9.0f} {np.median(r_ms):>8.2f} {np.median(s_ms):>8.2f} "
        f"{np.median(rs_ms):>10.2f} {np.percentile(rs_ms, 95):>9.2f} {np.median(p_ms):>10.2f}"
    )


def main() -> None:
    """Run the benchmark and print the table."""
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--sizes", type=int, nargs="+", default=[100, 10_000, 100_000])
    args.add_argument("--requests", type=int, default=50)
    args.add_argument("--repeat", type=int, default=5)
    opts = args.parse_args()
    print(
        f"one core (OMP/OPENBLAS threads = {os.environ['OMP_NUM_THREADS']}); times in ms unless noted"
    )
    print(
        f"{'members':>8} {'index s':>9} {'train s':>8} {'eligible':>9} {'rank':>8} {'select':>8} "
        f"{'rank+sel':>10} {'p95 r+s':>9} {'propose':>10}"
    )
    for n in opts.sizes:
        print(bench_size(n, opts.requests, opts.repeat), flush=True)
    print("targets: rank+select p50 < 20 ms at 10 000 members, < 200 ms at 100 000")


if __name__ == "__main__":
    main()
