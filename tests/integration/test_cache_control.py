"""Nothing a signed-in user or an API token is sent may be stored by a browser or a proxy.

Pages of the service show health data (a member's experiences, a request's purpose, payouts),
so every answer to a signed-in visitor or an API token, whatever its status, carries
``Cache-Control: no-store`` and ``Pragma: no-cache``. Static assets stay cacheable.
"""

from __future__ import annotations

from tests.api_support import token_for
from tests.integration.test_access import (
    ALL_VISITORS,
    API_POLICY,
    POLICY,
    visitors,  # noqa: F401 - the fixture is used by name
)

SIGNED_IN = [name for name in ALL_VISITORS if name != "anonymous"]


def _not_stored(response) -> bool:
    return (
        response.headers.get("Cache-Control") == "no-store"
        and response.headers.get("Pragma") == "no-cache"
    )


def test_every_get_route_as_each_signed_in_role_is_not_stored(visitors):  # noqa: F811
    clients, ids = visitors

    stored = [
        f"{name} GET {path}: {response.status_code} {response.headers.get('Cache-Control')}"
        for path in sorted(POLICY)
        for name in SIGNED_IN
        if not _not_stored(response := clients[name].get(path.format(**ids)))
    ]

    assert stored == []


def test_every_api_get_with_each_token_is_not_stored(visitors, app, factory):  # noqa: F811
    _clients, ids = visitors
    client = app.test_client()
    secrets = {name: token_for(factory, ids["users"][name]) for name in SIGNED_IN}
    paths = [op.split(" ", 1)[1] for op in sorted(API_POLICY) if op.startswith("GET ")]

    stored = [
        f"{name} GET {path}: {response.status_code}"
        for path in paths
        for name in SIGNED_IN
        if not _not_stored(
            response := client.get(
                path.format(**ids), headers={"Authorization": f"Bearer {secrets[name]}"}
            )
        )
    ]

    assert stored == []


def test_downloads_and_error_pages_of_a_signed_in_user_are_not_stored(visitors):  # noqa: F811
    clients, ids = visitors
    council = clients["council"]
    urls = [
        f"/compensation/batches/{ids['batch_id']}/payout.xlsx",
        f"/council/members/{ids['member_id']}",
        f"/council/requests/{ids['request_id']}",
        "/council/members/2147483647",  # 404
        "/no-such-page",  # 404
        "/me/",  # 403 for the council
        f"/calendar/{ids['token']}.ics",  # a feed fetched while signed in
    ]

    responses = {url: council.get(url) for url in urls}

    assert responses[urls[0]].mimetype.endswith("spreadsheetml.sheet")
    assert responses[urls[3]].status_code == responses[urls[4]].status_code == 404
    assert responses[urls[5]].status_code == 403
    assert [url for url, response in responses.items() if not _not_stored(response)] == []


def test_member_and_orderer_pages_with_health_data_are_not_stored(visitors):  # noqa: F811
    clients, ids = visitors

    member_page = clients["member"].get("/me/")
    order_page = clients["orderer"].get(f"/orders/{ids['request_id']}")

    assert (member_page.status_code, order_page.status_code) == (200, 200)
    assert _not_stored(member_page)
    assert _not_stored(order_page)


def test_anonymous_pages_and_api_errors_are_not_stored(client):
    login_page = client.get("/login")
    missing = client.get("/no-such-page")
    api_refusal = client.get("/api/v1/me")

    assert (login_page.status_code, missing.status_code, api_refusal.status_code) == (
        200,
        404,
        401,
    )
    assert all(_not_stored(response) for response in (login_page, missing, api_refusal))


def test_static_assets_stay_cacheable(client, app):
    name = next(
        rule.rule.replace("<path:filename>", "style.css")
        for rule in app.url_map.iter_rules()
        if rule.endpoint == "static"
    )

    response = client.get(name)

    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")
    assert "Pragma" not in response.headers
