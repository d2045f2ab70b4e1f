"""Compensation settings: read from app.config, falling back to the environment."""

from __future__ import annotations

import os
from pathlib import Path

from flask import current_app

from app.config import instance_path
from app.models.enums import PayoutFrequency
from app.services.compensation import fees


def hourly_rule() -> str:
    """Return how hourly fees count time: 'started' (default) or 'actual' (FEE_HOURLY_RULE)."""
    return current_app.config.get("FEE_HOURLY_RULE") or os.environ.get(
        "FEE_HOURLY_RULE", fees.HOURLY_STARTED
    )


def payout_frequency() -> str:
    """Return the default payout frequency: 'monthly' or 'quarterly' (PAYOUT_FREQUENCY)."""
    return current_app.config.get("PAYOUT_FREQUENCY") or os.environ.get(
        "PAYOUT_FREQUENCY", PayoutFrequency.MONTHLY.value
    )


def receipt_folder() -> Path:
    """Return where receipts are stored (RECEIPT_FOLDER, default instance/receipts)."""
    configured = current_app.config.get("RECEIPT_FOLDER") or os.environ.get("RECEIPT_FOLDER")
    return Path(configured) if configured else instance_path() / "receipts"
