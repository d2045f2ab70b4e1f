"""The orderer's requests grouped by status, each with what it is waiting for (issue 23).

``waiting_for`` derives, from a request's state, its open invitations and its survey, the
one line the orderer's home shows: "Waiting for the council's decision", "Waiting for replies
from 2 people", "Booked" ... The texts are message ids (``N_``); the web layer translates them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from sqlalchemy import Integer, and_, bindparam, case, func, or_
from sqlmodel import Session, select

from app.models import BookingRequest, Invitation, Organisation, Survey
from app.models.enums import FeedbackRespondent, InvitationStatus, RequestStatus
from app.services.messages import N_
from app.services.requests.submission import (
    REQUESTS_PER_PAGE,
    RequestHeadline,
    RequestPage,
    RequestSummary,
    first_session_columns,
)


@dataclass(frozen=True)
class WaitingFor:
    """What a request waits for: a message id, with ``%(count)s`` people where it counts."""

    message: str
    count: int = 0


@dataclass(frozen=True)
class OrdererRequest:
    """One row of the orderer's home: the request and what it waits for."""

    summary: RequestSummary
    waiting: WaitingFor


@dataclass(frozen=True)
class RequestGroup:
    """A group of the orderer's home: its key, heading and empty-state message ids, its rows."""

    key: str
    title: str
    empty: str
    rows: list[OrdererRequest]


#: The orderer's groups in the order shown: what needs her first, finished requests last.
ORDERER_GROUPS: tuple[tuple[str, str, str, tuple[RequestStatus, ...]], ...] = (
    (
        "yours",
        N_("Waiting for you"),
        N_("Nothing is waiting for you."),
        (RequestStatus.DRAFT, RequestStatus.QUESTION),
    ),
    (
        "council",
        N_("With the council"),
        N_("No request is waiting for the council."),
        (RequestStatus.SUBMITTED, RequestStatus.INTEREST),
    ),
    (
        "inviting",
        N_("People are being invited"),
        N_("No request is waiting for people's replies."),
        (RequestStatus.APPROVED,),
    ),
    ("booked", N_("Booked"), N_("No booked requests."), (RequestStatus.BOOKED,)),
    (
        "finished",
        N_("Finished"),
        N_("No finished requests yet."),
        (RequestStatus.COMPLETED, RequestStatus.DECLINED, RequestStatus.CANCELLED),
    ),
)

#: What a request in each state waits for, when nothing else needs counting.
WAITING_BY_STATUS: dict[RequestStatus, str] = {
    RequestStatus.DRAFT: N_("Not sent to the council yet"),
    RequestStatus.SUBMITTED: N_("Waiting for the council's decision"),
    RequestStatus.QUESTION: N_("Waiting for your answer to the council's question"),
    RequestStatus.INTEREST: N_("The council is asking people whether they are interested"),
    RequestStatus.APPROVED: N_("Waiting for the council to invite more people"),
    RequestStatus.BOOKED: N_("Booked"),
    RequestStatus.COMPLETED: N_("Completed"),
    RequestStatus.DECLINED: N_("Declined by the council"),
    RequestStatus.CANCELLED: N_("Cancelled"),
}
#: An approved request with invitations out waits for the invited people's replies.
WAITING_FOR_ONE_REPLY = N_("Waiting for a reply from 1 person")
WAITING_FOR_REPLIES = N_("Waiting for replies from %(count)s people")
#: A finished request whose survey the orderer has not answered.
WAITING_FOR_SURVEY = N_("Waiting for your answer to the survey")


def waiting_for(
    booking_request: BookingRequest | RequestHeadline,
    *,
    pending_replies: int = 0,
    has_open_survey: bool = False,
) -> WaitingFor:
    """Return what a request waits for, from its state, open invitations and survey."""
    status = RequestStatus(booking_request.status)
    if status == RequestStatus.APPROVED and pending_replies == 1:
        return WaitingFor(WAITING_FOR_ONE_REPLY, 1)
    if status == RequestStatus.APPROVED and pending_replies > 1:
        return WaitingFor(WAITING_FOR_REPLIES, pending_replies)
    if status == RequestStatus.COMPLETED and has_open_survey:
        return WaitingFor(WAITING_FOR_SURVEY)
    return WaitingFor(WAITING_BY_STATUS[status])


@dataclass(frozen=True)
class OrdererOverview:
    """The orderer's home: every group a page at a time (``pages`` by group key)."""

    groups: list[RequestGroup]
    pages: dict[str, RequestPage]

    @property
    def finished(self) -> RequestPage:
        return self.pages[PAGED_GROUP]


#: The group whose page is the plain ``page`` argument (it grows with every request made).
PAGED_GROUP = "finished"
#: Rows per page of a group still in progress. The orderers' work lists stay short in practice,
#: but nothing bounds them (a busy organisation keeps sending requests), so they are paged too.
OPEN_PER_PAGE = 25


def page_argument(key: str) -> str:
    """Return the query argument that pages group ``key`` (``page`` for finished requests)."""
    return "page" if key == PAGED_GROUP else f"{key}_page"


def orderer_overview(
    *,
    session: Session,
    organisation_id: int,
    finished_page: int = 1,
    group_pages: dict[str, int] | None = None,
) -> OrdererOverview:
    """Return the organisation's requests in the orderer's groups, each with what it waits for.

    Every group comes a page at a time, newest first: finished requests ``REQUESTS_PER_PAGE``
    at a time (page ``finished_page``), the groups still in progress ``OPEN_PER_PAGE`` at a
    time (``group_pages`` by key, first page by default). Pages past the end show the last.
    Two statements whatever the rows: the groups' sizes, then every group's page of rows with
    its first session, session count, open invitations and unanswered survey.
    """
    wanted = dict(group_pages or {}, **{PAGED_GROUP: finished_page})
    index_of = {status: index for index, group in enumerate(ORDERER_GROUPS) for status in group[3]}
    totals = [0] * len(ORDERER_GROUPS)
    for status, count in session.exec(_group_sizes(), params={"organisation_id": organisation_id}):
        if status in index_of:
            totals[index_of[status]] += count
    pages: dict[str, RequestPage] = {}
    windows = {}
    for index, (key, _title, _empty, _statuses) in enumerate(ORDERER_GROUPS):
        per_page = REQUESTS_PER_PAGE if key == PAGED_GROUP else OPEN_PER_PAGE
        count = max(1, -(-totals[index] // per_page))
        page = min(max(wanted.get(key, 1), 1), count)
        pages[key] = RequestPage([], page, count, totals[index])
        first = (page - 1) * per_page
        # An empty group's window is empty: no row numbers above 0 and at most 0.
        windows[f"first_{index}"] = first if totals[index] else 0
        windows[f"last_{index}"] = first + per_page if totals[index] else 0
    rows_by_group: dict[int, list[OrdererRequest]] = {}
    if any(totals):
        for index, row in _group_rows(session, organisation_id, windows):
            rows_by_group.setdefault(index, []).append(row)
    groups = []
    for index, (key, title, empty, _statuses) in enumerate(ORDERER_GROUPS):
        rows = rows_by_group.get(index, [])
        pages[key].rows.extend(row.summary for row in rows)
        groups.append(RequestGroup(key, title, empty, rows))
    return OrdererOverview(groups, pages)


@cache
def _group_sizes():
    """How many of the organisation's requests have each status (built once per process)."""
    return (
        select(BookingRequest.status, func.count())
        .where(BookingRequest.organisation_id == bindparam("organisation_id"))
        .group_by(BookingRequest.status)
    )


def _group_rows(session: Session, organisation_id: int, windows: dict[str, int]):
    """Yield (group index, row) of each group's window of rows, newest first, in one statement.

    ``windows``: each group's rows as ``first_<index>`` (exclusive) and ``last_<index>``
    (inclusive) row numbers.
    """
    organisation = session.get(Organisation, organisation_id)
    rows = session.exec(_group_rows_statement(), params={**windows, "org": organisation_id})
    for *columns, index, first, sessions, replies, survey in rows:
        request = RequestHeadline(*columns)
        summary = RequestSummary(request, organisation, first, sessions)
        waiting = waiting_for(request, pending_replies=replies, has_open_survey=bool(survey))
        yield index, OrdererRequest(summary, waiting)


@cache
def _group_rows_statement():
    """``_group_rows``' statement, built once per process: its values are bound parameters
    (building it cost more than running it)."""
    group_index = case(
        *[
            (BookingRequest.status.in_(statuses), index)
            for index, (_key, _title, _empty, statuses) in enumerate(ORDERER_GROUPS)
        ],
        else_=-1,
    )
    ranked = (
        select(
            BookingRequest.id.label("id"),
            group_index.label("grp"),
            func.row_number()
            .over(
                partition_by=group_index,
                order_by=(BookingRequest.created_at.desc(), BookingRequest.id.desc()),
            )
            .label("rn"),
        )
        .where(BookingRequest.organisation_id == bindparam("org"))
        .subquery()
    )
    first_start, session_count = first_session_columns(BookingRequest.id)
    pending = (
        select(func.count())
        .select_from(Invitation)
        .where(
            Invitation.request_id == BookingRequest.id,
            Invitation.status == InvitationStatus.PENDING,
            Invitation.is_interest_check.is_(False),
        )
        .scalar_subquery()
    )
    open_survey = (
        select(Survey.id)
        .where(
            Survey.request_id == BookingRequest.id,
            Survey.respondent == FeedbackRespondent.ORDERER,
            Survey.answered_at.is_(None),
        )
        .exists()
    )
    # A row shows the title and status only: plain columns, not the whole request as an ORM
    # object (building those was a fifth of the page's CPU with 25 rows a group).
    headline = (
        BookingRequest.id,
        BookingRequest.organisation_id,
        BookingRequest.title,
        BookingRequest.status,
        BookingRequest.created_at,
    )
    rank = ranked.c.rn
    windows = [
        and_(
            ranked.c.grp == index,
            rank > bindparam(f"first_{index}", type_=Integer),
            rank <= bindparam(f"last_{index}", type_=Integer),
        )
        for index in range(len(ORDERER_GROUPS))
    ]
    return (
        select(*headline, ranked.c.grp, first_start, session_count, pending, open_survey)
        .join(ranked, ranked.c.id == BookingRequest.id)
        .where(or_(*windows))
        .order_by(ranked.c.grp, ranked.c.rn)
    )
