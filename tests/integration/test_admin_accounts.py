"""The administrator edits and disables users and organisations; every change is audited."""

from __future__ import annotations

import pytest
from sqlmodel import select

from app.models import ApiToken, AuditEvent, BookingRequest
from app.models.enums import Role
from app.services.accounts.organisations import set_organisation_enabled
from app.services.accounts.user_admin import set_user_enabled, update_user
from app.services.errors import Conflict, InvalidInput
from tests.api_support import ApiClient, token_for
from tests.conftest import login
from tests.html import csrf_token
from tests.integration.test_api import _request_body
from tests.integration.test_request_form import valid_form
from tests.pool_support import signed_in


def _events(db_session, action: str) -> list[AuditEvent]:
    return list(db_session.exec(select(AuditEvent).where(AuditEvent.action == action)))


def _post(client, page: str, action: str, data: dict):
    """Post a form the way a browser does: with the CSRF token from the page."""
    token = csrf_token(client.get(page).get_data(as_text=True))
    return client.post(action, data={**data, "csrf_token": token})


def test_admin_edits_a_user_and_the_change_is_audited_before_and_after(app, factory, db_session):
    client, admin = signed_in(app, factory, Role.ADMIN)
    old_org, new_org = factory.organisation("Kirurgen"), factory.organisation("Ortopedin")
    orderer = factory.user(Role.ORDERER, email="olle@example.org", organisation=old_org)
    page = f"/admin/users/{orderer.id}"

    response = _post(
        client,
        page,
        page,
        {
            "email": "Olle.Nilsson@Example.org",
            "full_name": "Olle Nilsson",
            "role": "orderer",
            "organisation_id": str(new_org.id),
        },
    )

    assert response.status_code == 302
    db_session.refresh(orderer)
    assert (orderer.email, orderer.full_name, orderer.organisation_id) == (
        "olle.nilsson@example.org",
        "Olle Nilsson",
        new_org.id,
    )
    [event] = _events(db_session, "user.updated")
    assert (event.actor_id, event.subject_id) == (admin.id, orderer.id)
    assert event.detail == {
        "changes": {
            "email": ["olle@example.org", "olle.nilsson@example.org"],
            "full_name": ["Test orderer", "Olle Nilsson"],
            "organisation_id": [old_org.id, new_org.id],
        }
    }


def test_bad_user_input_is_shown_with_422_and_nothing_changes(app, factory, db_session):
    client, _admin = signed_in(app, factory, Role.ADMIN)
    taken = factory.user(Role.COUNCIL, email="taken@example.org")
    council = factory.user(Role.COUNCIL, email="kari@example.org")
    page = f"/admin/users/{council.id}"

    bad_email = _post(client, page, page, {"email": "not an address", "role": "council"})
    duplicate = _post(client, page, page, {"email": taken.email, "role": "council"})
    orderer_without_org = _post(client, page, page, {"email": council.email, "role": "orderer"})
    to_member = _post(client, page, page, {"email": council.email, "role": "member"})
    unknown = client.get("/admin/users/999999")

    assert [bad_email.status_code, duplicate.status_code] == [422, 422]
    assert "Another account already has that email." in duplicate.get_data(as_text=True)
    assert [orderer_without_org.status_code, to_member.status_code] == [422, 422]
    assert unknown.status_code == 404
    db_session.refresh(council)
    assert (council.email, council.role) == ("kari@example.org", "council")
    assert _events(db_session, "user.updated") == []


def test_edit_without_csrf_token_is_refused(app, factory, db_session):
    client, _admin = signed_in(app, factory, Role.ADMIN)
    council = factory.user(Role.COUNCIL, email="csrf@example.org")

    response = client.post(
        f"/admin/users/{council.id}", data={"email": "other@example.org", "role": "council"}
    )

    assert response.status_code in (400, 422)
    db_session.refresh(council)
    assert council.email == "csrf@example.org"


def test_disabling_a_user_ends_their_session_and_api_tokens_at_once(app, factory, db_session):
    admin_client, admin = signed_in(app, factory, Role.ADMIN)
    orderer = factory.user(Role.ORDERER)
    orderer_client = app.test_client()
    assert login(orderer_client, orderer.email).status_code == 302
    secret = token_for(factory, orderer)
    assert orderer_client.get("/orders/").status_code == 200
    assert ApiClient(app, secret).get("/api/v1/me").status_code == 200
    page = f"/admin/users/{orderer.id}"

    response = _post(admin_client, page, f"{page}/disable", {})

    assert response.status_code == 303
    signed_out = orderer_client.get("/orders/")
    assert signed_out.status_code == 302 and "/login" in signed_out.headers["Location"]
    assert ApiClient(app, secret).get("/api/v1/me").status_code == 401
    assert login(app.test_client(), orderer.email).status_code == 401
    token = db_session.exec(select(ApiToken).where(ApiToken.user_id == orderer.id)).one()
    assert token.revoked_by_id == admin.id and token.revoked_at is not None
    [event] = _events(db_session, "user.disabled")
    assert (event.actor_id, event.subject_id, event.detail) == (
        admin.id,
        orderer.id,
        {"tokens_revoked": 1},
    )


def test_an_enabled_again_user_signs_in_but_old_tokens_stay_revoked(app, factory, db_session):
    client, admin = signed_in(app, factory, Role.ADMIN)
    council = factory.user(Role.COUNCIL)
    secret = token_for(factory, council)
    set_user_enabled(session=db_session, user_id=council.id, enabled=False, actor_id=admin.id)
    db_session.flush()
    page = f"/admin/users/{council.id}"

    response = _post(client, page, f"{page}/enable", {})

    assert response.status_code == 303
    assert login(app.test_client(), council.email).status_code == 302
    assert ApiClient(app, secret).get("/api/v1/me").status_code == 401
    assert [e.subject_id for e in _events(db_session, "user.enabled")] == [council.id]


def test_the_last_admin_cannot_disable_themselves_or_drop_the_role(app, factory, db_session):
    client, admin = signed_in(app, factory, Role.ADMIN)

    with pytest.raises(Conflict):
        set_user_enabled(session=db_session, user_id=admin.id, enabled=False, actor_id=None)
    with pytest.raises(Conflict):
        update_user(
            session=db_session,
            user_id=admin.id,
            email=admin.email,
            full_name="",
            role="council",
            organisation_id=None,
            actor_id=admin.id,
        )
    page = f"/admin/users/{admin.id}"
    own = _post(client, page, f"{page}/disable", {})

    assert own.status_code == 303
    db_session.refresh(admin)
    assert admin.is_enabled and admin.role == "admin"


def test_a_member_account_keeps_its_role(factory, db_session):
    user = factory.user(Role.MEMBER)
    factory.member(user=user)

    with pytest.raises(InvalidInput):
        update_user(
            session=db_session,
            user_id=user.id,
            email=user.email,
            full_name="",
            role="council",
            organisation_id=None,
            actor_id=None,
        )


def test_admin_edits_an_organisation_with_contact_and_the_change_is_audited(
    app, factory, db_session
):
    client, admin = signed_in(app, factory, Role.ADMIN)
    org = factory.organisation("Nässjö kommun", kind="municipality")
    page = f"/admin/organisations/{org.id}"

    response = _post(
        client,
        page,
        page,
        {
            "name": "Nässjö kommun, socialtjänsten",
            "kind": "municipality",
            "contact_name": "Eva Ek",
            "contact_email": "eva.ek@nassjo.example",
            "contact_phone": "0380-51 80 00",
        },
    )
    bad = _post(client, page, page, {"name": "", "kind": "nonsense"})

    assert response.status_code == 302
    assert bad.status_code == 422
    db_session.refresh(org)
    assert (org.name, org.contact_name, org.contact_email, org.contact_phone) == (
        "Nässjö kommun, socialtjänsten",
        "Eva Ek",
        "eva.ek@nassjo.example",
        "0380-51 80 00",
    )
    [event] = _events(db_session, "organisation.updated")
    assert event.actor_id == admin.id
    assert event.detail["changes"]["name"] == ["Nässjö kommun", "Nässjö kommun, socialtjänsten"]
    assert set(event.detail["changes"]) == {
        "name",
        "contact_name",
        "contact_email",
        "contact_phone",
    }


def test_a_disabled_organisation_cannot_create_requests_by_form_or_api(
    app, csrf_free_app, factory, db_session
):
    admin_client, admin = signed_in(app, factory, Role.ADMIN)
    org = factory.organisation("Stängda kliniken")
    orderer = factory.user(Role.ORDERER, organisation=org)
    secret = token_for(factory, orderer)
    area = factory.area("cancer")
    page = f"/admin/organisations/{org.id}"

    disabled = _post(admin_client, page, f"{page}/disable", {})
    web = csrf_free_app.test_client()
    signed_in_page = login(web, orderer.email)
    home = web.get("/orders/").get_data(as_text=True)
    form = web.post("/orders/new", data=valid_form(area.id))
    api = ApiClient(app, secret).post("/api/v1/requests", json=_request_body(area.id))

    assert disabled.status_code == 303
    assert signed_in_page.status_code == 302
    assert "Din organisation är avstängd" in home  # told on sign-in, in Swedish by default
    assert (form.status_code, api.status_code) == (403, 403)
    assert db_session.exec(select(BookingRequest)).all() == []
    [event] = _events(db_session, "organisation.disabled")
    assert (event.actor_id, event.subject_id) == (admin.id, org.id)


def test_an_enabled_again_organisation_can_send_requests(app, factory, db_session):
    org = factory.organisation()
    orderer = factory.user(Role.ORDERER, organisation=org)
    set_organisation_enabled(
        session=db_session, organisation_id=org.id, enabled=False, actor_id=None
    )
    set_organisation_enabled(
        session=db_session, organisation_id=org.id, enabled=True, actor_id=None
    )
    db_session.flush()
    area = factory.area("cancer")

    created = ApiClient(app, token_for(factory, orderer)).post(
        "/api/v1/requests", json=_request_body(area.id)
    )

    assert created.status_code == 201
    assert [
        e.action for e in db_session.exec(select(AuditEvent)) if "organisation" in e.action
    ] == [
        "organisation.disabled",
        "organisation.enabled",
    ]


@pytest.mark.parametrize("role", [Role.MEMBER, Role.ORDERER, Role.COUNCIL])
def test_non_admins_cannot_edit_or_disable(csrf_free_app, factory, role):
    target = factory.user(Role.COUNCIL)
    org = factory.organisation()
    client = csrf_free_app.test_client()
    login(client, factory.user(role).email)

    statuses = [
        client.get(f"/admin/users/{target.id}").status_code,
        client.post(f"/admin/users/{target.id}", data={"email": "x@example.org"}).status_code,
        client.post(f"/admin/users/{target.id}/disable").status_code,
        client.post(f"/admin/organisations/{org.id}/disable").status_code,
        client.get(f"/admin/organisations/{org.id}").status_code,
    ]

    assert statuses == [403] * 5
    assert target.is_enabled and org.is_enabled


def test_admin_home_links_every_admin_page_and_shows_roles_and_rates_in_swedish(app, factory):
    admin = factory.user(Role.ADMIN)
    client = app.test_client()
    login(client, admin.email)

    html = client.get("/admin/").get_data(as_text=True)

    for path in ("/taxonomy/", "/admin/api-tokens/", "/audit/", f"/admin/users/{admin.id}"):
        assert f'href="{path}' in html
    assert "Administratör" in html and "(admin)" not in html
    assert "Fulla arbetsgivaravgifter" in html and "Full employer contributions" not in html
