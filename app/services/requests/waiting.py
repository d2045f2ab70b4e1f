"""The orderer's requests grouped by status, each with what it is waiting for (issue 23).

``waiting_for`` derives, from a request's state, its open invitations and its survey, the
one line the orderer's home shows: "Waiting for the council's decision", "Waiting for replies
from 2 people", "Booked" ... The texts are message ids (``N_``); the web layer translates them.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, select

from app.models import BookingRequest, Invitation, Survey
from app.models.enums import FeedbackRespondent, InvitationStatus, RequestStatus
from app.services.messages import N_
from app.services.requests.submission import (
    RequestPage,
    RequestSummary,
    list_requests,
    requests_page,
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
    booking_request: BookingRequest, *, pending_replies: int = 0, has_open_survey: bool = False
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


def _pending_replies(session: Session, request_ids: list[int]) -> dict[int, int]:
    query = (
        select(Invitation.request_id, func.count())
        .where(
            Invitation.request_id.in_(request_ids),
            Invitation.status == InvitationStatus.PENDING,
            Invitation.is_interest_check.is_(False),
        )
        .group_by(Invitation.request_id)
    )
    return dict(session.exec(query).all())


def _open_surveys(session: Session, request_ids: list[int]) -> set[int]:
    query = select(Survey.request_id).where(
        Survey.request_id.in_(request_ids),
        Survey.respondent == FeedbackRespondent.ORDERER,
        Survey.answered_at.is_(None),
    )
    return set(session.exec(query).all())


@dataclass(frozen=True)
class OrdererOverview:
    """The orderer's home: every open request in its group, finished ones a page at a time."""

    groups: list[RequestGroup]
    finished: RequestPage


#: The group whose requests are paged: it grows with every request the organisation makes.
PAGED_GROUP = "finished"


def orderer_overview(
    *, session: Session, organisation_id: int, finished_page: int = 1
) -> OrdererOverview:
    """Return the organisation's requests in the orderer's groups, each with what it waits for.

    Requests still in progress are all shown (they are few at any time); finished ones, which
    accumulate, come a page at a time, newest first.
    """
    paged_statuses = next(statuses for key, _, _, statuses in ORDERER_GROUPS if key == PAGED_GROUP)
    open_statuses = tuple(
        status
        for key, _, _, statuses in ORDERER_GROUPS
        if key != PAGED_GROUP
        for status in statuses
    )
    summaries = list_requests(
        session=session, organisation_id=organisation_id, statuses=open_statuses
    )
    finished = requests_page(
        session=session,
        organisation_id=organisation_id,
        page=finished_page,
        statuses=paged_statuses,
    )
    summaries += finished.rows
    ids = [summary.request.id for summary in summaries]
    pending = _pending_replies(session, ids) if ids else {}
    surveys = _open_surveys(session, ids) if ids else set()
    groups = []
    for key, title, empty, statuses in ORDERER_GROUPS:
        rows = [
            OrdererRequest(
                summary,
                waiting_for(
                    summary.request,
                    pending_replies=pending.get(summary.request.id, 0),
                    has_open_survey=summary.request.id in surveys,
                ),
            )
            for summary in summaries
            if summary.request.status in statuses
        ]
        groups.append(RequestGroup(key, title, empty, rows))
    return OrdererOverview(groups, finished)
