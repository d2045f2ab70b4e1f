"""Compensation settings an administrator edits: the receipt threshold (docs/domain.md §6.2)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from app.models import CompensationSetting, User
from app.services.errors import InvalidInput
from app.services.messages import N_
from app.services.privacy.audit import record_audit

#: Until an administrator sets it, every ticket or other cost needs a receipt.
DEFAULT_RECEIPT_THRESHOLD_SEK = 0
MAX_RECEIPT_THRESHOLD_SEK = 100_000
SETTING_ID = 1


def receipt_threshold(*, session: Session) -> int:
    """Return the amount in kronor above which ticket and other costs need a receipt."""
    row = session.get(CompensationSetting, SETTING_ID)
    return DEFAULT_RECEIPT_THRESHOLD_SEK if row is None else row.receipt_threshold_sek


def set_receipt_threshold(
    *, session: Session, amount_sek: int, actor: User, now: datetime
) -> CompensationSetting:
    """Store a new receipt threshold in whole kronor (0 to 100 000) and audit the change."""
    if not isinstance(amount_sek, int) or not 0 <= amount_sek <= MAX_RECEIPT_THRESHOLD_SEK:
        message = N_("Give an amount from 0 to 100 000 kronor.")
        raise InvalidInput(message, fields={"receipt_threshold_sek": message})
    existing = session.get(CompensationSetting, SETTING_ID)
    before = existing.receipt_threshold_sek if existing else DEFAULT_RECEIPT_THRESHOLD_SEK
    row = existing or CompensationSetting(id=SETTING_ID)
    row.receipt_threshold_sek, row.updated_at, row.updated_by_id = amount_sek, now, actor.id
    session.add(row)
    record_audit(
        session=session,
        actor_id=actor.id,
        action="compensation.receipt_threshold",
        subject_type="compensation_setting",
        subject_id=SETTING_ID,
        detail={"before": before, "after": amount_sek},
    )
    session.flush()
    return row


def needs_receipt(*, threshold_sek: int, ticket_cost_sek, other_cost_sek) -> bool:
    """Return whether costs of this size need a receipt under the threshold."""
    return (ticket_cost_sek or 0) + (other_cost_sek or 0) > threshold_sek
