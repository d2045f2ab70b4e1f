"""Receipts attached to claims: size and type checked, stored under the instance folder."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session, select

from app.models import ClaimReceipt, CompensationClaim, Member, User
from app.models.enums import Role
from app.services.compensation.claim_flow import own_claim
from app.services.compensation.claims import EDITABLE
from app.services.errors import Conflict, InvalidInput, NotFound
from app.services.messages import N_
from app.services.privacy.audit import record_audit
from app.services.stored_files import read_stored_file, store_file

MAX_RECEIPT_BYTES = 5 * 1024 * 1024
#: Accepted types, recognised by the file's first bytes (not by its name).
SIGNATURES = {
    b"%PDF-": ("application/pdf", ".pdf"),
    b"\x89PNG\r\n\x1a\n": ("image/png", ".png"),
    b"\xff\xd8\xff": ("image/jpeg", ".jpg"),
}


def _kind(data: bytes) -> tuple[str, str]:
    for signature, kind in SIGNATURES.items():
        if data.startswith(signature):
            return kind
    raise InvalidInput(
        N_("Attach a PDF, PNG or JPEG file."),
        fields={"receipt": N_("Attach a PDF, PNG or JPEG file.")},
    )


def add_receipt(
    *, session: Session, member: Member, claim_id: int, filename: str, data: bytes, folder: Path
) -> ClaimReceipt:
    """Store a receipt file for one of the member's editable claims."""
    claim = own_claim(session=session, member=member, claim_id=claim_id)
    if claim.status not in EDITABLE:
        raise Conflict(N_("This claim has been sent and can no longer be changed."))
    if not data or len(data) > MAX_RECEIPT_BYTES:
        raise InvalidInput(
            N_("A receipt must be at most 5 MB."),
            fields={"receipt": N_("A receipt must be at most 5 MB.")},
        )
    content_type, suffix = _kind(data)
    stored = store_file(folder, data, suffix)
    receipt = ClaimReceipt(
        claim_id=claim.id,
        original_name=Path(filename or "receipt").name[:200],
        stored_name=stored,
        content_type=content_type,
        size_bytes=len(data),
    )
    session.add(receipt)
    session.flush()
    return receipt


def list_receipts(*, session: Session, claim_id: int) -> list[ClaimReceipt]:
    """Return a claim's receipts, oldest first."""
    query = select(ClaimReceipt).where(ClaimReceipt.claim_id == claim_id).order_by(ClaimReceipt.id)
    return list(session.exec(query))


def receipts_by_claim(*, session: Session, claim_ids: list[int]) -> dict[int, list[ClaimReceipt]]:
    """Return the receipts of several claims, oldest first, keyed by claim id."""
    found: dict[int, list[ClaimReceipt]] = {claim_id: [] for claim_id in claim_ids}
    if claim_ids:
        query = select(ClaimReceipt).where(ClaimReceipt.claim_id.in_(claim_ids))
        for receipt in session.exec(query.order_by(ClaimReceipt.id)):
            found[receipt.claim_id].append(receipt)
    return found


def read_receipt(
    *, session: Session, receipt_id: int, user: User, folder: Path
) -> tuple[ClaimReceipt, bytes]:
    """Return a receipt and its file for the council, an administrator or the owning member.

    Anybody else, and a receipt whose file is gone, is not found. A read by someone other
    than the member is written to the audit log, like reads of health data.
    """
    receipt = session.get(ClaimReceipt, receipt_id)
    claim = session.get(CompensationClaim, receipt.claim_id) if receipt else None
    if claim is None:
        raise NotFound(N_("No such receipt."))
    owner = session.get(Member, claim.member_id)
    is_owner = owner is not None and owner.user_id == user.id
    if not is_owner and user.role not in (Role.COUNCIL, Role.ADMIN):
        raise NotFound(N_("No such receipt."))
    data = read_stored_file(folder, receipt.stored_name)
    if data is None:
        raise NotFound(N_("The receipt file is missing."))
    if not is_owner:
        record_audit(
            session=session,
            actor_id=user.id,
            action="claim.receipt.read",
            subject_type="claim_receipt",
            subject_id=receipt.id,
            detail={"claim_id": claim.id, "member_id": claim.member_id},
        )
    return receipt, data
