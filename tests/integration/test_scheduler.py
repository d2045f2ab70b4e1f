"""The scheduler: one lease holder, jobs persisted with deliberate misfire rules, runs logged."""

import re
import subprocess
import sys
import threading
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from apscheduler.events import EVENT_JOB_EXECUTED, EVENT_JOB_MISSED
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import text
from sqlmodel import Session, delete, select

from app import create_app
from app.db import make_engine
from app.jobs.definitions import JOB_IDS, execute_job, job_table, scheduled_run
from app.jobs.lease import AdvisoryLease, RowLease
from app.jobs.settings import JobSettings
from app.mail.outbox import record_skipped
from app.models import Invitation, JobRun, SchedulerLease
from app.models.enums import Role
from scheduling.runner import build_scheduler, sync_jobs
from tests import scheduling_support
from tests.pool_support import signed_in
from tests.scheduling_support import START, booked_request, outbox

TTL = timedelta(seconds=30)


class Clock:
    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now


@pytest.fixture
def lease_name(engine):
    name = f"test-{uuid.uuid4().hex[:8]}"
    yield name
    with Session(engine) as session:
        session.exec(delete(SchedulerLease).where(SchedulerLease.name == name))
        session.commit()


def test_row_lease_has_one_holder_and_a_standby_takes_over_when_it_runs_out(engine, lease_name):
    clock = Clock(START)
    first = RowLease(engine, "first", TTL, clock, name=lease_name)
    second = RowLease(engine, "second", TTL, clock, name=lease_name)

    steps = [first.acquire(), second.acquire()]
    clock.now += timedelta(seconds=20)
    steps += [first.renew(), second.acquire()]
    clock.now += timedelta(seconds=20)  # still within the renewed lease
    steps.append(second.acquire())
    clock.now += timedelta(seconds=31)  # the first stopped renewing: its lease ran out
    steps += [second.acquire(), first.renew(), first.acquire()]
    second.release()
    steps.append(first.acquire())

    assert steps == [True, False, True, False, False, True, False, False, True]


@pytest.mark.postgres
def test_advisory_lease_passes_to_the_standby_when_the_holder_dies(engine, lease_name):
    first = AdvisoryLease(engine, "first", TTL, name=lease_name)
    second = AdvisoryLease(engine, "second", TTL, name=lease_name)
    try:
        assert (first.acquire(), second.acquire()) == (True, False)
        pid = first.connection.execute(text("SELECT pg_backend_pid()")).scalar()
        with engine.connect() as admin:  # the holder's process dies: its connection goes
            admin.execute(text("SELECT pg_terminate_backend(:pid)").bindparams(pid=pid))
            admin.commit()

        assert (first.renew(), second.acquire(), second.renew()) == (False, True, True)
        with Session(engine) as session:
            assert session.get(SchedulerLease, lease_name).holder == "second"
    finally:
        second.release()
        first.release()


@pytest.fixture
def job_app(app_config, tmp_path):
    return create_app({**app_config, "MAIL_OUTBOX": str(tmp_path / "outbox")})


def test_a_failing_job_is_rolled_back_and_logged_with_its_error(
    factory, db_session, job_app, monkeypatch
):
    booked_request(factory)

    def broken(**kwargs):
        from app.mail.outbox import queue_mail

        queue_mail(kwargs["session"], to="x@example.org", subject="s", body="b", key="half")
        raise RuntimeError("the fee table is missing")

    monkeypatch.setattr("app.services.booking.reminders.send_session_reminders", broken)
    run = execute_job(job_app, "send_reminders", now=START - timedelta(days=3))

    assert (run.outcome, run.error) == ("failed", "RuntimeError: the fee table is missing")
    assert outbox(db_session) == []
    logged = db_session.exec(select(JobRun)).all()
    assert [(r.job_id, r.outcome, r.queued) for r in logged] == [("send_reminders", "failed", 0)]


def test_the_delivery_job_sends_what_a_crashed_run_left_behind(
    factory, db_session, job_app, tmp_path
):
    from app.mail.outbox import discard_queued, queue_mail

    queue_mail(db_session, to="a@example.org", subject="Kvar", body="x", key="left:1")
    db_session.commit()
    discard_queued(db_session)  # the writer died before sending

    run = execute_job(job_app, "deliver_outbox", now=START)
    idle = execute_job(job_app, "deliver_outbox", now=START + timedelta(minutes=1))

    assert (run.sent, idle.sent) == (1, 0)
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == 1
    logged = db_session.exec(select(JobRun).order_by(JobRun.id)).all()
    assert [(r.job_id, r.sent) for r in logged] == [("deliver_outbox", 1), ("deliver_outbox", 0)]
    execute_job(job_app, "deliver_outbox", now=START + timedelta(minutes=2))
    # Of the runs that did nothing only the latest is kept.
    logged = db_session.exec(select(JobRun).order_by(JobRun.id)).all()
    assert [(r.job_id, r.sent, r.started_at) for r in logged] == [
        ("deliver_outbox", 1, START),
        ("deliver_outbox", 0, START + timedelta(minutes=2)),
    ]


def test_deadline_job_expires_unanswered_invitations_through_the_booking_service(
    factory, db_session, job_app
):
    request, _, members, _ = booked_request(factory, people=1)
    request.status = "approved"
    late = Invitation(
        request_id=request.id,
        member_id=members[0].id,
        token="late-" + "x" * 30,
        reply_deadline_at=START - timedelta(days=2),
    )
    db_session.add_all([request, late])
    db_session.flush()

    before = execute_job(job_app, "expire_invitations", now=START - timedelta(days=3))
    after = execute_job(job_app, "expire_invitations", now=START - timedelta(days=2, hours=-1))

    db_session.refresh(late)
    assert (before.detail, after.detail) == ({}, {"invitations_expired": 1})
    assert late.status == "expired"


def test_jobs_run_only_in_the_scheduler_process():
    with pytest.raises(RuntimeError, match="levbib scheduler"):
        scheduled_run("send_reminders")


def _store(tmp_path):
    return make_engine(f"sqlite:///{tmp_path / 'jobs.sqlite'}")


def test_a_run_missed_during_downtime_runs_once_when_the_scheduler_starts(tmp_path):
    engine = _store(tmp_path)
    scheduling_support.PROBE_RUNS.clear()
    events, done = [], threading.Event()

    def listen(event):
        events.append(event.code)
        done.set()

    scheduler = build_scheduler(engine, "Europe/Stockholm")
    scheduler.add_listener(listen, EVENT_JOB_EXECUTED | EVENT_JOB_MISSED)
    scheduler.start(paused=True)
    # Due every 10 minutes, last due 3 hours ago: 18 runs were missed while it was down.
    scheduler.add_job(
        "tests.scheduling_support:probe_job",
        trigger=IntervalTrigger(minutes=10),
        args=["late"],
        id="probe",
        next_run_time=datetime.now(UTC) - timedelta(hours=3),
    )
    scheduler.resume()
    assert done.wait(timeout=60)
    scheduler.shutdown(wait=True)

    assert events == [EVENT_JOB_EXECUTED]  # run (not dropped as missed), and only once
    assert scheduling_support.PROBE_RUNS == ["late"]
    engine.dispose()


def test_jobs_are_stored_once_and_keep_their_next_run_across_restarts(tmp_path):
    engine = _store(tmp_path)
    settings = JobSettings()
    first = build_scheduler(engine, settings.timezone)
    first.start(paused=True)
    sync_jobs(first, job_table(settings))
    later = datetime(2030, 1, 1, tzinfo=UTC)
    first.modify_job("send_reminders", next_run_time=later)
    first.shutdown()

    restarted = build_scheduler(engine, settings.timezone)
    restarted.start(paused=True)
    sync_jobs(restarted, job_table(settings))
    kept = restarted.get_job("send_reminders").next_run_time
    sync_jobs(restarted, job_table(JobSettings(scan_seconds=300)))
    changed = restarted.get_job("send_reminders")
    ids = sorted(job.id for job in restarted.get_jobs())
    restarted.shutdown()

    assert ids == sorted(JOB_IDS)
    assert kept == later
    assert (str(changed.trigger), changed.next_run_time < later) == (
        "interval[0:05:00]",
        True,
    )
    engine.dispose()


@pytest.mark.slow
def test_web_app_never_loads_the_scheduler():
    code = (
        "import sys; from app import create_app; app = create_app(); "
        "app.test_client().get('/healthz'); "
        "print(sorted(m for m in sys.modules if m.startswith('apscheduler')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )

    assert result.stdout.strip() == "[]"


def test_council_sees_jobs_runs_and_message_outcomes(factory, db_session, job_app):
    booked_request(factory)
    execute_job(job_app, "send_reminders", now=START - timedelta(hours=12), holder="host:1:abc")
    record_skipped(
        db_session, key="x:1", kind="reminder_7d", to="", reason="the session had already started"
    )
    db_session.add(
        JobRun(
            job_id="run_reviews",
            holder="host:1:abc",
            started_at=START,
            outcome="failed",
            error="OperationalError: gone",
        )
    )
    db_session.flush()
    client, _ = signed_in(job_app, factory, Role.COUNCIL)

    page = client.get("/council/jobs/").get_data(as_text=True)
    skipped = client.get("/council/jobs/?status=skipped").get_data(as_text=True)

    assert "Reminders before sessions" in page
    assert "6-monthly member reviews" in page
    assert "OperationalError: gone" in page
    assert "too late: the 1-day reminder is due instead" in page
    assert _message_statuses(skipped) == ["Skipped"] * 4
    assert sorted(_message_statuses(page)) == ["Sent"] * 3 + ["Skipped"] * 4


def _message_statuses(html: str) -> list[str]:
    """Return the status cell of each row of the page's message table."""
    table = html.split('id="outbox-messages"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(
        r"<tr>\s*<td>.*?</td>\s*<td>.*?</td>\s*<td>.*?</td>\s*<td>(.*?)</td>", table, re.S
    )
    return [cell.split(" ")[0].strip() for cell in rows]
