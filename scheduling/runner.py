"""``levbib scheduler``: APScheduler in its own process, running only while it holds the lease.

Jobs live in the app's database (APScheduler's SQLAlchemy job store, table ``scheduler_job``),
so a restart keeps their next run times. Every job is an idempotent scan guarded by outbox
keys, so running one late is always safe and running it once for many missed runs is enough:
``misfire_grace_time=None`` (run however late — APScheduler's default of 1 second would silently
drop a run missed during a restart) and ``coalesce=True`` (one run for all missed ones). Whether
a late reminder is still worth sending is the reminder job's own decision.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import Engine

from scheduling.jobs import JOBS, JobDefinition, bind_app
from scheduling.settings import JobSettings

logger = logging.getLogger(__name__)

JOB_DEFAULTS = {"coalesce": True, "misfire_grace_time": None, "max_instances": 1}
JOB_TABLE = "scheduler_job"
JOB_FUNCTION = "scheduling.jobs:scheduled_run"


def holder_name() -> str:
    """Return this process's name in the lease and the run log: host:pid:random."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def build_scheduler(engine: Engine, timezone: str) -> BackgroundScheduler:
    """Return a scheduler with the job store in the app's database and deliberate misfire rules."""
    return BackgroundScheduler(
        jobstores={"default": SQLAlchemyJobStore(engine=engine, tablename=JOB_TABLE)},
        executors={"default": ThreadPoolExecutor(4)},
        job_defaults=JOB_DEFAULTS,
        timezone=ZoneInfo(timezone),
    )


def trigger_for(job: JobDefinition, settings: JobSettings):
    """Return the APScheduler trigger of a job under the given settings."""
    kind, value = job.schedule
    zone = ZoneInfo(settings.timezone)
    if kind == "cron":
        hour, minute = value.split(":")
        return CronTrigger(hour=int(hour), minute=int(minute), timezone=zone)
    return IntervalTrigger(seconds=int(getattr(settings, value)), timezone=zone)


def sync_jobs(scheduler: BackgroundScheduler, settings: JobSettings) -> None:
    """Make the stored jobs match the definitions, keeping the next run times of unchanged ones.

    A job new to the store runs at once (catching up whatever it would have done); a job whose
    schedule changed is rescheduled; jobs no longer defined are removed.
    """
    wanted = {job.id: trigger_for(job, settings) for job in JOBS}
    for job in scheduler.get_jobs():
        if job.id not in wanted:
            scheduler.remove_job(job.id)
    for job_id, trigger in wanted.items():
        stored = scheduler.get_job(job_id)
        if stored is None:
            scheduler.add_job(
                JOB_FUNCTION,
                trigger=trigger,
                args=[job_id],
                id=job_id,
                name=job_id,
                next_run_time=datetime.now(trigger.timezone),
            )
        elif str(stored.trigger) != str(trigger):
            scheduler.reschedule_job(job_id, trigger=trigger)


class SchedulerRunner:
    """Wait for the lease, run APScheduler while holding it, stop when it is lost or asked to."""

    def __init__(self, app, *, lease, settings: JobSettings, holder: str, poll: float = 2.0):
        self.app, self.lease, self.settings, self.holder = app, lease, settings, holder
        self.poll = poll
        self.heartbeat = max(1.0, settings.lease_seconds / 3)

    def run(self, stop: threading.Event) -> None:
        """Run until ``stop`` is set (SIGTERM/SIGINT)."""
        bind_app(self.app, self.holder)
        logger.info("Scheduler %s started; waiting for the lease", self.holder)
        try:
            while not stop.is_set():
                if self.lease.acquire():
                    logger.info("Scheduler %s holds the lease and runs the jobs", self.holder)
                    self._lead(stop)
                    if not stop.is_set():
                        logger.warning("Scheduler %s lost the lease; waiting again", self.holder)
                else:
                    stop.wait(self.poll)
        finally:
            self.lease.release()
            logger.info("Scheduler %s stopped", self.holder)

    def _lead(self, stop: threading.Event) -> None:
        engine = self.app.extensions["db_engine"]
        scheduler = build_scheduler(engine, self.settings.timezone)
        scheduler.start(paused=True)
        try:
            sync_jobs(scheduler, self.settings)
            scheduler.resume()
            while not stop.wait(self.heartbeat):
                if not self.lease.renew():
                    return
        finally:
            scheduler.shutdown(wait=True)
