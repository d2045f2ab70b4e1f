"""Worklist sections about people and mail: conflicts, debriefs, claims, failed messages."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from app.models import (
    Assignment,
    BookingRequest,
    CompensationClaim,
    DebriefRequest,
    Member,
    RequestSession,
)
from app.models.enums import ClaimStatus, DebriefStatus, OutboxStatus
from app.models.outbox import OutboxMessage
from app.services.requests.states import HOLDING_ASSIGNMENTS, LIVE_REQUEST_STATES
from app.services.worklist.sections import Moment, Provider, WorkItem, at, no_params

#: How long a message that could not be sent stays on the list.
FAILED_MAIL_HORIZON = timedelta(days=14)


# -- Booked people who declared a conflict of interest, before the work is over ------------


def _conflicts_query():
    still_ahead = (
        select(RequestSession.id)
        .where(
            RequestSession.request_id == Assignment.request_id,
            RequestSession.ends_at > at("now"),
        )
        .exists()
    )
    return (
        select(
            Assignment.id,
            Assignment.request_id,
            Assignment.conflict_declared_at,
            BookingRequest.title,
            Member.first_name,
            Member.last_name,
        )
        .join(BookingRequest, BookingRequest.id == Assignment.request_id)
        .join(Member, Member.id == Assignment.member_id)
        .where(
            BookingRequest.status.in_(LIVE_REQUEST_STATES),
            Assignment.status.in_(HOLDING_ASSIGNMENTS),
            Assignment.conflict_declaration != "",
            Assignment.conflict_decision == "",  # decided ones are done (journey.conflicts)
            still_ahead,
        )
        .order_by(Assignment.conflict_declared_at, Assignment.id)
    )


def _conflicts_item(row: tuple, _moment: Moment) -> WorkItem:
    assignment_id, request_id, declared_at, title, first, last = row
    return WorkItem(
        key=assignment_id,
        request_id=request_id,
        title=title,
        due_at=declared_at,
        facts={"member": f"{first} {last}"},
    )


DECLARED_CONFLICTS = Provider(key="conflicts", query=_conflicts_query, item=_conflicts_item)


# -- Members who asked for a debrief after a meeting, oldest first (journey.debriefs) -------


def _debriefs_query():
    return (
        select(
            DebriefRequest.id,
            DebriefRequest.request_id,
            DebriefRequest.asked_at,
            BookingRequest.title,
            Member.first_name,
            Member.last_name,
        )
        .join(BookingRequest, BookingRequest.id == DebriefRequest.request_id)
        .join(Member, Member.id == DebriefRequest.member_id)
        .where(DebriefRequest.status == DebriefStatus.OPEN)
        .order_by(DebriefRequest.asked_at, DebriefRequest.id)
    )


def _debriefs_item(row: tuple, _moment: Moment) -> WorkItem:
    debrief_id, request_id, asked_at, title, first, last = row
    return WorkItem(
        key=debrief_id,
        request_id=request_id,
        title=title,
        due_at=asked_at,
        facts={"member": f"{first} {last}"},
    )


OPEN_DEBRIEFS = Provider(
    key="debriefs", query=_debriefs_query, item=_debriefs_item, params=no_params
)


# -- Claims sent by members and waiting for attestation ------------------------------------


def _claims_query():
    return (
        select(
            CompensationClaim.id,
            Assignment.request_id,
            CompensationClaim.submitted_at,
            BookingRequest.title,
            Member.first_name,
            Member.last_name,
        )
        .join(Assignment, Assignment.id == CompensationClaim.assignment_id)
        .join(BookingRequest, BookingRequest.id == Assignment.request_id)
        .join(Member, Member.id == CompensationClaim.member_id)
        .where(CompensationClaim.status == ClaimStatus.SUBMITTED)
        .order_by(CompensationClaim.submitted_at, CompensationClaim.id)
    )


def _claims_item(row: tuple, _moment: Moment) -> WorkItem:
    claim_id, request_id, submitted_at, title, first, last = row
    return WorkItem(
        key=claim_id,
        request_id=request_id,
        title=title,
        due_at=submitted_at,
        facts={"member": f"{first} {last}"},
    )


CLAIMS_TO_ATTEST = Provider(key="claims", query=_claims_query, item=_claims_item, params=no_params)


# -- Messages the outbox gave up on ---------------------------------------------------------


def _failed_query():
    return (
        select(
            OutboxMessage.id, OutboxMessage.subject, OutboxMessage.kind, OutboxMessage.created_at
        )
        .where(
            OutboxMessage.status == OutboxStatus.FAILED,
            OutboxMessage.created_at >= at("failed_since"),
        )
        .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
    )


def _failed_item(row: tuple, _moment: Moment) -> WorkItem:
    message_id, subject, kind, created_at = row
    return WorkItem(
        key=message_id, request_id=None, title=subject, due_at=created_at, facts={"kind": kind}
    )


FAILED_MAIL = Provider(
    key="failed_mail",
    query=_failed_query,
    item=_failed_item,
    params=lambda moment: {"failed_since": moment.now - FAILED_MAIL_HORIZON},
)
