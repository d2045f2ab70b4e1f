"""The live acceptance model: its cost in ranking and its figures on a synthetic answer history.

    .venv/bin/python bench/bench_live_model.py [--size 10000] [--requests 30] [--repeat 3]

Prints the median milliseconds of ``rank`` with the prior, with the sklearn model of
``train_acceptance`` and with the stored JSON model of ``fit_acceptance`` (the live one, with
its municipality lookup), on one core; then the live model's time-ordered figures (ROC AUC,
Brier, and the prior's on the same newest answers) on answers derived from the pool's history.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from datetime import datetime, timedelta  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from make_pool import make_pool, make_stream  # noqa: E402

from matching import PRIOR, PoolIndex, rank, train_acceptance  # noqa: E402
from matching.acceptance import Answer, fit_acceptance  # noqa: E402
from matching.io import parse_pool, parse_stream  # noqa: E402
from matching.types import STOCKHOLM  # noqa: E402


def answers_of(members) -> list[Answer]:
    """Return one Answer per answered history entry (sent ``lead_days`` before, at 10:00)."""
    out = []
    for m in members:
        for h in m.history:
            if h.answer is None:
                continue
            start = datetime(h.date.year, h.date.month, h.date.day, 10, tzinfo=STOCKHOLM)
            lead = 21.0 if h.lead_days is None else h.lead_days
            out.append(
                Answer(
                    member_id=m.id,
                    sent=start - timedelta(days=lead),
                    start=start,
                    accepted=h.answer == "accepted",
                    hours=h.hours,
                    format=h.format or "onsite",
                    municipality=m.municipality,
                )
            )
    return out


def median_ms(fn, requests, repeat: int) -> float:
    out = []
    for _ in range(repeat):
        for request in requests:
            started = time.perf_counter()
            fn(request)
            out.append((time.perf_counter() - started) * 1000.0)
    return float(np.median(out))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    members = parse_pool(make_pool(args.size, seed=21))
    index = PoolIndex(members)
    requests = parse_stream(
        make_stream(make_pool(min(args.size, 2000), seed=21), args.requests, seed=22)
    )
    sklearn_model = train_acceptance(members[:5000], seed=0)
    answers = answers_of(members[:5000])
    started = time.perf_counter()
    live = fit_acceptance(answers)
    train_s = time.perf_counter() - started
    print(f"pool {args.size}, {len(requests)} requests x {args.repeat}: rank median ms")
    for name, model in (("prior", PRIOR), ("sklearn", sklearn_model), ("live JSON", live)):
        print(
            f"  {name:10s} {median_ms(lambda r, m=model: rank(index, r, model=m), requests, args.repeat):7.2f}"
        )
    m = live.metrics
    print(f"live model: {m['n_samples']} answers, trained in {train_s:.2f} s, source {live.source}")
    if "auc" in m:
        print(
            f"  newest {m['n_test']} answers: ROC AUC {m['auc']:.3f} (prior {m['prior_auc']:.3f}), "
            f"Brier {m['brier']:.4f} (prior {m['prior_brier']:.4f})"
        )
        for row in m["calibration"]:
            print(
                f"    predicted {row['predicted']:.2f}  observed {row['observed']:.2f}  n {row['n']}"
            )


if __name__ == "__main__":
    main()
