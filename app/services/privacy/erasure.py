"""GDPR duties towards members: erasure on request, requests to the council, register extracts.

Erasure reuses the retention rule's anonymisation (``retention.anonymise_member``): personal
data goes, bookkeeping records stay under a pseudonym.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlmodel import Session

from app.mail.outbox import queue_mail
from app.models import Member
from app.models.base import utcnow
from app.services.errors import Conflict, InvalidInput
from app.services.messages import N_
from app.services.privacy.audit import record_audit
from app.services.privacy.my_data import export_member_data
from app.services.privacy.retention import anonymisation_blocker, anonymise_member

#: What a member may ask the council for.
REQUEST_KINDS = {
    "rectification": N_("correct my data"),
    "erasure": N_("erase my data"),
}
_SUBJECTS = {
    "rectification": N_("Member no. %(id)s asks you to correct their data"),
    "erasure": N_("Member no. %(id)s asks you to erase their data"),
}
_BLOCKERS = {
    "a claim is waiting for payment": N_("A claim is waiting for payment: erase after the payout."),
    "a booking is still ahead": N_("A booking is still ahead: withdraw the member from it first."),
}


def erase_member(
    *, session: Session, member: Member, actor_id: int | None, now: datetime | None = None
) -> tuple[str, list[str]]:
    """Erase a member's personal data on request; return the pseudonym and receipt files to delete."""
    now = now or utcnow()
    if member.anonymised_at is not None:
        raise Conflict(N_("This member's personal data is already erased."))
    blocker = anonymisation_blocker(session=session, member=member, now=now)
    if blocker:
        raise Conflict(_BLOCKERS.get(blocker, N_("The member cannot be erased yet.")))
    pseudonym, files = anonymise_member(session=session, member=member, now=now)
    record_audit(
        session=session,
        actor_id=actor_id,
        action="member.erased_on_request",
        subject_type="member",
        subject_id=member.id,
        detail={"pseudonym": pseudonym},
    )
    return pseudonym, files


def ask_council(
    *,
    session: Session,
    member: Member,
    kind: str,
    message: str,
    actor_id: int | None,
    council_mailbox: str,
    translate: Callable[..., str],
) -> None:
    """Send the council a member's request to correct or erase their data, and log it."""
    if kind not in REQUEST_KINDS:
        raise InvalidInput(
            N_("Choose one of the listed values."), {"kind": N_("Choose one of the listed values.")}
        )
    text = message.strip()
    if kind == "rectification" and not text:
        raise InvalidInput(
            N_("Say what should be corrected."), {"message": N_("Say what should be corrected.")}
        )
    queue_mail(
        session,
        to=council_mailbox,
        subject=translate(_SUBJECTS[kind], id=member.id),
        body=text or translate(_SUBJECTS[kind], id=member.id),
    )
    record_audit(
        session=session,
        actor_id=actor_id,
        action=f"member.{kind}.requested",
        subject_type="member",
        subject_id=member.id,
    )


def register_extract(*, session: Session, member: Member, actor_id: int | None) -> dict:
    """Return everything stored about a member for the council to hand over; log the read."""
    record_audit(
        session=session,
        actor_id=actor_id,
        action="member.register_extract.created",
        subject_type="member",
        subject_id=member.id,
    )
    return export_member_data(session=session, member=member)
