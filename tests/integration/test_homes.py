"""The member's and the orderer's homes (issue 23): what waits for them comes first."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from app.models import CompensationClaim, Invitation, Survey
from app.models.base import utcnow
from app.models.enums import Role
from app.services.pool.member_home import member_home
from app.services.requests.waiting import orderer_overview
from tests.conftest import login


def _invitation(db_session, booking_request, member, *, days: float | None, **fields):
    deadline = None if days is None else utcnow() + timedelta(days=days)
    invitation = Invitation(
        request_id=booking_request.id,
        member_id=member.id,
        token=uuid.uuid4().hex,
        reply_deadline_at=deadline,
        **fields,
    )
    db_session.add(invitation)
    db_session.flush()
    return invitation


def _survey(db_session, assignment, *, answered: bool = False):
    survey = Survey(
        key=f"member:{assignment.id}",
        request_id=assignment.request_id,
        assignment_id=assignment.id,
        respondent="member",
        token=uuid.uuid4().hex,
        answered_at=utcnow() if answered else None,
    )
    db_session.add(survey)
    db_session.flush()
    return survey


@pytest.fixture
def member_scene(factory, db_session):
    """A member with open, late and answered invitations, claims in every state and surveys."""
    user = factory.user(Role.MEMBER)
    member = factory.member(user=user)
    orderer = factory.user(Role.ORDERER)
    request = lambda title, status="approved": factory.booking_request(  # noqa: E731
        orderer, status=status, title=title
    )
    later = _invitation(db_session, request("Later deadline"), member, days=6)
    sooner = _invitation(db_session, request("Sooner deadline"), member, days=2)
    interest = _invitation(
        db_session, request("Interest", "interest"), member, days=4, is_interest_check=True
    )
    _invitation(db_session, request("Too late"), member, days=-1)
    _invitation(db_session, request("Answered"), member, days=3, status="accepted")
    _invitation(db_session, request("Request closed", "cancelled"), member, days=3)
    done = {}
    for title, claim_status in [
        ("No claim yet", None),
        ("Draft claim", "draft"),
        ("Returned claim", "rejected"),
        ("Sent claim", "submitted"),
    ]:
        booking_request = request(title, "completed")
        factory.request_session(booking_request, utcnow() - timedelta(days=3))
        assignment = factory.assignment(member, booking_request, status="completed")
        if claim_status:
            db_session.add(
                CompensationClaim(
                    assignment_id=assignment.id, member_id=member.id, status=claim_status
                )
            )
        done[title] = assignment
    _survey(db_session, done["No claim yet"])
    _survey(db_session, done["Draft claim"], answered=True)
    coming = factory.assignment(member, request("Coming", "booked"))
    factory.assignment(member, request("Not yet claimable", "booked"))
    db_session.flush()
    return {
        "user": user,
        "member": member,
        "invitations": [sooner, interest, later],
        "done": done,
        "coming": coming,
    }


def test_member_home_lists_open_invitations_by_deadline_then_claims_and_surveys(
    db_session, member_scene
):
    home = member_home(session=db_session, member_id=member_scene["member"].id, now=utcnow())

    assert [invitation for invitation, _ in home.invitations] == member_scene["invitations"]
    assert [req.title for *_rest, req, _claim in home.claims_to_send] == [
        "No claim yet",
        "Draft claim",
        "Returned claim",
    ]
    assert [req.title for _survey, req in home.surveys] == ["No claim yet"]
    assert [row.request.title for row in home.next_sessions] == ["Coming", "Not yet claimable"]
    assert home.waiting_count == 7


def test_member_home_page_shows_what_waits_first(csrf_free_app, member_scene):
    client = csrf_free_app.test_client()
    login(client, member_scene["user"].email)

    html = client.get("/me/").get_data(as_text=True)

    waiting, coming, profile = (
        html.index('id="waiting"'),
        html.index('id="next-assignments"'),
        html.index('id="profile-heading"'),
    )
    assert waiting < coming < profile
    assert html.index("Sooner deadline") < html.index(">Interest<") < html.index("Later deadline")
    assert "Too late" not in html and "Sent claim" not in html
    assert html.count('class="waiting-invitation"') == 3
    assert html.count('class="waiting-claim"') == 3
    assert html.count('class="waiting-survey"') == 1
    assert f'href="/invitations/{member_scene["invitations"][0].token}"' in html
    assert '<span class="count">7</span>' in html


def test_member_home_says_when_nothing_waits(csrf_free_app, factory):
    user = factory.user(Role.MEMBER)
    factory.member(user=user)
    client = csrf_free_app.test_client()
    login(client, user.email)

    html = client.get("/me/").get_data(as_text=True)

    assert "Inget väntar på ditt svar." in html
    assert "Du har inga bokade uppdrag." in html


@pytest.fixture
def orderer_scene(factory, db_session):
    """An organisation's requests in every group; one approved request with invitations out."""
    orderer = factory.user(Role.ORDERER)
    member = factory.member()
    other = factory.member()
    made = {}
    for status in ("submitted", "question", "approved", "booked", "completed", "declined"):
        made[status] = factory.booking_request(orderer, status=status, title=f"Om {status}")
    _invitation(db_session, made["approved"], member, days=3)
    _invitation(db_session, made["approved"], other, days=3)
    _invitation(db_session, made["approved"], factory.member(), days=3, status="declined")
    factory.booking_request(factory.user(Role.ORDERER), title="Another organisation's")
    return orderer, made


def test_orderer_overview_groups_requests_with_what_each_waits_for(db_session, orderer_scene):
    orderer, _made = orderer_scene

    groups = orderer_overview(session=db_session, organisation_id=orderer.organisation_id).groups

    shown = {
        group.key: [(row.summary.request.title, row.waiting) for row in group.rows]
        for group in groups
    }
    assert {
        key: [(title, w.message, w.count) for title, w in rows] for key, rows in shown.items()
    } == {
        "yours": [("Om question", "Waiting for your answer to the council's question", 0)],
        "council": [("Om submitted", "Waiting for the council's decision", 0)],
        "inviting": [("Om approved", "Waiting for replies from %(count)s people", 2)],
        "booked": [("Om booked", "Booked", 0)],
        "finished": [
            ("Om declined", "Declined by the council", 0),
            ("Om completed", "Completed", 0),
        ],
    }


def test_orderer_home_page_shows_groups_in_swedish(csrf_free_app, orderer_scene):
    orderer, _made = orderer_scene
    client = csrf_free_app.test_client()
    login(client, orderer.email)

    html = client.get("/orders/").get_data(as_text=True)

    assert html.index('id="group-yours"') < html.index('id="group-council"')
    assert html.index('id="group-council"') < html.index('id="group-inviting"')
    assert "Väntar på samordningens beslut" in html
    assert "Väntar på svar från 2 personer" in html
    assert '<span class="badge badge--success" data-status="booked">' in html
    assert "Another organisation" not in html


def test_orderer_home_says_when_a_group_is_empty(csrf_free_app, factory):
    orderer = factory.user(Role.ORDERER)
    client = csrf_free_app.test_client()
    login(client, orderer.email)

    html = client.get("/orders/").get_data(as_text=True)

    assert html.count('class="empty-state"') == 5
    assert "Inget väntar på dig." in html
    assert "Inga avslutade förfrågningar ännu." in html
