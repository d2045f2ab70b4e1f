"""Settings of the scheduled jobs: from the app's config, else the environment, else defaults."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class JobSettings:
    """What the jobs need to know; every field has an environment variable of the same name."""

    #: REMINDER_DAYS: days before a session that reminders go out, e.g. "7,1".
    reminder_days: tuple[int, ...] = (7, 1)
    #: SURVEY_DELAY_HOURS: hours after a request's last session before the surveys go out.
    survey_delay_hours: float = 2
    #: CLAIM_REMINDER_DAYS: days before the payout cut-off that claim reminders go out.
    claim_reminder_days: int = 5
    #: PAYOUT_FREQUENCY: "monthly" or "quarterly" payout periods (their ends are the cut-offs).
    payout_frequency: str = "monthly"
    #: REVIEW_MONTHS, REVIEW_REMINDER_DAYS, REVIEW_PAUSE_DAYS: the member review cycle.
    review_months: int = 6
    review_reminder_days: int = 14
    review_pause_days: int = 14
    #: RETENTION_DAYS: days after leaving or withdrawing consent before anonymisation.
    retention_days: int = 90
    #: SCHEDULER_SCAN_SECONDS: how often reminders, deadlines and surveys are looked for.
    scan_seconds: int = 600
    #: OUTBOX_DELIVERY_SECONDS: how often pending and retried mail is sent.
    delivery_seconds: int = 60
    #: SCHEDULER_LEASE_SECONDS: a scheduler that stops renewing its lease loses it after this.
    lease_seconds: int = 30
    timezone: str = "Europe/Stockholm"
    receipt_folder: Path | None = None


def _get(config: Mapping, name: str, default):
    value = config.get(name)
    if value in (None, ""):
        value = os.environ.get(name, "")
    return default if value in (None, "") else value


def job_settings(config: Mapping) -> JobSettings:
    """Return the job settings from the app's config mapping and the environment."""
    defaults = JobSettings()
    days = _get(config, "REMINDER_DAYS", "")
    receipts = _get(config, "RECEIPT_FOLDER", "")
    return JobSettings(
        reminder_days=tuple(int(part) for part in str(days).split(",") if part.strip())
        or defaults.reminder_days,
        survey_delay_hours=float(_get(config, "SURVEY_DELAY_HOURS", defaults.survey_delay_hours)),
        claim_reminder_days=int(_get(config, "CLAIM_REMINDER_DAYS", defaults.claim_reminder_days)),
        payout_frequency=str(_get(config, "PAYOUT_FREQUENCY", defaults.payout_frequency)),
        review_months=int(_get(config, "REVIEW_MONTHS", defaults.review_months)),
        review_reminder_days=int(
            _get(config, "REVIEW_REMINDER_DAYS", defaults.review_reminder_days)
        ),
        review_pause_days=int(_get(config, "REVIEW_PAUSE_DAYS", defaults.review_pause_days)),
        retention_days=int(_get(config, "RETENTION_DAYS", defaults.retention_days)),
        scan_seconds=int(_get(config, "SCHEDULER_SCAN_SECONDS", defaults.scan_seconds)),
        delivery_seconds=int(_get(config, "OUTBOX_DELIVERY_SECONDS", defaults.delivery_seconds)),
        lease_seconds=int(_get(config, "SCHEDULER_LEASE_SECONDS", defaults.lease_seconds)),
        timezone=str(_get(config, "TIMEZONE", defaults.timezone)),
        receipt_folder=Path(receipts) if receipts else None,
    )
