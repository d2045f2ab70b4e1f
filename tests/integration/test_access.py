"""The written access policy: every page route × every kind of visitor → expected status.

This table is the policy (also summarised in the README). A new route without a row fails
``test_every_route_is_in_the_policy``.
"""

from datetime import date

import pytest

from app.models import Invitation, PayoutBatch
from app.models.enums import Role
from app.services.accounts import password_token
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
    # Pool self-service (issue 4): the member's own calendar, consent and data.
    "/me/calendar/": (LOGIN, 200, 403, 403, 403),
    "/me/consent": (LOGIN, 200, 403, 403, 403),
    "/me/data.json": (LOGIN, 200, 403, 403, 403),
    # The feed and the set-password link need no sign-in: the secret in the URL is the key.
    "/calendar/{token}.ics": (200, 200, 200, 200, 200),
    "/welcome/{invite_token}": (200, 200, 200, 200, 200),
    # Pool administration: the council; the taxonomy also the administrator.
    "/council/members/new": (LOGIN, 403, 403, 200, 403),
    "/council/members/{member_id}": (LOGIN, 403, 403, 200, 403),
    "/council/members/{member_id}/edit": (LOGIN, 403, 403, 200, 403),
    "/council/import/": (LOGIN, 403, 403, 200, 403),
    "/council/import/template.csv": (LOGIN, 403, 403, 200, 403),
    "/council/import/template.xlsx": (LOGIN, 403, 403, 200, 403),
    "/taxonomy/": (LOGIN, 403, 403, 200, 200),
    # Compensation (issue 7): members report, the council attests and pays, orderers see costs.
    "/compensation/": (LOGIN, 200, 403, 403, 403),
    "/compensation/assignments/{assignment_id}/claim": (LOGIN, 200, 403, 403, 403),
    "/compensation/statement": (LOGIN, 200, 403, 403, 403),
    "/compensation/review": (LOGIN, 403, 403, 200, 403),
    "/compensation/batches": (LOGIN, 403, 403, 200, 403),
    "/compensation/batches/{batch_id}": (LOGIN, 403, 403, 200, 403),
    "/compensation/batches/{batch_id}/payout.csv": (LOGIN, 403, 403, 200, 403),
    "/compensation/batches/{batch_id}/payout.xlsx": (LOGIN, 403, 403, 200, 403),
    "/compensation/batches/{batch_id}/payer.csv": (LOGIN, 403, 403, 200, 403),
    "/compensation/batches/{batch_id}/payer.xlsx": (LOGIN, 403, 403, 200, 403),
    "/compensation/settlement": (LOGIN, 403, 403, 200, 403),
    "/compensation/settlement.csv": (LOGIN, 403, 403, 200, 403),
    "/compensation/costs": (LOGIN, 403, 200, 403, 403),
    "/compensation/agreements/{assignment_id}": (LOGIN, 200, 200, 200, 403),
    "/orders/estimate": (LOGIN, 403, 200, 403, 403),
    # Booking (issue 5): the invitation page needs no sign-in; the secret link is the key.
    "/invitations/{invitation_token}": (200, 200, 200, 200, 200),
    # Accessibility (issue 10): the glossary and the accessibility statement are public.
    "/glossary": (200, 200, 200, 200, 200),
    "/accessibility": (200, 200, 200, 200, 200),
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
    "/admin/mileage-rates",
    "/admin/users",
    "/me/experiences/{experience_id}/edit",
    "/me/calendar/windows",
    "/me/calendar/windows/{window_id}",
    "/me/calendar/windows/{window_id}/delete",
    "/me/calendar/blocks",
    "/me/calendar/blocks/{period_id}/delete",
    "/me/calendar/pause",
    "/me/calendar/resume",
    "/me/calendar/token",
    "/me/consent/give",
    "/me/consent/withdraw",
    "/council/members/{member_id}/status",
    "/council/members/{member_id}/invite",
    "/taxonomy/areas",
    "/taxonomy/rename",
    "/taxonomy/merge",
    "/compensation/claims/{claim_id}/receipts",
    "/compensation/review/{claim_id}/attest",
    "/compensation/review/{claim_id}/return",
    "/compensation/batches/{batch_id}/fill",
    "/compensation/batches/{batch_id}/close",
    "/compensation/agreements/{assignment_id}/declaration",
    "/council/requests/{request_id}/approve",
    "/council/requests/{request_id}/swap",
    "/council/requests/{request_id}/ask",
    "/council/requests/{request_id}/decline",
    "/council/requests/{request_id}/cancel",
    "/invitations/{invitation_token}/accept",
    "/invitations/{invitation_token}/decline",
    "/orders/{request_id}/answer",
    "/council/requests/{request_id}/sessions/{session_id}/move",
}


def test_every_route_is_in_the_policy(app):
    rules = {
        rule.rule.replace("<int:", "{").replace("<", "{").replace(">", "}")
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
    }

    assert rules == set(POLICY) | POST_ONLY


def test_post_only_routes_refuse_get(app):
    client = app.test_client()
    ids = {"experience_id": 1, "window_id": 1, "period_id": 1, "member_id": 1, "code": "sv"}
    ids |= {"claim_id": 1, "batch_id": 1, "assignment_id": 1}
    ids |= {"request_id": 1, "invitation_token": "no-such-token", "session_id": 1}

    statuses = {path: client.get(path.format(**ids)).status_code for path in POST_ONLY}

    assert set(statuses.values()) == {405}


@pytest.fixture
def visitors(factory, app):
    """A signed-in client per kind of visitor, and a request of the orderer's organisation."""
    orderer = factory.user(Role.ORDERER)
    member_user = factory.user(Role.MEMBER)
    member = factory.member(user=member_user, calendar_token="feed-token-" + "x" * 30)
    invitee = factory.user(Role.MEMBER)
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
    invite_token = password_token(invitee, app.config["SECRET_KEY"])
    batch = PayoutBatch(period_start=date(2026, 1, 1), period_end=date(2026, 1, 31))
    factory.session.add(batch)
    invitation = Invitation(
        request_id=booking_request.id, member_id=member.id, token="invitation-" + "x" * 30
    )
    factory.session.add(invitation)
    factory.session.flush()
    return clients, {
        "invitation_token": invitation.token,
        "assignment_id": factory.assignment(member, booking_request).id,
        "batch_id": batch.id,
        "request_id": booking_request.id,
        "member_id": member.id,
        "token": member.calendar_token,
        "invite_token": invite_token,
    }


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


@pytest.mark.parametrize(
    "path",
    [
        "/admin/organisations",
        "/admin/users",
        "/admin/mileage-rates",
        "/compensation/agreements/1/declaration",
        "/me/experiences",
        "/me/calendar/windows",
        "/me/calendar/blocks",
        "/me/calendar/token",
        "/me/consent/withdraw",
        "/council/members/new",
        "/council/import/",
        "/council/requests/1/approve",
        "/council/requests/1/swap",
        "/council/requests/1/ask",
        "/council/requests/1/decline",
        "/council/requests/1/cancel",
    ],
)
def test_post_routes_refuse_wrong_role(factory, csrf_free_app, path):
    client = csrf_free_app.test_client()
    login(client, factory.user(Role.ORDERER).email)

    assert client.post(path, data={}).status_code == 403
