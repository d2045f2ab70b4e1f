"""The linked site icon loads in a real browser under the Content-Security-Policy."""

import pytest

pytestmark = pytest.mark.browser


def test_the_browser_loads_the_linked_icon_under_the_csp(page, live_server):
    page.goto(f"{live_server}/login")

    width = page.evaluate(
        """() => new Promise((resolve) => {
            const img = new Image();
            img.onload = () => resolve(img.naturalWidth);
            img.onerror = () => resolve(-1);
            img.src = document.querySelector('link[rel="icon"]').href;
        })"""
    )

    assert width > 0
