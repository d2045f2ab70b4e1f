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

from scheduling.job_table import JobTable, ScheduledJob

logger = logging.getLogger(__name__)

JOB_DEFAULTS = {"coalesce": True, "misfire_grace_time": None, "max_instances": 1}
JOB_TABLE = "scheduler_job"


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


def trigger_for(job: ScheduledJob, table: JobTable):
    """Return the APScheduler trigger of a job in the given table."""
    kind, value = job.schedule
    zone = ZoneInfo(table.timezone)
    if kind == "cron":
        hour, minute = value.split(":")
        return CronTrigger(hour=int(hour), minute=int(minute), timezone=zone)
    if kind == "weekly":  # "mon 07:00": a weekday as cron names it, and a local time
        day, at = value.split()
        hour, minute = at.split(":")
        return CronTrigger(day_of_week=day, hour=int(hour), minute=int(minute), timezone=zone)
    return IntervalTrigger(seconds=int(table.interval_seconds(value)), timezone=zone)


def sync_jobs(scheduler: BackgroundScheduler, table: JobTable) -> None:
    """Make the stored jobs match the definitions, keeping the next run times of unchanged ones.

    A job new to the store runs at once (catching up whatever it would have done); a job whose
    schedule changed is rescheduled; jobs no longer defined are removed.
    """
    wanted = {job.id: trigger_for(job, table) for job in table.jobs}
    for job in scheduler.get_jobs():
        if job.id not in wanted:
            scheduler.remove_job(job.id)
    for job_id, trigger in wanted.items():
        stored = scheduler.get_job(job_id)
        if stored is None:
            scheduler.add_job(
                table.function_ref,
                trigger=trigger,
                args=[job_id],
                id=job_id,
                name=job_id,
                next_run_time=datetime.now(trigger.timezone),
            )
        elif str(stored.trigger) != str(trigger):
            scheduler.reschedule_job(job_id, trigger=trigger)


def stop_on_signal(stop: threading.Event):
    """Return a signal handler that sets ``stop`` without ever waiting in the handler.

    ``Event.set`` takes the event's lock, which is not re-entrant. A Python signal handler runs in
    the main thread between two bytecodes, possibly while that very thread holds the lock: inside
    ``stop.wait`` (the runner's heartbeat) or inside an earlier handler's ``set`` (Ctrl-C, then the
    demo script's TERM a moment later). Setting the event there deadlocked the process for good
    (seen: the demo test waited 60 s for ``levbib scheduler`` to stop, one run in eight). A
    short-lived thread sets it instead, as soon as the main thread lets the lock go.
    """

    def handler(_signum, _frame) -> None:
        threading.Thread(target=stop.set, name="stop-on-signal", daemon=True).start()

    return handler


class SchedulerRunner:
    """Wait for the lease, run APScheduler while holding it, stop when it is lost or asked to."""

    def __init__(
        self,
        engine: Engine,
        *,
        lease,
        table: JobTable,
        holder: str,
        lease_seconds: float,
        poll: float = 2.0,
    ):
        self.engine, self.lease, self.table, self.holder = engine, lease, table, holder
        self.poll = poll
        self.heartbeat = max(1.0, lease_seconds / 3)

    def run(self, stop: threading.Event) -> None:
        """Run until ``stop`` is set (SIGTERM/SIGINT)."""
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
        scheduler = build_scheduler(self.engine, self.table.timezone)
        scheduler.start(paused=True)
        try:
            sync_jobs(scheduler, self.table)
            scheduler.resume()
            while not stop.wait(self.heartbeat):
                if not self.lease.renew():
                    return
        finally:
            scheduler.shutdown(wait=True)
