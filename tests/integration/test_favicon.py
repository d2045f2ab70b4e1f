"""The site icon: linked from every page and served at /favicon.ico, allowed by the CSP."""

import re
from pathlib import Path

ICON = Path(__file__).resolve().parents[2] / "app" / "static" / "favicon.svg"


def test_favicon_ico_is_served_without_sign_in(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert response.data == ICON.read_bytes()


def test_pages_link_the_icon_and_the_csp_allows_it(client):
    page = client.get("/login")
    html = page.get_data(as_text=True)
    href = re.search(r'<link rel="icon" type="image/svg\+xml" href="([^"]+)">', html).group(1)

    icon = client.get(href)

    assert href == "/static/favicon.svg"
    assert icon.status_code == 200
    assert icon.data == ICON.read_bytes()
    assert "img-src 'self'" in page.headers["Content-Security-Policy"]
