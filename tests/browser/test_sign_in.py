import pytest

from app.services.demo.data import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def sign_in(page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/login")
    page.get_by_label("E-post").fill(email)
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logga in").click()


def test_council_signs_in_and_reaches_the_pool_list(page, live_server):
    sign_in(page, live_server, "council@demo.test")

    page.wait_for_url(f"{live_server}/council/")
    assert page.get_by_role("heading", name="Att göra", exact=True).is_visible()
    page.get_by_role("link", name="Poolen", exact=True).click()
    page.wait_for_url(f"{live_server}/council/pool")
    total = page.locator("#pool-table tbody tr").count()
    assert page.get_by_role("heading", name="Poolen").is_visible()
    assert total >= 95

    page.get_by_label("Kön").select_option("man")
    page.get_by_role("button", name="Filtrera").click()
    page.wait_for_url("**gender=man**")
    filtered = page.locator("#pool-table tbody tr").count()
    assert 0 < filtered < total
    assert page.locator("#pool-count").inner_text() == f"Antal medlemmar: {filtered}"


def test_wrong_role_url_gives_403_in_the_browser(page, live_server):
    sign_in(page, live_server, "member@demo.test")
    page.wait_for_url(f"{live_server}/me/")

    response = page.goto(f"{live_server}/admin/")

    assert response.status == 403
