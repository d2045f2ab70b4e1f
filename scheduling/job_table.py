"""What the app hands the scheduler runner: its jobs, without importing APScheduler.

The web app lists the jobs too, so this module must stay light (no APScheduler import).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol


class ScheduledJob(Protocol):
    """What the runner needs of a job: its id and ("cron", "HH:MM") or ("interval", name)."""

    id: str
    schedule: tuple[str, str]


@dataclass(frozen=True)
class JobTable:
    """The jobs the app hands the runner, and the textual reference of the function to call.

    The function is stored by reference in APScheduler's job store, so it must be importable
    as ``module:function``; it gets the job's id as its only argument. ``interval_seconds``
    turns an interval schedule's setting name into seconds.
    """

    jobs: Sequence[ScheduledJob]
    function_ref: str
    timezone: str
    interval_seconds: Callable[[str], int]
