"""Insight benchmark: server time of the council's insight pages on a 10 000-member pool.

    .venv/bin/python bench/bench_insight.py [--members 10000] [--requests 3000] [--repeat 5]
                                            [--backend sqlite|postgresql] [--admin-url URL]

Builds a throw-away database (SQLite file, or a fresh PostgreSQL database that is dropped at the
end), migrates it, and fills it with a generated pool (bench/make_pool.py) and a year of
activity: requests from every kind of orderer, invitations with declines and no answers,
assignments, attested claims, survey answers, request history and population figures. Then a
signed-in council client asks for every insight page and CSV; the time is measured around the
in-process request (routing, queries, metrics, chart geometry, templates), i.e. server time.
Target: under one second per page.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("SECRET_KEY", "bench-secret-key-" + "x" * 32)

from make_pool import MUNICIPALITIES, ORGANISATIONS, make_pool, make_stream  # noqa: E402
from sqlalchemy import create_engine, insert, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlmodel import Session  # noqa: E402

from app.models import (  # noqa: E402
    Area,
    Assignment,
    BookingRequest,
    ClaimLine,
    CompensationClaim,
    Experience,
    Feedback,
    Invitation,
    Member,
    Organisation,
    PopulationFigure,
    RequestArea,
    RequestEvent,
    RequestSession,
)
from app.models.enums import Role  # noqa: E402

ZONE = ZoneInfo("Europe/Stockholm")
PASSWORD = "bench-password-123"
KINDS = {
    "Region Jönköpings län": "region_department",
    "Jönköping University": "university",
    "Jönköpings kommun": "municipality",
    "Värnamo kommun": "municipality",
    "NPO Psykisk hälsa": "national_body",
    "Region Kalmar län": "other_region",
    "Hjärt-Lungfonden": "patient_organisation",
    "Reumatikerförbundet": "patient_organisation",
    "Nässjö kommun": "process_group",
}
#: A county's people aged 18+ per age band (split evenly by sex and by municipality weight).
BANDS = {"18-34": 80_000, "35-49": 70_000, "50-64": 69_000, "65-79": 60_000, "80+": 22_000}


def _utc(local: str) -> datetime:
    return datetime.fromisoformat(local).replace(tzinfo=ZONE).astimezone(UTC)


class Builder:
    """Plain rows for bulk inserts, with ids handed out here."""

    def __init__(self, seed: int, today: date):
        self.rng, self.today = random.Random(seed), today
        self.rows: dict[type, list[dict]] = {}
        self.ids: dict[type, int] = {}

    def add(self, model: type, **values) -> int:
        new_id = self.ids.get(model, 0) + 1
        self.ids[model] = new_id
        self.rows.setdefault(model, []).append({"id": new_id, **values})
        return new_id

    def areas(self, codes: set[str]) -> dict[str, int]:
        out: dict[str, int] = {}
        for code in sorted(
            {"/".join(c.split("/")[: i + 1]) for c in codes for i in range(c.count("/") + 1)}
        ):
            parent = out.get(code.rsplit("/", 1)[0]) if "/" in code else None
            name = code.rsplit("/", 1)[-1]
            out[code] = self.add(
                Area, code=code, parent_id=parent, name_sv=name, name_en=name, is_active=True
            )
        return out

    def members(
        self, pool: list[dict], areas: dict[str, int], organisations: dict[str, int]
    ) -> list[int]:
        ids = []
        for m in pool:
            member_id = self.add(
                Member,
                first_name="Bench",
                last_name=m["id"],
                email=f"{m['id']}@bench.test",
                phone="",
                birth_year=m["birth_year"],
                gender=m["gender"],
                municipality=m["municipality"],
                languages=m["languages"],
                pool=m["pool"],
                mandate=m["mandate"],
                mandate_organisation_id=organisations["Reumatikerförbundet"]
                if m["mandate"] == "organisation"
                else None,
                employer="",
                assignment_types=m["assignment_types"],
                is_onsite_ok=True,
                is_digital_ok=True,
                max_per_month=m["max_per_month"],
                status="active" if m["active"] else "paused",
                has_signed_agreement=True,
                consent_given_at=datetime(2024, 1, 1, tzinfo=UTC),
                consent_text_version="2026-01",
                joined_on=date.fromisoformat(m["joined"]),
                created_at=datetime(2024, 1, 1, tzinfo=UTC),
            )
            for experience in m["experiences"]:
                self.add(
                    Experience,
                    member_id=member_id,
                    area_id=areas[experience["area"]],
                    type=experience["type"],
                    note="",
                )
            ids.append(member_id)
        return ids

    def population(self) -> None:
        places = dict(MUNICIPALITIES)
        total = sum(places.values())
        for band, people in BANDS.items():
            for gender, part in (("woman", 0.5), ("man", 0.5)):
                for place, weight in places.items():
                    self.add(
                        PopulationFigure,
                        age_band=band,
                        gender=gender,
                        municipality=place,
                        people=round(people * part * weight / total),
                        source="bench",
                        updated_at=datetime(2026, 1, 1, tzinfo=UTC),
                    )


def build(
    session: Session,
    members: int,
    requests: int,
    seed: int,
    today: date,
    orderer_id: int,
    council_id: int,
) -> dict:
    """Insert the pool and a year of activity; return row counts."""
    builder = Builder(seed, today)
    pool = make_pool(members, seed=seed, today=today)
    stream = make_stream(pool, requests, seed=seed + 1, first=today - timedelta(days=365), days=365)
    areas = builder.areas(
        {e["area"] for m in pool for e in m["experiences"]}
        | {a for r in stream for a in r["areas"]}
    )
    organisations = {
        name: builder.add(
            Organisation,
            name=name,
            kind=KINDS[name],
            cost_centre="",
            created_at=datetime(2024, 1, 1, tzinfo=UTC),
        )
        for name, _ in ORGANISATIONS
    }
    member_ids = builder.members(pool, areas, organisations)
    builder.population()
    by_area: dict[str, list[int]] = {}
    for member_id, m in zip(member_ids, pool, strict=True):
        for experience in m["experiences"]:
            for depth in range(experience["area"].count("/") + 1):
                by_area.setdefault("/".join(experience["area"].split("/")[: depth + 1]), []).append(
                    member_id
                )
    for item in stream:
        _request(builder, item, areas, organisations, by_area, member_ids, orderer_id, council_id)
    for model in (
        Area,
        Organisation,
        Member,
        Experience,
        PopulationFigure,
        BookingRequest,
        RequestArea,
        RequestSession,
        RequestEvent,
        Invitation,
        Assignment,
        CompensationClaim,
        ClaimLine,
        Feedback,
    ):
        rows = builder.rows.get(model, [])
        for start in range(0, len(rows), 2000):
            session.execute(insert(model), rows[start : start + 2000])
    session.commit()
    return {model.__tablename__: len(rows) for model, rows in builder.rows.items()}


def _request(
    b: Builder, item, areas, organisations, by_area, member_ids, orderer_id, council_id
) -> None:
    rng = b.rng
    sessions = [(_utc(s["start"]), _utc(s["end"])) for s in item["sessions"]]
    first = sessions[0][0]
    created = first - timedelta(days=rng.randint(14, 60), hours=rng.randint(0, 9))
    decided = created + timedelta(days=rng.uniform(0.5, 10))
    is_past = sessions[-1][1] < datetime.now(UTC)
    approved = rng.random() < 0.9
    status = (
        ("completed" if is_past else "booked")
        if approved
        else rng.choice(["declined", "cancelled"])
    )
    request_id = b.add(
        BookingRequest,
        organisation_id=organisations[item["organisation"]],
        orderer_id=orderer_id,
        title=f"Bench {item['id']}",
        purpose="Bench",
        expectations="Bench",
        participation="consultation",
        assignment_type=item["type"],
        experience=item["experience"],
        people_count=item["count"],
        format=item["format"],
        location="",
        video_link="",
        language="sv",
        preparation_minutes=0,
        is_open_information_meeting=False,
        contact_name="",
        contact_email="",
        contact_phone="",
        status=status,
        status_message="",
        created_at=created,
        decided_at=decided,
        decided_by_id=council_id,
    )
    for code in item["areas"]:
        b.add(RequestArea, request_id=request_id, area_id=areas[code])
    for start, end in sessions:
        b.add(
            RequestSession,
            request_id=request_id,
            starts_at=start,
            ends_at=end,
            ical_uid=f"{uuid.uuid4()}@bench",
            sequence=0,
        )
    b.add(
        RequestEvent,
        request_id=request_id,
        actor_id=orderer_id,
        at=created,
        action="submitted",
        message="",
        detail={},
    )
    if not approved:
        return
    b.add(
        RequestEvent,
        request_id=request_id,
        actor_id=council_id,
        at=decided,
        action="approved",
        message="",
        detail={},
    )
    candidates = by_area.get(item["areas"][0]) or member_ids
    booked, sent, last = 0, decided, decided
    for member_id in rng.sample(candidates, min(len(candidates), item["count"] + 3)):
        if booked == item["count"]:
            break
        answered = sent + timedelta(days=rng.uniform(0.2, 6))
        draw = rng.random()
        answer = "accepted" if draw < 0.72 else "declined" if draw < 0.9 else "expired"
        invitation_id = b.add(
            Invitation,
            request_id=request_id,
            member_id=member_id,
            status=answer,
            token=uuid.uuid4().hex,
            is_interest_check=False,
            sent_at=sent,
            reply_deadline_at=sent + timedelta(days=7),
            responded_at=answered,
            response_message="",
        )
        if answer != "accepted":
            sent = answered
            continue
        booked, last = booked + 1, max(last, answered)
        assignment_id = b.add(
            Assignment,
            request_id=request_id,
            member_id=member_id,
            invitation_id=invitation_id,
            status="completed" if is_past else "booked",
            extra_minutes=0,
            is_hourly=False,
            is_part_of_employment=False,
            conflict_declaration="",
            outcome="",
            created_at=answered,
        )
        if is_past:
            _after(b, request_id, assignment_id, member_id, sessions)
    if booked == item["count"]:
        b.add(
            RequestEvent,
            request_id=request_id,
            actor_id=None,
            at=last,
            action="booked",
            message="",
            detail={},
        )
    if is_past and booked and rng.random() < 0.7:
        b.add(
            Feedback,
            request_id=request_id,
            assignment_id=None,
            respondent="orderer",
            user_id=orderer_id,
            answers={"useful": rng.randint(2, 5)},
            free_text="",
            led_to="It changed a routine." if rng.random() < 0.5 else "",
            submitted_at=sessions[-1][1] + timedelta(days=3),
        )


def _after(b: Builder, request_id: int, assignment_id: int, member_id: int, sessions) -> None:
    rng = b.rng
    if rng.random() < 0.8:
        claim_id = b.add(
            CompensationClaim,
            assignment_id=assignment_id,
            member_id=member_id,
            status="attested",
            travel_minutes=30 * len(sessions),
            car_km=0,
            ticket_cost_sek=0,
            other_cost_sek=0,
            note="",
            fee_sek=1066 * len(sessions),
            travel_sek=rng.choice([0, 0, 63, 125, 250]),
            review_comment="",
            submitted_at=sessions[-1][1],
            attested_at=sessions[-1][1] + timedelta(days=5),
        )
        for start, end in sessions:
            b.add(
                ClaimLine,
                claim_id=claim_id,
                request_session_id=None,
                activity_on=start.astimezone(ZONE).date(),
                minutes=int((end - start).total_seconds() // 60),
                travel_minutes=30,
                fee_class="half_day",
                fee_sek=1066,
                no_fee_reason="",
            )
    if rng.random() < 0.6:
        b.add(
            Feedback,
            request_id=request_id,
            assignment_id=assignment_id,
            respondent="member",
            user_id=None,
            answers={
                code: rng.randint(2, 5)
                for code in ("purpose_clear", "material_in_time", "felt_heard")
            },
            free_text="",
            led_to="",
            submitted_at=sessions[-1][1] + timedelta(days=2),
        )


def database(backend: str, admin_url: str):
    """Return (url, cleanup) of a fresh database for the benchmark."""
    if backend == "sqlite":
        folder = tempfile.mkdtemp(prefix="levbib-bench-")
        return f"sqlite:///{folder}/bench.sqlite", lambda: None
    admin = make_url(admin_url)
    name = f"levbib_bench_{uuid.uuid4().hex[:10]}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def cleanup():
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()

    return admin.set(database=name).render_as_string(hide_password=False), cleanup


def timed(client, path: str, repeat: int) -> tuple[float, float, float, int]:
    """Return the median and worst wall milliseconds of GET ``path``, the median CPU ms, status.

    CPU time is this process's own time, so it stays honest on a busy machine.
    """
    wall, cpu, status = [], [], 0
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(path)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        status = response.status_code
    return statistics.median(wall), max(wall), statistics.median(cpu), status


def main() -> None:
    """Build the database, then time every insight page and print a table."""
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--members", type=int, default=10_000)
    args.add_argument("--requests", type=int, default=3_000)
    args.add_argument("--repeat", type=int, default=5)
    args.add_argument("--seed", type=int, default=8)
    args.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    args.add_argument(
        "--admin-url",
        default=os.environ.get(
            "TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
        ),
    )
    args.add_argument("--keep", help="build the SQLite database at this path and keep it")
    args.add_argument("--reuse", help="time an already filled SQLite file instead of building one")
    opts = args.parse_args()
    if opts.reuse or opts.keep:
        run(f"sqlite:///{opts.reuse or opts.keep}", opts)
        return
    url, cleanup = database(
        opts.backend, opts.admin_url.replace("postgresql://", "postgresql+psycopg://")
    )
    try:
        run(url, opts)
    finally:
        cleanup()


def run(url: str, opts) -> None:
    """Fill the database (unless reused), sign in as the council and time every page."""
    from app import create_app

    today = datetime.now(ZONE).date()
    if not opts.reuse:
        fill(url, opts, today)
    app = create_app({"DATABASE_URL": url, "LOGIN_RATE_LIMIT": "1000 per minute"})
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]
    login = {"email": "council@bench.test", "password": PASSWORD, "csrf_token": token}
    assert client.post("/login", data=login).status_code == 302
    worst = (0.0, 0.0, "")
    for path in pages(client, today):
        median, slowest, cpu, status = timed(client, path, opts.repeat)
        verdict = "met" if median < 1000 else "MISSED"
        print(f"{path:<58} {median:>8.0f} {slowest:>7.0f} {cpu:>7.0f} {status:>6}  {verdict}")
        worst = max(worst, (median, cpu, path))
    print(f"\nslowest page: {worst[2]} — median {worst[0]:.0f} ms wall, {worst[1]:.0f} ms CPU")
    print(f"load average while timing: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    app.extensions["db_engine"].dispose()


def fill(url: str, opts, today: date) -> None:
    """Migrate and fill the database; print what went in."""
    from app.db import make_engine
    from app.migrate import upgrade
    from app.services.accounts.users import create_user

    upgrade(url)
    engine = make_engine(url)
    started = time.perf_counter()
    with Session(engine) as session:
        council = create_user(
            session=session,
            email="council@bench.test",
            password=PASSWORD,
            role=Role.COUNCIL,
            full_name="Bench",
        )
        session.commit()
        # Requests name the council account as their orderer: only the foreign key matters here.
        counts = build(
            session, opts.members, opts.requests, opts.seed, today, council.id, council.id
        )
    engine.dispose()
    print(f"database: {opts.backend}, built in {time.perf_counter() - started:.1f} s")
    print("rows: " + ", ".join(f"{name} {n}" for name, n in sorted(counts.items())))


def pages(client, today: date) -> list[str]:
    """Return the pages to time (warming the templates up on the way) and print the header."""
    from app.web.insight.specs import SPECS

    home = client.get("/council/insight/").get_data(as_text=True)
    area = home.split('<select id="area"', 1)[1].split('<option value="', 3)[2].split('"', 1)[0]
    three_years = f"start={(today - timedelta(days=3 * 365)).isoformat()}&end={today.isoformat()}"
    out = [
        "/council/insight/",
        "/council/insight/?pool=peer",
        f"/council/insight/?area={area}",
        "/council/insight/?orderer_kind=municipality",
        f"/council/insight/?{three_years}",
        "/council/insight/population",
    ]
    print(
        f"\n{'page (server time per request)':<58} {'wall ms':>8} {'max ms':>7} {'cpu ms':>7} {'status':>6}  < 1 s"
    )
    return out + [f"/council/insight/{key}.csv" for key in SPECS]


if __name__ == "__main__":
    main()
