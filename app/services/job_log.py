"""What scheduled jobs did: a tally per run, the run log, and what the council's page shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import String, cast
from sqlmodel import Session, delete, func, select

from app.models import JobRun, OutboxMessage, ScheduledJob, SchedulerLease
from app.models.enums import JobOutcome, OutboxStatus


@dataclass
class Tally:
    """What one run of a job decided: messages written, messages decided against, other counts."""

    queued: int = 0
    skipped: int = 0
    detail: dict = field(default_factory=dict)

    def mail(self, item: dict | None) -> None:
        """Count a message written (``queue_mail`` returns None for one written before)."""
        if item is not None:
            self.queued += 1

    def skip(self, recorded: bool) -> None:
        """Count a message decided against (``record_skipped`` is True the first time)."""
        if recorded:
            self.skipped += 1

    def count(self, name: str, amount: int = 1) -> None:
        """Add to a named count (zero counts are left out: an idle run has no detail)."""
        if amount:
            self.detail[name] = self.detail.get(name, 0) + amount


@dataclass(frozen=True)
class JobStatus:
    """One scheduled job as the council sees it."""

    job_id: str
    next_run_at: datetime | None
    last_run: JobRun | None


def job_statuses(*, session: Session, job_ids: list[str]) -> list[JobStatus]:
    """Return each job's next run (from the job store) and its latest run."""
    next_runs = {
        job_id: datetime.fromtimestamp(stamp, UTC) if stamp is not None else None
        for job_id, stamp in session.exec(select(ScheduledJob.id, ScheduledJob.next_run_time))
    }
    latest = select(JobRun.job_id, func.max(JobRun.id).label("id")).group_by(JobRun.job_id)
    last_ids = {job_id: run_id for job_id, run_id in session.exec(latest)}
    runs = {
        run.job_id: run
        for run in session.exec(select(JobRun).where(JobRun.id.in_(list(last_ids.values()))))
    }
    return [JobStatus(job_id, next_runs.get(job_id), runs.get(job_id)) for job_id in job_ids]


def is_idle(run: JobRun) -> bool:
    """Return True for a successful run that did nothing."""
    counts = (run.queued, run.sent, run.skipped, run.failed)
    return run.outcome == JobOutcome.OK and not any(counts) and not run.detail


def prune_idle_runs(*, session: Session, job_id: str, latest_id: int) -> None:
    """Keep only the latest idle run of a job (the log keeps every run that did something)."""
    session.exec(
        delete(JobRun).where(
            JobRun.job_id == job_id,
            JobRun.id < latest_id,
            JobRun.outcome == JobOutcome.OK,
            JobRun.queued == 0,
            JobRun.sent == 0,
            JobRun.skipped == 0,
            JobRun.failed == 0,
            cast(JobRun.detail, String) == "{}",
        )
    )


def recent_runs(*, session: Session, limit: int = 50) -> list[JobRun]:
    """Return the latest job runs, newest first."""
    return list(session.exec(select(JobRun).order_by(JobRun.id.desc()).limit(limit)))


def recent_messages(
    *, session: Session, status: str | None = None, limit: int = 100
) -> list[OutboxMessage]:
    """Return the latest outbox messages (optionally of one status), newest first."""
    query = select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit)
    if status:
        query = query.where(OutboxMessage.status == status)
    return list(session.exec(query))


def message_counts(*, session: Session) -> dict[str, int]:
    """Return how many outbox messages are in each status."""
    rows = session.exec(
        select(OutboxMessage.status, func.count(OutboxMessage.id)).group_by(OutboxMessage.status)
    )
    counts = {status.value: 0 for status in OutboxStatus}
    counts.update({status: count for status, count in rows})
    return counts


def current_lease(*, session: Session) -> SchedulerLease | None:
    """Return the scheduler's lease row (who runs the jobs, last heartbeat), if any."""
    return session.get(SchedulerLease, "scheduler")
