"""The confirmation step of destructive forms (app/web/confirm.py) on the council's request page.

A post without ``confirmed=1`` answers with a confirmation page and changes nothing; the page
re-posts the same fields (CSRF token included) with ``confirmed=1``; invalid input is answered
with the form's errors before anything is asked; the API is not affected.
"""

import html
import re
from datetime import timedelta

import pytest
from sqlmodel import select

from app.models import Invitation, Member, RequestEvent
from app.services.booking.group_state import GroupPlace, GroupState
from tests.api_support import ApiClient, token_for
from tests.booking_support import STOCKHOLM, booking_setting
from tests.conftest import login
from tests.integration.test_swedish_pages import problems, visible_text
from tests.pool_support import sent_mail

HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


@pytest.fixture
def outbox(csrf_free_app, tmp_path):
    csrf_free_app.config["MAIL_OUTBOX"] = str(tmp_path / "outbox")
    return tmp_path / "outbox"


@pytest.fixture
def setting(factory, db_session):
    return booking_setting(factory, db_session)


def _signed_in(app, user):
    client = app.test_client()
    login(client, user.email)
    with client.session_transaction() as session:
        session["lang"] = "en"
    return client


def _events(db_session, request) -> list[str]:
    db_session.expire_all()
    query = select(RequestEvent.action).where(RequestEvent.request_id == request.id)
    return list(db_session.exec(query.order_by(RequestEvent.id)))


def _confirm_form(page: str) -> list[tuple[str, str]]:
    """Return the hidden fields of the confirmation page's form, in order."""
    form = page.split('id="confirm-form"', 1)[1].split("</form>", 1)[0]
    return [(name, html.unescape(value)) for name, value in HIDDEN.findall(form)]


def test_unconfirmed_decline_asks_and_changes_nothing(setting, csrf_free_app, db_session, outbox):
    request, _, _, _, council = setting
    client = _signed_in(csrf_free_app, council)
    before = _events(db_session, request)

    answer = client.post(
        f"/council/requests/{request.id}/decline",
        data={"decline-message": "Outside our remit <b>now</b>."},
    )

    page = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert '<h1 id="confirm-h">Decline the request?</h1>' in page
    assert "The orderer gets an email with your message." in page
    assert "Outside our remit &lt;b&gt;now&lt;/b&gt;." in page  # shown, escaped
    assert _confirm_form(page) == [
        ("decline-message", "Outside our remit <b>now</b>."),
        ("confirmed", "1"),
    ]
    assert f'action="/council/requests/{request.id}/decline"' in page
    assert f'href="/council/requests/{request.id}" class="button button--secondary"' in page
    db_session.refresh(request)
    assert request.status == "submitted"
    assert _events(db_session, request) == before
    assert sent_mail(outbox, csrf_free_app) == []


def test_confirmed_decline_declines_and_tells_the_orderer(
    setting, csrf_free_app, db_session, outbox
):
    request, _, _, orderer, council = setting
    client = _signed_in(csrf_free_app, council)

    answer = client.post(
        f"/council/requests/{request.id}/decline",
        data={"decline-message": "Outside our remit.", "confirmed": "1"},
    )

    db_session.refresh(request)
    assert answer.status_code == 302
    assert request.status == "declined"
    # To the request's named contact person (journey/orderer_mail.py).
    assert [m["To"] for m in sent_mail(outbox, csrf_free_app)] == [request.contact_email]


def test_invalid_decline_gets_its_errors_before_any_question(setting, csrf_free_app):
    request, _, _, _, council = setting
    client = _signed_in(csrf_free_app, council)

    answer = client.post(f"/council/requests/{request.id}/decline", data={"decline-message": ""})

    page = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert 'id="confirm-form"' not in page
    assert '<details class="more-actions" id="more-actions" open>' in page


@pytest.mark.parametrize("confirmed", ["", "yes", "0"])
def test_cancel_without_confirmed_1_keeps_the_invitations(
    setting, csrf_free_app, db_session, outbox, confirmed
):
    request, _, members, _, council = setting
    client = _signed_in(csrf_free_app, council)
    client.post(
        f"/council/requests/{request.id}/approve",
        data={"member_ids": f"{members[0].id},{members[1].id}"},
    )
    mailed = len(sent_mail(outbox, csrf_free_app))

    answer = client.post(
        f"/council/requests/{request.id}/cancel",
        data={"cancel-message": "The meeting is off.", "confirmed": confirmed},
    )

    db_session.expire_all()
    invitations = db_session.exec(select(Invitation).where(Invitation.request_id == request.id))
    assert answer.status_code == 200
    assert "Cancel the request?" in answer.get_data(as_text=True)
    assert db_session.get(type(request), request.id).status == "approved"
    assert [i.status for i in invitations] == ["pending", "pending"]
    assert len(sent_mail(outbox, csrf_free_app)) == mailed


def test_confirmation_page_reposts_with_a_working_csrf_token(app, setting, db_session):
    request, _, _, _, council = setting
    client = _signed_in(app, council)
    page = client.get(f"/council/requests/{request.id}").get_data(as_text=True)
    decline_form = page.split('id="decline-form"', 1)[1].split("</form>", 1)[0]
    token = re.search(r'name="decline-csrf_token" type="hidden" value="([^"]+)"', decline_form)

    asked = client.post(
        f"/council/requests/{request.id}/decline",
        data={"decline-csrf_token": token.group(1), "decline-message": "No."},
    )
    fields = _confirm_form(asked.get_data(as_text=True))
    done = client.post(f"/council/requests/{request.id}/decline", data=dict(fields))

    db_session.refresh(request)
    assert fields == [
        ("decline-csrf_token", token.group(1)),
        ("decline-message", "No."),
        ("confirmed", "1"),
    ]
    assert (asked.status_code, done.status_code) == (200, 302)
    assert request.status == "declined"


def test_confirmed_post_without_csrf_token_is_still_refused(app, setting, db_session):
    request, _, _, _, council = setting
    client = _signed_in(app, council)

    answer = client.post(
        f"/council/requests/{request.id}/decline",
        data={"decline-message": "No.", "confirmed": "1"},
    )

    db_session.refresh(request)
    assert answer.status_code == 400  # CSRFProtect refuses it before the view
    assert request.status == "submitted"


def test_request_page_marks_only_the_destructive_forms(setting, csrf_free_app):
    request, _, _, _, council = setting
    client = _signed_in(csrf_free_app, council)

    page = client.get(f"/council/requests/{request.id}").get_data(as_text=True)

    confirmed = re.findall(r'<form [^>]*id="([a-z-]+)" data-confirm="([a-z-]+)"', page)
    assert confirmed == [("decline-form", "decline-confirm"), ("cancel-form", "cancel-confirm")]
    assert '<dialog class="confirm-dialog" id="decline-confirm"' in page
    assert page.count('<input type="hidden" name="confirmed" value="">') == 2
    assert "js/confirm.js" in page
    approve = page.split('id="approve-form"', 1)[1].split("</form>", 1)[0]
    assert "confirmed" not in approve and "Approve the group and send invitations" in approve


def test_ending_an_interest_round_asks_first(setting, csrf_free_app, db_session):
    request, row, _, _, council = setting
    client = _signed_in(csrf_free_app, council)
    deadline = (row.starts_at - timedelta(days=3)).astimezone(STOCKHOLM).date()
    client.post(
        f"/council/requests/{request.id}/interest",
        data={"interest-count": "2", "interest-deadline": deadline.isoformat()},
    )
    page = client.get(f"/council/requests/{request.id}").get_data(as_text=True)

    asked = client.post(f"/council/requests/{request.id}/interest/end", data={})

    db_session.refresh(request)
    assert 'id="end-interest-form" data-confirm="end-interest-confirm"' in page
    assert "Stop asking for interest?" in asked.get_data(as_text=True)
    assert request.status == "interest"


def test_api_decline_needs_no_confirmation(app, factory, setting, db_session):
    request, _, _, _, council = setting
    api = ApiClient(app, token_for(factory, council))

    answer = api.post(f"/api/v1/requests/{request.id}/decline", json={"reason": "Outside."})

    assert (answer.status_code, answer.get_json()["status"]) == (200, "declined")


def test_swap_partner_keeps_the_gender_and_takes_the_lowest_ranked():
    def person(member_id, gender):
        return Member(id=member_id, first_name="P", last_name=str(member_id), gender=gender)

    group = [person(1, "woman"), person(2, "man"), person(3, "woman")]
    state = GroupState(
        is_approved=False,
        places=[GroupPlace(member, "proposed") for member in group],
        reserves=[],
        wanted=3,
        eligible=5,
    )
    ranked = [3, 1, 2, 4, 5]

    assert state.swap_partner(person(4, "woman"), ranked).id == 1
    assert state.swap_partner(person(5, "man"), ranked).id == 2
    assert state.swap_partner(person(6, "nonbinary"), ranked).id == 2
    assert state.swap_partner(group[0], ranked) is None


@pytest.mark.parametrize(
    ("action", "data", "question"),
    [
        ("decline", {"decline-message": "Nej tack."}, "Avslå förfrågan?"),
        ("cancel", {"cancel-message": "Mötet är inställt."}, "Ställa in förfrågan?"),
    ],
)
def test_confirmation_page_reads_as_swedish(
    setting, csrf_free_app, db_session, action, data, question
):
    request, _, _, _, council = setting
    council.full_name = "Kim Berg"  # the factory's "Test council" would read as English
    db_session.flush()
    client = csrf_free_app.test_client()
    login(client, council.email)

    page = client.post(f"/council/requests/{request.id}/{action}", data=data)

    text = visible_text(page.get_data(as_text=True))
    assert question in text and "Gå tillbaka utan att ändra något" in text
    assert problems(text) == []
