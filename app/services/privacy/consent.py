"""Consent to store and use a member's data: give and withdraw, with the text version recorded."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from app.models import Member
from app.models.base import utcnow
from app.services.errors import Conflict
from app.services.messages import N_
from app.services.privacy.audit import record_audit

#: Version of the consent text shown on the consent page; raise it whenever the text changes.
CONSENT_TEXT_VERSION = "2026-01"


def give_consent(
    *, session: Session, member: Member, actor_id: int | None, now: datetime | None = None
) -> Member:
    """Record consent to the current consent text."""
    member.consent_given_at = now or utcnow()
    member.consent_text_version = CONSENT_TEXT_VERSION
    session.add(member)
    _audit(session, member, actor_id, "member.consent.given")
    return member


def withdraw_consent(
    *, session: Session, member: Member, actor_id: int | None, now: datetime | None = None
) -> Member:
    """Withdraw consent; from this moment the member is left out of matching."""
    if not member.has_valid_consent:
        raise Conflict(N_("There is no consent to withdraw."))
    member.consent_withdrawn_at = now or utcnow()
    session.add(member)
    _audit(session, member, actor_id, "member.consent.withdrawn")
    return member


def _audit(session: Session, member: Member, actor_id: int | None, action: str) -> None:
    record_audit(
        session=session,
        actor_id=actor_id,
        action=action,
        subject_type="member",
        subject_id=member.id,
        detail={"text_version": member.consent_text_version},
    )
