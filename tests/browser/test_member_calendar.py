from datetime import timedelta

import pytest

from app.services.demo.data import DEMO_PASSWORD
from scheduling.availability import month_weeks
from tests.clock_support import local_today

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
    today = local_today()  # the app's "today" is Stockholm's, whatever the machine's zone
    monday = today - timedelta(days=today.weekday())
    blocked_day = monday + timedelta(days=2)
    assert page.locator(".cal-day").evaluate_all("days => days.map(d => d.id)") == [
        f"day-{(monday + timedelta(days=n)).isoformat()}" for n in range(7)
    ]

    page.locator("#new-weekday").select_option("5")  # Saturday
    page.locator("#new-start_time").fill("18:00")
    page.locator("#new-end_time").fill("20:30")
    page.locator("#add-window").click()
    page.wait_for_load_state()
    page.locator("#block-start_date").fill(blocked_day.isoformat())
    page.locator("#block-end_date").fill(blocked_day.isoformat())
    page.locator("#block-kind").select_option("vacation")
    page.locator("#add-period").click()
    page.wait_for_load_state()

    assert page.locator("#confirm-withdraw").count() == 0  # nothing booked that day
    saturday = page.locator(f"#day-{(monday + timedelta(days=5)).isoformat()} .cal-window")
    blocked = page.locator(f"#day-{blocked_day.isoformat()} .cal-blocked")
    assert "18:00–20:30" in saturday.all_inner_texts()[-1]
    assert blocked.count() == 1 and blocked.is_visible()
    box = saturday.last.bounding_box()
    assert box["height"] > 20  # drawn as a block two and a half hours tall, not just text

    page.locator("#view-month").click()
    page.wait_for_url("**view=month**")
    weeks = month_weeks(today.year, today.month)  # 4, 5 or 6 Monday-first weeks
    cells = page.locator("#cal-month .cal-cell")
    assert cells.count() == 7 * len(weeks)
    assert cells.first.get_attribute("id") == f"day-{weeks[0][0].isoformat()}"
    assert cells.last.get_attribute("id") == f"day-{weeks[-1][-1].isoformat()}"
    assert page.locator(f"#cal-month #day-{blocked_day.isoformat()}.is-blocked").count() == 1
    assert page.locator("#cal-month .cal-window", has_text="18:00–20:30").count() == len(weeks)

    page.locator(f"#cal-month #day-{blocked_day.isoformat()} a").focus()
    page.keyboard.press("Enter")
    # The month's own address may already name the blocked day (today, on a Wednesday), so
    # wait for the week view itself.
    page.wait_for_url(f"**view=week&date={blocked_day.isoformat()}")
    assert page.locator("#cal-week").is_visible()
    assert page.locator(f"#day-{blocked_day.isoformat()} .cal-blocked").is_visible()
