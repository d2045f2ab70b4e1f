"""Fill a database for the load benchmark: the demo data, then a pool of 10 000 members with
experiences and weekly windows, and 50 000 historical assignments on past requests.

Seeded, so every run measures the same data. Rows are made as model objects (so every default
applies) and flushed in chunks.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, time, timedelta

from sqlmodel import Session, select

from app.models import (
    Area,
    Assignment,
    BookingRequest,
    Experience,
    Member,
    Organisation,
    RequestArea,
    RequestSession,
    User,
    WeeklyWindow,
)
from app.models.enums import Role
from app.services.demo.data import DEMO_LOGINS, load_demo_data

FIRST = ["Anna", "Erik", "Maria", "Lars", "Karin", "Johan", "Eva", "Anders", "Sara", "Ali"]
LAST = ["Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson"]
TOWNS = ["Jönköping", "Värnamo", "Nässjö", "Eksjö", "Tranås", "Vetlanda", "Gislaved"]
CHUNK = 2_000


def _flush(session: Session, rows: list) -> None:
    for start in range(0, len(rows), CHUNK):
        session.add_all(rows[start : start + CHUNK])
        session.flush()


def fill(session: Session, *, members: int = 10_000, assignments: int = 50_000) -> dict:
    """Load demo data and grow it to ``members`` members and ``assignments`` past assignments."""
    rng = random.Random(9)
    load_demo_data(session=session)
    session.commit()
    leaves = [a for a in session.exec(select(Area)) if a.parent_id is not None] or list(
        session.exec(select(Area))
    )
    existing = len(session.exec(select(Member.id)).all())
    new_members = [
        Member(
            first_name=rng.choice(FIRST),
            last_name=f"{rng.choice(LAST)}-{index}",
            birth_year=rng.randint(1936, 2006),
            gender=rng.choice(["woman", "woman", "man", "nonbinary"]),
            pool=rng.choice(["levande_bibliotek", "peer"]),
            municipality=rng.choice(TOWNS),
            consent_given_at=datetime(2025, 1, 1, tzinfo=UTC),
            consent_text_version="2026-01",
        )
        for index in range(max(0, members - existing))
    ]
    _flush(session, new_members)
    details = []
    for member in new_members:
        for area in rng.sample(leaves, k=min(len(leaves), rng.randint(1, 3))):
            details.append(
                Experience(
                    member_id=member.id, area_id=area.id, type=rng.choice(["own", "relative"])
                )
            )
        for weekday in rng.sample(range(7), k=rng.randint(1, 3)):
            start = rng.randint(8, 14)
            details.append(
                WeeklyWindow(
                    member_id=member.id,
                    weekday=weekday,
                    start_time=time(start),
                    end_time=time(start + 4),
                )
            )
    _flush(session, details)
    session.commit()
    _history(session, rng, leaves, assignments)
    session.commit()
    return {
        "members": len(session.exec(select(Member.id)).all()),
        "assignments": len(session.exec(select(Assignment.id)).all()),
    }


def _history(session: Session, rng: random.Random, leaves: list[Area], total: int) -> None:
    """Past requests with ten people each, so ``total`` assignments lie in the last two years."""
    orderer = session.exec(select(User).where(User.email == DEMO_LOGINS[Role.ORDERER])).one()
    organisations = [o.id for o in session.exec(select(Organisation))]
    member_ids = list(session.exec(select(Member.id)))
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    per_request = 10
    requests = [
        BookingRequest(
            organisation_id=rng.choice(organisations),
            orderer_id=orderer.id,
            title=f"Past request {index}",
            purpose="History for the load benchmark.",
            expectations="Share experience.",
            participation="dialogue",
            assignment_type=rng.choice(["education", "lecture", "development", "review"]),
            format=rng.choice(["onsite", "digital"]),
            people_count=per_request,
            status="completed",
            created_at=now - timedelta(days=800),
        )
        for index in range(total // per_request)
    ]
    _flush(session, requests)
    rows = []
    for booking_request in requests:
        start = now - timedelta(days=rng.randint(2, 730), hours=rng.randint(0, 8))
        rows.append(RequestArea(request_id=booking_request.id, area_id=rng.choice(leaves).id))
        rows.append(
            RequestSession(
                request_id=booking_request.id,
                starts_at=start,
                ends_at=start + timedelta(hours=2),
                ical_uid=f"bench-{booking_request.id}@levande-bibliotek",
            )
        )
        for member_id in rng.sample(member_ids, k=per_request):
            rows.append(
                Assignment(
                    request_id=booking_request.id,
                    member_id=member_id,
                    status=rng.choice(["completed"] * 9 + ["no_show"]),
                )
            )
    _flush(session, rows)


def accounts(session: Session, *, per_role: int, password: str) -> dict[str, list[dict]]:
    """Give each simulated person an own account and API token (shared accounts would contend
    for one row, which real people do not): council users, orderers of the demo orderer's
    organisation, and members linked to pool members."""
    from app.services.accounts.api_tokens import create_api_token
    from app.services.accounts.users import create_user

    orderer = session.exec(select(User).where(User.email == DEMO_LOGINS[Role.ORDERER])).one()
    free = session.exec(select(Member).where(Member.user_id.is_(None)).order_by(Member.id))
    members = iter(free.all())
    made: dict[str, list[dict]] = {}
    for role in (Role.COUNCIL, Role.ORDERER, Role.MEMBER):
        for index in range(per_role):
            user = create_user(
                session=session,
                email=f"bench-{role}-{index}@example.org",
                password=password,
                role=role,
                organisation_id=orderer.organisation_id if role == Role.ORDERER else None,
            )
            if role == Role.MEMBER:
                member = next(members)
                member.user_id = user.id
                session.add(member)
            token = create_api_token(session=session, user=user, name="bench", actor_id=None)
            made.setdefault(str(role), []).append({"email": user.email, "token": token.secret})
    session.commit()
    return made
