"""The fee before yes: a member opens her invitation, sees the expected fee in kronor, the travel
rules and the benefits note above the accept form, and then accepts."""

import pytest
from sqlmodel import Session, select

from app import clock
from app.db import make_engine
from app.models import Assignment, Invitation, PriceBaseAmount, RequestSession
from app.models.enums import Role
from app.services.compensation import fees
from app.services.compensation.figures import add_price_base_amount
from tests.factories import Factory

pytestmark = pytest.mark.browser


@pytest.fixture
def invited(live_app):
    """One pending invitation to a two-hour session two weeks ahead; yield (token, fee, engine)."""
    engine = make_engine(live_app[1])
    with Session(engine, expire_on_commit=False) as session:
        factory = Factory(session)
        orderer = factory.user(Role.ORDERER)
        request = factory.booking_request(orderer, status="approved", title="Arvode före ja")
        item = session.exec(
            select(RequestSession).where(RequestSession.request_id == request.id)
        ).one()
        member = factory.member(first_name="Signe", email="signe.arvode@example.org")
        invitation = Invitation(
            request_id=request.id, member_id=member.id, token="fee-before-yes-" + "x" * 30
        )
        session.add(invitation)
        year = clock.local(item.starts_at).year
        pbb = session.exec(select(PriceBaseAmount).where(PriceBaseAmount.year == year)).first()
        if pbb is None:  # a run dated into a year the seeded figures do not reach yet
            pbb = add_price_base_amount(session=session, year=year, amount_sek=59_200)
        session.commit()
        fee = fees.class_amounts(pbb.amount_sek)[fees.SHORT]
        yield invitation.token, fee, engine, invitation.id
    engine.dispose()


def _plain(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def test_the_member_sees_the_fee_before_accepting(page, live_app, invited):
    base_url, _ = live_app
    token, fee, engine, invitation_id = invited

    page.goto(f"{base_url}/invitations/{token}")
    total = _plain(page.locator("#fee-total").inner_text())
    lines = _plain(page.locator("#fee-lines").inner_text())
    note = page.locator("#fee .fk-note").inner_text()
    fee_top = page.locator("#fee").bounding_box()["y"]
    form_top = page.locator("#accept-form").bounding_box()["y"]
    page.locator("#agrees").check()
    with page.expect_navigation():  # the answer is stored before the next read
        page.locator("#accept-form button").click()
    status = page.locator("#invitation-status").inner_text()

    assert total == f"Förväntat arvode: {fee} kr"
    assert f"2 h: {fee} kr" in lines
    assert "Resor ersätts: biljetter enligt kvitto" in lines
    assert "Försäkringskassan" in note
    assert fee_top < form_top
    assert status == "Tackat ja"
    with Session(engine) as session:
        invitation = session.get(Invitation, invitation_id)
        booked = session.exec(
            select(Assignment).where(Assignment.invitation_id == invitation_id)
        ).one()
        assert (invitation.status, booked.member_id) == ("accepted", invitation.member_id)
