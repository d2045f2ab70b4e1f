"""API tokens: the administrator's page and ``levbib api-token`` create and revoke them."""

from __future__ import annotations

import re

from sqlmodel import select

from app.models import ApiToken, AuditEvent
from app.models.enums import Role
from app.services.accounts.api_tokens import hash_token
from tests.api_support import ApiClient
from tests.databases import fresh_database
from tests.html import csrf_token
from tests.pool_support import signed_in


def test_the_administrator_creates_a_token_shown_once_and_revokes_it(app, factory, db_session):
    client, admin = signed_in(app, factory, Role.ADMIN)
    orderer = factory.user(Role.ORDERER)
    token = csrf_token(client.get("/admin/api-tokens/").get_data(as_text=True))

    created = client.post(
        "/admin/api-tokens/",
        data={"user_id": orderer.id, "name": "Booking system", "csrf_token": token},
    )
    secret = re.search(r"<code>(lvb_[^<]+)</code>", created.get_data(as_text=True)).group(1)
    listed = client.get("/admin/api-tokens/").get_data(as_text=True)
    stored = db_session.exec(select(ApiToken).where(ApiToken.user_id == orderer.id)).one()
    works = ApiClient(app, secret).get("/api/v1/me").status_code
    revoked = client.post(
        f"/admin/api-tokens/{stored.id}/revoke", data={"csrf_token": csrf_token(listed)}
    )

    assert created.status_code == 200
    assert stored.token_hash == hash_token(secret) and secret not in listed
    assert stored.prefix in listed and "Booking system" in listed
    assert works == 200
    assert revoked.status_code == 302
    assert ApiClient(app, secret).get("/api/v1/me").status_code == 401
    actions = db_session.exec(
        select(AuditEvent.action, AuditEvent.actor_id).where(
            AuditEvent.subject_id == orderer.id, AuditEvent.action.startswith("api_token.")
        )
    ).all()
    assert set(actions) == {("api_token.created", admin.id), ("api_token.revoked", admin.id)}


def test_a_token_needs_a_name_and_an_existing_user(app, factory):
    client, _admin = signed_in(app, factory, Role.ADMIN)
    token = csrf_token(client.get("/admin/api-tokens/").get_data(as_text=True))

    response = client.post(
        "/admin/api-tokens/", data={"user_id": 999999, "name": "", "csrf_token": token}
    )

    assert response.status_code == 422


def test_the_command_line_creates_lists_and_revokes(tmp_path):
    from app import create_app

    with fresh_database("sqlite", tmp_path) as url:
        app = create_app({"DATABASE_URL": url, "TESTING": True})
        runner = app.test_cli_runner()
        runner.invoke(
            args=["create-user", "--email", "sys@example.org", "--role", "council"],
            input="a long password 1\na long password 1\n",
        )

        created = runner.invoke(args=["api-token", "create", "--user", "sys@example.org"])
        secret = created.output.strip().splitlines()[-1]
        listed = runner.invoke(args=["api-token", "list"])
        works = ApiClient(app, secret).get("/api/v1/me")
        revoked = runner.invoke(args=["api-token", "revoke", "1"])
        twice = runner.invoke(args=["api-token", "revoke", "1"])
        unknown = runner.invoke(args=["api-token", "create", "--user", "nobody@example.org"])
        refused = ApiClient(app, secret).get("/api/v1/me")
        app.extensions["db_engine"].dispose()

    assert created.exit_code == 0 and secret.startswith("lvb_")
    assert "sys@example.org" in listed.output and secret not in listed.output
    assert works.status_code == 200 and works.get_json()["role"] == "council"
    assert revoked.exit_code == 0 and "revoked" in revoked.output
    assert twice.exit_code == 1 and "already revoked" in twice.output
    assert unknown.exit_code == 2
    assert refused.status_code == 401
