"""Security headers, no inline script, password reset by single-use link, lockout, no enumeration."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlmodel import select

from app import create_app
from app.models import User
from app.models.enums import Role
from app.web.security import CONTENT_SECURITY_POLICY, HSTS
from tests.conftest import PUBLIC_BASE_URL, login
from tests.html import csrf_token
from tests.pool_support import sent_mail

TEMPLATES = Path(__file__).resolve().parents[2] / "app" / "templates"
NEW_PASSWORD = "a new long password 9"


@pytest.fixture
def outbox(app, tmp_path):
    app.config["MAIL_OUTBOX"] = str(tmp_path / "outbox")
    return tmp_path / "outbox"


def test_every_answer_carries_the_security_headers(client):
    for path in ("/login", "/no-such-page", "/api/v1/openapi.json"):
        headers = client.get(path).headers

        assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "same-origin"
        assert "Strict-Transport-Security" not in headers
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY
    assert "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY.split("script-src")[1].split(";")[0]


def test_production_adds_hsts_and_secure_session_cookies(app_config, factory):
    from app import create_app

    app = create_app({**app_config, "ENV_NAME": "production", "SESSION_COOKIE_SECURE": True})
    client = app.test_client()
    user = factory.user(Role.COUNCIL)

    signed_in = login(client, user.email)

    assert client.get("/login").headers["Strict-Transport-Security"] == HSTS
    cookie = signed_in.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_no_template_has_inline_script_or_event_handlers():
    offenders = []
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        inline = [tag for tag in re.findall(r"<script\b[^>]*>", text) if "src=" not in tag]
        handlers = re.findall(r"\son[a-z]+\s*=", text)
        if inline or handlers or "javascript:" in text:
            offenders.append(template.name)

    assert offenders == []


def _reset_link(app, outbox) -> str:
    [message] = sent_mail(outbox, app)
    body = message.get_payload(decode=True).decode()
    return re.search(re.escape(PUBLIC_BASE_URL) + r"(/password-reset/\S+)", body).group(1)


def _set_password(client, link: str, password: str = NEW_PASSWORD):
    token = csrf_token(client.get(link).get_data(as_text=True))
    return client.post(link, data={"password": password, "repeat": password, "csrf_token": token})


def _ask_for_reset(client, email: str):
    token = csrf_token(client.get("/password-reset").get_data(as_text=True))
    return client.post("/password-reset", data={"email": email, "csrf_token": token})


def test_password_reset_by_a_single_use_link(app, factory, outbox):
    user = factory.user(Role.COUNCIL)
    old_session = app.test_client()
    login(old_session, user.email)
    client = app.test_client()

    asked = _ask_for_reset(client, user.email.upper())
    link = _reset_link(app, outbox)
    saved = _set_password(client, link)
    again = client.get(link)

    assert asked.status_code == 302 and asked.location == "/login"
    assert saved.status_code == 302
    assert again.status_code == 404
    assert login(app.test_client(), user.email, NEW_PASSWORD).status_code == 302
    assert old_session.get("/council/").status_code == 302  # every earlier sign-in ended


def test_an_expired_reset_link_is_refused(app, factory, outbox, monkeypatch):
    user = factory.user(Role.MEMBER)
    client = app.test_client()
    _ask_for_reset(client, user.email)
    link = _reset_link(app, outbox)
    monkeypatch.setattr("app.services.accounts.member_accounts.RESET_MAX_AGE", -1)

    assert client.get(link).status_code == 404


def test_reset_answers_alike_for_known_and_unknown_addresses(app, factory, outbox):
    user = factory.user(Role.ORDERER)
    known, unknown = app.test_client(), app.test_client()

    answers = [_ask_for_reset(c, e) for c, e in ((known, user.email), (unknown, "nobody@x.org"))]

    pages = [c.get("/login").get_data(as_text=True) for c in (known, unknown)]
    assert [a.status_code for a in answers] == [302, 302]
    assert [a.location for a in answers] == ["/login", "/login"]
    assert pages[0] == pages[1].replace(csrf_token(pages[1]), csrf_token(pages[0]))
    assert [m["To"] for m in sent_mail(outbox, app)] == [user.email]


def test_sign_in_answers_alike_for_unknown_disabled_and_wrong_password(client, factory, db_session):
    user = factory.user(Role.COUNCIL)
    disabled = factory.user(Role.COUNCIL)
    disabled.is_enabled = False
    db_session.flush()

    answers = [
        login(client, "nobody@example.org"),
        login(client, disabled.email),
        login(client, user.email, "wrong password here"),
    ]

    assert {a.status_code for a in answers} == {401}
    texts = {re.sub(r'value="[^"]+"', "", a.get_data(as_text=True)) for a in answers}
    assert len({t.replace(disabled.email, "").replace(user.email, "") for t in texts}) == 1


def test_too_many_sign_ins_show_a_lockout_notice(app_config, factory):
    from app import create_app

    app = create_app({**app_config, "LOGIN_RATE_LIMIT": "2 per minute"})
    client = app.test_client()
    with client.session_transaction() as session:
        session["lang"] = "en"
    user = factory.user(Role.COUNCIL)

    statuses = [login(client, user.email, "wrong password here").status_code for _ in range(3)]
    locked = login(client, user.email)

    assert statuses == [401, 401, 429]
    assert locked.status_code == 429
    assert "Too many sign-in attempts" in locked.get_data(as_text=True)
    assert db_user_is_untouched(factory, user)


def db_user_is_untouched(factory, user) -> bool:
    stored = factory.session.exec(select(User).where(User.id == user.id)).one()
    return stored.is_enabled and stored.last_login_at is None


def test_nul_characters_in_forms_are_a_400_not_a_database_error(app_config, factory):
    from app import create_app
    from tests.pool_support import signed_in

    app = create_app({**app_config, "WTF_CSRF_ENABLED": False})
    client, _user = signed_in(app, factory, Role.ORDERER)

    response = client.post("/orders/new", data={"title": "a\x00b"})

    assert response.status_code == 400
    assert client.get("/council/members/99999999999").status_code in (403, 404)


def test_a_forged_host_header_never_reaches_the_reset_link(app, factory, outbox):
    user = factory.user(Role.COUNCIL)
    client = app.test_client()
    forged = {"Host": "evil.example"}
    form = client.get("/password-reset", headers=forged).get_data(as_text=True)

    answer = client.post(
        "/password-reset",
        data={"email": user.email, "csrf_token": csrf_token(form)},
        headers=forged,
    )

    [message] = sent_mail(outbox, app)
    body = message.get_payload(decode=True).decode()
    assert answer.status_code == 302
    assert "evil.example" not in body
    assert re.findall(r"https?://[^/\s]+", body) == [PUBLIC_BASE_URL]


def test_links_keep_the_public_base_path_and_scheme(app_config, factory, tmp_path):
    outbox = tmp_path / "prefixed-outbox"
    app = create_app(
        {
            **app_config,
            "PUBLIC_BASE_URL": "https://region.example/levbib/",
            "MAIL_OUTBOX": str(outbox),
        }
    )
    user = factory.user(Role.MEMBER)
    client = app.test_client()

    _ask_for_reset(client, user.email)

    [message] = sent_mail(outbox, app)
    body = message.get_payload(decode=True).decode()
    assert re.search(r"https://region\.example/levbib/password-reset/\S+", body)


def test_only_trusted_hosts_are_answered(app_config):
    app = create_app({**app_config, "TRUSTED_HOSTS": ["levande.region.example"]})
    client = app.test_client()

    trusted = client.get("/login", headers={"Host": "levande.region.example"})
    forged = client.get("/login", headers={"Host": "evil.example"})

    assert (trusted.status_code, forged.status_code) == (200, 400)


@pytest.mark.parametrize(("proxies", "second_status"), [(0, 429), (1, 302)])
def test_the_rate_limit_counts_the_client_behind_a_trusted_proxy(
    app_config, factory, proxies, second_status
):
    app = create_app(
        {**app_config, "PROXY_COUNT": proxies, "PASSWORD_RESET_RATE_LIMIT": "1 per minute"}
    )
    user = factory.user(Role.MEMBER)
    statuses = []
    for address in ("198.51.100.7", "203.0.113.9"):
        client = app.test_client()
        token = csrf_token(client.get("/password-reset").get_data(as_text=True))
        answer = client.post(
            "/password-reset",
            data={"email": user.email, "csrf_token": token},
            headers={"X-Forwarded-For": address},
        )
        statuses.append(answer.status_code)

    assert statuses == [302, second_status]
