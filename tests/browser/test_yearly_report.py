"""The yearly report and the recruitment targets in a real browser: drawn, described, accessible."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.services.insight.yearly import REPORT_SECTIONS
from app.web.insight.specs import SPECS
from tests.browser.test_accessibility import axe_script, axe_violations, page, sign_in  # noqa: F401

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("live_app", ["sqlite"], indirect=True)
def test_yearly_report_draws_every_picture_and_has_no_wcag_violations(page, live_app, axe_script):  # noqa: F811
    base_url = live_app[0]
    year = datetime.now(UTC).year
    sign_in(page, base_url, "council")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto(f"{base_url}/council/insight/")
    page.locator("#year-link").click()
    page.wait_for_url(f"{base_url}/council/insight/year/{year - 1}")
    page.locator("#year").fill(str(year))
    page.locator("#year-form button").click()
    page.wait_for_url(f"{base_url}/council/insight/year/{year}")

    keys = [key for keys in REPORT_SECTIONS.values() for key in keys]
    pictures = [key for key in keys if SPECS[key].kind != "table"]
    assert page.locator("h1").inner_text() == f"Årsrapport {year}"
    assert page.locator("figure.chart svg[role=img]").count() == len(pictures)
    for key in pictures:
        assert page.locator(f"#{key}-desc").text_content().strip()
        assert page.locator(f"#table-{key} tbody tr").count() >= 1
    assert page.locator("#totals-table tbody tr").count() == 14
    assert axe_violations(page) == []
    pdf = page.request.get(base_url + page.locator("#pdf-link").get_attribute("href"))
    assert pdf.status == 200
    assert pdf.body()[:5] == b"%PDF-"


@pytest.mark.parametrize("live_app", ["sqlite"], indirect=True)
def test_target_pages_and_their_form_errors_have_no_wcag_violations(page, live_app, axe_script):  # noqa: F811
    base_url = live_app[0]
    sign_in(page, base_url, "council")

    page.goto(f"{base_url}/council/insight/population")
    page.locator("#new-target-link").click()
    page.locator("#wanted_count").fill("3")
    page.locator("#age_min").fill("40")
    page.locator("#age_max").fill("30")
    page.locator("#due_on").fill("2030-06-30")
    with page.expect_navigation():
        page.locator("#target-form button[type=submit]").click()
    assert page.locator("#error-summary").is_visible()
    assert page.locator("#age_max").get_attribute("aria-invalid") == "true"
    assert axe_violations(page) == []

    page.locator("#age_min").fill("18")
    page.locator("#age_max").fill("29")
    with page.expect_navigation():
        page.locator("#target-form button[type=submit]").click()
    assert page.url == f"{base_url}/council/insight/targets/"
    assert page.locator("progress").count() >= 1
    assert axe_violations(page) == []
