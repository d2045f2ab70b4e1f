"""Input and result types of the matching engine (frozen dataclasses, no behaviour).

The web app turns its database rows into these; the CLI builds them from JSON (``matching.io``).
Datetimes are timezone-aware; local days and hours are read in the zone they carry (the app
gives them in its configured zone; a bare UTC offset is read in ``STOCKHOLM``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")

GENDERS = ("woman", "man", "nonbinary", "unknown")
POOLS = ("levande_bibliotek", "peer")
MANDATES = ("self", "organisation")
EXPERIENCE_TYPES = ("own", "relative")
FORMATS = ("onsite", "digital")
ANSWERS = ("accepted", "declined", "no_answer")
QUOTA_FIELDS = ("gender", "experience", "mandate", "age")
BALANCES = ("hard", "soft", "off")
ASSIGNMENT_TYPES = (
    "education",
    "lecture",
    "development",
    "working_group",
    "conference",
    "coaching",
    "simulated_patient",
    "review",
    "interview",
)


@dataclass(frozen=True, slots=True)
class Experience:
    """One lived experience: a taxonomy area such as ``psychiatry/psychosis`` and own/relative."""

    area: str
    type: str  # "own" | "relative"


@dataclass(frozen=True, slots=True)
class WeeklyWindow:
    """A recurring local-time window in which the member can take assignments."""

    weekday: int  # 0 = Monday … 6 = Sunday
    start: time
    end: time


@dataclass(frozen=True, slots=True)
class BlockedPeriod:
    """Dates (inclusive) on which the member takes no assignments."""

    start: date
    end: date


@dataclass(frozen=True, slots=True)
class Opportunity:
    """A member's fair share of a request's seats: she was eligible for it (docs/matching.md).

    ``share`` is the request's seats divided by the people eligible for it, dated by its first
    session (or a sum of such shares: the app passes each member's two years as one); summed
    over two years it says how much work comes her way, so that people few requests fit are
    not passed over for those many requests fit.
    """

    date: date
    share: float


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """A past invitation or assignment; ``answer`` None means an assignment done without record."""

    date: date
    hours: float = 0.0
    answer: str | None = None  # "accepted" | "declined" | "no_answer" | None
    format: str | None = None  # optional, for the acceptance model
    lead_days: float | None = None  # optional: days between invitation and assignment
    assignment: str | None = None  # optional: the assignment this work was, like Booking's
    #: Optional: the local dates of all the work's sessions; the monthly maximum counts each of
    #: their months once (empty: only the month of ``date``, the first session's).
    session_dates: tuple[date, ...] = ()

    @property
    def months(self) -> tuple[date, ...]:
        """Return a date in each month the entry counts in for a monthly maximum."""
        return self.session_dates or (self.date,)

    @property
    def is_work(self) -> bool:
        """Return whether the entry counts as work done (declines and no answers do not)."""
        return self.answer in (None, "accepted")


@dataclass(frozen=True, slots=True)
class Booking:
    """An already booked time; bookings sharing ``assignment`` count as one assignment.

    ``is_work`` False marks an open invitation: until answered it holds the time, counts toward
    the monthly maximum and counts as provisional load (docs/domain.md §5).
    """

    start: datetime
    end: datetime
    assignment: str | None = None
    is_work: bool = True


@dataclass(frozen=True, slots=True)
class Member:
    """A person in the pool with everything the hard rules and the score need."""

    id: str
    birth_year: int
    gender: str
    experiences: tuple[Experience, ...]
    weekly: tuple[WeeklyWindow, ...] = ()
    blocked: tuple[BlockedPeriod, ...] = ()
    municipality: str = ""
    languages: tuple[str, ...] = ("sv",)
    pool: str = "levande_bibliotek"
    mandate: str = "self"
    active: bool = True
    consent: bool = True
    #: Has completed the introduction (docs/domain.md); checked only where the pool requires it.
    introduced: bool = True
    #: Has signed the agreement with the council; checked only where the pool requires it.
    agreement_signed: bool = True
    assignment_types: tuple[str, ...] = ()  # empty = takes every type
    formats: tuple[str, ...] = FORMATS
    max_per_month: int = 2
    history: tuple[HistoryEntry, ...] = ()
    bookings: tuple[Booking, ...] = ()
    employer: str | None = None
    #: Further declared employers (docs/domain.md §4); ``employer`` and these are one list.
    employers: tuple[str, ...] = ()
    joined: date | None = None
    paused_until: date | None = None
    #: Requests she was eligible for, as fair shares of their seats (feeds the load part).
    opportunities: tuple[Opportunity, ...] = ()

    @property
    def declared_employers(self) -> tuple[str, ...]:
        """Return every declared employer, ``employer`` first, blanks and repeats left out."""
        names = (self.employer or "", *self.employers)
        return tuple(dict.fromkeys(name.strip() for name in names if name and name.strip()))

    @property
    def availability_unknown(self) -> bool:
        """Return whether the member has given no weekly window at all (docs/matching.md)."""
        return not self.weekly


@dataclass(frozen=True, slots=True)
class Session:
    """One meeting of a request, in aware Europe/Stockholm datetimes."""

    start: datetime
    end: datetime

    @property
    def hours(self) -> float:
        """Return the real duration in hours (correct across DST changes)."""
        return (self.end.timestamp() - self.start.timestamp()) / 3600.0


@dataclass(frozen=True, slots=True)
class Quota:
    """A bound on how many of the group hold a value; see docs/matching.md."""

    field: str  # one of QUOTA_FIELDS
    #: gender: woman | man | nonbinary; experience: own | relative (in a requested area);
    #: mandate: self | organisation; age: (min_age, max_age), inclusive, in the first session's year
    value: str | tuple[int, int]
    min: int | None = None
    max: int | None = None


@dataclass(frozen=True, slots=True)
class Request:
    """An order for ``count`` people; ``target`` optionally maps dimension -> value -> share."""

    id: str
    organisation: str
    type: str
    areas: tuple[str, ...]
    sessions: tuple[Session, ...]
    experience: str = "any"  # "own" | "relative" | "any"
    count: int = 2
    format: str = "onsite"
    language: str = "sv"
    age_range: tuple[int, int] | None = None
    target: Mapping[str, Mapping[str, float]] = field(default_factory=dict, hash=False)
    quotas: tuple[Quota, ...] = ()
    balance: str = "soft"  # one of BALANCES: even shares hard, as a penalty, or not at all
    #: Names of the organisations above the ordering one (parent first) and below it: a member
    #: employed by any of them, or by the ordering organisation, has a conflict of interest.
    organisation_ancestors: tuple[str, ...] = ()
    organisation_descendants: tuple[str, ...] = ()
    #: True for an interest round: people whose availability is unknown (no weekly window)
    #: may be asked, and are flagged; otherwise they are excluded (docs/matching.md).
    interest_round: bool = False
    #: Pools (``POOLS``) whose members must have completed the introduction, and those whose
    #: members must have signed the agreement, to be proposed (the council's setting per pool).
    introduction_required_in: tuple[str, ...] = ()
    agreement_required_in: tuple[str, ...] = ()
    #: Area code -> (Swedish, English) name, for explanations; codes not here fall back to
    #: ``matching.taxonomy.AREA_NAMES`` and then to the code's last segment.
    area_names: Mapping[str, tuple[str, str]] = field(default_factory=dict, hash=False)
    #: When the invitations go out (the app: the moment of the proposal). The acceptance
    #: model's lead time is the days from it to the first session; None: DEFAULT_LEAD_DAYS.
    invited_at: datetime | None = None

    @property
    def first_start(self) -> datetime:
        """Return the start of the earliest session."""
        return min((s.start for s in self.sessions), key=lambda moment: moment.timestamp())


@dataclass(frozen=True, slots=True)
class Weights:
    """Council-adjustable weights; see docs/matching.md for the reasoning behind the defaults."""

    relevance: float = 0.30
    load: float = 1.00
    acceptance: float = 0.20
    diversity: float = 0.03  # balance="soft": per seat above an even share (docs/matching.md)
    coverage: float = 0.10  # per requested area the group covers
    target: float = 0.10  # per seat above a requested target share


@dataclass(frozen=True, slots=True)
class Reason:
    """A readable reason in Swedish and English, with a stable code."""

    code: str
    sv: str
    en: str

    def text(self, lang: str = "sv") -> str:
        """Return the sentence in ``lang`` ("sv" or "en")."""
        return self.en if lang == "en" else self.sv


@dataclass(frozen=True, slots=True)
class UnmetQuota:
    """A quota the eligible people do not allow, with why (who is missing, how many eligible)."""

    quota: Quota
    reason: Reason


@dataclass(frozen=True, slots=True)
class Exclusion:
    """Why a member may not be proposed: the first hard rule that excluded them."""

    member_id: str
    rule: str
    reason: Reason


@dataclass(frozen=True, slots=True)
class RankedCandidate:
    """An eligible member with score, named score parts and reasons."""

    member_id: str
    score: float
    parts: Mapping[str, float] = field(hash=False)
    reasons: tuple[Reason, ...] = ()


@dataclass(frozen=True, slots=True)
class Proposal:
    """The engine's answer to one request."""

    request_id: str
    group: tuple[str, ...]
    reserve: tuple[str, ...]
    ranked: tuple[RankedCandidate, ...]
    excluded: Mapping[str, Exclusion] = field(hash=False)
    unmet_quotas: tuple[UnmetQuota, ...] = ()
    #: Every eligible member id, best first (the app records their opportunity on approval).
    eligible: tuple[str, ...] = ()
