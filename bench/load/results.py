"""The load benchmark's result as JSON under ``bench/results/``, and its comparison with the
previous run of the same shape (users, data size, workers, threads, sign-in burst)."""

from __future__ import annotations

import csv
import json
import os
import platform
import statistics
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
RESULTS = ROOT / "bench" / "results"
#: What makes two runs comparable.
SHAPE = (
    "users", "members", "assignments", "workers", "threads", "sign_in_burst", "proposals",
    "think_time",
)  # fmt: skip
#: Runs saved before a part of the shape existed had its default.
SHAPE_DEFAULTS = {"think_time": [1.0, 3.0]}


def machine() -> dict:
    """Return what the figures were measured on."""
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "python": platform.python_version(),
        "system": platform.platform(),
    }


#: The processes the figures are split between (``cpu_seconds_by_group``).
PROCESS_GROUPS = ("app server", "PostgreSQL", "locust", "other")


def cpu_seconds_by_group() -> dict[str, float]:
    """Return the CPU seconds (user + system) used so far by the processes of each group.

    The app server is every process with ``gunicorn`` in its command line, PostgreSQL every
    ``postgres`` process, locust every process with ``locust`` in its command line. Taken at the
    start and the end of the steady state, the differences say how the two cores were shared.
    """
    tick = os.sysconf("SC_CLK_TCK")
    used = dict.fromkeys(PROCESS_GROUPS, 0.0)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:  # the process ended meanwhile
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        seconds = (int(fields[11]) + int(fields[12])) / tick
        if "gunicorn" in command:
            used["app server"] += seconds
        elif name.startswith("postgres"):
            used["PostgreSQL"] += seconds
        elif "locust" in command:
            used["locust"] += seconds
        else:
            used["other"] += seconds
    return used


def cores_used(before: dict[str, float], after: dict[str, float], seconds: float) -> dict:
    """Return the cores each group used between two ``cpu_seconds_by_group`` readings."""
    if seconds <= 0:
        return {}
    return {group: round(max(0.0, after[group] - before[group]) / seconds, 2) for group in after}


def python_loop_ms(rounds: int = 3) -> float:
    """Return the fastest of ``rounds`` timings of a fixed pure-Python loop, in ms.

    Machines of one kind differ, and one machine differs from hour to hour (shared hosts): the
    same code's server CPU per request has varied 1.6× between sessions. Saved with each run,
    this figure tells a slower machine from slower code.
    """
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        total = 0
        for number in range(2_000_000):
            total += number
        best = min(best, time.perf_counter() - started)
    return round(best * 1000, 1)


def git_commit() -> str:
    """Return the checked-out commit, marked ``-dirty`` with uncommitted changes."""

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, check=False
        ).stdout.strip()

    commit = git("rev-parse", "--short=12", "HEAD")
    return commit + ("-dirty" if git("status", "--porcelain", "--untracked-files=no") else "")


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def server_figures(figures: dict[str, list[float]]) -> dict:
    """Summarise one page's Server-Timing figures: CPU, app and SQL ms, statements."""
    if not figures.get("cpu"):
        return {}
    return {
        "cpu_ms_mean": round(statistics.fmean(figures["cpu"]), 1),
        "cpu_ms_p95": round(_percentile(figures["cpu"], 0.95), 1),
        "app_ms_mean": round(statistics.fmean(figures["app"]), 1),
        "app_ms_p95": round(_percentile(figures["app"], 0.95), 1),
        "sql_ms_mean": round(statistics.fmean(figures["sql"]), 1),
        **_turn(figures.get("turn")),
        "queries_mean": round(statistics.fmean(figures["queries"]), 1),
        "queries_max": int(max(figures["queries"])),
    }


def _turn(waits: list[float] | None) -> dict:
    """The wait for a turn to run (app/concurrency.py), when the server reported it."""
    if not waits:
        return {}
    return {
        "turn_ms_mean": round(statistics.fmean(waits), 1),
        "turn_ms_p95": round(_percentile(waits, 0.95), 1),
    }


def pages(stats_csv: Path, server: dict) -> dict[str, dict]:
    """Return each request name's client and server figures (TOTAL for the aggregate)."""
    rows = {}
    for row in csv.DictReader(stats_csv.open()):
        if int(row["Request Count"]) == 0:
            continue  # asked only while the users arrived (sign-in), before the statistics reset
        name = "TOTAL" if row["Name"] == "Aggregated" else row["Name"]
        rows[name] = {
            "count": int(row["Request Count"]),
            "errors": int(row["Failure Count"]),
            "rps": round(float(row["Requests/s"]), 2),
            "p50": float(row["50%"]),
            "p95": float(row["95%"]),
            "p99": float(row["99%"]),
            **server_figures(server.get(row["Name"], {})),
        }
    every = {k: sum((v.get(k, []) for v in server.values()), []) for k in SERVER_KEYS}
    if "TOTAL" in rows:
        rows["TOTAL"].update(server_figures(every))
    return rows


SERVER_KEYS = ("cpu", "app", "sql", "turn", "queries")


def save(result: dict) -> Path:
    """Write the result as ``bench/results/<UTC time>-<users>u.json`` and return its path."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS / f"{stamp}-{result['shape']['users']}u.json"
    path.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    return path


def previous(result: dict, before: Path | None = None) -> tuple[Path, dict] | None:
    """Return the latest saved run of the same shape (other than ``before``), if any."""
    for path in sorted(RESULTS.glob("*.json"), reverse=True):
        if before is not None and path.resolve() == before.resolve():
            continue
        try:
            other = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        shape = {**SHAPE_DEFAULTS, **other.get("shape", {})}
        if all(shape.get(k) == result["shape"].get(k) for k in SHAPE):
            return path, other
    return None


def compare(result: dict, other: dict) -> list[str]:
    """Return lines with this run's figures over the previous run's (below 1: better)."""
    lines = [f"{'request':42} {'p95':>7} {'cpu':>7} {'queries':>8}  (this run / previous)"]
    for name, now in result["pages"].items():
        then = other["pages"].get(name)
        if not then:
            continue
        cells = [_ratio(now.get(k), then.get(k)) for k in ("p95", "cpu_ms_mean", "queries_mean")]
        lines.append(f"{name:42} {cells[0]:>7} {cells[1]:>7} {cells[2]:>8}")
    total, then = result["pages"].get("TOTAL", {}), other["pages"].get("TOTAL", {})
    lines.append(f"throughput (req/s): {_ratio(total.get('rps'), then.get('rps'))}")
    return lines


def _ratio(now: float | None, then: float | None) -> str:
    if not now or not then:
        return "–"
    return f"{now / then:.2f}×"


def medians(runs: list[dict], goal: int) -> list[str]:
    """Return a table of each request's median p50/p95/p99, CPU and throughput over ``runs``."""
    names = [name for name in runs[0]["pages"] if all(name in run["pages"] for run in runs)]
    lines = [
        f"{'request':42} {'p50':>6} {'p95':>6} {'p99':>6} {'cpu':>6} {'req/s':>7} {'errors':>6}"
        f"  (median of {len(runs)}; p95 of each run)"
    ]
    for name in names:
        rows = [run["pages"][name] for run in runs]
        figure = {k: statistics.median(row.get(k, 0) for row in rows) for k in rows[0]}
        each = " / ".join(f"{row['p95']:.0f}" for row in rows)
        mark = "" if name == "TOTAL" or figure["p95"] < goal else "  > goal"
        lines.append(
            f"{name:42} {figure['p50']:6.0f} {figure['p95']:6.0f} {figure['p99']:6.0f} "
            f"{figure.get('cpu_ms_mean', 0):6.1f} {figure['rps']:7.1f} "
            f"{sum(row['errors'] for row in rows):>6}  ({each}){mark}"
        )
    return lines
