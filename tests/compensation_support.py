"""Shared arrangements for the compensation tests: a booked assignment and an attested claim."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlmodel import select

from app.models import PriceBaseAmount, RequestSession
from app.models.enums import Role
from app.services.compensation.claim_flow import attest_claim, save_claim
from app.services.compensation.claims import ClaimInput, open_claim
from app.services.compensation.figures import add_price_base_amount
from app.services.compensation.receipts import add_receipt

STOCKHOLM = ZoneInfo("Europe/Stockholm")
MAY = datetime(2026, 5, 4, 8, tzinfo=UTC)
#: Stand-in price base amounts for years the seeded figures do not reach yet. Test figures
#: only: the official ones are added by an administrator when decided.
STAND_IN_PBB = {2027: 60_000, 2028: 61_000}
#: A minimal PDF: what a scanned ticket receipt starts with.
RECEIPT_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
RECEIPT_FOLDER = Path(tempfile.gettempdir()) / "levbib-test-receipts"


def attach_receipt(session, member, claim_id: int):
    """Attach a real (tiny) PDF receipt to one of the member's editable claims."""
    return add_receipt(
        session=session,
        member=member,
        claim_id=claim_id,
        filename="ticket.pdf",
        data=RECEIPT_PDF,
        folder=RECEIPT_FOLDER,
    )


def booked_assignment(
    factory, *, hours=5, start=MAY, member=None, orderer=None, status="booked", **fields
):
    """Return (assignment, member, orderer) for a one-session request of ``hours`` at ``start``."""
    orderer = orderer or factory.user(Role.ORDERER)
    request = factory.booking_request(orderer, **fields)
    for old in factory.session.exec(
        select(RequestSession).where(RequestSession.request_id == request.id)
    ):
        factory.session.delete(old)
    factory.session.flush()
    factory.request_session(request, start, hours=hours)
    member = member or factory.member(user=factory.user(Role.MEMBER))
    return factory.assignment(member, request, status=status), member, orderer


def attested_claim(factory, db_session, **kwargs):
    """Report (42 km by car, a 120 kr ticket with its receipt) and attest one assignment's claim."""
    assignment, member, orderer = booked_assignment(factory, **kwargs)
    council = factory.user(Role.COUNCIL)
    claim = open_claim(
        session=db_session, member=member, assignment_id=assignment.id, zone=STOCKHOLM
    )
    attach_receipt(db_session, member, claim.id)
    save_claim(
        session=db_session,
        member=member,
        claim_id=claim.id,
        submit=True,
        data=ClaimInput(car_km=42, ticket_cost_sek=120, note="Jönköping–Värnamo"),
    )
    attest_claim(session=db_session, claim_id=claim.id, actor=council)
    return claim, member, orderer, council


def ensure_price_base_amount(session, year: int) -> int:
    """Return the year's recorded PBB, first recording the stand-in when the year has none."""
    row = session.exec(select(PriceBaseAmount).where(PriceBaseAmount.year == year)).first()
    if row is None:
        row = add_price_base_amount(session=session, year=year, amount_sek=STAND_IN_PBB[year])
    return row.amount_sek
