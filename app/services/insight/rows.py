"""The rows behind the insight pictures, read with a few column queries (no ORM objects).

Each loader returns plain tuples so that a 10 000-member pool stays well under a second.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cached_property
from typing import NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_
from sqlmodel import Session, select

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
    RequestArea,
    RequestEvent,
    RequestSession,
)
from app.models.enums import ClaimStatus, MemberStatus, RequestStatus
from app.services.booking.work_units import session_months
from app.services.requests.states import WORK_ASSIGNMENTS
from matching.taxonomy import matches

#: Claims that count as cost and as paid hours.
COUNTED_CLAIMS = (ClaimStatus.ATTESTED, ClaimStatus.PAID)


@dataclass(frozen=True)
class InsightFilters:
    """What the council narrowed the pictures to; None means all."""

    start: date
    end: date
    pool: str | None = None
    area_id: int | None = None
    orderer_kind: str | None = None


class MemberRow(NamedTuple):
    id: int
    birth_year: int
    gender: str
    municipality: str
    pool: str
    mandate: str
    max_per_month: int


class RequestRow(NamedTuple):
    id: int
    organisation: str
    kind: str
    assignment_type: str
    experience: str
    people_count: int
    status: str
    created_at: datetime
    decided_at: datetime | None
    participation: str


class ClaimRow(NamedTuple):
    member_id: int
    request_id: int
    fee: int
    travel: int
    minutes: int
    last_day: date | None


class FeedbackRow(NamedTuple):
    request_id: int
    assignment_id: int | None
    respondent: str
    answers: dict
    led_to: str
    submitted_at: datetime


class Span(NamedTuple):
    """When a request's sessions happen: their starts, the last end, local months, first year."""

    starts: tuple[datetime, ...]
    last_end: datetime
    months: frozenset[str]
    year: int


def _rows(session: Session, query) -> list:
    """Run a column query on the session's connection (plain rows, no ORM bookkeeping)."""
    return session.connection().execute(query).fetchall()


def utc_bounds(filters: InsightFilters, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """Return the period as [start, end) instants: local midnight to the midnight after end."""
    start = datetime.combine(filters.start, time(0), tzinfo=zone)
    end = datetime.combine(filters.end + timedelta(days=1), time(0), tzinfo=zone)
    return start, end


def area_codes(session: Session, area_id: int | None) -> str | None:
    """Return the code of the filtered area (None when not filtered or unknown)."""
    if area_id is None:
        return None
    return session.exec(select(Area.code).where(Area.id == area_id)).first()


def _area_ids_under(code: str):
    return select(Area.id).where(or_(Area.code == code, Area.code.startswith(code + "/")))


def load_all_members(session: Session) -> tuple[dict[int, MemberRow], set[int]]:
    """Return every member's row (also of those who left: past work still counts) and the ids
    of today's pool (not left, not anonymised)."""
    query = select(
        Member.id,
        Member.birth_year,
        Member.gender,
        Member.municipality,
        Member.pool,
        Member.mandate,
        Member.max_per_month,
        Member.status,
        Member.anonymised_at,
    )
    rows, current = {}, set()
    for *fields, status, anonymised_at in _rows(session, query):
        rows[fields[0]] = MemberRow(*fields)
        if status != MemberStatus.LEFT and anonymised_at is None:
            current.add(fields[0])
    return rows, current


def load_experiences(session: Session) -> dict[int, list[tuple[str, str]]]:
    """Return every member's experiences as (area code, own/relative)."""
    codes = dict(_rows(session, select(Area.id, Area.code)))
    out: dict[int, list[tuple[str, str]]] = defaultdict(list)
    query = select(Experience.member_id, Experience.area_id, Experience.type)
    for member_id, area_id, kind in _rows(session, query):
        out[member_id].append((codes[area_id], kind))
    return out


def load_requests(
    session: Session, filters: InsightFilters, code: str | None
) -> dict[int, RequestRow]:
    """Return submitted requests (any state but draft), narrowed by orderer kind and area."""
    query = (
        select(
            BookingRequest.id,
            Organisation.name,
            Organisation.kind,
            BookingRequest.assignment_type,
            BookingRequest.experience,
            BookingRequest.people_count,
            BookingRequest.status,
            BookingRequest.created_at,
            BookingRequest.decided_at,
            BookingRequest.participation,
        )
        .join(Organisation, Organisation.id == BookingRequest.organisation_id)
        .where(BookingRequest.status != RequestStatus.DRAFT)
    )
    if filters.orderer_kind:
        query = query.where(Organisation.kind == filters.orderer_kind)
    if code:
        asking = select(RequestArea.request_id).where(
            RequestArea.area_id.in_(_area_ids_under(code))
        )
        query = query.where(BookingRequest.id.in_(asking))
    return {row[0]: RequestRow(*row) for row in _rows(session, query)}


def load_request_areas(session: Session) -> dict[int, list[str]]:
    """Return each request's area codes."""
    out: dict[int, list[str]] = defaultdict(list)
    query = select(RequestArea.request_id, Area.code).join(Area, Area.id == RequestArea.area_id)
    for request_id, area in _rows(session, query):
        out[request_id].append(area)
    return out


def load_spans(session: Session, zone: ZoneInfo) -> dict[int, Span]:
    """Return when each request's sessions happen."""
    items: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    query = select(RequestSession.request_id, RequestSession.starts_at, RequestSession.ends_at)
    for request_id, start, end in _rows(session, query):
        items[request_id].append((start, end))
    spans = {}
    for request_id, pairs in items.items():
        pairs.sort()
        starts = tuple(start for start, _ in pairs)
        spans[request_id] = Span(
            starts,
            max(end for _, end in pairs),
            session_months(starts, zone),
            starts[0].astimezone(zone).year,
        )
    return spans


def load_work(session: Session) -> list[tuple[int, int, int, str]]:
    """Return work (one row per assignment) as (assignment id, request id, member id, outcome)."""
    query = select(Assignment.id, Assignment.request_id, Assignment.member_id, Assignment.outcome)
    return _rows(session, query.where(Assignment.status.in_(WORK_ASSIGNMENTS)))


def load_invitations(
    session: Session, start: datetime, end: datetime
) -> list[tuple[int, str, datetime]]:
    """Return booking invitations sent in [start, end) as (request id, status, sent at)."""
    query = select(Invitation.request_id, Invitation.status, Invitation.sent_at).where(
        Invitation.is_interest_check.is_(False),
        Invitation.sent_at >= start,
        Invitation.sent_at < end,
    )
    return _rows(session, query)


def load_approved(session: Session) -> set[int]:
    """Return requests the council approved a group for (at some point)."""
    query = select(RequestEvent.request_id).where(RequestEvent.action == "approved")
    return {row[0] for row in _rows(session, query)}


def load_booked_at(session: Session) -> dict[int, datetime]:
    """Return when each request first became fully booked."""
    query = (
        select(RequestEvent.request_id, func.min(RequestEvent.at))
        .where(RequestEvent.action == "booked")
        .group_by(RequestEvent.request_id)
    )
    return dict(_rows(session, query))


def load_claims(session: Session) -> list[ClaimRow]:
    """Return attested and paid claims with their paid minutes (incl. travel) and last day."""
    lines = (
        select(
            ClaimLine.claim_id,
            func.sum(ClaimLine.minutes + ClaimLine.travel_minutes).label("minutes"),
            func.max(ClaimLine.activity_on).label("last_day"),
        )
        .group_by(ClaimLine.claim_id)
        .subquery()
    )
    query = (
        select(
            CompensationClaim.member_id,
            Assignment.request_id,
            CompensationClaim.fee_sek,
            CompensationClaim.travel_sek,
            lines.c.minutes,
            lines.c.last_day,
        )
        .join(Assignment, Assignment.id == CompensationClaim.assignment_id)
        .join(lines, lines.c.claim_id == CompensationClaim.id, isouter=True)
        .where(CompensationClaim.status.in_([str(s) for s in COUNTED_CLAIMS]))
    )
    return [
        ClaimRow(member, request, fee or 0, travel or 0, int(minutes or 0), day)
        for member, request, fee, travel, minutes, day in _rows(session, query)
    ]


def load_feedback(session: Session, start: datetime, end: datetime) -> list[FeedbackRow]:
    """Return survey answers submitted in [start, end)."""
    query = select(
        Feedback.request_id,
        Feedback.assignment_id,
        Feedback.respondent,
        Feedback.answers,
        Feedback.led_to,
        Feedback.submitted_at,
    ).where(Feedback.submitted_at >= start, Feedback.submitted_at < end)
    return [FeedbackRow(*row) for row in _rows(session, query)]


def load_reported_requests(session: Session) -> set[int]:
    """Return requests whose orderer said in a survey what the contribution led to."""
    query = select(Feedback.request_id).where(
        Feedback.respondent == "orderer", func.length(func.trim(Feedback.led_to)) > 0
    )
    return {row[0] for row in _rows(session, query)}


class InsightData:
    """The rows one page (or one CSV) needs, each loaded once and only when first asked for."""

    def __init__(self, session: Session, filters: InsightFilters, zone: ZoneInfo, today: date):
        self.session, self.filters, self.zone, self.today = session, filters, zone, today
        self.code = area_codes(session, filters.area_id)
        self.start, self.end = utc_bounds(filters, zone)
        #: The end of today: work after it has not happened yet.
        self.today_end = datetime.combine(today + timedelta(days=1), time(0), tzinfo=zone)

    def cached(self, name: str, compute):
        """Return ``compute(self)``, computed once per name (shared by several pictures)."""
        memo = self.__dict__.setdefault("_memo", {})
        if name not in memo:
            memo[name] = compute(self)
        return memo[name]

    def local_day(self, moment: datetime) -> date:
        """Return the local calendar day of an instant."""
        return moment.astimezone(self.zone).date()

    def month_of(self, moment: datetime) -> str:
        """Return the local month of an instant as "YYYY-MM"."""
        local = moment.astimezone(self.zone)
        return f"{local.year:04d}-{local.month:02d}"

    def in_period(self, moment: datetime | None) -> bool:
        """Return whether an instant falls in the filtered period."""
        return moment is not None and self.start <= moment < self.end

    @cached_property
    def _everyone(self) -> tuple[dict[int, MemberRow], set[int]]:
        return load_all_members(self.session)

    @cached_property
    def all_members(self) -> dict[int, MemberRow]:
        return self._everyone[0]

    @cached_property
    def members(self) -> list[MemberRow]:
        """Today's pool, narrowed by the pool filter and (by experience) the area filter."""
        current, pool, code = self._everyone[1], self.filters.pool, self.code
        return [
            member
            for member_id, member in self.all_members.items()
            if member_id in current
            and (not pool or member.pool == pool)
            and (
                not code
                or any(matches(code, area) for area, _ in self.experiences.get(member_id, ()))
            )
        ]

    @cached_property
    def member_ids(self) -> set[int]:
        return {member.id for member in self.members}

    @cached_property
    def experiences(self) -> dict[int, list[tuple[str, str]]]:
        return load_experiences(self.session)

    @cached_property
    def requests(self) -> dict[int, RequestRow]:
        return load_requests(self.session, self.filters, self.code)

    @cached_property
    def request_areas(self) -> dict[int, list[str]]:
        return load_request_areas(self.session)

    @cached_property
    def spans(self) -> dict[int, Span]:
        return load_spans(self.session, self.zone)

    @cached_property
    def work(self) -> list[tuple[int, int, int, str]]:
        return load_work(self.session)

    @cached_property
    def work_in_period(self) -> list[tuple[int, int, int, str]]:
        """Work on requests in scope whose first session falls in the period."""
        return [
            row
            for row in self.work
            if row[1] in self.requests and self.in_period(self.first_start(row[1]))
        ]

    def first_start(self, request_id: int) -> datetime | None:
        """Return when the request's first session starts."""
        span = self.spans.get(request_id)
        return span.starts[0] if span else None

    def member_in_pool_filter(self, member_id: int) -> bool:
        """Return whether a member passes the pool filter (area is a request filter here)."""
        if not self.filters.pool:
            return True
        member = self.all_members.get(member_id)
        return member is not None and (not self.filters.pool or member.pool == self.filters.pool)
