"""Requests for participants: submit, list, read."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from itertools import pairwise

from sqlalchemy import bindparam, func
from sqlmodel import Session, select

from app.models import (
    Area,
    BookingRequest,
    Organisation,
    RequestArea,
    RequestSession,
    User,
)
from app.models.base import utcnow
from app.models.enums import (
    AssignmentType,
    Participation,
    RequestAction,
    RequestStatus,
    Role,
    SessionFormat,
    WantedExperience,
)
from app.services.accounts.organisations import ORGANISATION_DISABLED, organisation_is_disabled
from app.services.errors import Forbidden, InvalidInput, NotFound
from app.services.journey.group_size import people_count_error
from app.services.matchmaking.quotas import check_balance, parse_quotas
from app.services.messages import N_
from app.services.requests.history import log_event
from app.services.requests.states import OPEN_REQUEST_STATES
from app.services.text_rules import email_error, one_line_error, text_error
from matching.io import quota_json

#: The longest session a request may have (docs/domain.md §3); longer is refused.
MAX_SESSION_LENGTH = timedelta(hours=12)
#: The most sessions of a request, and of a standing group (docs/domain.md §4).
MAX_SESSIONS, MAX_STANDING_SESSIONS = 20, 60
TOO_MANY_MEETINGS = N_("A request can have at most 20 meetings, a standing group 60.")
#: The longest term of a standing group, in days (four years).
MAX_TERM_DAYS = 4 * 366


@dataclass(frozen=True)
class SessionInput:
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class RequestInput:
    """Everything an orderer states in a request (times timezone-aware)."""

    title: str
    purpose: str
    expectations: str
    participation: str
    assignment_type: str
    area_ids: list[int]
    experience: str
    people_count: int
    sessions: list[SessionInput]
    format: str
    location: str = ""
    video_link: str = ""
    language: str = "sv"
    preparation_minutes: int = 0
    age_min: int | None = None
    age_max: int | None = None
    is_open_information_meeting: bool = False
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    #: Quotas on the group in matching.io's JSON shape (the orderer's wishes).
    quotas: list = field(default_factory=list)
    #: Even shares over gender, age band, experience type and mandate: hard, soft or off.
    balance: str = "soft"
    extra: dict = field(default_factory=dict)
    #: A standing group (issue 19): a term of meetings, e.g. 6 meetings per 12 months.
    is_standing: bool = False
    term_start: date | None = None
    term_end: date | None = None
    meetings_per_period: int | None = None
    period_months: int | None = None


def validate_request_input(
    *, session: Session, data: RequestInput, now: datetime
) -> dict[str, str]:
    """Return field → message for every broken rule (empty when the input is valid)."""
    errors: dict[str, str] = {}
    if not data.title.strip():
        errors["title"] = N_("A title is required.")
    if not data.purpose.strip():
        errors["purpose"] = N_("Describe why the patient or relative perspective is asked for.")
    if not data.expectations.strip():
        errors["expectations"] = N_("Describe what the participants are expected to contribute.")
    enum_fields = {
        "participation": (data.participation, Participation),
        "assignment_type": (data.assignment_type, AssignmentType),
        "experience": (data.experience, WantedExperience),
        "format": (data.format, SessionFormat),
    }
    for name, (value, enum) in enum_fields.items():
        if value not in set(enum):
            errors[name] = N_("Choose one of the listed values.")
    if data.people_count < 1:
        errors["people_count"] = N_("At least one person is needed.")
    else:
        # A standing group's flag arrives with issue 19's term fields; absent, it is False.
        too_few = people_count_error(
            assignment_type=data.assignment_type,
            is_standing=getattr(data, "is_standing", False),
            people_count=data.people_count,
        )
        if too_few:
            errors["people_count"] = too_few
    errors.update(_area_errors(session, data.area_ids))
    errors.update(_session_errors(data.sessions, now))
    errors.update(_term_errors(data))
    if data.format == SessionFormat.ONSITE and not data.location.strip():
        errors["location"] = N_("An on-site request needs an address.")
    if data.preparation_minutes < 0:
        errors["preparation_minutes"] = N_("Preparation time cannot be negative.")
    if data.age_min is not None and data.age_max is not None and data.age_min > data.age_max:
        errors["age_max"] = N_("The highest age must not be below the lowest age.")
    for name, message in _text_errors(data).items():
        errors.setdefault(name, message)
    errors.update(_quota_errors(data))
    return errors


def _quota_errors(data: RequestInput) -> dict[str, str]:
    """Return field → message for quotas or a balance the engine cannot take."""
    try:
        parse_quotas(data.quotas, people_count=max(data.people_count, 1))
        check_balance(data.balance)
    except InvalidInput as error:
        return error.fields
    return {}


#: Fields that go into mail headers, calendar properties and lists: one line each.
_ONE_LINE_FIELDS = ("title", "location", "video_link", "contact_name", "contact_phone")


def _text_errors(data: RequestInput) -> dict[str, str]:
    """Return field → message for text that breaks the rules of ``text_rules``."""
    errors = {name: one_line_error(getattr(data, name)) for name in _ONE_LINE_FIELDS}
    errors |= {name: text_error(getattr(data, name)) for name in ("purpose", "expectations")}
    errors["contact_email"] = email_error(data.contact_email.strip())
    return {name: message for name, message in errors.items() if message}


def _area_errors(session: Session, area_ids: list[int]) -> dict[str, str]:
    if not area_ids:
        return {"area_ids": N_("Choose at least one area.")}
    found = set(session.exec(select(Area.id).where(Area.id.in_(area_ids), Area.is_active)))
    if found != set(area_ids):
        return {"area_ids": N_("Unknown area.")}
    return {}


def _session_errors(sessions: list[SessionInput], now: datetime) -> dict[str, str]:
    if not sessions:
        return {"sessions": N_("Add at least one session.")}
    for item in sessions:
        if item.ends_at <= item.starts_at:
            return {"sessions": N_("A session must end after it starts.")}
        if item.ends_at - item.starts_at > MAX_SESSION_LENGTH:
            return {"sessions": N_("A session may last at most 12 hours.")}
        if item.starts_at <= now:
            return {"sessions": N_("Sessions must lie in the future.")}
    ordered = sorted(sessions, key=lambda item: item.starts_at)
    if any(later.starts_at < earlier.ends_at for earlier, later in pairwise(ordered)):
        return {"sessions": N_("Sessions must not overlap or repeat one another.")}
    return {}


def _term_errors(data: RequestInput) -> dict[str, str]:
    """Return field → message for a standing group's term and the number of sessions."""
    limit = MAX_STANDING_SESSIONS if data.is_standing else MAX_SESSIONS
    errors = {}
    if len(data.sessions) > limit:
        errors["sessions"] = TOO_MANY_MEETINGS
    if not data.is_standing:
        return errors
    start, end = data.term_start, data.term_end
    if start is None or end is None:
        errors["term_end"] = N_("A standing group needs the first and last day of its term.")
    elif end < start:
        errors["term_end"] = N_("The term must not end before it starts.")
    elif (end - start).days > MAX_TERM_DAYS:
        errors["term_end"] = N_("A term can last at most four years.")
    elif any(not start <= _local_day(item.starts_at) <= end for item in data.sessions):
        errors["sessions"] = N_("The meetings must lie inside the term.")
    for name in ("meetings_per_period", "period_months"):
        value = getattr(data, name)
        if value is None or value < 1:
            errors[name] = N_("Give a whole number of at least 1.")
    if data.period_months and data.period_months > 48:
        errors["period_months"] = N_("A period can be at most 48 months.")
    if data.meetings_per_period and data.meetings_per_period > MAX_STANDING_SESSIONS:
        errors["meetings_per_period"] = N_("At most 60 meetings per period.")
    return errors


def _local_day(moment: datetime) -> date:
    from app import clock

    return moment.astimezone(clock.zone()).date()


def submit_request(
    *, session: Session, orderer: User, data: RequestInput, now: datetime | None = None
) -> BookingRequest:
    """Validate and store a request with its areas and sessions; nothing is saved if invalid."""
    if orderer.role != Role.ORDERER or orderer.organisation_id is None:
        raise Forbidden("Only an orderer with an organisation can submit requests.")
    if organisation_is_disabled(session=session, organisation_id=orderer.organisation_id):
        raise Forbidden(ORGANISATION_DISABLED)
    errors = validate_request_input(session=session, data=data, now=now or utcnow())
    if errors:
        raise InvalidInput("The request has errors.", errors)
    booking_request = BookingRequest(
        organisation_id=orderer.organisation_id,
        orderer_id=orderer.id,
        status=RequestStatus.SUBMITTED,
        **{name: getattr(data, name) for name in REQUEST_FIELDS},
    )
    booking_request.title = data.title.strip()
    parsed = parse_quotas(data.quotas, people_count=data.people_count)
    booking_request.quotas = [quota_json(quota) for quota in parsed]
    booking_request.balance = data.balance
    booking_request.contact_email = data.contact_email.strip()
    if not data.is_standing:
        booking_request.term_start = booking_request.term_end = None
        booking_request.meetings_per_period = booking_request.period_months = None
    session.add(booking_request)
    session.flush()
    for area_id in dict.fromkeys(data.area_ids):
        session.add(RequestArea(request_id=booking_request.id, area_id=area_id))
    for item in sorted(data.sessions, key=lambda s: s.starts_at):
        uid = f"{uuid.uuid4()}@levande-bibliotek"
        session.add(
            RequestSession(
                request_id=booking_request.id,
                starts_at=item.starts_at,
                ends_at=item.ends_at,
                ical_uid=uid,
            )
        )
    log_event(session, booking_request, orderer.id, RequestAction.SUBMITTED)
    session.flush()
    return booking_request


#: The columns a request form shows and a renewal copies under the same name (RequestInput).
REQUEST_FIELDS = (
    "purpose",
    "expectations",
    "participation",
    "assignment_type",
    "experience",
    "people_count",
    "format",
    "location",
    "video_link",
    "language",
    "preparation_minutes",
    "age_min",
    "age_max",
    "is_open_information_meeting",
    "contact_name",
    "contact_email",
    "contact_phone",
    "is_standing",
    "term_start",
    "term_end",
    "meetings_per_period",
    "period_months",
)


@dataclass(frozen=True)
class RequestHeadline:
    """The few columns of a request a list row shows, read as plain values (no ORM object)."""

    id: int
    organisation_id: int
    title: str
    status: str
    created_at: datetime


@dataclass
class RequestSummary:
    #: The request, or only its headline where a long list shows no more (the orderer's home).
    request: BookingRequest | RequestHeadline
    organisation: Organisation
    first_start: datetime | None
    session_count: int


def list_requests(
    *,
    session: Session,
    organisation_id: int | None = None,
    only_open: bool = False,
    status: str | None = None,
    statuses: tuple[str, ...] | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[RequestSummary]:
    """Return requests (newest first) with organisation and first session, in two queries."""
    query = _request_query(
        organisation_id=organisation_id, only_open=only_open, status=status, statuses=statuses
    )
    query = query.order_by(BookingRequest.created_at.desc(), BookingRequest.id.desc())
    if limit is not None:
        query = query.limit(limit).offset(offset)
    pairs = list(session.exec(query))
    sessions_by_request: dict[int, list[RequestSession]] = {}
    if pairs:
        ids = [request.id for request, _ in pairs]
        for item in session.exec(select(RequestSession).where(RequestSession.request_id.in_(ids))):
            sessions_by_request.setdefault(item.request_id, []).append(item)
    summaries = []
    for request, organisation in pairs:
        items = sessions_by_request.get(request.id, [])
        first = min((item.starts_at for item in items), default=None)
        summaries.append(RequestSummary(request, organisation, first, len(items)))
    return summaries


def count_requests(
    *,
    session: Session,
    organisation_id: int | None = None,
    only_open: bool = False,
    status: str | None = None,
    statuses: tuple[str, ...] | None = None,
) -> int:
    """Return how many requests ``list_requests`` would give without a limit."""
    query = _request_query(
        organisation_id=organisation_id, only_open=only_open, status=status, statuses=statuses
    )
    return session.exec(select(func.count()).select_from(query.subquery())).one()


@dataclass(frozen=True)
class RequestListRow:
    """One request of a list, only the columns a list shows (no ORM objects to build)."""

    id: int
    title: str
    status: str
    organisation_id: int
    organisation_name: str
    first_start: datetime | None
    session_count: int
    created_at: datetime


def first_session_columns(request_id):
    """Return scalar subqueries of a request's first session start and number of sessions."""
    first = (
        select(func.min(RequestSession.starts_at))
        .where(RequestSession.request_id == request_id)
        .scalar_subquery()
    )
    count = (
        select(func.count())
        .select_from(RequestSession)
        .where(RequestSession.request_id == request_id)
        .scalar_subquery()
    )
    return first, count


def list_request_rows(
    *,
    session: Session,
    limit: int,
    offset: int = 0,
    organisation_id: int | None = None,
    only_open: bool = False,
    status: str | None = None,
) -> tuple[list[RequestListRow], int]:
    """Return a page of ``list_requests``' requests as plain rows, and how many match in all.

    One statement (the total comes with the rows); a second only for a page past the end.
    """
    query = _request_query(
        organisation_id=organisation_id, only_open=only_open, status=status
    ).with_only_columns(
        BookingRequest.id,
        BookingRequest.title,
        BookingRequest.status,
        Organisation.id,
        Organisation.name,
        *first_session_columns(BookingRequest.id),
        BookingRequest.created_at,
        func.count().over(),
    )
    query = query.order_by(BookingRequest.created_at.desc(), BookingRequest.id.desc())
    found = session.exec(query.limit(limit).offset(offset)).all()
    if found:
        total = found[0][-1]
    elif offset:
        total = count_requests(
            session=session, organisation_id=organisation_id, only_open=only_open, status=status
        )
    else:
        total = 0
    return [RequestListRow(*row[:-1]) for row in found], total


@dataclass(frozen=True)
class RequestPage:
    """One page of an organisation's requests, newest first."""

    rows: list[RequestSummary]
    page: int
    pages: int
    total: int


#: Requests per page of an orderer's list (it grows with every request the organisation makes).
REQUESTS_PER_PAGE = 50


def requests_page(
    *,
    session: Session,
    organisation_id: int,
    page: int,
    per_page: int = REQUESTS_PER_PAGE,
    statuses: tuple[str, ...] | None = None,
) -> RequestPage:
    """Return page ``page`` (from 1; clamped to the pages there are) of an organisation's requests."""
    total = count_requests(session=session, organisation_id=organisation_id, statuses=statuses)
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    rows = list_requests(
        session=session,
        organisation_id=organisation_id,
        statuses=statuses,
        limit=per_page,
        offset=(page - 1) * per_page,
    )
    return RequestPage(rows, page, pages, total)


def _request_query(
    *,
    organisation_id: int | None,
    only_open: bool,
    status: str | None,
    statuses: tuple[str, ...] | None = None,
):
    query = select(BookingRequest, Organisation).join(
        Organisation, Organisation.id == BookingRequest.organisation_id
    )
    if organisation_id is not None:
        query = query.where(BookingRequest.organisation_id == organisation_id)
    if only_open:
        query = query.where(BookingRequest.status.in_(OPEN_REQUEST_STATES))
    if status is not None:
        query = query.where(BookingRequest.status == status)
    if statuses is not None:
        query = query.where(BookingRequest.status.in_(statuses))
    return query


def get_request_for(*, session: Session, user: User, request_id: int) -> BookingRequest:
    """Return a request the user may see (orderers only their organisation's)."""
    booking_request = session.get(BookingRequest, request_id)
    if booking_request is None:
        raise NotFound("No such request.")
    if user.role == Role.ORDERER and booking_request.organisation_id != user.organisation_id:
        raise NotFound("No such request.")
    if user.role not in (Role.ORDERER, Role.COUNCIL):
        raise Forbidden("Your role cannot read requests.")
    return booking_request


def request_sessions(*, session: Session, request_id: int) -> list[RequestSession]:
    """Return a request's sessions in time order."""
    return list(session.exec(_request_sessions(), params={"request_id": request_id}))


@cache
def _request_sessions():
    query = select(RequestSession).where(RequestSession.request_id == bindparam("request_id"))
    return query.order_by(RequestSession.starts_at, RequestSession.id)


def request_areas(*, session: Session, request_id: int) -> list[Area]:
    """Return the areas a request asks for."""
    return list(session.exec(_request_areas(), params={"request_id": request_id}))


@cache
def _request_areas():
    query = select(Area).join(RequestArea, RequestArea.area_id == Area.id)
    return query.where(RequestArea.request_id == bindparam("request_id")).order_by(Area.code)
