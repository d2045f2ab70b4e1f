from datetime import date, timedelta

import pytest

from app.services.demo.data import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def sign_in_as_member(page, base_url: str) -> None:
    page.goto(f"{base_url}/login")
    page.locator("#email").fill("member@demo.test")
    page.locator("#password").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{base_url}/me/")


def test_member_adds_a_window_and_a_blocked_period_and_sees_both_drawn(page, live_server):
    sign_in_as_member(page, live_server)
    page.locator("a[href='/me/calendar/']").first.click()
    page.wait_for_url(f"{live_server}/me/calendar/")

    page.locator("#new-weekday").select_option("5")  # Saturday
    page.locator("#new-start_time").fill("18:00")
    page.locator("#new-end_time").fill("20:30")
    page.locator("#add-window").click()
    page.wait_for_load_state()
    monday = date.today() - timedelta(days=date.today().weekday())
    blocked_day = monday + timedelta(days=2)
    page.locator("#block-start_date").fill(blocked_day.isoformat())
    page.locator("#block-end_date").fill(blocked_day.isoformat())
    page.locator("#block-kind").select_option("vacation")
    page.locator("#add-period").click()
    page.wait_for_load_state()

    saturday = page.locator(f"#day-{(monday + timedelta(days=5)).isoformat()} .cal-window")
    blocked = page.locator(f"#day-{blocked_day.isoformat()} .cal-blocked")
    assert "18:00–20:30" in saturday.all_inner_texts()[-1]
    assert blocked.count() == 1 and blocked.is_visible()
    box = saturday.last.bounding_box()
    assert box["height"] > 20  # drawn as a block two and a half hours tall, not just text

    page.locator("#view-month").click()
    page.wait_for_url("**view=month**")
    assert page.locator(f"#cal-month #day-{blocked_day.isoformat()}.is-blocked").count() == 1
    assert page.locator("#cal-month .cal-window", has_text="18:00–20:30").count() >= 4

    page.locator(f"#cal-month #day-{blocked_day.isoformat()} a").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**date={blocked_day.isoformat()}**")
    assert page.locator(f"#day-{blocked_day.isoformat()} .cal-blocked").is_visible()
