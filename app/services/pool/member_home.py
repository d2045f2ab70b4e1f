"""The member's home (issue 23): what waits for her answer first, then her next assignments.

Its statements are built once per process (``functools.cache``) with their values as bound
parameters: building a select cost more than running it (docs/performance.md, round five).

Waiting for her: invitations and interest questions still open (soonest reply deadline first),
fee and travel claims to send (an assignment with a session behind it and no claim sent, or a
claim the council returned), and surveys not answered. Then her next booked sessions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import bindparam, exists
from sqlalchemy.orm import load_only
from sqlmodel import Session, select

from app.models import (
    Assignment,
    BookingRequest,
    CompensationClaim,
    Invitation,
    RequestSession,
    Survey,
)
from app.models.enums import ClaimStatus, FeedbackRespondent, InvitationStatus, RequestStatus
from app.services.booking.member_bookings import BookedSession, booked_sessions
from app.services.journey.coverage import covers
from app.services.requests.states import WORK_ASSIGNMENTS

#: How many coming sessions the home lists (the calendar has them all).
NEXT_SESSIONS = 5
#: The home shows a request by its title only: the rest of its 37 columns are not read.
TITLE_ONLY = load_only(BookingRequest.id, BookingRequest.title)
#: Claims still the member's to send: not started, being written, or returned by the council.
CLAIMS_TO_SEND = (ClaimStatus.DRAFT, ClaimStatus.REJECTED)


@dataclass(frozen=True)
class MemberHome:
    """What the member's home shows, in the order it shows it."""

    invitations: list[tuple[Invitation, BookingRequest]]
    claims_to_send: list[tuple[Assignment, BookingRequest, CompensationClaim | None]]
    surveys: list[tuple[Survey, BookingRequest]]
    next_sessions: list[BookedSession]

    @property
    def waiting_count(self) -> int:
        """Return how many things wait for the member's answer."""
        return len(self.invitations) + len(self.claims_to_send) + len(self.surveys)


def open_invitations(
    *, session: Session, member_id: int, now: datetime
) -> list[tuple[Invitation, BookingRequest]]:
    """Return the member's unanswered invitations still open, soonest reply deadline first."""
    return list(session.exec(_open_invitations(), params={"member_id": member_id, "now": now}))


@cache
def _open_invitations():
    return (
        select(Invitation, BookingRequest)
        .join(BookingRequest, BookingRequest.id == Invitation.request_id)
        .where(
            Invitation.member_id == bindparam("member_id"),
            Invitation.status == InvitationStatus.PENDING,
            BookingRequest.status.in_([RequestStatus.APPROVED, RequestStatus.INTEREST]),
            (Invitation.reply_deadline_at.is_(None))
            | (Invitation.reply_deadline_at >= bindparam("now")),
        )
        .order_by(Invitation.reply_deadline_at.is_(None), Invitation.reply_deadline_at)
        .order_by(Invitation.id)
        .options(TITLE_ONLY)
    )


def claims_to_send(
    *, session: Session, member_id: int, now: datetime
) -> list[tuple[Assignment, BookingRequest, CompensationClaim | None]]:
    """Return the member's assignments with a session behind them and a claim still to send."""
    return list(session.exec(_claims_to_send(), params={"member_id": member_id, "now": now}))


@cache
def _claims_to_send():
    session_done = exists().where(
        covers(Assignment, RequestSession), RequestSession.ends_at <= bindparam("now")
    )
    return (
        select(Assignment, BookingRequest, CompensationClaim)
        .join(BookingRequest, BookingRequest.id == Assignment.request_id)
        .join(CompensationClaim, CompensationClaim.assignment_id == Assignment.id, isouter=True)
        .where(
            Assignment.member_id == bindparam("member_id"),
            Assignment.status.in_(WORK_ASSIGNMENTS),
            session_done,
            CompensationClaim.id.is_(None) | CompensationClaim.status.in_(CLAIMS_TO_SEND),
        )
        .order_by(Assignment.id)
        .options(TITLE_ONLY)
    )


def open_surveys(*, session: Session, member_id: int) -> list[tuple[Survey, BookingRequest]]:
    """Return the surveys about the member's assignments that she has not answered."""
    return list(session.exec(_open_surveys(), params={"member_id": member_id}))


@cache
def _open_surveys():
    return (
        select(Survey, BookingRequest)
        .join(BookingRequest, BookingRequest.id == Survey.request_id)
        .join(Assignment, Assignment.id == Survey.assignment_id)
        .where(
            Assignment.member_id == bindparam("member_id"),
            Survey.respondent == FeedbackRespondent.MEMBER,
            Survey.answered_at.is_(None),
        )
        .order_by(Survey.sent_at, Survey.id)
        .options(TITLE_ONLY)
    )


def member_home(*, session: Session, member_id: int, now: datetime) -> MemberHome:
    """Return what waits for the member's answer and her next booked sessions."""
    coming = booked_sessions(
        session=session, member_id=member_id, ends_after=now, limit=NEXT_SESSIONS
    )
    return MemberHome(
        invitations=open_invitations(session=session, member_id=member_id, now=now),
        claims_to_send=claims_to_send(session=session, member_id=member_id, now=now),
        surveys=open_surveys(session=session, member_id=member_id),
        next_sessions=coming,
    )
