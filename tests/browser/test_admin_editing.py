"""The administrator edits and disables an account in a real browser at 360 and 1280 px.

Screenshots of the user editing page are written to ``LEVBIB_SCREENSHOT_DIR`` when set
(``make screenshots`` → docs/screenshots/).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlmodel import Session, select

from app.db import make_engine
from app.models import AuditEvent, User
from app.models.enums import Role
from app.services.demo.data import DEMO_LOGINS
from tests.browser.test_keyboard_and_phone import (
    DESKTOP,
    PHONE,
    no_sideways_scroll,
    sign_in,
    wider_than_the_screen,
)
from tests.factories import Factory

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("live_app", ["sqlite"], indirect=True)]


def _new_council_user(database_url: str, email: str) -> int:
    engine = make_engine(database_url)
    with Session(engine) as session:
        user = Factory(session).user(Role.COUNCIL, email=email)
        user.full_name = "Kim Kvist"
        session.add(user)
        session.commit()
        user_id = user.id
    engine.dispose()
    return user_id


def _stored(database_url: str, user_id: int) -> tuple[User, list[str]]:
    engine = make_engine(database_url)
    with Session(engine, expire_on_commit=False) as session:
        user = session.get(User, user_id)
        actions = session.exec(
            select(AuditEvent.action).where(
                AuditEvent.subject_type == "user", AuditEvent.subject_id == user_id
            )
        ).all()
    engine.dispose()
    return user, list(actions)


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["360", "1280"])
def test_screenshots_of_admin_user_editing(page, live_app, size):
    base, database_url = live_app
    user_id = _new_council_user(database_url, f"kim.kvist.{size['width']}@demo.test")
    page.set_viewport_size(size)
    sign_in(page, base, DEMO_LOGINS[Role.ADMIN])

    page.goto(f"{base}/admin/")
    page.locator(f'a[href="/admin/users/{user_id}"]').click()
    page.wait_for_load_state()
    assert no_sideways_scroll(page), wider_than_the_screen(page)
    page.locator("#full_name").fill("Kim Kvist Berg")
    page.locator("#user-form button[type=submit]").click()
    page.wait_for_load_state()
    saved = page.locator(".flash-success").inner_text()
    shot = page.screenshot(full_page=True)
    page.get_by_role("button", name="Stäng av kontot").click()
    page.wait_for_load_state()
    status = page.locator("#account-status").inner_text()

    assert saved == "Sparat."
    assert status == "Kontot är avstängt: det kan inte logga in."
    assert no_sideways_scroll(page), wider_than_the_screen(page)
    user, actions = _stored(database_url, user_id)
    assert (user.full_name, user.is_enabled) == ("Kim Kvist Berg", False)
    assert actions == ["user.created", "user.updated", "user.disabled"]
    assert shot.startswith(b"\x89PNG")
    if os.environ.get("LEVBIB_SCREENSHOT_DIR"):
        folder = Path(os.environ["LEVBIB_SCREENSHOT_DIR"])
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"admin-user-{size['width']}.png").write_bytes(shot)
