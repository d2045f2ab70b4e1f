"""The API's request and response bodies (pydantic), from which the OpenAPI document is built.

They are separate from the tables on purpose: a body names only what the caller may send or
see, so a new column never leaks into the API by accident.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Annotated, Literal, NotRequired

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    Strict,
    StrictBool,
    WithJsonSchema,
)
from typing_extensions import TypedDict

from app.models.enums import (
    AssignmentType,
    AttendanceStatus,
    Participation,
    QuotaBalance,
    RequestStatus,
    Role,
    SessionFormat,
    WantedExperience,
)
from app.services.text_rules import email_error, one_line_error, text_error
from matching.io import InputError, parse_quota, quota_json

#: Numbers and yes/no in a body are strict: ``true``, ``2.0`` and ``"2"`` are refused (422
#: naming the field), never read as 1 or 2.
StrictNumber = Annotated[int, Strict()]
#: Ids are PostgreSQL INTEGERs.
Id = Annotated[StrictNumber, Field(ge=1, le=2_147_483_647)]
FIRST_YEAR, LAST_YEAR = 2000, 2100


def _in_service_years(value):
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(f"must lie in the years {FIRST_YEAR}–{LAST_YEAR}")
    return value


CLOCK_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"


def _clock_text(value):
    if isinstance(value, time):
        return value
    if not isinstance(value, str) or not re.fullmatch(CLOCK_PATTERN, value):
        raise ValueError('give a local wall-clock time as "HH:MM"')
    return value


#: A moment with its UTC offset, e.g. "2026-05-04T13:00:00+02:00".
Moment = Annotated[AwareDatetime, AfterValidator(_in_service_years)]
Day = Annotated[date, AfterValidator(_in_service_years)]
#: A wall-clock time in the service's zone (TIMEZONE), "HH:MM" (no UTC offset: it keeps its
#: hour all year).
ClockTime = Annotated[
    time,
    BeforeValidator(_clock_text),
    PlainSerializer(lambda value: value.strftime("%H:%M"), return_type=str),
    WithJsonSchema({"type": "string", "pattern": CLOCK_PATTERN, "examples": ["09:00"]}),
]


def _one_line(value: str) -> str:
    if message := one_line_error(value):
        raise ValueError(message)
    return value


def _no_nul(value: str) -> str:
    if message := text_error(value):
        raise ValueError(message)
    return value


def _email(value: str) -> str:
    if message := email_error(value.strip()):
        raise ValueError(message)
    return value.strip()


#: One line of text: no line break or NUL (``app/services/text_rules.py``).
OneLine = AfterValidator(_one_line)
#: Multi-line text without NUL (PostgreSQL cannot store it).
NoNul = AfterValidator(_no_nul)
#: An e-mail address by the service's one syntax rule (empty allowed; required is the field's).
EmailAddress = AfterValidator(_email)


class Body(BaseModel):
    """An input body: unknown fields are refused, so typos do not pass silently."""

    model_config = ConfigDict(extra="forbid")


class ErrorBody(BaseModel):
    """Every error: a stable code, a readable message and per-field messages."""

    error: str = Field(examples=["invalid_input"])
    message: str
    fields: dict[str, str] = Field(default_factory=dict)


class Me(BaseModel):
    id: int
    email: str
    full_name: str
    role: Role
    organisation_id: int | None


# --- requests -------------------------------------------------------------------------------


class SessionIn(Body):
    starts_at: Moment
    ends_at: Moment


class Quota(TypedDict):
    """A bound on how many of the group hold a value (the offline CLI's schema, docs/api.md).

    ``value``: gender woman|man|nonbinary; experience own|relative (in a requested area);
    mandate self|organisation; age ``[min_age, max_age]``, inclusive, in the first session's year.
    """

    field: Literal["gender", "experience", "mandate", "age"]
    value: str | list[int]
    min: NotRequired[int]
    max: NotRequired[int]


def _quota(value):
    """Check a quota with the engine's own parser; its message names the bad field."""
    try:
        return quota_json(parse_quota(value, "quota"))
    except InputError as error:
        raise ValueError(str(error)) from None


#: A quota checked by ``matching.io.parse_quota`` (the CLI's rules, the CLI's messages).
CheckedQuota = Annotated[Quota, BeforeValidator(_quota)]


class RequestCreate(Body):
    """A request for participants, as the orderer's form takes it."""

    title: Annotated[str, Field(min_length=1, max_length=200), OneLine]
    purpose: Annotated[str, Field(min_length=1, max_length=5000), NoNul]
    expectations: Annotated[str, Field(min_length=1, max_length=5000), NoNul]
    participation: Participation
    assignment_type: AssignmentType
    area_ids: Annotated[list[Id], Field(min_length=1, max_length=50)]
    experience: WantedExperience = WantedExperience.ANY
    people_count: Annotated[StrictNumber, Field(ge=1, le=50)] = 2
    #: At most 20 sessions, 60 for a standing group.
    sessions: Annotated[list[SessionIn], Field(min_length=1, max_length=60)]
    format: SessionFormat
    location: Annotated[str, Field(max_length=300), OneLine] = ""
    video_link: Annotated[str, Field(max_length=500), OneLine] = ""
    language: Literal["sv", "en"] = "sv"
    preparation_minutes: Annotated[StrictNumber, Field(ge=0, le=6000)] = 0
    age_min: Annotated[StrictNumber, Field(ge=16, le=120)] | None = None
    age_max: Annotated[StrictNumber, Field(ge=16, le=120)] | None = None
    is_open_information_meeting: StrictBool = False
    contact_name: Annotated[str, Field(min_length=1, max_length=200), OneLine]
    contact_email: Annotated[str, Field(max_length=254), EmailAddress] = ""
    contact_phone: Annotated[str, Field(max_length=40), OneLine] = ""
    #: Bounds on the group; met whenever the eligible people allow it, else explained.
    quotas: Annotated[list[CheckedQuota], Field(max_length=20)] = []
    #: Even shares over gender, age band, experience type and mandate.
    balance: QuotaBalance = QuotaBalance.SOFT
    #: A standing group: a term (first and last local day) with meetings added over time.
    is_standing: StrictBool = False
    term_start: Day | None = None
    term_end: Day | None = None
    #: Expected meetings per period of ``period_months`` months (e.g. 6 per 12).
    meetings_per_period: Annotated[StrictNumber, Field(ge=1, le=60)] | None = None
    period_months: Annotated[StrictNumber, Field(ge=1, le=48)] | None = None


class RequestListQuery(BaseModel):
    status: RequestStatus | None = None
    only_open: bool = False
    #: At most this many, newest first; page on with ``offset``.
    limit: Annotated[int, Field(ge=1, le=500)] = 100
    offset: Annotated[int, Field(ge=0, le=2_147_483_647)] = 0


class SessionOut(BaseModel):
    id: int
    starts_at: datetime
    ends_at: datetime


class AreaOut(BaseModel):
    id: int
    code: str
    name_sv: str
    name_en: str


class ComingExperience(BaseModel):
    area_code: str
    type: str


class ComingPersonOut(BaseModel):
    """A booked person as the orderer may see them: first name and relevant experience."""

    first_name: str
    experiences: list[ComingExperience]


class RequestSummaryOut(BaseModel):
    id: int
    title: str
    status: RequestStatus
    organisation_id: int
    organisation_name: str
    first_session_at: datetime | None
    session_count: int
    created_at: datetime


class RequestList(BaseModel):
    items: list[RequestSummaryOut]
    #: How many match in all (``items`` holds at most ``limit`` of them).
    total: int


class RequestOut(BaseModel):
    id: int
    title: str
    status: RequestStatus
    #: The council's latest question or reason.
    status_message: str
    organisation_id: int
    purpose: str
    expectations: str
    participation: str
    assignment_type: str
    experience: str
    people_count: int
    format: str
    location: str
    video_link: str
    language: str
    preparation_minutes: int
    age_min: int | None
    age_max: int | None
    is_open_information_meeting: bool
    contact_name: str
    contact_email: str
    contact_phone: str
    quotas: list[Quota]
    balance: QuotaBalance
    created_at: datetime
    decided_at: datetime | None
    is_standing: bool
    term_start: date | None
    term_end: date | None
    meetings_per_period: int | None
    period_months: int | None
    renewed_from_id: int | None
    sessions: list[SessionOut]
    areas: list[AreaOut]
    coming: list[ComingPersonOut]


class ReasonText(Body):
    reason: Annotated[str, Field(min_length=1, max_length=4000), NoNul]


class MessageText(Body):
    message: Annotated[str, Field(min_length=1, max_length=4000), NoNul]


# --- the council's decisions ----------------------------------------------------------------


class ReasonOut(BaseModel):
    code: str
    text: str


class CandidateOut(BaseModel):
    member_id: int
    name: str
    rank: int
    score: float
    #: Named score parts: relevance, load, acceptance …
    parts: dict[str, float]
    reasons: list[ReasonOut]
    in_group: bool
    reserve_position: int | None


class ExclusionOut(BaseModel):
    rule: str
    reason: str
    count: int


class UnmetQuotaOut(BaseModel):
    """A quota the eligible people do not allow, and why (the offline CLI's shape)."""

    quota: Quota
    reason: str


class QuotaStatusOut(BaseModel):
    """A quota of the request against the proposed group."""

    quota: Quota
    #: How many of the group count toward it.
    count: int
    is_met: bool


class ProposalOut(BaseModel):
    request_id: int
    group: list[int]
    reserve: list[int]
    ranked: list[CandidateOut]
    excluded: list[ExclusionOut]
    balance: QuotaBalance
    quotas: list[QuotaStatusOut]
    unmet_quotas: list[UnmetQuotaOut]


class QuotasIn(Body):
    """The group's quotas and balance, set by the council before approving."""

    quotas: Annotated[list[CheckedQuota], Field(max_length=20)]
    balance: QuotaBalance


class ApproveIn(Body):
    member_ids: Annotated[list[Id], Field(min_length=1, max_length=50)]
    #: Why a working or standing group is approved with fewer than two (the routine's rule).
    below_two_reason: Annotated[str, Field(max_length=2000), NoNul] = ""


class ApprovedOut(BaseModel):
    proposal_id: int
    invited: list[int]
    request: RequestOut


class SwapIn(Body):
    group: Annotated[list[Id], Field(min_length=1, max_length=50)]
    out_id: Id
    in_id: Id


class GroupOut(BaseModel):
    group: list[int]


class AttendanceMarkIn(Body):
    member_id: Id
    status: AttendanceStatus


class AttendanceIn(Body):
    """Marks for people booked on one session that has started (one per person)."""

    marks: Annotated[list[AttendanceMarkIn], Field(min_length=1, max_length=200)]


class AttendanceMarkOut(BaseModel):
    member_id: int
    status: AttendanceStatus
    recorded_at: datetime


class AttendanceOut(BaseModel):
    session_id: int
    marks: list[AttendanceMarkOut]


class TermsIn(Body):
    """One person's agreement terms on a request (docs/domain.md §6.1–§6.2)."""

    member_id: Id
    #: Agreed extra time such as a reading day, in minutes, paid by the same fee classes.
    extra_minutes: Annotated[int, Field(strict=True, ge=0, le=40 * 60)] = 0
    #: Paid per hour instead of by class; only for efforts up to two hours including travel.
    is_hourly: Annotated[bool, Field(strict=True)] = False
    #: Part of the person's employment at a patient organisation: no fee.
    is_part_of_employment: Annotated[bool, Field(strict=True)] = False


class TermsOut(BaseModel):
    member_id: int
    name: str
    #: "invited" (answer pending) or "booked".
    status: str
    extra_minutes: int
    is_hourly: bool
    is_part_of_employment: bool


class TermsListOut(BaseModel):
    people: list[TermsOut]


# --- the member's availability --------------------------------------------------------------


class WindowIn(Body):
    #: 0 = Monday … 6 = Sunday.
    weekday: Annotated[StrictNumber, Field(ge=0, le=6)]
    #: Wall-clock times in the service's zone (TIMEZONE), e.g. "09:00".
    start_time: ClockTime
    end_time: ClockTime


class WindowOut(BaseModel):
    id: int
    weekday: int
    start_time: ClockTime
    end_time: ClockTime


class PeriodIn(Body):
    start_date: Day
    end_date: Day
    kind: Literal["blocked", "vacation", "sick"] = "blocked"
    note: Annotated[str, Field(max_length=200), NoNul] = ""
    #: Withdraw from bookings the period covers (else such a period is refused with 409).
    confirm_withdraw: StrictBool = False


class PeriodOut(BaseModel):
    id: int
    start_date: date
    end_date: date
    kind: str
    note: str


class BlockedOut(BaseModel):
    period: PeriodOut
    #: Assignments the member withdrew from by blocking the period.
    withdrawn_assignment_ids: list[int]


class PauseIn(Body):
    until: Day


class AvailabilityOut(BaseModel):
    paused_until: date | None
    windows: list[WindowOut]
    periods: list[PeriodOut]
