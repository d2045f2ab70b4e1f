"""Stream benchmark: 1 000 requests, our policy vs baselines vs sortition-algorithms.

    .venv/bin/python bench/bench_stream.py [--requests 1000] [--big 10000] [--json out.json]

Pools: the demo-shaped 100-member pool in examples/ with examples/stream.json, and a generated
10 000-member pool with its own 1 000-request stream. Every policy sees the same eligible sets
(hard rules first) and books its choices, so load builds up differently per policy.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from make_pool import make_pool, make_stream  # noqa: E402
from sortition_policy import SortitionPolicy  # noqa: E402

from matching.io import load_json, parse_pool, parse_stream  # noqa: E402
from matching.simulate import simulate  # noqa: E402

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
HEADER = (
    f"{'pool':>7} {'policy':<18} {'rules ok':>8} {'filled':>6} {'gini':>6} {'floor':>6} {'max/mean':>8} "
    f"{'never':>6} {'ages':>5} {'gend':>5} {'types':>5} {'div':>5} {'relev':>6} {'ms/req':>7} {'wall s':>7}"
)


def row(pool: str, r: dict, wall: float) -> str:
    d = r["mean_group_diversity"]
    return (
        f"{pool:>7} {r['policy']:<18} {r['hard_rule_satisfaction']:>8.3f} {r['filled_share']:>6.3f} "
        f"{r['gini']:>6.3f} {r['gini_floor']:>6.3f} {r['max_over_mean']:>8.2f} {r['never_used_share']:>6.3f} "
        f"{d['age_bands']:>5.2f} {d['genders']:>5.2f} {d['experience_types']:>5.2f} {d['total']:>5.2f} "
        f"{r['mean_relevance']:>6.3f} {r['time_per_request_ms']['p50']:>7.2f} {wall:>7.1f}"
    )


def run_pool(name: str, members, requests, sortition_algorithm: str) -> dict[str, dict]:
    """Run every policy over one pool and stream; print a row each; return the summaries."""
    results = {}
    policies = ["ours", "top_relevance", "random", SortitionPolicy(sortition_algorithm, seed=1)]
    for policy in policies:
        started = time.perf_counter()
        result = simulate(members, requests, policy=policy, seed=1)
        result.pop("per_request")
        results[result["policy"]] = result
        print(row(name, result, time.perf_counter() - started), flush=True)
    return results


def verdict(results: dict[str, dict]) -> list[str]:
    """Return the target checks for one pool as readable lines."""
    ours, top, rnd = results["ours"], results["top_relevance"], results["random"]
    div = ours["mean_group_diversity"]["total"]
    checks = [
        ("hard-rule satisfaction 100 %", ours["hard_rule_satisfaction"] == 1.0),
        (f"gini {ours['gini']:.3f} <= 0.25", ours["gini"] <= 0.25),
        (
            f"gini {ours['gini']:.3f} <= half of top relevance ({top['gini']:.3f} / 2 = {top['gini'] / 2:.3f})",
            ours["gini"] <= top["gini"] / 2,
        ),
        (
            f"diversity {div:.2f} >= top relevance {top['mean_group_diversity']['total']:.2f} "
            f"and random {rnd['mean_group_diversity']['total']:.2f}",
            div >= top["mean_group_diversity"]["total"]
            and div >= rnd["mean_group_diversity"]["total"],
        ),
    ]
    return [f"  [{'met' if ok else 'MISSED'}] {text}" for text, ok in checks]


def main() -> None:
    """Run the benchmark and print the table."""
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--requests", type=int, default=1000)
    args.add_argument("--big", type=int, default=10_000, help="size of the large pool (0 = skip)")
    args.add_argument(
        "--demo-sortition", default="maximin", help="sortition algorithm on the demo pool"
    )
    args.add_argument(
        "--big-sortition", default="legacy", help="sortition algorithm on the large pool"
    )
    args.add_argument("--json", help="also write the summaries here")
    opts = args.parse_args()
    demo = parse_pool(load_json(EXAMPLES / "pool.json"))
    demo_stream = parse_stream(load_json(EXAMPLES / "stream.json"))[: opts.requests]
    print(HEADER)
    all_results = {"demo_100": run_pool("100", demo, demo_stream, opts.demo_sortition)}
    if opts.big:
        raw = make_pool(opts.big, seed=11)
        big, stream = parse_pool(raw), parse_stream(make_stream(raw, opts.requests, seed=12))
        all_results[f"pool_{opts.big}"] = run_pool(str(opts.big), big, stream, opts.big_sortition)
    for name, results in all_results.items():
        print(f"\ntargets on {name}:")
        print("\n".join(verdict(results)))
    if opts.json:
        Path(opts.json).write_text(json.dumps(all_results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
