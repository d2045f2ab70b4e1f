"""The insight page in a real browser with demo data: every picture is drawn and described."""

from pathlib import Path

import pytest

from app.services.demo.data import DEMO_PASSWORD
from app.web.insight.specs import SPECS

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"


def sign_in(page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def test_insight_page_draws_every_picture_with_text_alternatives(page, live_app):
    base_url, database_url = live_app
    sign_in(page, base_url, "council@demo.test")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.locator("#nav-insight").click()
    page.wait_for_url(f"{base_url}/council/insight/")

    pictures = [key for key, spec in SPECS.items() if spec.kind != "table"]
    svgs = page.locator("figure.chart svg[role=img]")
    assert svgs.count() == len(pictures)
    for key in pictures:
        svg = page.locator(f"#chart-{key} svg")
        labelled_by = svg.get_attribute("aria-labelledby").split()
        assert labelled_by == [f"{key}-title", f"{key}-desc"]
        assert page.locator(f"#{key}-title").text_content().strip()
        assert page.locator(f"#{key}-desc").text_content().strip()
        assert svg.bounding_box()["height"] > 60  # drawn, not collapsed
        assert svg.locator("rect, path, polyline, circle").count() >= 1
        assert page.locator(f"#table-{key} tbody tr").count() >= 1
        assert (
            page.locator(f"#chart-{key} a.csv-link")
            .get_attribute("href")
            .startswith(f"/council/insight/{key}.csv")
        )
    # Demo data fills the pictures: bars and marks, each with a tooltip giving its value.
    assert page.locator("#chart-pool_age svg rect title").count() >= 10
    assert page.locator("#chart-work_lorenz svg circle title").count() >= 40
    assert page.locator("#chart-cost_month svg rect title").count() >= 12
    assert "Gini" in page.locator("#chart-work_lorenz figcaption").inner_text()
    SCREENSHOTS.mkdir(exist_ok=True)
    backend = database_url.split(":", 1)[0].split("+", 1)[0]
    page.screenshot(path=str(SCREENSHOTS / f"insight-{backend}.png"), full_page=True)


def test_insight_filters_narrow_the_pictures_and_refuse_a_bad_period(page, live_server):
    sign_in(page, live_server, "council@demo.test")
    page.goto(f"{live_server}/council/insight/")
    everyone = page.locator("#table-pool_mandate tbody tr").first.inner_text()

    page.locator("#pool").select_option("peer")
    page.locator("#insight-filters button[type=submit]").click()
    page.wait_for_url("**pool=peer**")

    assert page.locator("#table-pool_mandate tbody tr").first.inner_text() != everyone
    response = page.goto(f"{live_server}/council/insight/?start=2026-05-01&end=2026-01-01")
    assert response.status == 422
    assert page.locator("#error-summary").is_visible()
    assert page.locator("figure.chart").count() == 0
