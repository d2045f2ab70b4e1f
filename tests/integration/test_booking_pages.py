"""The journey in the browser's terms: council decides, members answer, the orderer sees it."""

from datetime import timedelta

import pytest
from sqlmodel import select

from app.models import Assignment, Invitation
from app.models.enums import Role
from tests.booking_support import STOCKHOLM, booking_setting
from tests.conftest import login
from tests.pool_support import sent_mail


@pytest.fixture
def outbox(csrf_free_app, tmp_path):
    csrf_free_app.config["MAIL_OUTBOX"] = str(tmp_path / "outbox")
    return tmp_path / "outbox"


@pytest.fixture
def setting(factory, db_session):
    return booking_setting(factory, db_session)


def _council(csrf_free_app, council):
    client = csrf_free_app.test_client()
    login(client, council.email)
    with client.session_transaction() as session:
        session["lang"] = "en"
    return client


def _invitations(db_session, request):
    db_session.expire_all()
    query = select(Invitation).where(Invitation.request_id == request.id).order_by(Invitation.id)
    return list(db_session.exec(query))


def test_council_swaps_then_approves_and_invitations_are_mailed(
    setting, csrf_free_app, db_session, outbox
):
    request, _, members, _, council = setting
    client = _council(csrf_free_app, council)
    group = f"{members[0].id},{members[1].id}"

    swapped = client.post(
        f"/council/requests/{request.id}/swap",
        data={"group": group, "out_id": members[1].id, "in_id": members[3].id},
    )
    page = client.get(swapped.headers["Location"]).get_data(as_text=True)
    approved = client.post(
        f"/council/requests/{request.id}/approve",
        data={"member_ids": f"{members[0].id},{members[3].id}"},
    )

    assert swapped.status_code == 302
    assert "Person3" in page.split('id="proposed-group"', 1)[1].split("</ol>", 1)[0]
    assert approved.status_code == 302
    assert [i.member_id for i in _invitations(db_session, request)] == [
        members[0].id,
        members[3].id,
    ]
    mails = sent_mail(outbox, csrf_free_app)
    assert sorted(m["To"] for m in mails) == ["person0@example.org", "person3@example.org"]
    history = client.get(f"/council/requests/{request.id}").get_data(as_text=True)
    assert "Group approved, invitations sent" in history


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("approve", {"member_ids": "x"}),
        ("ask", {"ask-message": ""}),
        ("decline", {"decline-message": ""}),
        ("swap", {"group": "1", "out_id": "1", "in_id": "999999"}),
    ],
)
def test_bad_decisions_get_422(setting, csrf_free_app, path, data):
    request, _, _, _, council = setting
    client = _council(csrf_free_app, council)

    response = client.post(f"/council/requests/{request.id}/{path}", data=data)

    assert response.status_code == 422


def test_approving_an_ineligible_person_gets_422(setting, factory, csrf_free_app):
    request, _, _, _, council = setting
    outsider = factory.member(experiences=(("psychiatry", "own"),))
    client = _council(csrf_free_app, council)

    response = client.post(
        f"/council/requests/{request.id}/approve", data={"member_ids": str(outsider.id)}
    )

    assert response.status_code == 422


def test_decision_without_csrf_token_is_refused(setting, app):
    request, _, members, _, council = setting
    client = app.test_client()
    login(client, council.email)

    response = client.post(
        f"/council/requests/{request.id}/approve", data={"member_ids": str(members[0].id)}
    )

    assert response.status_code == 400


def test_in_auto_mode_a_decline_invites_the_reserve_and_the_orderer_sees_booked(
    setting, csrf_free_app, db_session, outbox
):
    request, _, members, orderer, council = setting
    client = _council(csrf_free_app, council)
    client.post(
        f"/council/requests/{request.id}/approve",
        data={"member_ids": f"{members[0].id},{members[1].id}", "replacement_mode": "auto"},
    )
    first, second = _invitations(db_session, request)
    visitor = csrf_free_app.test_client()

    page = visitor.get(f"/invitations/{first.token}")
    unsigned = visitor.post(f"/invitations/{first.token}/accept", data={})
    accepted = visitor.post(f"/invitations/{first.token}/accept", data={"agrees": "y"})
    twice = visitor.post(f"/invitations/{first.token}/accept", data={"agrees": "y"})
    declined = visitor.post(f"/invitations/{second.token}/decline", data={"message": "Busy"})
    reserve = _invitations(db_session, request)[2]
    visitor.post(f"/invitations/{reserve.token}/accept", data={"agrees": "y"})

    assert page.status_code == 200 and "Why" in page.get_data(as_text=True)
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert (unsigned.status_code, accepted.status_code, twice.status_code) == (422, 302, 409)
    assert declined.status_code == 302
    booked = db_session.exec(select(Assignment).where(Assignment.request_id == request.id))
    assert sorted(a.member_id for a in booked) == sorted([members[0].id, reserve.member_id])
    orderer_client = csrf_free_app.test_client()
    login(orderer_client, orderer.email)
    with orderer_client.session_transaction() as session:
        session["lang"] = "en"
    seen = orderer_client.get(f"/orders/{request.id}").get_data(as_text=True)
    coming = seen.split('id="coming"', 1)[1].split("</ul>", 1)[0]
    assert "Booked" in seen
    assert "Test" in coming and "Person0" not in coming  # first name only, no surname


def test_unknown_invitation_is_404(client):
    assert client.get("/invitations/nope").status_code == 404


def test_orderer_cannot_decide(setting, factory, csrf_free_app):
    request, *_ = setting
    client = csrf_free_app.test_client()
    login(client, factory.user(Role.ORDERER).email)

    assert client.post(f"/council/requests/{request.id}/ask", data={}).status_code == 403


def test_orderer_answers_the_question_and_the_request_returns_to_the_queue(
    setting, csrf_free_app, db_session
):
    request, _, _, orderer, council = setting
    _council(csrf_free_app, council).post(
        f"/council/requests/{request.id}/ask", data={"ask-message": "Which ward?"}
    )
    client = csrf_free_app.test_client()
    login(client, orderer.email)

    page = client.get(f"/orders/{request.id}").get_data(as_text=True)
    empty = client.post(f"/orders/{request.id}/answer", data={"message": ""})
    answered = client.post(f"/orders/{request.id}/answer", data={"message": "Ward 12"})
    again = client.post(f"/orders/{request.id}/answer", data={"message": "Ward 12"})

    db_session.expire_all()
    assert 'id="answer-form"' in page and "Which ward?" in page
    assert (empty.status_code, answered.status_code, again.status_code) == (422, 302, 409)
    assert db_session.get(type(request), request.id).status == "submitted"


def test_another_organisation_cannot_answer(setting, factory, csrf_free_app):
    request, *_ = setting
    client = csrf_free_app.test_client()
    login(client, factory.user(Role.ORDERER).email)

    assert client.post(f"/orders/{request.id}/answer", data={"message": "x"}).status_code == 404


def test_council_moves_a_session_and_members_get_an_update(
    setting, csrf_free_app, db_session, outbox
):
    request, row, members, _, council = setting
    client = _council(csrf_free_app, council)
    client.post(
        f"/council/requests/{request.id}/approve",
        data={"member_ids": f"{members[0].id},{members[1].id}"},
    )
    day = (row.starts_at + timedelta(days=7)).astimezone(STOCKHOLM).date()  # same weekday
    prefix = f"move{row.id}"
    url = f"/council/requests/{request.id}/sessions/{row.id}/move"

    bad = client.post(url, data={f"{prefix}-day": day.isoformat(), f"{prefix}-start": "12:00"})
    moved = client.post(
        url,
        data={
            f"{prefix}-day": day.isoformat(),
            f"{prefix}-start": "13:00",
            f"{prefix}-end": "15:00",
        },
    )

    db_session.expire_all()
    row = db_session.get(type(row), row.id)
    assert (bad.status_code, moved.status_code) == (422, 302)
    assert (row.sequence, row.starts_at.astimezone(STOCKHOLM).hour) == (1, 13)
    updates = [m for m in sent_mail(outbox, csrf_free_app) if m["Subject"].startswith("Inbjudan")]
    assert len(updates) == 4  # two invitations, then two updates


def test_the_request_shows_its_contact_person_as_a_mail_link_or_says_not_given(
    setting, factory, csrf_free_app, db_session
):
    request, _, _, orderer, council = setting
    silent = factory.booking_request(orderer, contact_name="", contact_email="")
    request.contact_name, request.contact_email = "Kim Kontakt", "kim@region.example"
    request.contact_phone = "010-123 45 67"
    db_session.commit()
    client = _council(csrf_free_app, council)

    def contact(booking_request) -> str:
        page = client.get(f"/council/requests/{booking_request.id}").get_data(as_text=True)
        return page.split('id="request-contact">', 1)[1].split("</dd>", 1)[0]

    assert contact(request) == (
        'Kim Kontakt, <a href="mailto:kim@region.example">kim@region.example</a>, '
        '<a class="phone" href="tel:0101234567">010-123 45 67</a>'
    )
    assert contact(silent) == "Not given"
