"""The request and assignment state machines, and the job that completes finished work."""

from datetime import timedelta

import pytest
from sqlmodel import select

from app import create_app
from app.jobs.definitions import JOB_IDS, execute_job
from app.models import Assignment, AuditEvent, BookingRequest, RequestEvent
from app.models.enums import AssignmentStatus, RequestStatus, Role
from app.services.booking.completion import complete_finished_work
from app.services.errors import Conflict
from app.services.requests.states import (
    REQUEST_STEPS,
    allowed_steps,
    move_assignment,
    move_request,
    request_transitions,
)
from tests.scheduling_support import START, booked_request

#: Every allowed (step, source state) and the state it leads to; every other pair is refused.
ALLOWED = {
    ("submitted", "draft"): "submitted",
    ("asked", "submitted"): "question",
    ("asked", "question"): "question",
    ("answered", "question"): "submitted",
    ("declined", "submitted"): "declined",
    ("declined", "question"): "declined",
    ("interest_asked", "submitted"): "interest",
    ("interest_asked", "question"): "interest",
    ("interest_asked", "interest"): "interest",
    ("interest_ended", "interest"): "submitted",
    ("approved", "submitted"): "approved",
    ("approved", "question"): "approved",
    ("approved", "interest"): "approved",
    ("booked", "approved"): "booked",
    ("reopened", "booked"): "approved",
    ("cancelled", "submitted"): "cancelled",
    ("cancelled", "question"): "cancelled",
    ("cancelled", "interest"): "cancelled",
    ("cancelled", "approved"): "cancelled",
    ("cancelled", "booked"): "cancelled",
    ("completed", "booked"): "completed",
}


def _events(db_session, request) -> list[tuple[str, int | None, dict]]:
    query = select(RequestEvent).where(RequestEvent.request_id == request.id)
    return [
        (e.action, e.actor_id, e.detail) for e in db_session.exec(query.order_by(RequestEvent.id))
    ]


def test_the_request_graph_is_drawn_from_the_steps():
    assert {state: sorted(targets) for state, targets in request_transitions().items()} == {
        "draft": ["submitted"],
        "submitted": ["approved", "cancelled", "declined", "interest", "question"],
        "question": ["approved", "cancelled", "declined", "interest", "question", "submitted"],
        "interest": ["approved", "cancelled", "interest", "submitted"],
        "approved": ["booked", "cancelled"],
        "booked": ["approved", "cancelled", "completed"],
        "declined": [],
        "cancelled": [],
        "completed": [],
    }


def test_each_step_moves_only_from_its_source_states(factory, db_session):
    orderer = factory.user(Role.ORDERER)
    outcome = {}
    for action in REQUEST_STEPS:
        for state in RequestStatus:
            request = factory.booking_request(orderer, status=state)
            try:
                move_request(session=db_session, booking_request=request, action=action)
            except Conflict:
                assert (request.status, _events(db_session, request)) == (state, [])
            else:
                outcome[(str(action), str(state))] = str(request.status)

    assert outcome == ALLOWED


def test_a_decision_stamps_who_and_when_and_is_logged_and_audited(factory, db_session):
    orderer, council = factory.user(Role.ORDERER), factory.user(Role.COUNCIL)
    request = factory.booking_request(orderer)

    move_request(
        session=db_session,
        booking_request=request,
        action="approved",
        actor_id=council.id,
        now=START,
        member_ids=[7],
    )
    decided = (request.decided_at, request.decided_by_id)
    move_request(session=db_session, booking_request=request, action="booked", now=START, count=1)
    db_session.flush()

    assert decided == (START, council.id)
    assert (request.status, request.decided_at, request.decided_by_id) == (
        "booked",
        START,
        council.id,
    )
    assert _events(db_session, request) == [
        ("approved", council.id, {"member_ids": [7]}),
        ("booked", None, {"count": 1}),
    ]
    audit = db_session.exec(
        select(AuditEvent.action, AuditEvent.actor_id)
        .where(AuditEvent.subject_type == "booking_request", AuditEvent.subject_id == request.id)
        .order_by(AuditEvent.id)
    ).all()
    assert audit == [("request.approved", council.id), ("request.booked", None)]


def test_the_steps_a_request_may_take_now():
    assert allowed_steps(BookingRequest(status="interest")) == {
        "interest_asked",
        "interest_ended",
        "approved",
        "cancelled",
    }
    assert allowed_steps(BookingRequest(status="completed")) == set()


def test_assignment_moves_are_checked_and_audited(factory, db_session):
    orderer = factory.user(Role.ORDERER)
    request = factory.booking_request(orderer, status="booked")
    outcome = {}
    for source in AssignmentStatus:
        for target in AssignmentStatus:
            assignment = factory.assignment(factory.member(), request, status=source)
            try:
                move_assignment(session=db_session, assignment=assignment, to=target)
            except Conflict:
                assert assignment.status == source
            else:
                outcome[(str(source), str(target))] = str(assignment.status)
    db_session.flush()

    assert outcome == {
        ("booked", "withdrawn"): "withdrawn",
        ("booked", "cancelled"): "cancelled",
        ("booked", "completed"): "completed",
        ("booked", "no_show"): "no_show",
        ("completed", "no_show"): "no_show",
        # A corrected attendance mark (docs/domain.md §6.2) takes a no-show back.
        ("no_show", "booked"): "booked",
        ("no_show", "completed"): "completed",
    }
    audited = db_session.exec(
        select(AuditEvent.action).where(AuditEvent.subject_type == "assignment")
    ).all()
    assert sorted(audited) == [
        "assignment.booked",
        "assignment.cancelled",
        "assignment.completed",
        "assignment.completed",
        "assignment.no_show",
        "assignment.no_show",
        "assignment.withdrawn",
    ]


def _statuses(db_session, request) -> tuple[str, list[str]]:
    db_session.refresh(request)
    query = select(Assignment.status).where(Assignment.request_id == request.id)
    return request.status, list(db_session.exec(query.order_by(Assignment.id)))


def test_finished_work_is_completed_once(factory, db_session):
    request, item, _, _ = booked_request(factory)
    ended = item.ends_at

    early = complete_finished_work(session=db_session, now=ended - timedelta(minutes=1))
    before = _statuses(db_session, request)
    first = complete_finished_work(session=db_session, now=ended)
    again = complete_finished_work(session=db_session, now=ended + timedelta(days=1))

    assert (early.detail, before) == ({}, ("booked", ["booked", "booked"]))
    assert first.detail == {"assignments_completed": 2, "requests_completed": 1}
    assert again.detail == {}
    assert _statuses(db_session, request) == ("completed", ["completed", "completed"])
    assert [action for action, _, _ in _events(db_session, request)] == ["completed"]


def test_a_course_is_completed_only_after_its_last_session(factory, db_session):
    request, item, _, _ = booked_request(factory, people=1)
    factory.request_session(request, START + timedelta(days=7), hours=2)
    factory.request_session(request, START + timedelta(days=14), hours=2)

    midway = complete_finished_work(session=db_session, now=START + timedelta(days=8))
    halfway = _statuses(db_session, request)
    after = complete_finished_work(session=db_session, now=START + timedelta(days=14, hours=2))

    assert (midway.detail, halfway) == ({}, ("booked", ["booked"]))
    assert after.detail == {"assignments_completed": 1, "requests_completed": 1}
    assert _statuses(db_session, request) == ("completed", ["completed"])


def test_only_booked_requests_and_bookings_are_completed(factory, db_session):
    approved, item, members, _ = booked_request(factory, people=2)
    approved.status = "approved"  # a place is still open
    db_session.add(approved)
    move_assignment(
        session=db_session,
        assignment=db_session.exec(
            select(Assignment).where(Assignment.member_id == members[1].id)
        ).one(),
        to="withdrawn",
    )

    tally = complete_finished_work(session=db_session, now=item.ends_at)

    assert tally.detail == {"assignments_completed": 1}
    assert _statuses(db_session, approved) == ("approved", ["completed", "withdrawn"])


@pytest.fixture
def job_app(app_config, tmp_path):
    return create_app({**app_config, "MAIL_OUTBOX": str(tmp_path / "outbox")})


def test_the_scheduled_job_completes_finished_work(factory, db_session, job_app):
    request, item, _, _ = booked_request(factory)
    db_session.commit()

    run = execute_job(job_app, "complete_finished_work", now=item.ends_at + timedelta(hours=1))

    assert "complete_finished_work" in JOB_IDS
    assert (run.outcome, run.detail) == (
        "ok",
        {"assignments_completed": 2, "requests_completed": 1},
    )
    db_session.expire_all()
    assert _statuses(db_session, request) == ("completed", ["completed", "completed"])
