import json

from sqlmodel import select

import matching
from app.models import AuditEvent, Member
from app.models.enums import Role
from app.services.matchmaking.matching_input import pool_for_matching, request_for_matching
from app.services.privacy.consent import CONSENT_TEXT_VERSION
from tests.pool_support import signed_in_member


def test_consent_page_shows_what_is_stored_and_why(csrf_free_app, factory):
    client, _user, member = signed_in_member(
        csrf_free_app, factory, municipality="Eksjö", experiences=(("sepsis", "relative"),)
    )

    html = client.get("/me/consent").get_data(as_text=True)

    assert 'id="consent-status"' in html
    assert "Eksjö" in html and "Sepsis" in html
    assert CONSENT_TEXT_VERSION in html


def test_withdrawing_consent_removes_the_member_from_matching_at_once(
    csrf_free_app, factory, db_session
):
    client, _user, member = signed_in_member(
        csrf_free_app, factory, experiences=(("cancer", "own"),), status="active"
    )
    factory.weekly_window(member, 0, 0, 23)
    booking_request = factory.booking_request(factory.user(Role.ORDERER), areas=("cancer",))
    before = {m.id: m for m in pool_for_matching(session=db_session)}[str(member.id)].consent

    response = client.post("/me/consent/withdraw")

    db_session.expire_all()
    saved = db_session.get(Member, member.id)
    assert response.status_code == 302
    pool = {m.id: m for m in pool_for_matching(session=db_session)}
    assert (before, pool[str(member.id)].consent, saved.has_valid_consent) == (True, False, False)
    proposal = matching.propose(
        matching.PoolIndex(list(pool.values())),
        request_for_matching(session=db_session, booking_request=booking_request),
    )
    assert str(member.id) not in proposal.group
    assert proposal.excluded[str(member.id)].rule == "no_consent"
    actions = db_session.exec(
        select(AuditEvent.action).where(
            AuditEvent.subject_type == "member", AuditEvent.subject_id == member.id
        )
    ).all()
    assert actions == ["member.consent.withdrawn"]


def test_giving_consent_again_records_the_text_version(csrf_free_app, factory, db_session):
    client, _user, member = signed_in_member(
        csrf_free_app, factory, consent_given_at=None, consent_text_version=""
    )

    response = client.post("/me/consent/give")

    db_session.expire_all()
    saved = db_session.get(Member, member.id)
    assert response.status_code == 302
    assert (saved.has_valid_consent, saved.consent_text_version) == (True, CONSENT_TEXT_VERSION)
    assert {m.id: m for m in pool_for_matching(session=db_session)}[str(member.id)].consent is True


def test_my_data_download_has_everything_of_mine_and_no_secrets(csrf_free_app, factory):
    client, user, member = signed_in_member(
        csrf_free_app, factory, calendar_token="s" * 40, experiences=(("cancer/breast", "own"),)
    )
    factory.weekly_window(member, 1, 9, 11)
    factory.member(first_name="Someone", last_name="Else", experiences=(("sepsis", "own"),))

    response = client.get("/me/data.json")

    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.data)
    assert data["profile"]["id"] == member.id
    assert data["account"]["email"] == user.email
    assert [e["area"] for e in data["experiences"]] == ["cancer/breast"]
    assert [(w["weekday"], w["start_time"]) for w in data["weekly_windows"]] == [(1, "09:00:00")]
    body = response.get_data(as_text=True)
    assert "s" * 40 not in body and "password_hash" not in body and "Someone" not in body
