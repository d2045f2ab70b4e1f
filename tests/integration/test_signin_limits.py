"""Sign-in limits per client address and per account, behind a trusted proxy (issue 17 item 5).

The app runs with PROXY_COUNT=1, so the client address is the last X-Forwarded-For entry, as
the recommended proxy sends it. Only refused attempts count toward a limit.
"""

from __future__ import annotations

import pytest

from app import create_app
from app.models.enums import Role
from tests.conftest import TEST_PASSWORD
from tests.html import csrf_token

WRONG = "wrong password here"


@pytest.fixture
def limited_app(app_config):
    return create_app(
        {
            **app_config,
            "PROXY_COUNT": 1,
            "LOGIN_RATE_LIMIT": "3 per minute",
            "LOGIN_ACCOUNT_RATE_LIMIT": "5 per minute",
        }
    )


def sign_in(app, email: str, password: str, address: str) -> int:
    """Post the real sign-in form from ``address`` (through the proxy); return the status."""
    client = app.test_client()
    headers = {"X-Forwarded-For": address}
    token = csrf_token(client.get("/login", headers=headers).get_data(as_text=True))
    answer = client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": token},
        headers=headers,
    )
    return answer.status_code


def test_a_burst_against_one_account_leaves_another_account_alone(limited_app, factory):
    target = factory.user(Role.COUNCIL)
    other = factory.user(Role.ORDERER)

    burst = [sign_in(limited_app, target.email, WRONG, "198.51.100.7") for _ in range(4)]
    other_answer = sign_in(limited_app, other.email, TEST_PASSWORD, "203.0.113.9")

    assert burst == [401, 401, 401, 429]
    assert other_answer == 302


def test_a_burst_from_one_address_is_limited_for_that_address_only(limited_app, factory):
    users = [factory.user(Role.MEMBER) for _ in range(4)]

    burst = [sign_in(limited_app, user.email, WRONG, "198.51.100.7") for user in users]
    same_address = sign_in(limited_app, users[0].email, TEST_PASSWORD, "198.51.100.7")
    other_address = sign_in(limited_app, users[0].email, TEST_PASSWORD, "203.0.113.9")

    assert burst == [401, 401, 401, 429]
    assert same_address == 429
    assert other_address == 302


def test_a_burst_against_one_account_from_many_addresses_limits_that_account(limited_app, factory):
    target = factory.user(Role.ADMIN)
    other = factory.user(Role.COUNCIL)

    burst = [sign_in(limited_app, target.email, WRONG, f"192.0.2.{n}") for n in range(1, 7)]
    right_password = sign_in(limited_app, target.email, TEST_PASSWORD, "192.0.2.99")
    other_account = sign_in(limited_app, other.email, TEST_PASSWORD, "192.0.2.99")

    assert burst == [401, 401, 401, 401, 401, 429]
    assert right_password == 429
    assert other_account == 302


def test_the_account_limit_ignores_case_and_spaces_in_the_address(limited_app, factory):
    target = factory.user(Role.COUNCIL, email="case.test@example.org")
    spellings = ["case.test@example.org", "CASE.test@example.org", " case.test@EXAMPLE.org "]

    burst = [sign_in(limited_app, spellings[n % 3], WRONG, f"192.0.2.{n}") for n in range(1, 7)]

    assert burst == [401, 401, 401, 401, 401, 429]
    assert sign_in(limited_app, target.email, TEST_PASSWORD, "192.0.2.50") == 429


def test_successful_sign_ins_from_one_address_are_not_counted(limited_app, factory):
    # A whole hospital may sit behind one address: only refused attempts count.
    users = [factory.user(Role.ORDERER) for _ in range(6)]

    answers = [sign_in(limited_app, user.email, TEST_PASSWORD, "198.51.100.20") for user in users]

    assert answers == [302] * 6


def test_without_a_trusted_proxy_the_forwarded_address_is_ignored(app_config, factory):
    app = create_app({**app_config, "PROXY_COUNT": 0, "LOGIN_RATE_LIMIT": "2 per minute"})
    user = factory.user(Role.MEMBER)

    answers = [sign_in(app, user.email, WRONG, f"192.0.2.{n}") for n in range(1, 4)]

    assert answers == [401, 401, 429]
