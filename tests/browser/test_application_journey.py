"""Issue 20's must-show: a person applies on a 360 px phone, the council takes them through the
pipeline to an active member, and the new member appears in the proposal for a matching request.
axe-core finds no WCAG 2.1 A/AA violation on the application, its confirmation, the pipeline
and the applicant page."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from app.db import make_engine
from app.models import Applicant, Member, User
from app.models.enums import Role
from app.services.demo.data import DEMO_LOGINS
from tests.browser.test_accessibility import axe_violations
from tests.browser.test_booking_journey import sign_in, sign_out
from tests.browser.test_keyboard_and_phone import PHONE, no_sideways_scroll, wider_than_the_screen
from tests.factories import Factory

pytestmark = pytest.mark.browser

AREA = "Ansökningsresan"
#: The served app's default shortest time to fill in the form (APPLICATION_MIN_SECONDS), in ms.
MIN_FILL_MS = 5_500


@pytest.fixture
def page(browser):
    """A phone-sized page that lets axe-core's script in despite the Content-Security-Policy."""
    context = browser.new_context(
        locale="sv-SE", timezone_id="Europe/Stockholm", bypass_csp=True, viewport=PHONE
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def served(live_app):
    """A new area nobody in the demo pool has; yield (base URL, engine, area id)."""
    engine = make_engine(live_app[1])
    with Session(engine, expire_on_commit=False) as session:
        area = Factory(session).area("ansokningsresan", name_sv=AREA)
        session.commit()
    yield live_app[0], engine, area.id
    engine.dispose()


def _checked(page) -> None:
    """Assert the page fits a phone and axe-core finds nothing."""
    assert no_sideways_scroll(page), wider_than_the_screen(page)
    assert axe_violations(page) == [], page.url


def _apply(page, base_url: str, area_id: int) -> None:
    page.goto(f"{base_url}/apply")
    _checked(page)
    page.locator("#first_name").fill("Nora")
    page.locator("#last_name").fill("Nyström")
    page.locator("#birth_year").fill("2003")
    page.locator("#municipality").fill("Vetlanda")
    page.get_by_label("Jag har själv varit patient").check()
    page.locator(f"input[name=areas][value='{area_id}']").check()
    page.locator("input[name=participation][value=education]").check()
    page.locator("input[name=need_codes][value=hearing_loop]").check()
    page.locator("#email").fill("nora.nystrom@example.org")
    page.locator("#consent").check()
    page.wait_for_timeout(MIN_FILL_MS)  # a person takes a few seconds; robots are refused
    with page.expect_navigation():
        page.locator("#apply-form button[type=submit]").click()
    assert page.url.endswith("/apply/thanks")
    _checked(page)


def _take_through_pipeline(page, base_url: str) -> None:
    sign_in(page, base_url, DEMO_LOGINS[Role.COUNCIL])
    page.goto(f"{base_url}/council/recruitment/")
    _checked(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Nora Nyström").click()
    _checked(page)
    for step, shown in (
        ("conversation_booked", "Samtal bokat"),
        ("introduction", "Introduktion"),
        ("agreement_signed", "Överenskommelse underskriven"),
        ("active", "Aktiv medlem"),
    ):
        page.locator("#status").select_option(step)
        if step == "conversation_booked":
            page.locator("#reason").fill("Vi ringer dig på tisdag.")
        with page.expect_navigation():
            page.locator("#move-form button[type=submit]").click()
        assert page.locator("#applicant-status").inner_text() == shown
    assert page.locator("#member-link").is_visible()


def test_an_applicant_becomes_a_member_who_is_proposed(page, served):
    base_url, engine, area_id = served

    _apply(page, base_url, area_id)
    _take_through_pipeline(page, base_url)
    with Session(engine) as session:
        factory = Factory(session)
        member = session.exec(
            select(Member).where(Member.email == "nora.nystrom@example.org")
        ).one()
        for weekday in range(7):  # what she enters on her calendar page after signing in
            factory.weekly_window(member, weekday=weekday, start=0, end=23)
        orderer = session.exec(select(User).where(User.email == DEMO_LOGINS[Role.ORDERER])).one()
        request = factory.booking_request(
            orderer, areas=("ansokningsresan",), people_count=1, title="Ansökningsresan"
        )
        session.commit()
        request_id = request.id
    page.goto(f"{base_url}/council/requests/{request_id}")
    proposed = page.locator("#proposed-group").inner_text()
    sign_out(page)

    assert "Nora Nyström" in proposed
    with Session(engine) as session:
        applicant = session.exec(
            select(Applicant).where(Applicant.email == "nora.nystrom@example.org")
        ).one()
        member = session.get(Member, applicant.member_id)
        assert (applicant.status, member.has_signed_agreement, member.user_id is not None) == (
            "active",
            True,
            True,
        )
