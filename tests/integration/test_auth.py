import pytest
from sqlmodel import select

from app.models import AuditEvent, User
from app.models.enums import Role
from tests.conftest import TEST_PASSWORD, login
from tests.html import csrf_token

HOMES = {
    Role.ADMIN: "/admin/",
    Role.COUNCIL: "/council/",
    Role.ORDERER: "/orders/",
    Role.MEMBER: "/me/",
}


@pytest.mark.parametrize("role", list(Role))
def test_login_lands_on_role_home(client, factory, role):
    user = factory.user(role)
    if role == Role.MEMBER:
        factory.member(user=user)

    response = login(client, user.email)

    assert response.status_code == 302
    assert response.location == HOMES[role]
    assert client.get(HOMES[role]).status_code == 200


def test_login_with_wrong_password_is_refused(client, factory):
    user = factory.user(Role.COUNCIL)

    response = login(client, user.email, "wrong password here")

    assert response.status_code == 401
    assert "Fel e-postadress eller lösenord" in response.get_data(as_text=True) or (
        "Wrong email or password" in response.get_data(as_text=True)
    )
    assert client.get("/council/").status_code == 302


def test_login_is_case_insensitive_on_email(client, factory):
    user = factory.user(Role.COUNCIL, email="Anna.Council@Example.org")

    response = login(client, "ANNA.council@example.org")

    assert user.email == "anna.council@example.org"
    assert response.status_code == 302


def test_post_without_csrf_token_is_refused(client, factory):
    user = factory.user(Role.COUNCIL)

    response = client.post("/login", data={"email": user.email, "password": TEST_PASSWORD})

    assert response.status_code == 400
    assert client.get("/council/").status_code == 302


def test_logout_ends_the_session_server_side(client, factory, db_session):
    user = factory.user(Role.COUNCIL)
    login(client, user.email)
    stolen_cookie = client.get_cookie("session").value
    token = csrf_token(client.get("/council/").get_data(as_text=True))

    response = client.post("/logout", data={"csrf_token": token})

    assert response.status_code == 302
    replay = client.application.test_client()
    replay.set_cookie("session", stolen_cookie)
    assert replay.get("/council/").status_code == 302  # old cookie no longer signs in
    db_session.expire_all()
    assert db_session.get(User, user.id).session_token != ""


def test_login_starts_a_new_session(client, factory):
    user = factory.user(Role.COUNCIL)
    client.get("/login")
    with client.session_transaction() as session:
        session["planted"] = "by attacker"

    login(client, user.email)

    with client.session_transaction() as session:
        assert "planted" not in session
        assert "_user_id" in session


@pytest.mark.parametrize(
    ("next_value", "expected"),
    [
        ("/orders/new", "/orders/new"),
        ("https://evil.example/", "/orders/"),
        ("//evil.example/x", "/orders/"),
        ("/\\evil.example", "/orders/"),
        ("javascript:alert(1)", "/orders/"),
    ],
)
def test_next_parameter_only_allows_same_site_paths(client, factory, next_value, expected):
    user = factory.user(Role.ORDERER)
    token = csrf_token(client.get("/login").get_data(as_text=True))

    response = client.post(
        "/login",
        query_string={"next": next_value},
        data={"email": user.email, "password": TEST_PASSWORD, "csrf_token": token},
    )

    assert response.location == expected


def test_session_cookie_is_httponly_and_samesite(client, factory):
    user = factory.user(Role.COUNCIL)

    response = login(client, user.email)

    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_login_attempts_are_rate_limited(app_config, factory):
    from app import create_app

    app = create_app({**app_config, "LOGIN_RATE_LIMIT": "3 per minute", "WTF_CSRF_ENABLED": False})
    client = app.test_client()
    factory.user(Role.COUNCIL, email="target@example.org")

    statuses = [
        client.post(
            "/login", data={"email": "target@example.org", "password": "guess" * 3}
        ).status_code
        for _ in range(4)
    ]

    assert statuses == [401, 401, 401, 429]


def test_anonymous_user_is_sent_to_login(client):
    response = client.get("/council/")

    assert response.status_code == 302
    assert response.location.startswith("/login?next=")


def test_disabled_user_cannot_sign_in(client, factory, db_session):
    user = factory.user(Role.COUNCIL)
    user.is_enabled = False
    db_session.add(user)
    db_session.flush()

    assert login(client, user.email).status_code == 401


def test_password_is_stored_as_argon2id(factory):
    user = factory.user(Role.ADMIN)

    assert user.password_hash.startswith("$argon2id$")
    assert TEST_PASSWORD not in user.password_hash


def test_council_pool_list_is_audited(client, factory, db_session):
    user = factory.user(Role.COUNCIL)
    login(client, user.email)

    client.get("/council/")  # the worklist shows no health data
    client.get("/council/pool")

    events = db_session.exec(select(AuditEvent).where(AuditEvent.actor_id == user.id)).all()
    assert [event.action for event in events] == ["pool.health_data.list"]
