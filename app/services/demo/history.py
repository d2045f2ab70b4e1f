"""Two years of demo history, so every insight picture has something to show.

Past requests from many kinds of orderer go through the real steps: submitted, decided by the
council, invitations accepted, declined or left unanswered (reserves invited), assignments
done, claims priced by the real fee engine and attested, survey answers from members and
orderers. Also the county's population by age and sex per municipality (approximate figures
in the shape of Statistics Sweden's tables, for the demo only).
"""

from __future__ import annotations

import random
import secrets
import uuid
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import Session, select

from app import clock
from app.models import (
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
    User,
)
from app.models.enums import (
    AssignmentStatus,
    ClaimStatus,
    InvitationStatus,
    MemberStatus,
    RequestStatus,
)
from app.services.compensation import fees
from app.services.compensation.fee_tables import load_tables
from app.services.demo import catalogue

#: Jönköpings län aged 18+, by age band: (women, men) — rounded, in the shape of SCB's tables.
COUNTY_BY_BAND = {
    "18-34": (39_000, 42_500),
    "35-49": (33_500, 35_500),
    "50-64": (34_000, 35_000),
    "65-79": (30_500, 30_000),
    "80+": (13_000, 9_500),
}
OUTCOMES = [
    "Patientinformationen skrevs om efter era synpunkter.",
    "Rutinen för uppföljning ändrades.",
    "Kursens upplägg fick ett nytt pass om närståendes perspektiv.",
    "Arbetsgruppen tog med era förslag i handlingsplanen.",
]
REQUESTS_PER_MONTH = (3, 6)
HISTORY_MONTHS = 24


def add_demo_history(
    *,
    session: Session,
    rng: random.Random,
    organisations: list[Organisation],
    orderer: User,
    council: User,
    today: date,
) -> int:
    """Add 24 months of finished requests and the population figures; return the requests."""
    _add_population(session)
    areas = {area.code: area for area in session.exec(select(Area))}
    pool = _available_members(session)
    weight = {member.id: rng.choice([0.3, 1, 1, 1, 2, 3, 5]) for member, _ in pool}
    made = 0
    for months_back in range(HISTORY_MONTHS, 0, -1):
        for _ in range(rng.randint(*REQUESTS_PER_MONTH)):
            first = today - timedelta(days=30 * months_back - rng.randint(0, 27))
            if first >= today:
                continue
            _past_request(session, rng, areas, organisations, orderer, council, pool, weight, first)
            made += 1
    session.flush()
    _add_claims(session, rng, council, today)
    return made


def request_from_template(template: tuple, *, organisation_id: int, orderer: User, **fields):
    """Return a demo request built from one of demo_catalogue.REQUEST_TEMPLATES."""
    title, kind, participation, _codes, experience, count, fmt, _ = template
    return BookingRequest(
        organisation_id=organisation_id,
        orderer_id=orderer.id,
        title=title,
        purpose=f"Vi vill ta tillvara erfarenheter från patienter och närstående: {title.lower()}.",
        expectations="Berätta om dina erfarenheter och tänk igenom vad som hjälpte och vad som saknades.",
        participation=participation,
        assignment_type=kind,
        experience=experience,
        people_count=count,
        format=fmt,
        location="Länssjukhuset Ryhov, Jönköping" if fmt == "onsite" else "",
        video_link="https://video.example/mote" if fmt == "digital" else "",
        contact_name=orderer.full_name,
        contact_email=orderer.email,
        **fields,
    )


def _add_population(session: Session) -> None:
    places = catalogue.MUNICIPALITIES
    total = sum(places.values())
    for band, (women, men) in COUNTY_BY_BAND.items():
        for gender, county in (("woman", women), ("man", men)):
            for place, weight in places.items():
                session.add(
                    PopulationFigure(
                        age_band=band,
                        gender=gender,
                        municipality=place,
                        people=round(county * weight / total),
                        source="Demo: avrundade siffror i SCB:s form",
                    )
                )


def _available_members(session: Session) -> list[tuple[Member, list[str]]]:
    codes: dict[int, list[str]] = defaultdict(list)
    for member_id, code in session.exec(
        select(Experience.member_id, Area.code).join(Area, Area.id == Experience.area_id)
    ):
        codes[member_id].append(code)
    members = session.exec(
        select(Member).where(
            Member.status == MemberStatus.ACTIVE, Member.consent_given_at.is_not(None)
        )
    )
    return [(member, codes[member.id]) for member in members]


def _past_request(session, rng, areas, organisations, orderer, council, pool, weight, first: date):
    template = rng.choice(catalogue.REQUEST_TEMPLATES)
    kind, codes = template[1], template[3]
    start = datetime.combine(first, time(rng.choice([9, 10, 13])), tzinfo=clock.zone())
    created = start - timedelta(days=rng.randint(18, 70), hours=rng.randint(0, 8))
    request = request_from_template(
        template,
        organisation_id=rng.choice(organisations).id,
        orderer=orderer,
        status=RequestStatus.COMPLETED,
        created_at=created,
    )
    session.add(request)
    session.flush()
    for code in codes:
        session.add(RequestArea(request_id=request.id, area_id=areas[code].id))
    for number in range(3 if kind == "working_group" else 1):
        begins = start + timedelta(weeks=3 * number)
        session.add(
            RequestSession(
                request_id=request.id,
                starts_at=begins,
                ends_at=begins + timedelta(hours=rng.choice([1.5, 2, 3, 4])),
                ical_uid=f"{uuid.UUID(int=rng.getrandbits(128))}@levande-bibliotek",
            )
        )
    _event(session, request, orderer.id, "submitted", created)
    decided = created + timedelta(days=rng.uniform(0.5, 9))
    request.decided_at, request.decided_by_id = decided, council.id
    if rng.random() < 0.1:
        request.status = rng.choice([RequestStatus.DECLINED, RequestStatus.CANCELLED])
        _event(session, request, council.id, str(request.status), decided)
        return
    _event(session, request, council.id, "approved", decided)
    _invite(session, rng, request, codes, pool, weight, decided, start)


def _invite(session, rng, request, codes, pool, weight, sent: datetime, start: datetime) -> None:
    fitting = [
        m for m, have in pool if any(h == c or h.startswith(c + "/") for c in codes for h in have)
    ]
    fitting = fitting or [m for m, _ in pool]
    order = sorted(fitting, key=lambda m: rng.random() ** (1 / weight[m.id]), reverse=True)
    booked, asked, last = 0, 0, sent
    while booked < request.people_count and asked < len(order) and asked < request.people_count + 4:
        member = order[asked]
        asked += 1
        answered = sent + timedelta(days=rng.uniform(0.3, 6))
        draw = rng.random()
        status = (
            InvitationStatus.ACCEPTED
            if draw < 0.7
            else InvitationStatus.DECLINED
            if draw < 0.9
            else InvitationStatus.EXPIRED
        )
        invitation = Invitation(
            request_id=request.id,
            member_id=member.id,
            status=status,
            token=secrets.token_urlsafe(24),
            sent_at=sent,
            reply_deadline_at=sent + timedelta(days=7),
            responded_at=answered if status != InvitationStatus.EXPIRED else None,
        )
        session.add(invitation)
        session.flush()
        action = {"accepted": "invitation_accepted", "declined": "invitation_declined"}.get(
            status, "invitation_expired"
        )
        _event(session, request, None, action, answered, member_id=member.id)
        if status == InvitationStatus.ACCEPTED:
            booked += 1
            last = max(last, answered)
            session.add(
                Assignment(
                    request_id=request.id,
                    member_id=member.id,
                    invitation_id=invitation.id,
                    status=AssignmentStatus.COMPLETED,
                    conflict_declared_at=answered,
                    created_at=answered,
                )
            )
        else:
            sent = answered  # the next reserve is invited when the answer (or silence) comes
    if booked >= request.people_count:
        _event(session, request, None, "booked", last, count=booked)
    _surveys(session, rng, request, start)


def _surveys(session, rng, request, start: datetime) -> None:
    session.flush()
    assignments = session.exec(select(Assignment).where(Assignment.request_id == request.id)).all()
    after = start + timedelta(days=rng.randint(1, 10))
    for assignment in assignments:
        if rng.random() < 0.65:
            answers = {
                "purpose_clear": rng.choice([3, 4, 4, 5, 5]),
                "material_in_time": rng.choice([2, 3, 4, 4, 5]),
                "felt_heard": rng.choice([3, 4, 5, 5]),
            }
            session.add(
                Feedback(
                    request_id=request.id,
                    assignment_id=assignment.id,
                    respondent="member",
                    answers=answers,
                    submitted_at=after,
                )
            )
    if assignments and rng.random() < 0.75:
        led_to = rng.choice(OUTCOMES) if rng.random() < 0.6 else ""
        session.add(
            Feedback(
                request_id=request.id,
                respondent="orderer",
                user_id=request.orderer_id,
                answers={"useful": rng.choice([3, 4, 4, 5, 5])},
                led_to=led_to,
                submitted_at=after + timedelta(days=2),
            )
        )
        for assignment in assignments:
            assignment.outcome = led_to
            session.add(assignment)


def _add_claims(session: Session, rng: random.Random, council: User, today: date) -> None:
    """Report and attest most finished assignments' claims, priced by the real fee engine."""
    tables = load_tables(session=session)
    rows = session.exec(
        select(Assignment.id, Assignment.member_id, Assignment.request_id)
        .where(Assignment.status == AssignmentStatus.COMPLETED)
        .order_by(Assignment.id)
    ).all()
    sessions: dict[int, list[RequestSession]] = defaultdict(list)
    for item in session.exec(select(RequestSession).order_by(RequestSession.starts_at)):
        sessions[item.request_id].append(item)
    attested = datetime.combine(today, time(8), tzinfo=UTC)
    for assignment_id, member_id, request_id in rows:
        if rng.random() > 0.85:
            continue
        try:
            lines = [_line(rng, item, tables) for item in sessions[request_id]]
        except fees.FeeError:  # no PBB for that year yet: leave the claim unreported
            continue
        last_day = max(line.activity_on for line in lines)
        car_km = rng.choice([0, 0, 12, 25, 40, 80])
        claim = CompensationClaim(
            assignment_id=assignment_id,
            member_id=member_id,
            status=ClaimStatus.ATTESTED,
            travel_minutes=sum(line.travel_minutes for line in lines),
            car_km=car_km,
            fee_sek=sum(line.fee_sek for line in lines),
            travel_sek=fees.car_cost(car_km, tables.mileage_rate_on(last_day)),
            submitted_at=attested,
            attested_at=attested,
            attested_by_id=council.id,
        )
        session.add(claim)
        session.flush()
        for line in lines:
            line.claim_id = claim.id
            session.add(line)


def _line(rng: random.Random, item: RequestSession, tables) -> ClaimLine:
    minutes = fees.minutes_between(item.starts_at, item.ends_at)
    travel = rng.choice([0, 0, 30, 45, 60, 90])
    day = clock.local(item.starts_at).date()
    fee = fees.activity_fee(on=day, minutes=minutes, travel_minutes=travel, pbb_table=tables.pbb)
    return ClaimLine(
        claim_id=0,
        request_session_id=item.id,
        activity_on=day,
        minutes=minutes,
        travel_minutes=travel,
        fee_class=fee.fee_class,
        fee_sek=fee.fee,
    )


def _event(session, request, actor_id, action: str, at: datetime, **detail) -> None:
    session.add(
        RequestEvent(request_id=request.id, actor_id=actor_id, action=action, at=at, detail=detail)
    )
