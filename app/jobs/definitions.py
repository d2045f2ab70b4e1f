"""The scheduled jobs: thin wrappers that run one app service in its own unit of work.

Each run is one transaction: the job's service decides and writes outbox rows, the run is
logged (``job_run``), everything commits together, and only then is the mail delivered. On
PostgreSQL a transaction-level advisory lock per job keeps two runs of the same job (a second
scheduler, ``levbib scheduler --run-once``) from deciding at the same time; on SQLite the run's
first write takes the database's write lock. Either way the outbox keys make a repeated
decision a no-op. This module imports no APScheduler, so the web app can list the jobs.
"""

from __future__ import annotations

import logging
import time
import traceback
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import text
from sqlmodel import Session

from app.jobs.settings import JobSettings, job_settings
from app.mail.context import MailContext
from app.mail.outbox import QUEUE_KEY, MailSettings, deliver_outbox, discard_queued
from app.models import JobRun
from app.models.base import utcnow
from app.models.enums import JobOutcome
from app.services.job_log import Tally, is_idle, prune_idle_runs
from scheduling.job_table import JobTable

logger = logging.getLogger(__name__)

#: First key of every PostgreSQL advisory lock this project takes ("LBIB").
LOCK_NAMESPACE = 0x4C424942


@dataclass(frozen=True)
class JobContext:
    """What a job gets: a session (its unit of work), the clock, mail context and settings."""

    session: Session
    now: datetime
    ctx: MailContext
    settings: JobSettings
    mail: MailSettings


@dataclass(frozen=True)
class JobDefinition:
    """A job: its id, when it runs, and its body (None for the outbox delivery)."""

    id: str
    #: ("interval", seconds-setting name), ("cron", "HH:MM" local time) or
    #: ("weekly", "mon HH:MM": a weekday as cron names it, and a local time).
    schedule: tuple[str, str]
    body: Callable[[JobContext], Tally] | None = None

    def every(self, settings: JobSettings) -> tuple[str, str | int]:
        """Return ("daily", "HH:MM"), ("weekly", "mon HH:MM") or ("minutes", n) for the page."""
        kind, value = self.schedule
        if kind == "cron":
            return "daily", value
        if kind == "weekly":
            return "weekly", value
        return "minutes", max(1, getattr(settings, value) // 60)


def _reminders(job: JobContext) -> Tally:
    from app.services.booking.reminders import send_session_reminders

    return send_session_reminders(
        session=job.session,
        now=job.now,
        ctx=job.ctx,
        offsets=job.settings.reminder_days,
        zone=ZoneInfo(job.settings.timezone),
    )


def _deadlines(job: JobContext) -> Tally:
    # The booking service owns the deadline and the replacement flow behind it.
    from app.services.booking.changes import expire_invitations

    tally = Tally()
    expired = expire_invitations(session=job.session, ctx=job.ctx, now=job.now)
    tally.count("invitations_expired", len(expired))
    return tally


def _completion(job: JobContext) -> Tally:
    from app.services.booking.completion import complete_finished_work

    return complete_finished_work(session=job.session, now=job.now)


def _surveys(job: JobContext) -> Tally:
    from app.services.feedback.surveys import send_feedback_surveys

    delay = timedelta(hours=job.settings.survey_delay_hours)
    return send_feedback_surveys(session=job.session, now=job.now, ctx=job.ctx, delay=delay)


def _claim_reminders(job: JobContext) -> Tally:
    from app.services.compensation.claim_reminders import send_claim_reminders

    return send_claim_reminders(
        session=job.session,
        now=job.now,
        ctx=job.ctx,
        frequency=job.settings.payout_frequency,
        days_before=job.settings.claim_reminder_days,
        zone=ZoneInfo(job.settings.timezone),
    )


def _reviews(job: JobContext) -> Tally:
    from app.services.pool.reviews import run_member_reviews

    return run_member_reviews(
        session=job.session,
        now=job.now,
        ctx=job.ctx,
        months=job.settings.review_months,
        reminder_after=timedelta(days=job.settings.review_reminder_days),
        pause_after=timedelta(days=job.settings.review_pause_days),
        zone=ZoneInfo(job.settings.timezone),
    )


def _figure_warnings(job: JobContext) -> Tally:
    from app.services.compensation.figure_warnings import warn_missing_figures

    return warn_missing_figures(
        session=job.session, now=job.now, ctx=job.ctx, zone=ZoneInfo(job.settings.timezone)
    )


def _mandate_reminders(job: JobContext) -> Tally:
    from app.services.nominations.mandates import send_mandate_reminders

    return send_mandate_reminders(
        session=job.session,
        now=job.now,
        ctx=job.ctx,
        days_before=job.settings.mandate_reminder_days,
        zone=ZoneInfo(job.settings.timezone),
    )


def _retention(job: JobContext) -> Tally:
    from app.services.privacy.retention import apply_retention
    from app.services.recruitment.retention import apply_applicant_retention

    retention = timedelta(days=job.settings.retention_days)
    tally, files = apply_retention(session=job.session, now=job.now, retention=retention)
    job.session.info.setdefault("levbib_delete_files", []).extend(files)
    applicants = apply_applicant_retention(session=job.session, now=job.now, retention=retention)
    tally.count("applicants_anonymised", applicants)
    return tally


def _acceptance_model(job: JobContext) -> Tally:
    from app.services.matchmaking.acceptance_model import train_and_store

    run = train_and_store(session=job.session, now=job.now)
    tally = Tally()
    if run.stored is not None:
        tally.count("model_version", run.stored.version)
        tally.count("answers", run.stored.n_samples)
        if not run.in_use:  # no better than the prior on the newest answers: not used
            tally.count("model_not_used", run.stored.version)
    elif run.reason == "too_few_answers":
        tally.count("answers_below_minimum", run.model.n_samples)
    return tally


def _late_material(job: JobContext) -> Tally:
    from app.services.journey.material_reminders import remind_late_material

    return remind_late_material(
        session=job.session, now=job.now, ctx=job.ctx, zone=ZoneInfo(job.settings.timezone)
    )


def _orderer_digest(job: JobContext) -> Tally:
    from app.services.journey.digest import send_orderer_digest

    return send_orderer_digest(
        session=job.session, now=job.now, ctx=job.ctx, zone=ZoneInfo(job.settings.timezone)
    )


DELIVERY = "deliver_outbox"
JOBS: tuple[JobDefinition, ...] = (
    JobDefinition(DELIVERY, ("interval", "delivery_seconds")),
    JobDefinition("send_reminders", ("interval", "scan_seconds"), _reminders),
    JobDefinition("expire_invitations", ("interval", "scan_seconds"), _deadlines),
    JobDefinition("complete_finished_work", ("interval", "scan_seconds"), _completion),
    JobDefinition("send_surveys", ("interval", "scan_seconds"), _surveys),
    JobDefinition("send_claim_reminders", ("cron", "09:00"), _claim_reminders),
    JobDefinition("run_reviews", ("cron", "09:30"), _reviews),
    JobDefinition("apply_retention", ("cron", "03:15"), _retention),
    JobDefinition("remind_mandates", ("cron", "09:15"), _mandate_reminders),
    JobDefinition("warn_missing_figures", ("cron", "08:00"), _figure_warnings),
    JobDefinition("train_acceptance_model", ("cron", "02:30"), _acceptance_model),
    JobDefinition("remind_late_material", ("cron", "08:30"), _late_material),
    JobDefinition("send_orderer_digest", ("weekly", "mon 07:00"), _orderer_digest),
)
JOB_IDS = tuple(job.id for job in JOBS)


def job_definition(job_id: str) -> JobDefinition:
    """Return a job's definition by id."""
    for job in JOBS:
        if job.id == job_id:
            return job
    raise KeyError(job_id)


def lock_key(name: str) -> int:
    """Return a stable 31-bit key for a PostgreSQL advisory lock named ``name``."""
    return zlib.crc32(name.encode()) & 0x7FFFFFFF


def _serialise(session: Session, job_id: str) -> None:
    """Let one run of a job decide at a time, across processes."""
    if session.get_bind().dialect.name == "postgresql":
        session.exec(
            text("SELECT pg_advisory_xact_lock(:namespace, :key)").bindparams(
                namespace=LOCK_NAMESPACE, key=lock_key(f"job:{job_id}")
            )
        )


def execute_job(app, job_id: str, *, now: datetime | None = None, holder: str = "cli") -> JobRun:
    """Run one job now in its own unit of work, log the run, then deliver its mail."""
    from app.mail.settings import mail_context, mail_settings

    definition = job_definition(job_id)
    with app.app_context():
        now = now or utcnow()
        settings, mail = job_settings(app.config), mail_settings(app.config, app.instance_path)
        started = time.monotonic()
        with app.extensions["db_session_factory"]() as session:
            if definition.body is None:
                return _deliver(session, mail, job_id, holder, now, started)
            run = JobRun(job_id=job_id, holder=holder, started_at=now)
            try:
                _serialise(session, job_id)
                session.add(run)
                session.flush()  # on SQLite: take the write lock before deciding anything
                tally = definition.body(JobContext(session, now, mail_context(), settings, mail))
                run.queued = len(session.info.get(QUEUE_KEY, []))
                run.skipped, run.detail = tally.skipped, tally.detail
                run.finished_at = now + timedelta(seconds=time.monotonic() - started)
                session.commit()
            except Exception as error:  # any failure becomes the logged outcome of the run
                return _failed(session, job_id, holder, now, started, error)
            _after_commit(session, mail, run, now)
            _delete_files(session, settings.receipt_folder or Path(app.instance_path) / "receipts")
            return run


def _after_commit(session, mail, run, now) -> None:
    ids = [item["id"] for item in session.info.pop(QUEUE_KEY, [])]
    if ids:
        delivery = deliver_outbox(session=session, settings=mail, now=now, ids=ids)
        run.sent, run.failed = len(delivery.delivered), delivery.failed
        session.add(run)
        session.commit()
    _forget_idle(session, run)


def _delete_files(session: Session, folder: Path) -> None:
    """Remove receipt files whose rows the committed run deleted."""
    for name in session.info.pop("levbib_delete_files", []):
        (folder / name).unlink(missing_ok=True)


def _deliver(session, mail, job_id, holder, now, started) -> JobRun:
    """The delivery job: send what is pending (crash leftovers, retries) and log it."""
    try:
        delivery = deliver_outbox(session=session, settings=mail, now=now)
    except Exception as error:
        return _failed(session, job_id, holder, now, started, error)
    run = JobRun(
        job_id=job_id,
        holder=holder,
        started_at=now,
        finished_at=now + timedelta(seconds=time.monotonic() - started),
        sent=len(delivery.delivered),
        failed=delivery.failed,
    )
    session.add(run)
    session.commit()
    _forget_idle(session, run)
    return run


def _forget_idle(session: Session, run: JobRun) -> None:
    """Of runs that did nothing only the latest is kept: it shows the job is alive."""
    if is_idle(run):
        prune_idle_runs(session=session, job_id=run.job_id, latest_id=run.id)
        session.commit()


def _failed(session, job_id, holder, now, started, error) -> JobRun:
    session.rollback()
    discard_queued(session)
    # The driver's message without the statement's parameters, which may hold personal data.
    message = f"{type(error).__name__}: {getattr(error, 'orig', None) or error}"
    frames = "".join(traceback.format_tb(error.__traceback__))
    logger.error("Job %s failed: %s\n%s", job_id, message, frames)
    run = JobRun(
        job_id=job_id,
        holder=holder,
        started_at=now,
        finished_at=now + timedelta(seconds=time.monotonic() - started),
        outcome=JobOutcome.FAILED,
        error=message[:2000],
    )
    session.add(run)
    session.commit()
    return run


#: Set by ``levbib scheduler`` in its own process: the app and the holder name jobs run under.
_BOUND: dict = {}


def bind_app(app, holder: str) -> None:
    """Make scheduled runs in this process use ``app`` (called by the scheduler runner only)."""
    _BOUND.update(app=app, holder=holder)


def scheduled_run(job_id: str) -> None:
    """Entry point APScheduler calls (stored by reference in the job store)."""
    if "app" not in _BOUND:
        raise RuntimeError("Scheduled jobs run only in `levbib scheduler`.")
    execute_job(_BOUND["app"], job_id, holder=_BOUND["holder"])


def job_table(settings: JobSettings) -> JobTable:
    """Return the jobs as the generic runner (``scheduling.runner``) takes them."""
    return JobTable(
        jobs=JOBS,
        function_ref=f"{__name__}:scheduled_run",
        timezone=settings.timezone,
        interval_seconds=lambda name: int(getattr(settings, name)),
    )
