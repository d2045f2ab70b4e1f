"""Stream benchmark: fairness of load and quota keeping, ours at each balance vs references.

    .venv/bin/python bench/bench_stream.py [--requests 1000] [--big 10000] [--json out.json]
        [--demo-seed N] [--policies "ours hard,quota MIP"] [--no-demo] [--no-floors]

Pools: the demo-shaped 100-member pool in examples/ with examples/stream.json, and a generated
10 000-member pool with its own stream (bench/make_pool.py), both ~3 years of requests. Every
policy sees the same requests, applies the same hard rules and books its choices, so load builds
up differently per policy. Every ``QUOTA_EVERY``-th request of two or more people carries an
explicit quota (``QUOTA_TEMPLATES`` in turn).

Figures per policy (docs/matching.md, "Stream"): ``roll12`` = mean over the stream's full
12-month windows of the Gini of assignments per month in the pool in that window; ``stream`` =
the Gini of assignments per month in the pool over the whole stream; each with its floor
(bench/stream_floor.py: the most even spread the eligible sets allow) and ``q-floor``, the same
for groups that keep the even share and the explicit quotas wherever the eligible people allow
(an LP relaxation); ``max/mean`` of the whole-stream rate; ``even brk`` = share of groups
breaking the even share although a group keeping it and the explicit quotas the eligible allow
(quotas come first) existed; ``quota brk`` = share of requests with explicit quotas whose group
breaks one although a group meeting them all existed. People counted: eligible at least once.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse  # noqa: E402
import dataclasses  # noqa: E402
import json  # noqa: E402
import pickle  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Mapping, Sequence  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from make_pool import make_pool, make_stream  # noqa: E402
from quota_reference import (  # noqa: E402
    QuotaMip,
    breaks,
    even_share,
    explicit,
    holdings,
    seats,
    solve,
)
from sortition_policy import SortitionPolicy  # noqa: E402
from stream_floor import floor_gini  # noqa: E402

from matching.check import violations  # noqa: E402
from matching.features import load_pressure, turn_pressure  # noqa: E402
from matching.index import PoolIndex, local, month_key  # noqa: E402
from matching.io import load_json, parse_pool, parse_stream  # noqa: E402
from matching.metrics import gini, max_over_mean, month_rates, rolling_ginis  # noqa: E402
from matching.scoring import Ranking, rank  # noqa: E402
from matching.selection import select  # noqa: E402
from matching.simulate import random_eligible, record_opportunities, top_relevance  # noqa: E402
from matching.types import Booking, Member, Request  # noqa: E402

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
QUOTA_EVERY = 4
QUOTA_TEMPLATES = (
    {"field": "experience", "value": "relative", "min": 1},
    {"field": "age", "value": [18, 49], "min": 1},
    {"field": "gender", "value": "man", "min": 1},
    {"field": "experience", "value": "own", "min": 1},
    {"field": "mandate", "value": "organisation", "max": 1},
)
BALANCES = ("hard", "soft", "off")
WINDOW = 12

# A policy gets the ranking, a random generator and the explicit quotas (JSON shape).
Policy = Callable[[Ranking, np.random.Generator, Sequence[Mapping]], Sequence[int]]


def request_quotas(stream: Sequence[Request]) -> dict[str, list[dict]]:
    """Return the explicit quotas of the stream's requests, by id (the benchmark's choice)."""
    out, k = {}, 0
    for i, request in enumerate(sorted(stream, key=lambda r: (r.first_start, r.id))):
        if request.count >= 2 and i % QUOTA_EVERY == 0:
            out[request.id] = [QUOTA_TEMPLATES[k % len(QUOTA_TEMPLATES)]]
            k += 1
    return out


REQUEST_FIELDS = {f.name for f in dataclasses.fields(Request)}
ENGINE_HAS_QUOTAS = {"quotas", "balance"} <= REQUEST_FIELDS


def engine_request(request: Request, quotas: Sequence[Mapping], balance: str | None) -> Request:
    """Return ``request`` carrying the quotas and balance, where the engine knows them."""
    if balance is None or not ENGINE_HAS_QUOTAS:
        return request
    from matching.io import parse_quota  # the quota interface (docs/matching.md)

    parsed = tuple(parse_quota(q, f"quotas[{i}]") for i, q in enumerate(quotas))
    return dataclasses.replace(request, quotas=parsed, balance=balance)


def ours(ranking: Ranking, _rng, _quotas=()) -> Sequence[int]:
    """Choose with the engine (the ranking's request carries quotas and balance)."""
    return select(ranking).group


def least_loaded(ranking: Ranking, rng: np.random.Generator, _quotas=()) -> Sequence[int]:
    """Choose the least loaded on the engine's load definition, ties at random."""
    return _lowest(load_pressure(ranking.facts), ranking.request.count, rng)


def least_turn(ranking: Ranking, rng: np.random.Generator, _quotas=()) -> Sequence[int]:
    """Choose the lowest load pressure plus opportunity (the engine's load part), ties at random.

    Not a reference the issue names: it shows what the opportunity term alone does to a pure
    least-loaded policy.
    """
    return _lowest(turn_pressure(ranking.facts), ranking.request.count, rng)


def _lowest(pressure: np.ndarray, count: int, rng: np.random.Generator) -> list[int]:
    """Return the ``count`` positions of lowest pressure, ties drawn at random."""
    pressure = np.round(pressure, 9)
    order = np.lexsort((rng.random(pressure.size), pressure))
    return [int(i) for i in order[:count]]


def _plain(policy) -> Policy:
    def call(ranking, rng, _quotas=()):
        return policy(ranking, rng)

    call.__name__ = getattr(policy, "__name__", "policy")
    return call


def policies(sortition_algorithm: str) -> list[tuple[str, Policy, str | None]]:
    """Return (name, policy, balance given to the engine) in table order."""
    balances = BALANCES if ENGINE_HAS_QUOTAS else ("greedy",)
    rows: list[tuple[str, Policy, str | None]] = [
        (f"ours {b}", ours, b if ENGINE_HAS_QUOTAS else None) for b in balances
    ]
    return rows + [
        ("top relevance", _plain(top_relevance), None),
        ("random", _plain(random_eligible), None),
        ("least loaded", least_loaded, None),
        ("least loaded+opp.", least_turn, None),
        ("least loaded+quotas", QuotaMip(even=False), None),
        (f"sortition {sortition_algorithm}", _plain(SortitionPolicy(sortition_algorithm, 1)), None),
        ("quota MIP", QuotaMip(), None),
        ("quota MIP closest", QuotaMip(closest=True), None),
    ]


class Feasibility:
    """Whether a group meeting some constraints exists, cached per request and eligible set."""

    def __init__(self) -> None:
        self.cache: dict[tuple, bool] = {}

    def __call__(self, key: tuple, n: int, size: int, constraints) -> bool:
        if key not in self.cache:
            self.cache[key] = solve(n, size, constraints) is not None
        return self.cache[key]


def run_policy(
    members: Sequence[Member],
    stream: Sequence[Request],
    quotas: Mapping[str, list[dict]],
    policy: Policy,
    balance: str | None,
    feasible: Feasibility,
    month0: int,
    keep: bool = False,
) -> dict:
    """Run the stream with one policy; return raw per-request records and timings."""
    rng = np.random.default_rng(1)
    index = PoolIndex(members)
    current = {m.id: m for m in members}
    records, times = [], []
    for plain in sorted(stream, key=lambda r: (r.first_start, r.id)):
        wanted = quotas.get(plain.id, [])
        request = engine_request(plain, wanted, balance)
        started = time.perf_counter()
        ranking = rank(index, request)
        picks = list(policy(ranking, rng, wanted))
        times.append((time.perf_counter() - started) * 1000.0)
        chosen = [index.ids[int(ranking.rows[p])] for p in picks]
        ok = not any(violations(current[mid], plain) for mid in chosen)
        ok = ok and len(set(chosen)) == len(chosen) <= plain.count
        size = seats(ranking)
        hold = holdings(ranking)
        fair, asked = even_share(hold, size), explicit(ranking, hold, wanted)
        elig_key = (plain.id, ranking.rows.tobytes())
        n = len(ranking.rows)
        quota_break = bool(wanted) and breaks(picks, asked)
        if quota_break:
            quota_break = feasible((*elig_key, "asked"), n, size, asked)
        # Quotas come first: the even share is broken when a group keeping it and every
        # explicit quota the eligible people allow existed.
        even_break = bool(picks) and breaks(picks, fair)
        if even_break and wanted and feasible((*elig_key, "asked"), n, size, asked):
            even_break = feasible((*elig_key, "both"), n, size, asked + fair)
        elif even_break:
            even_break = feasible((*elig_key, "even"), n, size, fair)
        kept_rules = None
        if keep:  # the quotas the floor keeps: as many as the eligible people allow
            for name, rules in (("both", asked + fair), ("asked", asked), ("even", fair)):
                if feasible((*elig_key, name), len(ranking.rows), size, rules):
                    kept_rules = [(ranking.rows[m], low, high) for m, low, high in rules]
                    break
            else:
                kept_rules = []
        records.append(
            {
                "request": plain.id,
                "rules": kept_rules,
                "ok": ok,
                "filled": len(picks) == plain.count,
                "month": month_key(local(plain.first_start).date()) - month0,
                "eligible": ranking.rows.copy(),
                "seats": size,
                "chosen": [index.pos[mid] for mid in chosen],
                "even_break": even_break,
                "quota_break": quota_break,
                "has_quota": bool(wanted),
            }
        )
        record_opportunities(index, ranking)
        for mid in chosen:
            index.add_assignment(mid, plain.sessions, plain.id)
            booked = tuple(Booking(s.start, s.end, plain.id) for s in plain.sessions)
            current[mid] = dataclasses.replace(
                current[mid], bookings=current[mid].bookings + booked
            )
    return {"records": records, "times": times}


def presence(members: Sequence[Member], month0: int, months: int) -> np.ndarray:
    """Return (people, months) True where the person was in the pool in that stream month."""
    joined = np.array(
        [month_key(m.joined) - month0 if m.joined else -1 for m in members], dtype=np.int64
    )
    return np.arange(months)[None, :] >= joined[:, None]


def summarise(run: dict, present: np.ndarray) -> dict:
    """Return the figures of one policy's run over the people in ``present``."""
    recs = run["records"]
    member = np.array([p for r in recs for p in r["chosen"]], dtype=np.int64)
    month = np.array([r["month"] for r in recs for _ in r["chosen"]], dtype=np.int64)
    months = present.shape[1]
    _, rate = month_rates(member, month, present, 0, months - 1)
    groups = [r for r in recs if r["chosen"]]
    with_quota = [r for r in recs if r["has_quota"]]
    return {
        "rules_ok": float(np.mean([r["ok"] for r in recs])),
        "filled": float(np.mean([r["filled"] for r in recs])),
        "roll12_gini": float(np.mean(rolling_ginis(member, month, present, WINDOW))),
        "stream_gini": gini(rate),
        "max_over_mean": max_over_mean(rate),
        "even_break": float(np.mean([r["even_break"] for r in groups])) if groups else 0.0,
        "quota_break": float(np.mean([r["quota_break"] for r in with_quota]))
        if with_quota
        else 0.0,
        "ms_p50": float(np.median(run["times"])),
    }


def floors(run: dict, present: np.ndarray) -> dict:
    """Return the floors of both Gini figures from one run's eligible sets."""
    recs = run["records"]
    months = present.shape[1]
    people = np.flatnonzero(present.any(axis=1))

    def floor_of(first: int, last: int, quotas: bool) -> float:
        inside = [r for r in recs if first <= r["month"] <= last]
        in_pool = present[:, first : last + 1].sum(axis=1).astype(float)
        kept = people[in_pool[people] > 0]
        eligible, seats_ = [r["eligible"] for r in inside], [r["seats"] for r in inside]
        rules = [r["rules"] for r in inside] if quotas else None
        return floor_gini(eligible, seats_, in_pool, kept, rules)

    out = {}
    if len(people) > QUOTA_FLOOR_PEOPLE:  # the LP grows too large; "—" in the table
        out["roll12_quota_floor"] = out["stream_quota_floor"] = float("nan")
    for suffix, quotas in (("floor", False), ("quota_floor", True)):
        if quotas and len(people) > QUOTA_FLOOR_PEOPLE:
            continue
        rolling = [floor_of(s, s + WINDOW - 1, quotas) for s in range(months - WINDOW + 1)]
        out[f"roll12_{suffix}"] = float(np.mean(rolling))
        out[f"stream_{suffix}"] = floor_of(0, months - 1, quotas)
    return out


QUOTA_FLOOR_PEOPLE = 2000  # the quota floor's LP is solved for pools up to this size
FLOOR_KEYS = ("roll12_floor", "stream_floor", "roll12_quota_floor", "stream_quota_floor")
HEADER = (
    f"{'pool':>6} {'policy':<19} {'rules':>5} {'filled':>6} {'roll12':>6} {'floor':>6} "
    f"{'q-floor':>7} {'stream':>6} {'floor':>6} {'q-floor':>7} {'max/mean':>8} {'even brk':>8} "
    f"{'quota brk':>9} {'ms/req':>7}"
)


def line(pool: str, name: str, s: dict, f: dict) -> str:
    """Return one table row."""
    return (
        f"{pool:>6} {name:<19} {s['rules_ok']:>5.3f} {s['filled']:>6.3f} {s['roll12_gini']:>6.3f} "
        f"{f['roll12_floor']:>6.3f} {f['roll12_quota_floor']:>7.3f} {s['stream_gini']:>6.3f} "
        f"{f['stream_floor']:>6.3f} {f['stream_quota_floor']:>7.3f} "
        f"{s['max_over_mean']:>8.2f} {s['even_break']:>8.1%} {s['quota_break']:>9.1%} "
        f"{s['ms_p50']:>7.2f}"
    )


def run_pool(
    name: str,
    members,
    stream,
    sortition_algorithm: str,
    only: Sequence[str] = (),
    with_floors: bool = True,
    keep_records: str | None = None,
) -> dict:
    """Run every policy (or those named in ``only``) on one pool and stream; print the rows.

    The floors come from the eligible sets of the first policy run.
    """
    quotas = request_quotas(stream)
    firsts = [local(r.first_start).date() for r in stream]
    month0 = month_key(min(firsts))
    months = month_key(max(firsts)) - month0 + 1
    feasible = Feasibility()
    runs = {}
    chosen = [p for p in policies(sortition_algorithm) if not only or p[0] in only]
    for k, (label, policy, balance) in enumerate(chosen):
        started = time.perf_counter()
        runs[label] = run_policy(
            members, stream, quotas, policy, balance, feasible, month0, keep=k == 0
        )
        print(f"  ({name}: {label} ran in {time.perf_counter() - started:.0f} s)", file=sys.stderr)
    seen = np.zeros(len(members), dtype=bool)
    for run in runs.values():
        for r in run["records"]:
            seen[r["eligible"]] = True
    present = presence(members, month0, months) & seen[:, None]
    first = next(iter(runs.values()))
    if keep_records:
        with open(keep_records, "wb") as out:
            pickle.dump({"records": first["records"], "present": present}, out)
    started = time.perf_counter()
    nan = float("nan")
    floor = floors(first, present) if with_floors else dict.fromkeys(FLOOR_KEYS, nan)
    print(f"  ({name}: floors in {time.perf_counter() - started:.0f} s)", file=sys.stderr)
    out = {}
    for label, run in runs.items():
        out[label] = {**summarise(run, present), **floor}
        print(line(name, label, out[label], floor), flush=True)
    return out


def ratios(results: dict) -> list[str]:
    """Return ours / reference lines for the Gini figures."""
    refs = [k for k in results if not k.startswith("ours")]
    out = []
    for mine in (k for k in results if k.startswith("ours")):
        parts = []
        for ref in refs:
            a, b = results[mine], results[ref]
            parts.append(
                f"{ref} {a['roll12_gini'] / max(b['roll12_gini'], 1e-9):.2f}"
                f"/{a['stream_gini'] / max(b['stream_gini'], 1e-9):.2f}"
            )
        out.append(f"  {mine} ÷ (roll12/stream): " + ", ".join(parts))
    return out


def verdict(name: str, results: dict) -> list[str]:
    """Return the target checks for one pool."""
    needed = {"ours hard", "ours soft", "least loaded", "quota MIP"}
    if not needed <= set(results):
        return ["  (needs ours hard and soft, least loaded and quota MIP: targets not checked)"]
    hard, soft = results["ours hard"], results["ours soft"]
    least = results["least loaded"]
    respecting = [v for k, v in results.items() if k.startswith("quota MIP")]
    best = min(v["roll12_gini"] for v in respecting)
    checks = [
        (f"hard: even-share breaks {hard['even_break']:.1%} = 0", hard["even_break"] == 0),
        (f"hard: explicit quota breaks {hard['quota_break']:.1%} = 0", hard["quota_break"] == 0),
        (
            f"hard: roll12 Gini {hard['roll12_gini']:.3f} <= best quota-respecting {best:.3f}",
            hard["roll12_gini"] <= best,
        ),
        (
            f"soft: roll12 Gini {soft['roll12_gini']:.3f} <= least loaded {least['roll12_gini']:.3f}",
            soft["roll12_gini"] <= least["roll12_gini"],
        ),
        (
            f"soft: even-share breaks {soft['even_break']:.1%} < least loaded {least['even_break']:.1%}",
            soft["even_break"] < least["even_break"],
        ),
    ]
    if name == "100":
        checks.append(
            (f"hard: roll12 Gini {hard['roll12_gini']:.3f} <= 0.25", hard["roll12_gini"] <= 0.25)
        )
    else:
        gap = hard["roll12_gini"] - hard["roll12_floor"]
        checks.append((f"hard: roll12 Gini within 0.01 of floor (gap {gap:.3f})", gap <= 0.01))
    return [f"  [{'met' if ok else 'MISSED'}] {text}" for text, ok in checks]


def main() -> None:
    """Run the benchmark and print the table."""
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--requests", type=int, default=1000)
    args.add_argument("--big", type=int, default=10_000, help="size of the large pool (0 = skip)")
    args.add_argument("--demo-sortition", default="maximin", help="algorithm on the demo pool")
    args.add_argument("--big-sortition", default="legacy", help="algorithm on the large pool")
    args.add_argument("--json", help="also write the figures here")
    args.add_argument(
        "--demo-seed", type=int, help="generate the demo stream with this seed (default: the file)"
    )
    args.add_argument("--policies", default="", help="comma-separated policy names (default all)")
    args.add_argument("--no-demo", action="store_true", help="skip the demo pool")
    args.add_argument("--no-floors", action="store_true", help="skip the floors (slow on 10 000)")
    args.add_argument("--records", help="pickle the first policy's records of the large pool here")
    opts = args.parse_args()
    demo = parse_pool(load_json(EXAMPLES / "pool.json"))
    if opts.demo_seed is None:
        demo_stream = parse_stream(load_json(EXAMPLES / "stream.json"))[: opts.requests]
    else:  # another demo-shaped stream on the same pool (examples/stream.json is seed 3)
        raw = make_stream(load_json(EXAMPLES / "pool.json"), opts.requests, seed=opts.demo_seed)
        demo_stream = parse_stream(raw)
    only = [p.strip() for p in opts.policies.split(",") if p.strip()]
    print(HEADER, flush=True)
    results = {}
    if not opts.no_demo:
        results["100"] = run_pool("100", demo, demo_stream, opts.demo_sortition, only)
    if opts.big:
        raw = make_pool(opts.big, seed=11)
        big, stream = parse_pool(raw), parse_stream(make_stream(raw, opts.requests, seed=12))
        results[str(opts.big)] = run_pool(
            str(opts.big),
            big,
            stream,
            opts.big_sortition,
            only,
            with_floors=not opts.no_floors,
            keep_records=opts.records,
        )
    for name, figures in results.items():
        print(f"\nratios on {name}:")
        print("\n".join(ratios(figures)))
        print(f"targets on {name}:")
        print("\n".join(verdict(name, figures)))
    if opts.json:
        Path(opts.json).write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
