"""A member books an introduction in the browser (issue 20): axe-core finds nothing before or
after, and the booking queues a calendar invitation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from app.db import make_engine
from app.models import Member, OutboxMessage, TrainingBooking, TrainingEvent, User
from app.models.enums import Role
from app.services.demo.data import DEMO_LOGINS
from tests.browser import test_accessibility as a11y
from tests.browser.test_accessibility import axe_violations, sign_in

pytestmark = pytest.mark.browser
#: The accessibility test's fixtures: a page that lets axe-core in, and axe-core's script.
page, axe_script = a11y.page, a11y.axe_script


def _event(database_url: str) -> tuple[int, int]:
    """Add an introduction in nine days; return (event id, the demo member's id)."""
    engine = make_engine(database_url)
    with Session(engine) as session:
        user = session.exec(select(User).where(User.email == DEMO_LOGINS[Role.MEMBER])).one()
        member = session.exec(select(Member).where(Member.user_id == user.id)).one()
        start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=9)
        event = TrainingEvent(
            kind="introduction",
            title="Introduktion i webbläsaren",
            description="Om uppdragen och arvodena.",
            starts_at=start,
            ends_at=start + timedelta(hours=3),
            place="Regionens hus, Jönköping",
            capacity=5,
            ical_uid="browser-intro@levande-bibliotek",
        )
        session.add(event)
        session.commit()
        ids = (event.id, member.id)
    engine.dispose()
    return ids


def _booked(database_url: str, event_id: int) -> tuple[list[str], list[str]]:
    engine = make_engine(database_url)
    with Session(engine) as session:
        statuses = session.exec(
            select(TrainingBooking.status).where(TrainingBooking.event_id == event_id)
        ).all()
        uid = session.get(TrainingEvent, event_id).ical_uid  # the demo books events of its own
        methods = session.exec(
            select(OutboxMessage.calendar_method).where(
                OutboxMessage.kind == "training", OutboxMessage.calendar.contains(uid)
            )
        ).all()
    engine.dispose()
    return list(statuses), list(methods)


def test_member_books_an_introduction_with_no_wcag_violations(page, live_app, axe_script):
    base_url, database_url = live_app
    event_id, _member_id = _event(database_url)
    sign_in(page, base_url, "member")

    page.goto(f"{base_url}/me/")
    page.locator("nav.subnav a[href='/me/events/']").click()
    page.wait_for_url(f"{base_url}/me/events/")
    before = axe_violations(page)
    card = page.locator(f"#event-{event_id}")
    assert "Introduktion i webbläsaren" in card.inner_text()
    with page.expect_navigation():
        card.get_by_role("button", name="Boka en plats").click()
    after = axe_violations(page)

    assert (before, after) == ([], [])
    assert "Din plats är bokad." in page.locator("main").inner_text()
    assert card.locator(".status").inner_text() == "Du har en plats."
    assert _booked(database_url, event_id) == (["booked"], ["REQUEST"])
