"""Turn database rows into the matching engine's input types (and nothing else).

The engine is pure; this is the only place that knows both the tables and ``matching.types``.
Loading is done in a fixed number of queries, whatever the pool size. Times go to the engine
in the configured zone (``app.clock.zone()``): the engine reads local days and hours in the zone
its datetimes carry, so members' weekly windows (kept in that zone) meet sessions on one clock.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection, Iterable

from sqlalchemy import Select
from sqlmodel import Session, select

import matching
from app import clock
from app.models import (
    Area,
    Assignment,
    AvailabilityException,
    BookingRequest,
    Experience,
    Invitation,
    Member,
    RequestSession,
    WeeklyWindow,
)
from app.models.base import utcnow
from app.models.enums import AvailabilityKind, InvitationStatus, MemberStatus
from app.models.pool_stamp import pool_state
from app.services.accounts.organisations import family_in
from app.services.booking.work_units import WorkUnit, work_units
from app.services.journey.coverage import covers
from app.services.matchmaking.kept_settings import MatchingSettings, matching_settings
from app.services.matchmaking.opportunities import opportunities_by_member
from app.services.matchmaking.quotas import request_quotas
from app.services.requests.states import LIVE_REQUEST_STATES, WORK_ASSIGNMENTS
from app.services.requests.submission import request_areas, request_sessions
from matching.taxonomy import normalise_area

#: Invitation answers fed to the acceptance model and the decline history.
ANSWER_BY_STATUS = {
    InvitationStatus.DECLINED: "declined",
    InvitationStatus.EXPIRED: "no_answer",
}
UNAVAILABLE_KINDS = (AvailabilityKind.BLOCKED, AvailabilityKind.VACATION, AvailabilityKind.SICK)


def request_for_matching(
    *,
    session: Session,
    booking_request: BookingRequest,
    sessions: list[RequestSession] | None = None,
    areas: list[Area] | None = None,
    settings: MatchingSettings | None = None,
) -> matching.Request:
    """Return the matching engine's view of a request.

    ``sessions`` and ``areas``: the request's sessions and areas when the caller has already
    loaded them (``request_sessions``/``request_areas``), so a page does not read them twice;
    ``settings``: the organisations, pool requirements and area names likewise
    (``kept_settings.matching_settings``).
    """
    if settings is None:
        settings = matching_settings(session=session, state=pool_state(session))
    organisation, above, below = family_in(settings.organisations, booking_request.organisation_id)
    if sessions is None:
        sessions = request_sessions(session=session, request_id=booking_request.id)
    if areas is None:
        areas = request_areas(session=session, request_id=booking_request.id)
    age_range = None
    if booking_request.age_min is not None or booking_request.age_max is not None:
        age_range = (booking_request.age_min or 0, booking_request.age_max or 150)
    return matching.Request(
        id=str(booking_request.id),
        organisation=organisation or "",
        organisation_ancestors=above,
        organisation_descendants=below,
        area_names=settings.area_names,
        type=booking_request.assignment_type,
        areas=tuple(area.code for area in areas),
        sessions=tuple(
            matching.Session(
                start=item.starts_at.astimezone(clock.zone()),
                end=item.ends_at.astimezone(clock.zone()),
            )
            for item in sessions
        ),
        experience=booking_request.experience,
        count=booking_request.people_count,
        format=booking_request.format,
        language=booking_request.language,
        age_range=age_range,
        quotas=request_quotas(booking_request),
        balance=booking_request.balance,
        introduction_required_in=settings.introduction_in,
        agreement_required_in=settings.agreement_in,
        # Invitations go out when the council approves, so now: the lead time the acceptance
        # model weighs is the real one, not the default (docs/matching.md). To the hour, so
        # two proposals of one request within the hour rank alike to the last digit.
        invited_at=clock.now().replace(minute=0, second=0, microsecond=0).astimezone(clock.zone()),
    )


def area_names(*, session: Session) -> dict[str, tuple[str, str]]:
    """Return area code -> (Swedish, English) name from the taxonomy, for explanations."""
    rows = session.exec(select(Area.code, Area.name_sv, Area.name_en))
    return {normalise_area(code): (name_sv, name_en) for code, name_sv, name_en in rows}


def declared_employers(text: str | None) -> tuple[str, ...]:
    """Return the employers a member declared: one per line or separated by semicolons."""
    return tuple(
        dict.fromkeys(part.strip() for part in re.split(r"[;\n]", text or "") if part.strip())
    )


def pool_for_matching(
    *,
    session: Session,
    exclude_request_id: int | None = None,
    member_ids: Collection[int] | None = None,
) -> list[matching.Member]:
    """Return every member who has not left (or only those of ``member_ids``), with their data."""
    query = select(Member).where(Member.status != MemberStatus.LEFT)
    if member_ids is not None:
        query = query.where(Member.id.in_(sorted({int(m) for m in member_ids})))
    members = list(session.exec(query.order_by(Member.id)))
    if not members:
        return []
    # The related rows are loaded for the same members by a subquery (not a list of ids: a
    # 100 000-member pool would pass SQLite's limit on bound parameters) and as plain columns,
    # since building ORM objects for ~100 000 rows would cost more than the queries.
    ids = select(query.with_only_columns(Member.id).subquery().c.id)
    experiences = _experiences_by_member(session, ids)
    weekly, blocked = _availability_by_member(session, ids)
    history, bookings = _work_by_member(session, ids, exclude_request_id)
    answers = _answers_by_member(session, ids)
    opportunities = opportunities_by_member(session, ids, clock.today())
    return [
        _to_matching_member(
            member,
            experiences[member.id],
            weekly[member.id],
            blocked[member.id],
            tuple(history[member.id] + answers[member.id]),
            tuple(bookings[member.id]),
            opportunities.get(member.id, ()),
        )
        for member in members
    ]


def _to_matching_member(
    member: Member, experiences, weekly, blocked, history, bookings, opportunities=()
) -> matching.Member:
    formats = tuple(
        name
        for name, ok in (("onsite", member.is_onsite_ok), ("digital", member.is_digital_ok))
        if ok
    )
    return matching.Member(
        id=str(member.id),
        birth_year=member.birth_year,
        gender=member.gender,
        experiences=tuple(experiences),
        weekly=tuple(weekly),
        blocked=tuple(blocked),
        municipality=member.municipality,
        languages=tuple(member.languages or ("sv",)),
        pool=member.pool,
        mandate=member.mandate,
        active=member.status == MemberStatus.ACTIVE and member.anonymised_at is None,
        consent=member.has_valid_consent,
        introduced=member.training_completed_on is not None,
        agreement_signed=member.has_signed_agreement,
        assignment_types=tuple(member.assignment_types or ()),
        formats=formats,
        max_per_month=member.max_per_month,
        history=history,
        bookings=bookings,
        employers=declared_employers(member.employer),
        joined=member.joined_on,
        paused_until=member.paused_until,
        opportunities=tuple(opportunities),
    )


def _experiences_by_member(session: Session, ids: Select) -> dict[int, list[matching.Experience]]:
    result: dict[int, list[matching.Experience]] = defaultdict(list)
    rows = session.exec(
        select(Experience.member_id, Area.code, Experience.type)
        .join(Area, Area.id == Experience.area_id)
        .where(Experience.member_id.in_(ids))
    )
    for member_id, code, kind in rows:
        result[member_id].append(matching.Experience(area=code, type=kind))
    return result


def availability_of(
    *, session: Session, member_ids: Collection[int]
) -> tuple[
    dict[int, tuple[matching.WeeklyWindow, ...]], dict[int, tuple[matching.BlockedPeriod, ...]]
]:
    """Return these members' weekly windows and blocked periods as ``pool_for_matching`` reads
    them (two statements): what a change to someone's availability alone needs reloaded."""
    weekly, blocked = _availability_by_member(session, sorted({int(m) for m in member_ids}))
    return (
        {int(m): tuple(weekly[int(m)]) for m in member_ids},
        {int(m): tuple(blocked[int(m)]) for m in member_ids},
    )


def _availability_by_member(session: Session, ids: Select | list[int]):
    weekly: dict[int, list[matching.WeeklyWindow]] = defaultdict(list)
    blocked: dict[int, list[matching.BlockedPeriod]] = defaultdict(list)
    windows = select(
        WeeklyWindow.member_id, WeeklyWindow.weekday, WeeklyWindow.start_time, WeeklyWindow.end_time
    ).where(WeeklyWindow.member_id.in_(ids))
    for member_id, weekday, start, end in session.exec(windows):
        weekly[member_id].append(matching.WeeklyWindow(weekday=weekday, start=start, end=end))
    exceptions = select(
        AvailabilityException.member_id,
        AvailabilityException.start_date,
        AvailabilityException.end_date,
    ).where(
        AvailabilityException.member_id.in_(ids),
        AvailabilityException.kind.in_([kind.value for kind in UNAVAILABLE_KINDS]),
    )
    for member_id, start_date, end_date in session.exec(exceptions):
        blocked[member_id].append(matching.BlockedPeriod(start=start_date, end=end_date))
    return weekly, blocked


def _work_by_member(session: Session, ids: Select, exclude_request_id: int | None):
    """Return work as one entry per assignment: history when it is over, else its bookings."""
    history: dict[int, list[matching.HistoryEntry]] = defaultdict(list)
    bookings: dict[int, list[matching.Booking]] = defaultdict(list)
    now = utcnow()
    units = work_units(session=session, member_ids=ids, exclude_request_id=exclude_request_id)
    for unit in units:
        if unit.is_over(now):
            history[unit.member_id].append(_history_entry(unit))
        else:
            bookings[unit.member_id] += _bookings(unit.sessions, work_key(unit.assignment_id))
    for member_id, invitation_id, request_id, starts_at, ends_at in _open_invitations(session, ids):
        if request_id != exclude_request_id:
            key = invitation_key(invitation_id)
            bookings[member_id] += _bookings([(starts_at, ends_at)], key, is_work=False)
    return history, bookings


def _history_entry(unit: WorkUnit) -> matching.HistoryEntry:
    days = tuple(start.astimezone(clock.zone()).date() for start, _ in unit.sessions)
    return matching.HistoryEntry(
        date=days[0],
        hours=unit.hours,
        answer="accepted",
        assignment=work_key(unit.assignment_id),
        session_dates=days,
    )


def _bookings(sessions, key: str, is_work: bool = True) -> list[matching.Booking]:
    return [
        matching.Booking(
            start=start.astimezone(clock.zone()),
            end=end.astimezone(clock.zone()),
            assignment=key,
            is_work=is_work,
        )
        for start, end in sessions
    ]


def _open_invitations(session: Session, ids: Select):
    """Return (member, invitation, request, start, end) of every session of open invitations."""
    return session.exec(
        select(
            Invitation.member_id,
            Invitation.id,
            Invitation.request_id,
            RequestSession.starts_at,
            RequestSession.ends_at,
        )
        .join(RequestSession, covers(Invitation, RequestSession))
        .join(BookingRequest, BookingRequest.id == Invitation.request_id)
        .where(
            Invitation.member_id.in_(ids),
            Invitation.status == InvitationStatus.PENDING,
            ~Invitation.is_interest_check,
            BookingRequest.status.in_(LIVE_REQUEST_STATES),
        )
    )


def work_key(assignment_id: int) -> str:
    """Return the matching key of an assignment's bookings and history."""
    return str(assignment_id)


def invitation_key(invitation_id: int) -> str:
    """Return the matching key of an open invitation's bookings."""
    return f"invitation:{invitation_id}"


def commitment_keys(
    *,
    session: Session,
    request_id: int,
    assignments: Iterable[tuple[Assignment, object]] | None = None,
    invitations: Iterable[tuple[Invitation, object]] | None = None,
) -> dict[int, set[str]]:
    """Return, per member, the matching keys of a request's own work and open invitations.

    ``assignments`` (at least its work: ``booked_people``) and ``invitations`` (all of them:
    ``request_invitations``), each with its member, when the caller has read them already.
    """
    keys: dict[int, set[str]] = defaultdict(set)
    if assignments is None:
        own_work = select(Assignment.id, Assignment.member_id).where(
            Assignment.request_id == request_id, Assignment.status.in_(WORK_ASSIGNMENTS)
        )
        work = list(session.exec(own_work))
    else:
        work = [(a.id, a.member_id) for a, _ in assignments if a.status in WORK_ASSIGNMENTS]
    for assignment_id, member_id in work:
        keys[member_id].add(work_key(assignment_id))
    if invitations is None:
        invited = select(Invitation.id, Invitation.member_id).where(
            Invitation.request_id == request_id,
            Invitation.status == InvitationStatus.PENDING,
            ~Invitation.is_interest_check,
        )
        pending = list(session.exec(invited))
    else:
        pending = [
            (i.id, i.member_id)
            for i, _ in invitations
            if i.status == InvitationStatus.PENDING and not i.is_interest_check
        ]
    for invitation_id, member_id in pending:
        keys[member_id].add(invitation_key(invitation_id))
    return keys


def _answers_by_member(session: Session, ids: Select) -> dict[int, list[matching.HistoryEntry]]:
    """Return declined and unanswered invitations (not work, but they inform acceptance).

    Answers to "are you interested?" are left out: they are not invitations to a booking.
    """
    result: dict[int, list[matching.HistoryEntry]] = defaultdict(list)
    rows = session.exec(
        select(Invitation.member_id, Invitation.sent_at, Invitation.status).where(
            Invitation.member_id.in_(ids),
            Invitation.status.in_([status.value for status in ANSWER_BY_STATUS]),
            ~Invitation.is_interest_check,
        )
    )
    for member_id, sent_at, status in rows:
        result[member_id].append(
            matching.HistoryEntry(
                date=sent_at.astimezone(clock.zone()).date(),
                answer=ANSWER_BY_STATUS[InvitationStatus(status)],
            )
        )
    return result
