"""A realistic, seeded demo pool shaped like docs/domain.md §2 (idempotent: loads once)."""

from __future__ import annotations

import random
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import Session, select

from app import clock
from app.models import (
    Area,
    BookingRequest,
    Experience,
    Member,
    Organisation,
    RequestArea,
    RequestEvent,
    RequestSession,
    User,
    WeeklyWindow,
)
from app.models.enums import Gender, Mandate, MemberStatus, Pool, RequestStatus, Role
from app.services.accounts.users import create_user
from app.services.demo import catalogue
from app.services.demo.history import add_demo_history, request_from_template
from app.services.demo.recruitment import add_demo_recruitment
from app.services.privacy.consent import CONSENT_TEXT_VERSION

DEMO_PASSWORD = "levande-demo-2026"
DEMO_LOGINS = {
    Role.ADMIN: "admin@demo.test",
    Role.COUNCIL: "council@demo.test",
    Role.ORDERER: "orderer@demo.test",
    Role.MEMBER: "member@demo.test",
}


@dataclass
class DemoSummary:
    created: bool
    counts: dict[str, int] = field(default_factory=dict)
    logins: dict[str, str] = field(
        default_factory=lambda: {str(k): v for k, v in DEMO_LOGINS.items()}
    )

    def describe(self) -> str:
        """Return one line saying what was loaded."""
        if not self.created:
            return "Demo data is already loaded; nothing was added."
        return "Loaded demo data: " + ", ".join(f"{n} {what}" for what, n in self.counts.items())


def load_demo_data(*, session: Session, seed: int = 2026, today: date | None = None) -> DemoSummary:
    """Load taxonomy, organisations, ~125 members, requests and the demo logins, once."""
    if session.exec(select(User).where(User.email == DEMO_LOGINS[Role.ADMIN])).first():
        return DemoSummary(created=False)
    rng = random.Random(seed)
    today = today or clock.today()
    areas = _ensure_areas(session)
    organisations = _ensure_organisations(session)
    users = _create_logins(session, organisations)
    members = _create_members(session, rng, areas, organisations, today)
    _link_member_login(session, members, users[Role.MEMBER])
    requests = _create_requests(session, rng, areas, organisations, users[Role.ORDERER], today)
    session.flush()
    past = add_demo_history(  # two years of finished work, so the insight pictures show something
        session=session,
        rng=random.Random(seed + 1),
        organisations=organisations,
        orderer=users[Role.ORDERER],
        council=users[Role.COUNCIL],
        today=today,
    )
    recruitment = add_demo_recruitment(  # the pipeline, targets, a nomination, training events
        session=session,
        areas=areas,
        organisation=organisations[-1],
        members=members,
        council=users[Role.COUNCIL],
        today=today,
    )
    return DemoSummary(
        created=True,
        counts={
            "areas": len(areas),
            "organisations": len(organisations),
            "members": len(members),
            "requests": len(requests),
            "past requests": past,
            "users": len(users),
            **recruitment,
        },
    )


def _ensure_areas(session: Session) -> dict[str, Area]:
    existing = {area.code: area for area in session.exec(select(Area))}
    for code, name_sv, name_en in catalogue.AREAS:
        if code not in existing:
            parent = existing.get(code.rsplit("/", 1)[0]) if "/" in code else None
            area = Area(
                code=code, name_sv=name_sv, name_en=name_en, parent_id=parent.id if parent else None
            )
            session.add(area)
            session.flush()
            existing[code] = area
    return existing


def _ensure_organisations(session: Session) -> list[Organisation]:
    existing = {org.name: org for org in session.exec(select(Organisation))}
    result = []
    for name, kind in catalogue.ORGANISATIONS:
        organisation = existing.get(name) or Organisation(name=name, kind=kind)
        session.add(organisation)
        result.append(organisation)
    region = existing.get(catalogue.REGION_PAYER)
    if region is None:
        region = Organisation(name=catalogue.REGION_PAYER, kind="region")
        session.add(region)
    session.flush()
    for organisation in result:
        if organisation.kind in catalogue.PAID_BY_REGION and organisation.payer_id is None:
            organisation.payer_id = region.id
    session.flush()
    return result


def _create_logins(session: Session, organisations: list[Organisation]) -> dict[Role, User]:
    names = {
        Role.ADMIN: "Adam Administratör",
        Role.COUNCIL: "Cecilia Rådsson",
        Role.ORDERER: "Olle Beställare",
        Role.MEMBER: "Maria Medlem",
    }
    return {
        role: create_user(
            session=session,
            email=email,
            password=DEMO_PASSWORD,
            role=role,
            full_name=names[role],
            organisation_id=organisations[0].id if role == Role.ORDERER else None,
        )
        for role, email in DEMO_LOGINS.items()
    }


def _pick_gender(rng: random.Random, share_men: float) -> Gender:
    draw = rng.random()
    if draw < share_men:
        return Gender.MAN
    if draw < share_men + 0.03:
        return Gender.NONBINARY
    return Gender.WOMAN


def _first_name(rng: random.Random, gender: Gender) -> str:
    names = {Gender.MAN: catalogue.MEN, Gender.WOMAN: catalogue.WOMEN}.get(
        gender, catalogue.NONBINARY
    )
    return rng.choice(names)


def _create_members(
    session: Session,
    rng: random.Random,
    areas: dict[str, Area],
    orgs: list[Organisation],
    today: date,
) -> list[Member]:
    members = []
    pools = [(Pool.LEVANDE_BIBLIOTEK, 75, 18, 90, 0.36), (Pool.PEER, 50, 20, 65, 0.3)]
    for pool, count, youngest, oldest, share_men in pools:
        # The scenario people sit where the even age spread already puts their age.
        findable = {
            round((profile[2] - youngest) * count / (oldest - youngest)): profile
            for profile in catalogue.SCENARIO_PEOPLE
            if pool == Pool.LEVANDE_BIBLIOTEK
        }
        for index in range(count):
            member = _create_member(
                session,
                rng,
                areas,
                orgs,
                today,
                pool,
                index,
                count,
                (youngest, oldest),
                share_men,
            )
            if index in findable:
                _make_findable(session, areas, member, findable[index])
            members.append(member)
    return members


def _make_findable(session, areas, member: Member, profile: tuple) -> None:
    """Give a member a profile the ordinary scenarios look for (one experience, weekdays 9–17).

    Random draws alone leave "two people with own diabetes experience, 30–60" empty now and
    then; these few people make sure the demo's everyday requests find someone.
    """
    code, kind, _age = profile
    member.status = MemberStatus.ACTIVE
    member.paused_until = None
    member.consent_given_at = member.consent_given_at or datetime.combine(
        member.joined_on, time(10), tzinfo=UTC
    )
    member.training_completed_on = member.joined_on + timedelta(days=14)
    member.has_signed_agreement = True
    member.is_onsite_ok = member.is_digital_ok = True
    member.assignment_types = []
    member.employer = ""
    member.max_per_month = max(member.max_per_month, 3)
    session.add(member)
    for existing in session.exec(select(Experience).where(Experience.member_id == member.id)):
        session.delete(existing)
    for window in session.exec(select(WeeklyWindow).where(WeeklyWindow.member_id == member.id)):
        session.delete(window)
    session.flush()
    session.add(Experience(member_id=member.id, area_id=areas[code].id, type=kind))
    for weekday in range(5):
        session.add(
            WeeklyWindow(
                member_id=member.id, weekday=weekday, start_time=time(9), end_time=time(17)
            )
        )


def _create_member(session, rng, areas, orgs, today, pool, index, count, ages, share_men) -> Member:
    youngest, oldest = ages
    # Spread ages evenly over the band with jitter, so every band is represented.
    age = round(youngest + (oldest - youngest) * (index + rng.random()) / count)
    gender = _pick_gender(rng, share_men)
    first = _first_name(rng, gender)
    last = rng.choice(catalogue.SURNAMES)
    municipality = rng.choices(
        list(catalogue.MUNICIPALITIES), weights=catalogue.MUNICIPALITIES.values()
    )[0]
    has_mandate = rng.random() < 0.2
    status = rng.choices(
        [MemberStatus.ACTIVE, MemberStatus.PAUSED, MemberStatus.LEFT], [0.88, 0.09, 0.03]
    )[0]
    joined = today - timedelta(days=rng.randint(30, 6 * 365))
    languages = ["sv"] + rng.sample(
        ["en", "ar", "fi", "bs", "so", "fa"], k=rng.choice([0, 0, 1, 1, 2])
    )
    member = Member(
        first_name=first,
        last_name=last,
        email=f"{first}.{last}.{pool.value[:3]}{index}@exempel.se".lower(),
        phone=f"07{rng.randint(0, 9)}-{rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
        birth_year=today.year - age,
        gender=gender,
        municipality=municipality,
        languages=languages,
        pool=pool,
        mandate=Mandate.ORGANISATION if has_mandate else Mandate.SELF,
        mandate_organisation_id=orgs[-1].id if has_mandate else None,
        employer=orgs[0].name if rng.random() < 0.04 else "",
        assignment_types=[] if rng.random() < 0.6 else rng.sample(catalogue.ASSIGNMENT_TYPES, k=4),
        is_onsite_ok=rng.random() < 0.85,
        is_digital_ok=rng.random() < 0.9,
        max_per_month=rng.choice([1, 2, 2, 3, 4]),
        status=status,
        paused_until=today + timedelta(days=rng.randint(10, 90))
        if status == MemberStatus.PAUSED
        else None,
        training_completed_on=joined + timedelta(days=rng.randint(7, 60))
        if rng.random() < 0.8
        else None,
        has_signed_agreement=rng.random() < 0.85,
        consent_given_at=datetime.combine(joined, time(10), tzinfo=UTC)
        if rng.random() < 0.95
        else None,
        consent_text_version=CONSENT_TEXT_VERSION,
        calendar_token=secrets.token_urlsafe(24),
        joined_on=joined,
    )
    if not member.is_onsite_ok:
        member.is_digital_ok = True
    session.add(member)
    session.flush()
    _add_experiences(session, rng, areas, member, pool)
    _add_windows(session, rng, member)
    return member


def _add_experiences(session, rng, areas, member, pool) -> None:
    codes = list(areas)
    if pool == Pool.PEER:
        choices = [code for code in codes if code.startswith("psychiatry/")]
        picked = rng.sample(choices, k=rng.choice([1, 1, 2]))
        kinds = ["own"] * len(picked)
    else:
        picked = rng.sample(codes, k=rng.choice([1, 2, 2, 3]))
        kinds = [rng.choices(["own", "relative"], [0.6, 0.4])[0] for _ in picked]
    for code, kind in zip(picked, kinds, strict=True):
        session.add(Experience(member_id=member.id, area_id=areas[code].id, type=kind))


def _add_windows(session, rng, member) -> None:
    for weekday in sorted(rng.sample(range(5), k=rng.randint(2, 4))):
        start = rng.choice([8, 8, 9, 12])
        end = min(start + rng.choice([5, 7, 8, 9]), 18)
        session.add(
            WeeklyWindow(
                member_id=member.id, weekday=weekday, start_time=time(start), end_time=time(end)
            )
        )
    if rng.random() < 0.2:
        session.add(
            WeeklyWindow(
                member_id=member.id,
                weekday=rng.choice([5, 6]),
                start_time=time(10),
                end_time=time(15),
            )
        )


def _link_member_login(session: Session, members: list[Member], user: User) -> None:
    member = next(
        m
        for m in members
        if m.status == MemberStatus.ACTIVE and m.consent_given_at and m.pool == Pool.PEER
    )
    member.user_id = user.id
    member.email = user.email
    # One name everywhere: the header shows the login's name, every other page the member's.
    user.full_name = f"{member.first_name} {member.last_name}"
    session.add_all([member, user])


# Spread of request states: most open, some booked/completed/declined/cancelled.
STATUS_CYCLE = [
    RequestStatus.SUBMITTED,
    RequestStatus.SUBMITTED,
    RequestStatus.QUESTION,
    RequestStatus.APPROVED,
    RequestStatus.BOOKED,
    RequestStatus.COMPLETED,
    RequestStatus.DECLINED,
    RequestStatus.CANCELLED,
]


def _create_requests(session, rng, areas, orgs, orderer: User, today: date) -> list[BookingRequest]:
    created = []
    for index, template in enumerate(catalogue.REQUEST_TEMPLATES):
        title, kind, participation, codes, experience, count, fmt, org_index = template
        status = STATUS_CYCLE[index % len(STATUS_CYCLE)]
        # Orderer's own organisation gets several requests so their list is not empty.
        organisation = orgs[0] if index % 4 == 0 else orgs[org_index]
        offset = -rng.randint(10, 120) if status == RequestStatus.COMPLETED else rng.randint(7, 120)
        day = _weekday_on_or_after(today + timedelta(days=offset))
        booking_request = request_from_template(
            template,
            organisation_id=organisation.id,
            orderer=orderer,
            preparation_minutes=rng.choice([0, 30, 60, 120]),
            status=status,
            status_message="Kan ni beskriva målgruppen närmare?"
            if status == RequestStatus.QUESTION
            else "",
            created_at=datetime.combine(
                today - timedelta(days=rng.randint(1, 30)), time(9), tzinfo=UTC
            ),
        )
        session.add(booking_request)
        session.flush()
        for code in codes:
            session.add(RequestArea(request_id=booking_request.id, area_id=areas[code].id))
        for number in range(3 if kind == "working_group" else 1):
            start = datetime.combine(
                day + timedelta(weeks=4 * number),
                time(rng.choice([9, 10, 13])),
                tzinfo=clock.zone(),
            )
            session.add(
                RequestSession(
                    request_id=booking_request.id,
                    starts_at=start,
                    ends_at=start + timedelta(hours=rng.choice([1, 2, 2, 3])),
                    ical_uid=f"{uuid.UUID(int=rng.getrandbits(128))}@levande-bibliotek",
                )
            )
        session.add(
            RequestEvent(request_id=booking_request.id, actor_id=orderer.id, action="submitted")
        )
        created.append(booking_request)
    return created


def _weekday_on_or_after(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day
