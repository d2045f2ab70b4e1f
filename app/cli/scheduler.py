"""``levbib scheduler``: run the scheduled jobs in this process (never in the web workers)."""

from __future__ import annotations

import logging
import signal
import threading
from datetime import timedelta

import click
from flask import current_app
from flask.cli import with_appcontext

from app.jobs.definitions import JOB_IDS


@click.command("scheduler")
@click.option(
    "--run-once",
    "job_id",
    type=click.Choice(JOB_IDS),
    default=None,
    help="Run one job now and exit (safe beside a running scheduler).",
)
@with_appcontext
def scheduler_command(job_id: str | None) -> None:
    """Run reminders, deadlines, surveys, claim reminders, reviews and retention on schedule.

    Start it once per installation beside the web app. A second one waits for the lease and
    takes over when the first stops.
    """
    from app.jobs.definitions import execute_job

    app = current_app._get_current_object()
    if job_id:
        run = execute_job(app, job_id)
        click.echo(
            f"{job_id}: {run.outcome}; {run.queued} queued, {run.sent} sent, "
            f"{run.skipped} skipped, {run.failed} failed {run.detail or ''}".rstrip()
        )
        if run.error:
            raise click.ClickException(run.error)
        return
    _run_forever(app)


def _run_forever(app) -> None:
    from app.jobs.definitions import bind_app, job_table
    from app.jobs.lease import make_lease
    from app.jobs.settings import job_settings
    from scheduling.runner import SchedulerRunner, holder_name, stop_on_signal

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    settings = job_settings(app.config)
    holder = holder_name()
    lease = make_lease(
        app.extensions["db_engine"], holder, timedelta(seconds=settings.lease_seconds)
    )
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, stop_on_signal(stop))
    bind_app(app, holder)
    SchedulerRunner(
        app.extensions["db_engine"],
        lease=lease,
        table=job_table(settings),
        holder=holder,
        lease_seconds=settings.lease_seconds,
    ).run(stop)
