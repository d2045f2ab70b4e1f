"""Receipts attached to claims: size and type checked, stored under the instance folder."""

from __future__ import annotations

import secrets
from pathlib import Path

from sqlmodel import Session, select

from app.models import ClaimReceipt, Member
from app.services.compensation.claim_flow import own_claim
from app.services.compensation.claims import EDITABLE
from app.services.errors import Conflict, InvalidInput
from app.services.messages import N_

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
    folder.mkdir(parents=True, exist_ok=True)
    stored = secrets.token_hex(16) + suffix
    (folder / stored).write_bytes(data)
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
