"""Server time of the council's home (the worklist) on the load benchmark's data.

    .venv/bin/python bench/bench_council_home.py [--members 10000] [--assignments 50000]
                                                 [--upcoming 400] [--renders 30]
                                                 [--database-url URL]

Builds a throw-away PostgreSQL database like ``bench/bench_load.py`` (the demo data, a pool of
10 000 members with experiences and weekly windows, 50 000 past assignments), adds upcoming
work that fills every worklist section (waiting requests, booked groups short of people,
invitations near their reply deadline, declared conflicts, sent claims, failed mail), signs in
as the demo council user and renders ``/council/`` ``--renders`` times through the Flask test
client. Prints the median and p90 of the server's wall time and process CPU time per render,
the number of SQL statements per render, and each section's count with PostgreSQL's own
execution time of its statement (EXPLAIN ANALYZE). The goal is under 100 ms;
on a shared machine the wall time is noisy, so the CPU time is printed beside it.
"""

from __future__ import annotations

import argparse
import random
import secrets
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "bench" / "load"))

from bench_load import bench_database  # noqa: E402
from pool_data import fill  # noqa: E402
from sqlalchemy import event, func, text  # noqa: E402
from sqlmodel import Session, select  # noqa: E402

from app import create_app  # noqa: E402
from app.db import make_engine  # noqa: E402
from app.migrate import upgrade  # noqa: E402
from app.models import (  # noqa: E402
    Assignment,
    BookingRequest,
    CompensationClaim,
    Invitation,
    Member,
    Organisation,
    RequestSession,
    User,
)
from app.models.enums import Role  # noqa: E402
from app.models.outbox import OutboxMessage  # noqa: E402
from app.services.demo.data import DEMO_LOGINS, DEMO_PASSWORD  # noqa: E402
from app.services.worklist.registry import PROVIDERS, worklist_counts  # noqa: E402
from app.services.worklist.sections import SHOWN, Moment  # noqa: E402

GOAL_MS = 100


def add_upcoming_work(session: Session, count: int, seed: int = 23) -> None:
    """Add ``count`` upcoming requests in every state the worklist reads, and claims and mail."""
    rng = random.Random(seed)
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    orderer = session.exec(select(User).where(User.email == DEMO_LOGINS[Role.ORDERER])).one()
    organisations = [o.id for o in session.exec(select(Organisation))]
    member_ids = list(session.exec(select(Member.id)))
    requests = [
        BookingRequest(
            organisation_id=rng.choice(organisations),
            orderer_id=orderer.id,
            title=f"Upcoming request {index}",
            purpose="Upcoming work for the worklist benchmark.",
            expectations="Share experience.",
            participation="dialogue",
            assignment_type="education",
            format="digital",
            people_count=3,
            status=rng.choice(["submitted", "approved", "approved", "booked", "booked"]),
        )
        for index in range(count)
    ]
    session.add_all(requests)
    session.flush()
    rows: list = []
    for booking_request in requests:
        start = now + timedelta(days=rng.randint(1, 60), hours=rng.randint(0, 8))
        rows.append(
            RequestSession(
                request_id=booking_request.id,
                starts_at=start,
                ends_at=start + timedelta(hours=2),
                ical_uid=f"home-bench-{booking_request.id}@levande-bibliotek",
            )
        )
        if booking_request.status == "submitted":
            continue
        people = rng.sample(member_ids, k=3)
        for member_id in people[: rng.randint(1, 3)]:
            rows.append(
                Assignment(
                    request_id=booking_request.id,
                    member_id=member_id,
                    conflict_declaration="Works at the clinic" if rng.random() < 0.1 else "",
                    conflict_declared_at=now,
                )
            )
        rows.append(
            Invitation(
                request_id=booking_request.id,
                member_id=people[-1],
                token=secrets.token_urlsafe(16),
                reply_deadline_at=now + timedelta(hours=rng.randint(1, 96)),
            )
        )
    session.add_all(rows)
    past = list(session.exec(select(Assignment).where(Assignment.status == "completed").limit(200)))
    session.add_all(
        CompensationClaim(
            assignment_id=a.id, member_id=a.member_id, status="submitted", submitted_at=now
        )
        for a in past
    )
    session.add_all(
        OutboxMessage(subject=f"Message {i}", status="failed", last_error="550") for i in range(50)
    )
    session.commit()


def measure(url: str, renders: int) -> dict:
    """Render the council's home ``renders`` times; return wall, CPU and statement figures."""
    app = create_app({"DATABASE_URL": url, "LOGIN_RATE_LIMIT": "1000 per minute"})
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]
    signed = client.post(
        "/login",
        data={"email": DEMO_LOGINS[Role.COUNCIL], "password": DEMO_PASSWORD, "csrf_token": token},
    )
    assert signed.status_code == 302, signed.status_code
    engine = app.extensions["db_engine"]
    statements: list[int] = []
    counter = {"n": 0}

    def count(*_args, **_kwargs):
        counter["n"] += 1

    event.listen(engine, "before_cursor_execute", count)
    walls, cpus = [], []
    for _ in range(renders + 2):
        counter["n"] = 0
        wall, cpu = time.perf_counter(), time.process_time()
        response = client.get("/council/")
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
        assert response.status_code == 200, response.status_code
        statements.append(counter["n"])
    event.remove(engine, "before_cursor_execute", count)
    walls, cpus, statements = walls[2:], cpus[2:], statements[2:]  # the first two warm caches
    with Session(engine) as session:
        moment = Moment(now=datetime.now(UTC), today=datetime.now(UTC).date())
        sections = worklist_counts(session=session, moment=moment)
    engine.dispose()
    return {
        "wall": walls,
        "cpu": cpus,
        "statements": statements,
        "sections": sections,
        "database": database_ms(url),
    }


def database_ms(url: str) -> dict[str, float]:
    """Return PostgreSQL's own execution time of each section's statement (EXPLAIN ANALYZE)."""
    engine = make_engine(url)
    moment = Moment(now=datetime.now(UTC), today=datetime.now(UTC).date())
    times = {}
    with Session(engine) as session:
        for provider in PROVIDERS:
            query = (
                provider.statement.add_columns(func.count().over())
                .limit(SHOWN)
                .params(**provider.params(moment))
            )
            sql = str(query.compile(engine, compile_kwargs={"literal_binds": True}))
            plan = [row[0] for row in session.exec(text("EXPLAIN ANALYZE " + sql))]
            times[provider.key] = float(plan[-1].split(":")[1].split()[0])
    engine.dispose()
    return times


def _p90(values: list[float]) -> float:
    return sorted(values)[max(0, round(0.9 * len(values)) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--assignments", type=int, default=50_000)
    parser.add_argument("--upcoming", type=int, default=400)
    parser.add_argument("--renders", type=int, default=30)
    parser.add_argument(
        "--database-url", help="measure an already filled database instead (left as it is)"
    )
    args = parser.parse_args()
    if args.database_url:
        report(measure(args.database_url, args.renders), args.renders)
        return
    with bench_database() as url:
        upgrade(url)
        engine = make_engine(url)
        started = time.perf_counter()
        with Session(engine) as session:
            counts = fill(session, members=args.members, assignments=args.assignments)
            add_upcoming_work(session, args.upcoming)
        engine.dispose()
        print(
            f"data: {counts['members']} members, {counts['assignments']} past assignments, "
            f"{args.upcoming} upcoming requests ({time.perf_counter() - started:.0f} s)"
        )
        result = measure(url, args.renders)
    report(result, args.renders)


def report(result: dict, renders: int) -> None:
    """Print the sections' counts, the server times and the statements per render."""
    print(f"{'section':<18}{'items':>8}{'database ms':>14}")
    for key, total in result["sections"].items():
        print(f"{key:<18}{total:>8}{result['database'][key]:>14.1f}")
    print(f"\n/council/ over {renders} renders (Flask test client, PostgreSQL on loopback)")
    print(f"{'':<14}{'median':>10}{'p90':>10}")
    for name in ("wall", "cpu"):
        values = result[name]
        print(f"{name + ' ms':<14}{statistics.median(values):>10.1f}{_p90(values):>10.1f}")
    print(f"SQL statements per render: {sorted(set(result['statements']))}")
    verdict = "met" if statistics.median(result["wall"]) < GOAL_MS else "NOT met"
    print(f"goal: median server time under {GOAL_MS} ms – {verdict} (a shared, noisy machine)")


if __name__ == "__main__":
    main()
