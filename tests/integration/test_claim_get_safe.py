"""The claim page's GET never writes: it shows what would be claimed; the claim is made on POST.

A fee that cannot be computed (no price base amount for the year) gives a clear Swedish page
with 422, never a 500, and writes nothing.
"""

from datetime import UTC, datetime

from sqlmodel import delete, func, select

from app.models import AuditEvent, ClaimLine, CompensationClaim, PriceBaseAmount, User
from tests.compensation_support import booked_assignment
from tests.conftest import login


def _counts(db_session) -> tuple[int, int]:
    claims = db_session.exec(select(func.count(CompensationClaim.id))).one()
    lines = db_session.exec(select(func.count(ClaimLine.id))).one()
    return claims, lines


def _member_client(app, factory, member):
    client = app.test_client()
    assert login(client, factory.session.get(User, member.user_id).email).status_code == 302
    return client


def test_get_shows_the_claim_to_be_and_writes_nothing(factory, csrf_free_app, db_session):
    assignment, member, _ = booked_assignment(factory, hours=5)
    client = _member_client(csrf_free_app, factory, member)
    url = f"/compensation/assignments/{assignment.id}/claim"
    audits = db_session.exec(select(func.count(AuditEvent.id))).one()

    first, second = client.get(url), client.get(url)
    after_get = _counts(db_session)
    posted = client.post(url, data={})
    after_post = _counts(db_session)
    page = client.get(url).get_data(as_text=True)

    html = first.get_data(as_text=True)
    assert (first.status_code, second.status_code) == (200, 200)
    assert after_get == (0, 0)
    assert db_session.exec(select(func.count(AuditEvent.id))).one() == audits
    assert '<strong id="fee-total">2\u00a0131\u00a0kr</strong>' in html  # a full day of 2026
    assert 'id="start-claim"' in html
    assert (posted.status_code, after_post) == (302, (1, 1))
    assert 'class="claim-status"' in page


def test_get_for_a_year_without_figures_is_a_clear_page_not_500(factory, csrf_free_app, db_session):
    """A missing PBB is named in Swedish; GET writes nothing, and time can still be reported."""
    assignment, member, _ = booked_assignment(factory, start=datetime(2025, 3, 4, 9, tzinfo=UTC))
    db_session.exec(delete(PriceBaseAmount).where(PriceBaseAmount.year == 2025))
    db_session.flush()
    client = _member_client(csrf_free_app, factory, member)
    url = f"/compensation/assignments/{assignment.id}/claim"

    page = client.get(url)
    counts_after_get = _counts(db_session)
    posted = client.post(url, data={})
    report = client.get(url)

    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Prisbasbeloppet (PBB) för 2025 är inte inlagt ännu" in html
    assert "inte känt ännu" in html
    assert "No price base amount" not in html
    assert counts_after_get == (0, 0)
    assert posted.status_code == 302  # the claim is made on POST; its fee waits for the figure
    assert "Prisbasbeloppet (PBB) för 2025 är inte inlagt ännu" in report.get_data(as_text=True)
    assert _counts(db_session) == (1, 1)


def test_a_claim_made_before_the_figures_went_missing_shows_the_same_page(
    factory, csrf_free_app, db_session
):
    assignment, member, _ = booked_assignment(factory, start=datetime(2025, 3, 4, 9, tzinfo=UTC))
    client = _member_client(csrf_free_app, factory, member)
    url = f"/compensation/assignments/{assignment.id}/claim"
    client.post(url, data={})
    claim = db_session.exec(select(CompensationClaim)).one()
    [line] = db_session.exec(select(ClaimLine).where(ClaimLine.claim_id == claim.id)).all()
    db_session.exec(delete(PriceBaseAmount).where(PriceBaseAmount.year == 2025))
    db_session.flush()

    saved = client.post(
        url,
        data={
            "lines-0-line_id": line.id,
            "lines-0-minutes": 120,
            "lines-0-travel_minutes": 0,
            "car_km": 0,
            "ticket_cost_sek": 0,
            "other_cost_sek": 0,
            "note": "",
            "save": "1",
        },
    )
    page = client.get(url)

    db_session.refresh(line)
    assert saved.status_code in (200, 302)
    assert line.minutes == 120  # the member's time is kept; only the fee waits
    assert "Prisbasbeloppet (PBB) för 2025 är inte inlagt ännu" in page.get_data(as_text=True)
