"""Worklist sections about requests: decisions, short groups, expiring invitations, orderers."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_
from sqlalchemy.orm import aliased
from sqlmodel import select

from app.clock import local
from app.models import (
    Assignment,
    BookingRequest,
    Invitation,
    Member,
    Organisation,
    Proposal,
    ProposalEntry,
    RequestEvent,
    RequestSession,
    User,
)
from app.models.enums import (
    InvitationStatus,
    ProposalStatus,
    RequestAction,
    RequestStatus,
    Role,
)
from app.services.requests.states import HOLDING_ASSIGNMENTS, LIVE_REQUEST_STATES
from app.services.worklist.sections import Moment, Provider, WorkItem, at, no_params

#: An invitation is about to expire when its reply deadline is this close.
EXPIRY_HORIZON = timedelta(days=2)
#: How long an orderer's answer or change stays on the list when the council does nothing.
CHANGE_HORIZON = timedelta(days=14)
#: What an orderer does that the council should read.
ORDERER_ACTIONS = (RequestAction.ANSWERED.value, RequestAction.TIME_CHANGED.value)


def first_session_at():
    """Return a correlated subquery of the request's first session start (index on request)."""
    return (
        select(func.min(RequestSession.starts_at))
        .where(RequestSession.request_id == BookingRequest.id)
        .correlate(BookingRequest)
        .scalar_subquery()
    )


def days_until(moment: Moment, when: datetime | None) -> int | None:
    """Return the days from the local today to the local date of ``when``."""
    return None if when is None else (local(when).date() - moment.today).days


# -- Requests waiting for the council's decision on the proposal ---------------------------


def _waiting_query():
    first_at = first_session_at().label("first_at")
    open_round = (
        select(Invitation.id)
        .where(
            Invitation.request_id == BookingRequest.id,
            Invitation.is_interest_check,
            Invitation.status == InvitationStatus.PENDING,
        )
        .exists()
    )
    return (
        select(
            BookingRequest.id,
            BookingRequest.title,
            BookingRequest.status,
            BookingRequest.people_count,
            Organisation.name,
            first_at,
        )
        .join(Organisation, Organisation.id == BookingRequest.organisation_id)
        .where(
            or_(
                BookingRequest.status == RequestStatus.SUBMITTED,
                and_(BookingRequest.status == RequestStatus.INTEREST, ~open_round),
            )
        )
        .order_by(first_at.is_(None), first_at, BookingRequest.id)
    )


def _waiting_item(row: tuple, moment: Moment) -> WorkItem:
    request_id, title, status, people, organisation, first_at = row
    return WorkItem(
        key=request_id,
        request_id=request_id,
        title=title,
        due_at=first_at,
        facts={
            "status": status,
            "people": people,
            "organisation": organisation,
            "days": days_until(moment, first_at),
        },
    )


WAITING_FOR_DECISION = Provider(
    key="decision", query=_waiting_query, item=_waiting_item, params=no_params
)


# -- Approved or booked groups with fewer people holding a place than asked ---------------


def _short_query():
    first_at = first_session_at()
    booked = (
        select(func.count(Assignment.id))
        .where(
            Assignment.request_id == BookingRequest.id,
            Assignment.status.in_(HOLDING_ASSIGNMENTS),
        )
        .scalar_subquery()
    )
    pending = (
        select(func.count(Invitation.id))
        .where(
            Invitation.request_id == BookingRequest.id,
            ~Invitation.is_interest_check,
            Invitation.status == InvitationStatus.PENDING,
        )
        .scalar_subquery()
    )
    approved_group = (
        select(func.count(ProposalEntry.id))
        .join(Proposal, Proposal.id == ProposalEntry.proposal_id)
        .where(
            Proposal.request_id == BookingRequest.id,
            Proposal.status == ProposalStatus.APPROVED,
            ProposalEntry.is_in_group,
        )
        .scalar_subquery()
    )
    return (
        select(
            BookingRequest.id,
            BookingRequest.title,
            BookingRequest.people_count,
            (booked + pending).label("holding"),
            approved_group.label("approved_group"),
            first_at.label("first_at"),
        )
        .where(
            BookingRequest.status.in_(LIVE_REQUEST_STATES),
            first_at > at("now"),
            booked + pending < BookingRequest.people_count,
        )
        .order_by(first_at, BookingRequest.id)
    )


def _short_item(row: tuple, moment: Moment) -> WorkItem:
    request_id, title, people, holding, approved_group, first_at = row
    return WorkItem(
        key=request_id,
        request_id=request_id,
        title=title,
        due_at=first_at,
        facts={
            "missing": people - holding,
            "people": people,
            "days": days_until(moment, first_at),
            # Someone of the approved group dropped out: a replacement is the step.
            "needs_replacement": holding < approved_group,
        },
    )


SHORT_GROUPS = Provider(key="short", query=_short_query, item=_short_item)


# -- Invitations whose reply deadline is within two days -----------------------------------


def _expiring_query():
    return (
        select(
            Invitation.id,
            Invitation.request_id,
            Invitation.reply_deadline_at,
            Invitation.is_interest_check,
            BookingRequest.title,
            Member.first_name,
            Member.last_name,
        )
        .join(BookingRequest, BookingRequest.id == Invitation.request_id)
        .join(Member, Member.id == Invitation.member_id)
        .where(
            Invitation.status == InvitationStatus.PENDING,
            Invitation.reply_deadline_at > at("now"),
            Invitation.reply_deadline_at <= at("expiry_until"),
        )
        .order_by(Invitation.reply_deadline_at, Invitation.id)
    )


def _expiring_item(row: tuple, _moment: Moment) -> WorkItem:
    invitation_id, request_id, deadline, is_interest, title, first, last = row
    return WorkItem(
        key=invitation_id,
        request_id=request_id,
        title=title,
        due_at=deadline,
        facts={"member": f"{first} {last}", "is_interest_check": is_interest},
    )


EXPIRING_INVITATIONS = Provider(
    key="expiring",
    query=_expiring_query,
    item=_expiring_item,
    params=lambda moment: {"now": moment.now, "expiry_until": moment.now + EXPIRY_HORIZON},
)


# -- What orderers answered or changed since the council last acted on the request ---------


def _changes_query():
    later, council = aliased(RequestEvent), aliased(User)
    handled = (
        select(later.id)
        .join(council, council.id == later.actor_id)
        .where(
            later.request_id == RequestEvent.request_id,
            later.at > RequestEvent.at,
            council.role == Role.COUNCIL,
        )
        .exists()
    )
    return (
        select(
            RequestEvent.id,
            RequestEvent.request_id,
            RequestEvent.action,
            RequestEvent.at,
            BookingRequest.title,
        )
        .join(BookingRequest, BookingRequest.id == RequestEvent.request_id)
        .join(User, User.id == RequestEvent.actor_id)
        .where(
            RequestEvent.action.in_(ORDERER_ACTIONS),
            User.role == Role.ORDERER,
            RequestEvent.at >= at("changed_since"),
            ~handled,
        )
        .order_by(RequestEvent.at, RequestEvent.id)
    )


def _changes_item(row: tuple, _moment: Moment) -> WorkItem:
    event_id, request_id, action, at, title = row
    return WorkItem(
        key=event_id, request_id=request_id, title=title, due_at=at, facts={"action": action}
    )


ORDERER_CHANGES = Provider(
    key="orderer_changes",
    query=_changes_query,
    item=_changes_item,
    params=lambda moment: {"changed_since": moment.now - CHANGE_HORIZON},
)
