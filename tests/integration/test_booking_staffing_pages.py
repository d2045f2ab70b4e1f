"""The council's replacement queue and interest questions, and the member's yes/no page."""

from datetime import timedelta

import pytest
from sqlmodel import select

from app.models import Invitation
from tests.booking_support import STOCKHOLM, booking_setting
from tests.conftest import login


@pytest.fixture
def setting(factory, db_session, csrf_free_app, tmp_path):
    csrf_free_app.config["MAIL_OUTBOX"] = str(tmp_path / "outbox")
    return booking_setting(factory, db_session)


def _council(app, council):
    client = app.test_client()
    login(client, council.email)
    with client.session_transaction() as session:
        session["lang"] = "en"
    return client


def _invitations(db_session, request, interest=False):
    db_session.expire_all()
    query = select(Invitation).where(
        Invitation.request_id == request.id, Invitation.is_interest_check == interest
    )
    return list(db_session.exec(query.order_by(Invitation.id)))


def _between(text, start, end="</"):
    return text.split(start, 1)[1].split(end, 1)[0]


def test_a_decline_shows_in_the_queue_and_one_click_invites_the_next_reserve(
    setting, csrf_free_app, db_session
):
    request, _, members, _, council = setting
    client = _council(csrf_free_app, council)
    client.post(
        f"/council/requests/{request.id}/approve",
        data={"member_ids": f"{members[0].id},{members[1].id}"},
    )
    first = _invitations(db_session, request)[0]
    csrf_free_app.test_client().post(f"/invitations/{first.token}/decline", data={})

    home = client.get("/council/").get_data(as_text=True)
    page = client.get(f"/council/requests/{request.id}").get_data(as_text=True)
    button = _between(page, 'id="replace-next-form"', "</form>")
    chosen = int(_between(button, 'name="replace-member_id" value="', '"'))
    replaced = client.post(
        f"/council/requests/{request.id}/replace", data={"replace-member_id": chosen}
    )
    after = client.get("/council/").get_data(as_text=True)

    short = _between(home, 'id="worklist-short"', "</section>")
    assert f'href="/council/requests/{request.id}#replacement"' in short
    assert "Invite Test Person" in button
    assert replaced.status_code == 302
    assert [i.member_id for i in _invitations(db_session, request)][-1] == chosen
    assert f"/council/requests/{request.id}#replacement" not in after
    history = client.get(f"/council/requests/{request.id}").get_data(as_text=True)
    assert "A place waits for a replacement" in history and "Reserve invited: Test" in history


def test_replacing_with_someone_not_offered_gets_422(setting, csrf_free_app, db_session):
    request, _, members, _, council = setting
    client = _council(csrf_free_app, council)
    client.post(
        f"/council/requests/{request.id}/approve",
        data={"member_ids": f"{members[0].id},{members[1].id}"},
    )
    first = _invitations(db_session, request)[0]
    csrf_free_app.test_client().post(f"/invitations/{first.token}/decline", data={})

    response = client.post(
        f"/council/requests/{request.id}/replace", data={"replace-member_id": members[1].id}
    )

    assert response.status_code == 422


def test_the_replacement_choice_is_set_on_the_page(setting, csrf_free_app, db_session):
    request, _, members, _, council = setting
    client = _council(csrf_free_app, council)
    client.post(
        f"/council/requests/{request.id}/approve",
        data={"member_ids": f"{members[0].id},{members[1].id}"},
    )

    bad = client.post(f"/council/requests/{request.id}/replacement-mode", data={"mode-mode": "x"})
    good = client.post(
        f"/council/requests/{request.id}/replacement-mode", data={"mode-mode": "auto"}
    )

    db_session.expire_all()
    assert (bad.status_code, good.status_code) == (422, 302)
    assert db_session.get(type(request), request.id).replacement_mode == "auto"


def test_asking_for_interest_and_answering_on_the_invitation_page(
    setting, csrf_free_app, db_session
):
    request, row, _, _, council = setting
    client = _council(csrf_free_app, council)
    deadline = (row.starts_at - timedelta(days=3)).astimezone(STOCKHOLM).date()

    bad = client.post(
        f"/council/requests/{request.id}/interest",
        data={"interest-count": "2", "interest-deadline": row.starts_at.date().isoformat()},
    )
    asked = client.post(
        f"/council/requests/{request.id}/interest",
        data={"interest-count": "2", "interest-deadline": deadline.isoformat()},
    )
    first, second = _invitations(db_session, request, interest=True)
    visitor = csrf_free_app.test_client()
    with visitor.session_transaction() as session:
        session["lang"] = "en"
    question = visitor.get(f"/invitations/{first.token}").get_data(as_text=True)
    yes = visitor.post(f"/invitations/{first.token}/interest", data={"yes": "Yes"})
    again = visitor.post(f"/invitations/{first.token}/interest", data={"no": "No"})
    accept = visitor.post(f"/invitations/{first.token}/accept", data={"agrees": "y"})
    neither = visitor.post(f"/invitations/{second.token}/interest", data={})
    answered = visitor.get(f"/invitations/{first.token}").get_data(as_text=True)
    page = client.get(f"/council/requests/{request.id}").get_data(as_text=True)

    assert (bad.status_code, asked.status_code) == (422, 302)
    assert 'id="interest-form"' in question and 'id="accept-form"' not in question
    assert (yes.status_code, again.status_code, accept.status_code) == (302, 409, 409)
    assert neither.status_code == 422
    assert _between(answered, 'id="invitation-status">') == "Interested"
    assert "1 said yes, 2 are needed, 1 have not answered yet." in page
    assert 'id="approve-form"' not in page  # the round is still open
    assert "Asked who is interested" in page and "Interested: Test" in page


def test_ending_the_round_on_the_page(setting, csrf_free_app, db_session):
    request, row, _, _, council = setting
    client = _council(csrf_free_app, council)
    deadline = (row.starts_at - timedelta(days=3)).astimezone(STOCKHOLM).date()
    client.post(
        f"/council/requests/{request.id}/interest",
        data={"interest-count": "2", "interest-deadline": deadline.isoformat()},
    )

    asked = client.post(f"/council/requests/{request.id}/interest/end", data={})
    db_session.expire_all()
    still = db_session.get(type(request), request.id).status
    ended = client.post(f"/council/requests/{request.id}/interest/end", data={"confirmed": "1"})
    again = client.post(f"/council/requests/{request.id}/interest/end", data={"confirmed": "1"})

    db_session.expire_all()
    assert (asked.status_code, still) == (200, "interest")  # the unconfirmed post only asks
    assert "Stop asking for interest?" in asked.get_data(as_text=True)
    assert (ended.status_code, again.status_code) == (302, 409)
    assert db_session.get(type(request), request.id).status == "submitted"


def test_a_closed_round_with_too_few_offers_approval_among_the_yes_sayers(
    setting, csrf_free_app, db_session
):
    request, row, _, _, council = setting
    client = _council(csrf_free_app, council)
    deadline = (row.starts_at - timedelta(days=3)).astimezone(STOCKHOLM).date()
    client.post(
        f"/council/requests/{request.id}/interest",
        data={"interest-count": "2", "interest-deadline": deadline.isoformat()},
    )
    first, second = _invitations(db_session, request, interest=True)
    visitor = csrf_free_app.test_client()
    visitor.post(f"/invitations/{first.token}/interest", data={"yes": "Yes"})
    visitor.post(f"/invitations/{second.token}/interest", data={"no": "No"})

    page = client.get(f"/council/requests/{request.id}").get_data(as_text=True)
    approved = client.post(
        f"/council/requests/{request.id}/approve", data={"member_ids": str(first.member_id)}
    )

    assert 'id="too-few"' in page and 'id="among-yes"' in page
    group = _between(page, 'id="proposed-group"', "</ol>")
    assert group.count("<li>") == 1
    assert _between(page, 'name="member_ids" type="hidden" value="', '"') == str(first.member_id)
    assert approved.status_code == 302
    assert [i.member_id for i in _invitations(db_session, request)] == [first.member_id]
