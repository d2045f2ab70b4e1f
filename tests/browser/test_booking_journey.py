"""The whole journey: orderer submits → council swaps and approves → one member accepts, one
declines → the council replaces from the reserves with one click → the orderer sees it booked."""

import re
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from app.db import make_engine
from app.models import Invitation, Member
from app.services.demo.data import DEMO_PASSWORD
from tests.clock_support import local_today
from tests.factories import Factory

pytestmark = pytest.mark.browser


def sign_in(page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(DEMO_PASSWORD)
    with page.expect_navigation():  # the answer is stored before the next read
        page.locator("main form button[type=submit]").click()


def sign_out(page) -> None:
    """Forget the session once nothing is in flight: a late answer (the icon, a stylesheet)
    would otherwise set the refreshed session cookie again after it was cleared."""
    page.wait_for_load_state("networkidle")
    page.context.clear_cookies()


@pytest.fixture
def pool(live_app):
    """Four people with experience of a new area, free every day; yield the engine."""
    engine = make_engine(live_app[1])
    with Session(engine, expire_on_commit=False) as session:
        factory = Factory(session)
        factory.area("resan", name_sv="Resan")
        for index in range(4):
            member = factory.member(
                first_name=f"Resenär{index}",
                last_name=f"Efternamn{index}",
                email=f"resa{index}@example.org",
                birth_year=1950 + 12 * index,
                experiences=(("resan", "own"),),
            )
            for weekday in range(7):
                factory.weekly_window(member, weekday=weekday, start=0, end=23)
        session.commit()
    yield engine
    engine.dispose()


def _invitations(engine, title):
    with Session(engine) as session:
        rows = session.exec(
            select(Invitation, Member)
            .join(Member, Member.id == Invitation.member_id)
            .where(Member.email.like("resa%"))
            .order_by(Invitation.id)
        )
        return [(invitation.token, invitation.status, member.id) for invitation, member in rows]


def _submit_request(page, base_url):
    sign_in(page, base_url, "orderer@demo.test")
    page.goto(f"{base_url}/orders/new")
    page.locator("#title").fill("Resan genom vården")
    page.locator("#purpose").fill("Patientperspektiv på vårdkedjan")
    page.locator("#expectations").fill("Tänk på ett möte som gick bra")
    page.locator("#area_ids").select_option(label="Resan")
    page.locator("#people_count").fill("2")
    day = local_today() + timedelta(days=21)  # the form takes Stockholm dates
    page.locator("#sessions-0-day").fill(day.isoformat())
    page.locator("#sessions-0-start").fill("10:00")
    page.locator("#sessions-0-end").fill("12:00")
    page.locator("#format").select_option("digital")
    page.locator("#video_link").fill("https://meet.example/resan")
    page.locator("#contact_name").fill("Kim Kontakt")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url("**/orders/*")
    return page.url.rsplit("/", 1)[-1]


def test_request_to_booking(page, live_app, pool):
    base_url, _ = live_app
    request_id = _submit_request(page, base_url)
    sign_out(page)

    sign_in(page, base_url, "council@demo.test")
    page.goto(f"{base_url}/council/requests/{request_id}")
    page.locator("#out_id").select_option(index=1)
    page.locator("#swap-form button").click()
    page.wait_for_url("**group=**")
    with page.expect_navigation():  # the answer is stored before the next read
        page.locator("#approve-form button").click()
    first, second = _invitations(pool, "Resan")
    sign_out(page)

    page.goto(f"{base_url}/invitations/{first[0]}")
    page.locator("#agrees").check()
    with page.expect_navigation():  # the answer is stored before the next read
        page.locator("#accept-form button").click()
    page.goto(f"{base_url}/invitations/{second[0]}")
    with page.expect_navigation():  # the answer is stored before the next read
        page.locator("#decline-form button").click()
    assert len(_invitations(pool, "Resan")) == 2  # the council confirms the replacement

    sign_in(page, base_url, "council@demo.test")
    page.goto(f"{base_url}/council/")
    queue = page.locator("#worklist-short").inner_text()
    with page.expect_navigation():  # the answer is stored before the next read
        page.locator("#worklist-short").get_by_role(
            "link", name=re.compile("^Bjud in en ersättare.*Resan genom vården$")
        ).click()
    with page.expect_navigation():  # the answer is stored before the next read
        page.locator("#replace-next-form button").click()
    replaced = page.locator(".flashes").inner_text()
    sign_out(page)
    reserve = _invitations(pool, "Resan")[2]
    page.goto(f"{base_url}/invitations/{reserve[0]}")
    page.locator("#agrees").check()
    with page.expect_navigation():  # the answer is stored before the next read
        page.locator("#accept-form button").click()

    sign_in(page, base_url, "council@demo.test")
    page.goto(f"{base_url}/council/requests/{request_id}")
    history = page.locator("#history").inner_text()
    sign_out(page)
    sign_in(page, base_url, "orderer@demo.test")
    page.goto(f"{base_url}/orders/{request_id}")
    coming = page.locator("#coming li").all_inner_texts()

    assert [status for _, status, _ in _invitations(pool, "Resan")] == [
        "accepted",
        "declined",
        "accepted",
    ]
    assert "Resan genom vården" in queue
    assert "är inbjuden" in replaced
    assert "En plats väntar på en ersättare" in history and "Reserv inbjuden" in history
    assert len(coming) == 2 and all("Efternamn" not in line for line in coming)
    assert "Bokad" in page.locator("main").inner_text()
