"""Seeded generator of demo-shaped pools, invitation history and request streams (JSON dicts).

Shape follows docs/domain.md §2: half Levande bibliotek (ages 25–90, ~1/3 men, somatic and mental
health, own or relative experience), half Peer (ages 25–65, ~1/4 men, own mental ill-health).

    python bench/make_pool.py            # writes examples/{pool,history,request,stream}.json
"""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from pathlib import Path

LB_AREAS = [  # (area, weight, share of relatives)
    ("cancer/breast", 6, 0.2),
    ("cancer/prostate", 4, 0.3),
    ("cancer/colorectal", 3, 0.3),
    ("cancer/lung", 2, 0.5),
    ("cancer", 2, 0.4),
    ("psychiatry/depression", 5, 0.3),
    ("psychiatry/psychosis", 3, 0.6),
    ("psychiatry/bipolar", 2, 0.4),
    ("psychiatry/addiction", 2, 0.6),
    ("psychiatry/suicide_bereavement", 1, 1.0),
    ("rheumatology/arthritis", 6, 0.1),
    ("sepsis", 4, 0.5),
    ("cardiology/heart_failure", 5, 0.3),
    ("cardiology/myocardial_infarction", 3, 0.2),
    ("pulmonology/copd", 4, 0.3),
    ("pulmonology/asthma", 3, 0.3),
    ("neurology/stroke", 5, 0.5),
    ("neurology/ms", 3, 0.2),
    ("neurology/parkinson", 3, 0.5),
    ("neurology/epilepsy", 2, 0.4),
    ("diabetes", 6, 0.3),
    ("dementia", 5, 0.9),
    ("paediatrics/premature_birth", 3, 1.0),
    ("chronic_pain", 4, 0.1),
]
PEER_AREAS = [
    ("psychiatry/depression", 8),
    ("psychiatry/anxiety", 7),
    ("psychiatry/psychosis", 5),
    ("psychiatry/bipolar", 4),
    ("psychiatry/eating_disorder", 3),
    ("psychiatry/adhd", 4),
    ("psychiatry/autism", 3),
    ("psychiatry/self_harm", 3),
    ("psychiatry/addiction", 3),
]
MUNICIPALITIES = [
    ("Jönköping", 40),
    ("Värnamo", 8),
    ("Nässjö", 7),
    ("Vetlanda", 6),
    ("Gislaved", 6),
    ("Tranås", 5),
    ("Eksjö", 4),
    ("Sävsjö", 3),
    ("Vaggeryd", 3),
    ("Habo", 3),
    ("Gnosjö", 2),
    ("Mullsjö", 2),
    ("Aneby", 2),
]
ORGANISATIONS = [
    ("Region Jönköpings län", 45),
    ("Jönköping University", 10),
    ("Jönköpings kommun", 8),
    ("Värnamo kommun", 4),
    ("NPO Psykisk hälsa", 6),
    ("Region Kalmar län", 4),
    ("Hjärt-Lungfonden", 2),
    ("Reumatikerförbundet", 2),
    ("Nässjö kommun", 3),
]
TYPES = [
    ("education", 18),
    ("lecture", 14),
    ("development", 16),
    ("working_group", 12),
    ("conference", 6),
    ("coaching", 5),
    ("simulated_patient", 8),
    ("review", 11),
    ("interview", 10),
]
ALL_TYPES = [t for t, _ in TYPES]


def pick(rng: random.Random, weighted: list[tuple]) -> tuple:
    """Return one item of ``weighted`` (second element = weight)."""
    return rng.choices(weighted, weights=[w[1] for w in weighted])[0]


def _gender(rng: random.Random, men: float) -> str:
    u = rng.random()
    if u < 0.02:
        return "nonbinary"
    if u < 0.03:
        return "unknown"
    return "man" if u < 0.03 + men else "woman"


def _experiences(rng: random.Random, peer: bool) -> list[dict]:
    out: dict[str, str] = {}
    for _ in range(rng.choice([1, 1, 2, 2, 3])):
        if peer:
            area = pick(rng, PEER_AREAS)[0]
            out.setdefault(area, "own")
        else:
            area, _, rel = pick(rng, LB_AREAS)
            out.setdefault(area, "relative" if rng.random() < rel else "own")
    if peer and rng.random() < 0.2:
        out.setdefault("psychiatry/suicide_bereavement", "relative")
    return [{"area": a, "type": t} for a, t in out.items()]


def _weekly(rng: random.Random) -> list[dict]:
    out = []
    for day in sorted(rng.sample(range(5), rng.choice([3, 4, 4, 5, 5]))):
        if rng.random() < 0.2:
            out += [
                {"weekday": day, "start": "08:00", "end": "11:30"},
                {"weekday": day, "start": "12:30", "end": "17:00"},
            ]
        else:
            start = rng.choice([8, 8, 8, 8, 9, 10, 12])
            end = rng.choice([e for e in (12, 16, 17, 17, 17) if e >= start + 4] or [17])
            out.append({"weekday": day, "start": f"{start:02d}:00", "end": f"{end:02d}:00"})
        if rng.random() < 0.1:
            out.append({"weekday": day, "start": "17:00", "end": "20:00"})
    if rng.random() < 0.1:
        out.append({"weekday": rng.choice([5, 6]), "start": "10:00", "end": "15:00"})
    return out


def _blocked(rng: random.Random, first: date, days: int) -> list[dict]:
    out = []
    for _ in range(rng.choice([0, 1, 1, 2, 3])):
        start = first + timedelta(days=rng.randrange(days))
        out.append(
            {
                "start": start.isoformat(),
                "end": (start + timedelta(days=rng.randint(3, 21))).isoformat(),
            }
        )
    return out


def _history(
    rng: random.Random, joined: date, start: date, end: date, propensity: float
) -> list[dict]:
    """Return invitations between ``start`` and ``end`` (after joining) with answers that carry signal."""
    rate = rng.gammavariate(1.3, 5.0 / 1.3)  # invitations per year, uneven on purpose
    days = (end - max(start, joined)).days
    out = []
    for _ in range(int(rate * max(days, 0) / 365 + rng.random())):
        day = max(start, joined) + timedelta(days=rng.randrange(max(days, 1)))
        fmt = rng.choice(["onsite", "digital"])
        lead = rng.choice([3, 7, 14, 21, 30, 45, 60])
        p = propensity - (0.15 if fmt == "onsite" else 0.0) - (0.2 if lead < 10 else 0.0)
        p -= 0.2 if day.weekday() >= 5 else 0.0
        u = rng.random()
        answer = "accepted" if u < p else ("declined" if u < p + (1 - p) * 0.75 else "no_answer")
        hours = rng.choice([1.5, 2, 2, 3, 3, 4, 6])
        out.append(
            {
                "date": day.isoformat(),
                "hours": hours,
                "answer": answer,
                "format": fmt,
                "lead_days": lead,
            }
        )
    return sorted(out, key=lambda h: h["date"])


def _propensity(member_id: str) -> float:
    """Return the member's hidden willingness to accept (stable per id, so logs agree)."""
    return min(0.97, max(0.15, random.Random(f"propensity:{member_id}").betavariate(5, 2)))


def make_member(rng: random.Random, i: int, today: date) -> dict:
    """Return one member record shaped like the demo pool."""
    peer = i % 2 == 1
    birth = today.year - (rng.randint(25, 65) if peer else int(min(90, max(25, rng.gauss(60, 15)))))
    joined = today - timedelta(
        days=rng.randint(30, 365) if rng.random() < 0.2 else rng.randint(400, 2500)
    )
    ident = f"{'p' if peer else 'lb'}{i:05d}"
    propensity = _propensity(ident)
    formats = rng.choice([["onsite", "digital"]] * 3 + [["onsite"], ["digital"]])
    member = {
        "id": ident,
        "birth_year": birth,
        "gender": _gender(rng, 0.25 if peer else 0.33),
        "municipality": pick(rng, MUNICIPALITIES)[0],
        "languages": ["sv"]
        + (["en"] if rng.random() < 0.3 else [])
        + ([rng.choice(["ar", "fi", "fa", "so", "bs"])] if rng.random() < 0.06 else []),
        "pool": "peer" if peer else "levande_bibliotek",
        "mandate": "organisation" if rng.random() < (0.15 if peer else 0.3) else "self",
        "active": rng.random() > 0.05,
        "consent": rng.random() > 0.02,
        "experiences": _experiences(rng, peer),
        "assignment_types": []
        if rng.random() < 0.5
        else sorted(rng.sample(ALL_TYPES, rng.randint(3, 7))),
        "formats": formats,
        "max_per_month": rng.choice([1, 2, 2, 2, 3, 4]),
        "availability": {"weekly": _weekly(rng), "blocked": _blocked(rng, today, 900)},
        "history": _history(rng, joined, today - timedelta(days=365), today, propensity),
        "joined": joined.isoformat(),
    }
    if rng.random() < 0.15:
        member["employer"] = pick(rng, ORGANISATIONS[:4])[0]
    if rng.random() < 0.03:
        member["paused_until"] = (today + timedelta(days=rng.randint(30, 200))).isoformat()
    return member


def make_pool(n: int, seed: int = 1, today: date = date(2026, 1, 1)) -> list[dict]:
    """Return ``n`` member records."""
    rng = random.Random(seed)
    return [make_member(rng, i, today) for i in range(n)]


def make_history(pool: list[dict], seed: int = 2, today: date = date(2026, 1, 1)) -> list[dict]:
    """Return an older invitation log (two years before the pool's own history)."""
    rng = random.Random(seed)
    out = []
    for m in pool:
        joined = date.fromisoformat(m["joined"])
        start, end = today - timedelta(days=3 * 365), today - timedelta(days=366)
        for h in _history(rng, joined, start, end, _propensity(m["id"])):
            out.append({"member": m["id"], **h})
    return out


def _sessions(rng: random.Random, kind: str, day: date, digital: bool) -> list[dict]:
    n = rng.randint(3, 4) if kind == "working_group" else (2 if rng.random() < 0.15 else 1)
    start_h = rng.choice([9, 9, 10, 13, 13, 14])
    length = rng.choice([1.5, 2, 2, 3]) if digital else rng.choice([2, 2, 3, 3])
    out = []
    for k in range(n):
        d = day + timedelta(weeks=k * rng.choice([2, 3, 4]))
        while d.weekday() >= 5:
            d += timedelta(days=1)
        end_min = int(start_h * 60 + length * 60)
        out.append(
            {
                "start": f"{d.isoformat()}T{start_h:02d}:00",
                "end": f"{d.isoformat()}T{end_min // 60:02d}:{end_min % 60:02d}",
            }
        )
    return out


def _areas(rng: random.Random, pool: list[dict]) -> tuple[list[str], str]:
    source = rng.choice([m for m in pool if m["experiences"]])
    exp = rng.choice(source["experiences"])
    broad = 0.6 if source["pool"] == "peer" else 0.9  # the peer pool has depth in its sub-areas
    area = exp["area"].split("/")[0] if rng.random() < broad else exp["area"]
    areas = [area]
    if rng.random() < 0.2:
        other = rng.choice(rng.choice(pool)["experiences"] or [exp])["area"]
        if not other.startswith(area) and not area.startswith(other):
            areas.append(other)
    u = rng.random()
    experience = "any" if u < 0.7 or len(areas) > 1 else exp["type"]
    return areas, experience


def make_request(rng: random.Random, pool: list[dict], i: int, first: date, days: int) -> dict:
    """Return one request whose areas exist in ``pool``."""
    kind = pick(rng, TYPES)[0]
    digital = rng.random() < 0.4
    day = first + timedelta(days=rng.randrange(days))
    while day.weekday() >= 5:
        day += timedelta(days=1)
    areas, experience = _areas(rng, pool)
    request = {
        "id": f"r{i:05d}",
        "organisation": pick(rng, ORGANISATIONS)[0],
        "type": kind,
        "areas": areas,
        "experience": experience,
        "count": rng.choices([1, 2, 3, 4], weights=[12, 65, 15, 8])[0],
        "sessions": _sessions(rng, kind, day, digital),
        "format": "digital" if digital else "onsite",
    }
    if rng.random() < 0.05:
        request["language"] = "en"
    if rng.random() < 0.08:
        request["age_range"] = rng.choice([[18, 40], [18, 50], [60, 95]])
    if rng.random() < 0.05:
        request["target"] = {"gender": {"woman": 0.5, "man": 0.5}}
    return request


def make_stream(
    pool: list[dict], n: int, seed: int = 3, first: date = date(2026, 1, 12), days: int = 3 * 365
) -> list[dict]:
    """Return ``n`` requests spread over ``days`` from ``first``."""
    rng = random.Random(seed)
    return [make_request(rng, pool, i, first, days) for i in range(n)]


def main() -> None:
    """Write the example files."""
    root = Path(__file__).resolve().parent.parent / "examples"
    pool = make_pool(100)
    files = {
        "pool.json": pool,
        "history.json": make_history(pool),
        "stream.json": make_stream(pool, 1000),
        "request.json": {
            "id": "r-demo-1",
            "organisation": "Region Jönköpings län",
            "type": "education",
            "areas": ["psychiatry/psychosis", "psychiatry/addiction"],
            "experience": "any",
            "count": 2,
            "sessions": [{"start": "2026-03-10T10:00", "end": "2026-03-10T12:00"}],
            "format": "onsite",
            "language": "sv",
        },
    }
    for name, data in files.items():
        text = json.dumps(data, ensure_ascii=False, indent=1)
        (root / name).write_text(text + "\n", encoding="utf-8")
        print(f"wrote examples/{name}")


# The day a generated pool's summed opportunities are dated (before its streams' requests).
POOL_DAY = date(2026, 1, 1)


def with_opportunities(pool: list[dict], day: date = POOL_DAY, seed: int = 5) -> list[dict]:
    """Return ``pool`` with one summed opportunity per member dated ``day``, as the app passes.

    The app hands the engine each member's fair shares of the last two years' requests as one
    sum (``app.services.matchmaking.opportunities``); a generated pool gets a random one, so the
    timing benchmarks read an array of the app's size.
    """
    rng = random.Random(seed)
    return [
        {**m, "opportunities": [{"date": day.isoformat(), "share": round(rng.uniform(0, 3), 3)}]}
        for m in pool
    ]


if __name__ == "__main__":
    main()
