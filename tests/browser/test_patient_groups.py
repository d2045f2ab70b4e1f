"""The patient-group pages in a real browser: entered, compared, accessible (also with errors)."""

from __future__ import annotations

import pytest

from tests.browser.test_accessibility import axe_script, axe_violations, page, sign_in  # noqa: F401

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("live_app", ["sqlite"], indirect=True)
def test_patient_group_pages_and_their_errors_have_no_wcag_violations(page, live_app, axe_script):  # noqa: F811
    base_url = live_app[0]
    sign_in(page, base_url, "council")

    page.goto(f"{base_url}/council/insight/population")
    page.locator("#patient-groups-link").click()
    assert axe_violations(page) == []
    with page.expect_navigation():
        page.locator("#choose-area button[type=submit]").click()
    assert page.locator("#group-form").is_visible()
    page.locator("#year").fill("1800")
    with page.expect_navigation():
        page.locator("#group-form button[type=submit]").click()
    assert page.locator("#error-summary").is_visible()
    assert page.locator("#year").get_attribute("aria-invalid") == "true"
    assert axe_violations(page) == []

    page.locator("#year").fill("2025")
    for cell in ("#p_18_34_woman", "#p_18_34_man", "#p_80plus_woman", "#p_80plus_man"):
        page.locator(cell).fill("1000")
    with page.expect_navigation():
        page.locator("#group-form button[type=submit]").click()
    # ten age band × sex rows, and one for other genders when the area's members include them
    assert page.locator("#area-comparison tbody tr").count() in (10, 11)
    assert page.locator("#row-18-34-woman td").nth(3).inner_text() == "25\u00a0%"
    assert axe_violations(page) == []
