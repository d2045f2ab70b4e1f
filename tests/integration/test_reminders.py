"""Reminders 7 and 1 days before each session, each once; late ones sent or dropped after downtime."""

import logging
from datetime import timedelta

import pytest
from sqlmodel import select

from app import create_app
from app.jobs.definitions import execute_job
from app.models import Assignment, JobRun
from app.services.booking.reminders import send_session_reminders
from tests.scheduling_support import CTX, START, booked_request, outbox

DAY = timedelta(days=1)


def _remind(db_session, now, **kwargs):
    return send_session_reminders(session=db_session, now=now, ctx=CTX, **kwargs)


def _kinds(db_session):
    return [(row.kind, row.status, row.recipient) for row in outbox(db_session)]


def test_no_reminder_before_the_first_is_due(factory, db_session):
    booked_request(factory)

    tally = _remind(db_session, START - 7 * DAY - timedelta(minutes=1))

    assert (tally.queued, outbox(db_session)) == (0, [])


def test_members_and_orderer_get_the_7_and_the_1_day_reminder_once_each(factory, db_session):
    _, _, members, orderer = booked_request(factory)
    everyone = [members[0].email, members[1].email, orderer.email]

    first = _remind(db_session, START - 7 * DAY + timedelta(minutes=5))
    again = _remind(db_session, START - 6 * DAY)
    second = _remind(db_session, START - DAY + timedelta(minutes=5))
    last = _remind(db_session, START - timedelta(hours=1))

    assert [t.queued for t in (first, again, second, last)] == [3, 0, 3, 0]
    assert _kinds(db_session) == [("reminder_7d", "pending", a) for a in everyone] + [
        ("reminder_1d", "pending", a) for a in everyone
    ]


def test_reminder_says_when_where_and_what_to_think_about(factory, db_session):
    _, _, members, orderer = booked_request(
        factory, title="Samråd om cancervården", expectations="Tänk på väntetiderna."
    )

    _remind(db_session, START - DAY)

    to_member, _, to_orderer = outbox(db_session, status="pending")
    assert to_member.subject == "Reminder: Samråd om cancervården on 2027-03-04 09:00"
    assert "Hello Person0," in to_member.body
    assert "Video link: https://meet.example/x" in to_member.body
    assert "Think about beforehand: Tänk på väntetiderna." in to_member.body
    assert "Questions go to the council: radet@region.example" in to_member.body
    assert to_orderer.recipient == orderer.email
    assert "These people are coming:\n\n- Person0\n- Person1" in to_orderer.body


def test_after_downtime_a_still_useful_reminder_is_sent_late(factory, db_session):
    booked_request(factory)

    # Down from before the 7-day mark until 3 days before the session: still worth sending.
    tally = _remind(db_session, START - 3 * DAY)

    assert (tally.queued, tally.skipped) == (3, 0)
    assert {row.kind for row in outbox(db_session)} == {"reminder_7d"}


def test_after_downtime_a_superseded_reminder_is_dropped_and_logged(factory, db_session, caplog):
    booked_request(factory)

    with caplog.at_level(logging.WARNING, logger="app.mail.outbox"):
        tally = _remind(db_session, START - timedelta(hours=12))

    rows = outbox(db_session)
    assert (tally.queued, tally.skipped) == (3, 3)
    assert [(r.kind, r.status) for r in rows] == [
        ("reminder_7d", "skipped"),
        ("reminder_1d", "pending"),
    ] * 3
    assert {r.skip_reason for r in rows if r.status == "skipped"} == {
        "too late: the 1-day reminder is due instead"
    }
    assert len([m for m in caplog.messages if m.startswith("Not sending reminder:7d:")]) == 3


def test_after_downtime_past_the_start_nothing_is_sent_and_each_drop_is_logged_once(
    factory, db_session
):
    booked_request(factory)

    first = _remind(db_session, START + timedelta(hours=1))
    again = _remind(db_session, START + timedelta(hours=2))

    assert (first.queued, first.skipped, again.skipped) == (0, 6, 0)
    assert {r.skip_reason for r in outbox(db_session)} == {"the session had already started"}


def test_withdrawn_members_and_cancelled_requests_get_no_reminder(factory, db_session):
    _, _, members, orderer = booked_request(factory)
    other, _, _, _ = booked_request(factory, starts_at=START + timedelta(hours=3))
    withdrawn = db_session.exec(
        select(Assignment).where(Assignment.member_id == members[0].id)
    ).one()
    withdrawn.status, other.status = "withdrawn", "cancelled"
    db_session.add_all([withdrawn, other])
    db_session.flush()

    _remind(db_session, START - DAY + timedelta(minutes=5))

    assert [r.recipient for r in outbox(db_session, status="pending")] == [
        members[1].email,
        orderer.email,
    ]


def test_reminder_days_are_configurable(factory, db_session):
    booked_request(factory)

    tally = _remind(db_session, START - 3 * DAY, offsets=(3,))

    assert tally.queued == 3
    assert {row.key.split(":")[1] for row in outbox(db_session)} == {"3d"}


@pytest.fixture
def job_app(app_config, tmp_path):
    return create_app({**app_config, "MAIL_OUTBOX": str(tmp_path / "outbox")})


def test_reminder_job_logs_its_run_and_delivers_after_commit(
    factory, db_session, job_app, tmp_path
):
    booked_request(factory)

    run = execute_job(job_app, "send_reminders", now=START - 3 * DAY, holder="test")
    again = execute_job(job_app, "send_reminders", now=START - 3 * DAY + timedelta(minutes=9))

    assert (run.outcome, run.queued, run.sent, run.failed) == ("ok", 3, 3, 0)
    assert (again.queued, again.sent) == (0, 0)
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == 3
    assert {row.status for row in outbox(db_session)} == {"sent"}
    logged = db_session.exec(select(JobRun).order_by(JobRun.id)).all()
    assert [(r.job_id, r.holder, r.sent) for r in logged] == [
        ("send_reminders", "test", 3),
        ("send_reminders", "cli", 0),
    ]
