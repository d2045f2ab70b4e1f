"""Kept matching index: what a proposal costs cold, warm, and after members changed.

    .venv/bin/python bench/bench_pool_index.py [--members 10000] [--assignments 50000]
                                               [--repeat 5]

Fills a throw-away PostgreSQL database like the load benchmark (``BENCH_DATABASE_URL``), then,
in one process and one run, measures the median of ``--repeat`` runs of:

- ``cold``: loading the whole pool and building its index (what every proposal cost before
  the index was kept);
- ``kept``: getting the kept index when nothing changed (one query for the version);
- ``after N changed``: N members get a blocked day in one commit each, then the kept index is
  brought up to date (the change log names them; only they are reloaded);
- ``proposal``: ``compute_proposal`` end to end for an open request, cold and with the kept
  index.

Prints the figures and their ratios to ``cold``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "bench" / "load"))

from bench_load import bench_database  # noqa: E402
from pool_data import fill  # noqa: E402
from sqlmodel import Session, select  # noqa: E402

import matching  # noqa: E402
from app.db import make_engine  # noqa: E402
from app.migrate import upgrade  # noqa: E402
from app.models import AvailabilityException, BookingRequest, Member  # noqa: E402
from app.models.enums import RequestStatus  # noqa: E402
from app.services.matchmaking.kept_index import forget_pool_indexes, pool_index  # noqa: E402
from app.services.matchmaking.matching_input import pool_for_matching  # noqa: E402
from app.services.matchmaking.proposals import compute_proposal  # noqa: E402


def timed(action, repeat: int) -> float:
    """Return the median seconds of ``repeat`` calls of ``action()``."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--assignments", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with bench_database() as url:
        upgrade(url)
        engine = make_engine(url)
        with Session(engine) as session:
            counts = fill(session, members=args.members, assignments=args.assignments)
        print(f"data: {counts['members']} members, {counts['assignments']} assignments")
        figures = measure(engine, args.repeat)
        engine.dispose()
    cold = figures["cold: load the pool and build the index"]
    print(f"{'step':46} {'median ms':>10} {'ratio to cold':>14}")
    for name, seconds in figures.items():
        print(f"{name:46} {seconds * 1000:10.1f} {seconds / cold:14.4f}")
    return 0


def measure(engine, repeat: int) -> dict[str, float]:
    figures: dict[str, float] = {}

    def cold():
        with Session(engine) as session:
            matching.PoolIndex(pool_for_matching(session=session))

    def kept():
        with Session(engine) as session:
            pool_index(session=session)

    figures["cold: load the pool and build the index"] = timed(cold, repeat)
    kept()
    figures["kept: nothing changed"] = timed(kept, repeat)
    with Session(engine) as session:
        member_ids = list(session.exec(select(Member.id).order_by(Member.id)))
        request = session.exec(
            select(BookingRequest).where(BookingRequest.status == RequestStatus.SUBMITTED)
        ).first()
    day = date(2031, 1, 1)
    for changed in (1, 10, 100):

        def change_then_refresh(count=changed):
            nonlocal day
            day += timedelta(days=1)
            for member_id in member_ids[:count]:
                with Session(engine) as session:
                    session.add(
                        AvailabilityException(
                            member_id=member_id, start_date=day, end_date=day, kind="blocked"
                        )
                    )
                    session.commit()
            started = time.perf_counter()
            kept()
            return time.perf_counter() - started

        figures[f"after {changed} member(s) changed: bring up to date"] = statistics.median(
            change_then_refresh() for _ in range(repeat)
        )
    if request is not None:

        def proposal():
            with Session(engine) as session:
                compute_proposal(session=session, booking_request=session.merge(request))

        def cold_proposal():
            forget_pool_indexes()
            proposal()

        figures["proposal for an open request, cold"] = timed(cold_proposal, repeat)
        proposal()
        figures["proposal for an open request, kept index"] = timed(proposal, repeat)
    return figures


if __name__ == "__main__":
    raise SystemExit(main())
