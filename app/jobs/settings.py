"""Settings of the scheduled jobs, taken from the app's config mapping (``app.config``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from app.config import DEFAULTS, day_list, setting


@dataclass(frozen=True)
class JobSettings:
    """What the jobs need to know; every field has a config key (and variable) of that name."""

    #: REMINDER_DAYS: days before a session that reminders go out, e.g. "7,1".
    reminder_days: tuple[int, ...] = DEFAULTS["REMINDER_DAYS"]
    #: SURVEY_DELAY_HOURS: hours after a request's last session before the surveys go out.
    survey_delay_hours: float = DEFAULTS["SURVEY_DELAY_HOURS"]
    #: CLAIM_REMINDER_DAYS: days before the payout cut-off that claim reminders go out.
    claim_reminder_days: int = DEFAULTS["CLAIM_REMINDER_DAYS"]
    #: PAYOUT_FREQUENCY: "monthly" or "quarterly" payout periods (their ends are the cut-offs).
    payout_frequency: str = DEFAULTS["PAYOUT_FREQUENCY"]
    #: REVIEW_MONTHS, REVIEW_REMINDER_DAYS, REVIEW_PAUSE_DAYS: the member review cycle.
    review_months: int = DEFAULTS["REVIEW_MONTHS"]
    review_reminder_days: int = DEFAULTS["REVIEW_REMINDER_DAYS"]
    review_pause_days: int = DEFAULTS["REVIEW_PAUSE_DAYS"]
    #: RETENTION_DAYS: days after leaving or withdrawing consent before anonymisation.
    retention_days: int = DEFAULTS["RETENTION_DAYS"]
    #: MANDATE_REMINDER_DAYS: days before an organisation's mandate ends that the reminder goes out.
    mandate_reminder_days: int = DEFAULTS["MANDATE_REMINDER_DAYS"]
    #: SCHEDULER_SCAN_SECONDS: how often reminders, deadlines and surveys are looked for.
    scan_seconds: int = DEFAULTS["SCHEDULER_SCAN_SECONDS"]
    #: OUTBOX_DELIVERY_SECONDS: how often pending and retried mail is sent.
    delivery_seconds: int = DEFAULTS["OUTBOX_DELIVERY_SECONDS"]
    #: SCHEDULER_LEASE_SECONDS: a scheduler that stops renewing its lease loses it after this.
    lease_seconds: int = DEFAULTS["SCHEDULER_LEASE_SECONDS"]
    #: TIMEZONE: the zone of the daily jobs' times and of local dates.
    timezone: str = DEFAULTS["TIMEZONE"]
    #: RECEIPT_FOLDER: where receipt files are kept (None: instance/receipts).
    receipt_folder: Path | None = None


def job_settings(config: Mapping) -> JobSettings:
    """Return the job settings held in the app's config mapping (defaults for missing keys)."""
    receipts = config.get("RECEIPT_FOLDER")
    return JobSettings(
        reminder_days=day_list(setting(config, "REMINDER_DAYS")),
        survey_delay_hours=float(setting(config, "SURVEY_DELAY_HOURS")),
        claim_reminder_days=int(setting(config, "CLAIM_REMINDER_DAYS")),
        payout_frequency=str(setting(config, "PAYOUT_FREQUENCY")),
        review_months=int(setting(config, "REVIEW_MONTHS")),
        review_reminder_days=int(setting(config, "REVIEW_REMINDER_DAYS")),
        review_pause_days=int(setting(config, "REVIEW_PAUSE_DAYS")),
        retention_days=int(setting(config, "RETENTION_DAYS")),
        mandate_reminder_days=int(setting(config, "MANDATE_REMINDER_DAYS")),
        scan_seconds=int(setting(config, "SCHEDULER_SCAN_SECONDS")),
        delivery_seconds=int(setting(config, "OUTBOX_DELIVERY_SECONDS")),
        lease_seconds=int(setting(config, "SCHEDULER_LEASE_SECONDS")),
        timezone=str(setting(config, "TIMEZONE")),
        receipt_folder=Path(receipts) if receipts else None,
    )
