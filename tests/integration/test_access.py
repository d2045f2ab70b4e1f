"""The written access policy: every page route × every kind of visitor → expected status.

This table is the policy (also summarised in the README). A new route without a row fails
``test_every_route_is_in_the_policy``.
"""

import pytest

from app.models.enums import Role
from tests.conftest import login

VISITORS = ["anonymous", "member", "orderer", "council", "admin"]
LOGIN = 302  # anonymous visitors are sent to the sign-in page

# path → expected status per visitor, in VISITORS order.
POLICY = {
    "/": (LOGIN, 302, 302, 302, 302),
    "/login": (200, 302, 302, 302, 302),
    "/healthz": (200, 200, 200, 200, 200),
    "/council/": (LOGIN, 403, 403, 200, 403),
    "/council/requests/{request_id}": (LOGIN, 403, 403, 200, 403),
    "/orders/": (LOGIN, 403, 200, 403, 403),
    "/orders/new": (LOGIN, 403, 200, 403, 403),
    "/orders/{request_id}": (LOGIN, 403, 200, 403, 403),
    "/me/": (LOGIN, 200, 403, 403, 403),
    "/admin/": (LOGIN, 403, 403, 403, 200),
}

# Routes that only take POST (forms); GET on them is 405 for everyone.
POST_ONLY = {
    "/logout",
    "/language/{code}",
    "/me/experiences",
    "/me/experiences/{experience_id}/delete",
    "/admin/organisations",
    "/admin/areas",
    "/admin/price-base-amounts",
    "/admin/contribution-rates",
    "/admin/users",
}


def test_every_route_is_in_the_policy(app):
    rules = {
        rule.rule.replace("<int:", "{").replace("<", "{").replace(">", "}")
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
    }

    assert rules == set(POLICY) | POST_ONLY


@pytest.fixture
def visitors(factory, app):
    """A signed-in client per kind of visitor, and a request of the orderer's organisation."""
    orderer = factory.user(Role.ORDERER)
    member_user = factory.user(Role.MEMBER)
    factory.member(user=member_user)
    users = {
        "member": member_user,
        "orderer": orderer,
        "council": factory.user(Role.COUNCIL),
        "admin": factory.user(Role.ADMIN),
    }
    clients = {"anonymous": app.test_client()}
    for name, user in users.items():
        clients[name] = app.test_client()
        assert login(clients[name], user.email).status_code == 302
    booking_request = factory.booking_request(orderer)
    return clients, {"request_id": booking_request.id}


@pytest.mark.parametrize("path", sorted(POLICY))
def test_route_access_matches_policy(visitors, path):
    clients, ids = visitors
    url = path.format(**ids)

    statuses = tuple(clients[name].get(url).status_code for name in VISITORS)

    assert statuses == POLICY[path]


def test_orderer_of_another_organisation_gets_404_for_a_request(factory, app, visitors):
    _, ids = visitors
    other = factory.user(Role.ORDERER)
    client = app.test_client()
    login(client, other.email)

    assert client.get(f"/orders/{ids['request_id']}").status_code == 404


@pytest.mark.parametrize("path", ["/admin/organisations", "/admin/users", "/me/experiences"])
def test_post_routes_refuse_wrong_role(factory, csrf_free_app, path):
    client = csrf_free_app.test_client()
    login(client, factory.user(Role.ORDERER).email)

    assert client.post(path, data={}).status_code == 403
