"""Issue 19, support: conflicts of interest to the council, debriefs, a named contact person
and at least two in working groups (app/services/journey)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from app import clock
from app.mail.context import MailContext
from app.models import Assignment, DebriefRequest, Invitation, RequestEvent, RequestSession
from app.models.enums import Role
from app.models.outbox import OutboxMessage
from app.services.booking.decisions import approve_group
from app.services.booking.invitations import accept_invitation
from app.services.errors import Conflict, Forbidden, InvalidInput
from app.services.journey.conflicts import decide_conflict
from app.services.journey.debriefs import DEBRIEF_WINDOW, ask_debrief, handle_debrief
from app.services.worklist.registry import PROVIDERS
from app.services.worklist.sections import Moment
from tests.booking_support import booking_setting, queued, request_invitations
from tests.conftest import login
from tests.icaljs import parse_with_icaljs
from tests.integration.test_request_form import valid_form

CTX = MailContext(council_mailbox="radet@region.example", base_url="https://levbib.example")
DECLARATION = "Jag arbetar på kliniken som beställer."


def listed(db_session, key: str) -> list:
    provider = next(p for p in PROVIDERS if p.key == key)
    moment = Moment(now=clock.now(), today=clock.today())
    return provider.page(session=db_session, moment=moment, limit=20)[0]


def _accept_with_declaration(factory, db_session, declaration=DECLARATION):
    """Two approved and invited; the first accepts with a declared conflict."""
    request, row, members, orderer, council = booking_setting(factory, db_session)
    council.full_name = "Cecilia Samordnare"
    approve_group(
        session=db_session,
        booking_request=request,
        member_ids=[members[0].id, members[1].id],
        actor=council,
        ctx=CTX,
    )
    first = request_invitations(db_session, request)[0]
    db_session.info.clear()
    assignment = accept_invitation(
        session=db_session, token=first.token, ctx=CTX, conflict_declaration=declaration
    )
    return request, members, council, assignment


# -- Conflicts of interest -----------------------------------------------------------------


def test_a_declared_conflict_mails_the_council_with_the_request_link(factory, db_session):
    request, members, _council, assignment = _accept_with_declaration(factory, db_session)

    mails = [m for m in queued(db_session) if m["to"] == "radet@region.example"]

    assert [m["subject"] for m in mails] == [f"Conflict of interest declared: {request.title}"]
    assert f"https://levbib.example/council/requests/{request.id}#conflicts" in mails[0]["body"]
    assert members[0].display_name in mails[0]["body"]
    assert DECLARATION not in mails[0]["body"]
    assert [item.key for item in listed(db_session, "conflicts")] == [assignment.id]


def test_accepting_without_a_declaration_tells_the_council_nothing(factory, db_session):
    _request, _members, _council, _assignment = _accept_with_declaration(
        factory, db_session, declaration="  "
    )

    assert [m for m in queued(db_session) if m["to"] == "radet@region.example"] == []
    assert listed(db_session, "conflicts") == []


def test_keep_is_recorded_and_leaves_the_worklist(factory, db_session):
    request, _members, council, assignment = _accept_with_declaration(factory, db_session)
    now = clock.now()
    db_session.info.clear()

    decide_conflict(
        session=db_session,
        assignment=assignment,
        decision="keep",
        note="",
        actor=council,
        ctx=CTX,
        now=now,
    )

    assert (
        assignment.conflict_decision,
        assignment.conflict_decided_by_id,
        assignment.conflict_decided_at,
        assignment.status,
    ) == ("keep", council.id, now, "booked")
    assert listed(db_session, "conflicts") == []
    assert queued(db_session) == []
    events = db_session.exec(
        select(RequestEvent).where(
            RequestEvent.request_id == request.id, RequestEvent.action == "conflict_decided"
        )
    ).all()
    assert [(e.actor_id, e.detail["decision"]) for e in events] == [(council.id, "keep")]


def test_replace_needs_a_note(factory, db_session):
    _request, _members, council, assignment = _accept_with_declaration(factory, db_session)

    with pytest.raises(InvalidInput) as refused:
        decide_conflict(
            session=db_session,
            assignment=assignment,
            decision="replace",
            note=" ",
            actor=council,
            ctx=CTX,
            now=clock.now(),
        )

    assert set(refused.value.fields) == {"note"}
    assert (assignment.conflict_decision, assignment.status) == ("", "booked")


def test_replace_releases_with_a_cancel_and_starts_a_replacement(factory, db_session):
    request, members, council, assignment = _accept_with_declaration(factory, db_session)
    request.replacement_mode = "auto"
    db_session.info.clear()

    decide_conflict(
        session=db_session,
        assignment=assignment,
        decision="replace",
        note="Hon arbetar på beställande enhet.",
        actor=council,
        ctx=CTX,
        now=clock.now(),
    )

    assert (assignment.status, assignment.conflict_decision) == ("withdrawn", "replace")
    assert assignment.conflict_decision_note == "Hon arbetar på beställande enhet."
    mails = {m["to"]: m for m in queued(db_session)}
    cancel = mails["person0@example.org"]
    assert cancel["subject"] == f"Cancelled: {request.title}"
    assert "conflict of interest" in cancel["body"]
    read = parse_with_icaljs(cancel["calendar"])
    assert read["method"] == "CANCEL"
    # The next reserve is invited at once (auto mode): replacement has started.
    invitations = request_invitations(db_session, request)
    reserve = invitations[-1]
    assert [i.member_id for i in invitations[:2]] == [members[0].id, members[1].id]
    assert (len(invitations), reserve.status) == (3, "pending")
    assert reserve.member_id in {members[2].id, members[3].id}
    assert listed(db_session, "conflicts") == []


def test_a_decided_conflict_cannot_be_decided_again(factory, db_session):
    _request, _members, council, assignment = _accept_with_declaration(factory, db_session)
    decide = dict(
        session=db_session, assignment=assignment, actor=council, ctx=CTX, now=clock.now()
    )
    decide_conflict(decision="keep", note="", **decide)

    with pytest.raises(Conflict):
        decide_conflict(decision="replace", note="Ändrat mig", **decide)


def test_the_request_page_shows_the_declaration_and_the_form_posts_the_decision(
    factory, db_session, csrf_free_app
):
    request, _members, council, assignment = _accept_with_declaration(factory, db_session)
    client = csrf_free_app.test_client()
    login(client, council.email)

    page = client.get(f"/council/requests/{request.id}").get_data(as_text=True)
    refused = client.post(
        f"/council/requests/{request.id}/conflicts/{assignment.id}",
        data={f"conflict-{assignment.id}-decision": "replace"},
    )
    kept = client.post(
        f"/council/requests/{request.id}/conflicts/{assignment.id}",
        data={f"conflict-{assignment.id}-decision": "keep", f"conflict-{assignment.id}-note": "Ok"},
    )
    db_session.expire_all()

    assert 'id="conflicts"' in page and DECLARATION in page
    assert refused.status_code == 422
    assert kept.status_code == 302
    assert db_session.get(Assignment, assignment.id).conflict_decision == "keep"
    after = client.get(f"/council/requests/{request.id}").get_data(as_text=True)
    assert "conflict-form" not in after


def test_the_worklist_links_a_conflict_to_the_request_page(factory, db_session, csrf_free_app):
    request, _members, council, assignment = _accept_with_declaration(factory, db_session)
    client = csrf_free_app.test_client()
    login(client, council.email)

    home = client.get("/council/").get_data(as_text=True)

    assert f"/council/requests/{request.id}#conflicts" in home
    assert f'id="worklist-conflicts-{assignment.id}"' in home


# -- Debriefs -------------------------------------------------------------------------------


def _booked_with_past_meeting(factory, started_hours_ago: float = 3):
    """A member with an account, booked on a request whose meeting started a while ago."""
    orderer = factory.user(Role.ORDERER)
    user = factory.user(Role.MEMBER)
    member = factory.member(user=user, first_name="Maja", last_name="Berättare")
    request = factory.booking_request(orderer, title="Psykosföreläsning", status="booked")
    row = factory.session.exec(
        select(RequestSession).where(RequestSession.request_id == request.id)
    ).one()
    row.starts_at = clock.now() - timedelta(hours=started_hours_ago)
    row.ends_at = row.starts_at + timedelta(hours=2)
    factory.session.add(row)
    assignment = factory.assignment(member, request)
    return request, assignment, user, member


def test_a_debrief_is_refused_before_the_first_meeting_started(factory, db_session):
    _request, assignment, user, _member = _booked_with_past_meeting(factory, started_hours_ago=-24)

    with pytest.raises(Conflict):
        ask_debrief(
            session=db_session,
            assignment=assignment,
            message="",
            actor=user,
            ctx=CTX,
            now=clock.now(),
        )

    assert db_session.exec(select(DebriefRequest)).all() == []


def test_a_debrief_is_refused_long_after_the_last_meeting(factory, db_session):
    _request, assignment, user, _member = _booked_with_past_meeting(factory)
    later = clock.now() + DEBRIEF_WINDOW + timedelta(days=1)

    with pytest.raises(Conflict):
        ask_debrief(
            session=db_session, assignment=assignment, message="", actor=user, ctx=CTX, now=later
        )


def test_a_debrief_mails_the_council_without_the_message_and_waits_on_the_worklist(
    factory, db_session
):
    request, assignment, user, member = _booked_with_past_meeting(factory)
    council = factory.user(Role.COUNCIL)
    db_session.info.clear()

    debrief = ask_debrief(
        session=db_session,
        assignment=assignment,
        message="Det blev tungt att berätta om psykosen.",
        actor=user,
        ctx=CTX,
        now=clock.now(),
    )

    mails = queued(db_session)
    assert [(m["to"], m["subject"]) for m in mails] == [
        ("radet@region.example", "A member asks for a debrief")
    ]
    assert (
        "Maja Berättare asks for a talk after the assignment Psykosföreläsning."
        in (mails[0]["body"])
    )
    assert "psykosen" not in mails[0]["body"]
    assert [(i.key, i.facts["member"]) for i in listed(db_session, "debriefs")] == [
        (debrief.id, "Maja Berättare")
    ]
    with pytest.raises(Conflict):  # one open request per assignment
        ask_debrief(
            session=db_session,
            assignment=assignment,
            message="",
            actor=user,
            ctx=CTX,
            now=clock.now(),
        )

    handle_debrief(
        session=db_session, debrief=debrief, note="Ringde, mår bra.", actor=council, now=clock.now()
    )

    assert (debrief.status, debrief.handled_by_id) == ("handled", council.id)
    assert listed(db_session, "debriefs") == []
    history = db_session.exec(
        select(RequestEvent.action, RequestEvent.message).where(
            RequestEvent.request_id == request.id
        )
    ).all()
    assert [tuple(row) for row in history] == [("debrief_asked", ""), ("debrief_handled", "")]


def test_only_the_booked_member_may_ask(factory, db_session, csrf_free_app):
    _request, assignment, _user, _member = _booked_with_past_meeting(factory)
    other = factory.user(Role.MEMBER)
    factory.member(user=other)
    client = csrf_free_app.test_client()
    login(client, other.email)

    answer = client.post(f"/me/assignments/{assignment.id}/debrief", data={"message": "Hej"})

    assert answer.status_code == 404
    assert db_session.exec(select(DebriefRequest)).all() == []
    with pytest.raises(Forbidden):
        ask_debrief(
            session=db_session,
            assignment=assignment,
            message="",
            actor=other,
            ctx=CTX,
            now=clock.now(),
        )


def test_the_member_asks_on_the_web_and_sees_the_state(factory, db_session, csrf_free_app):
    _request, assignment, user, _member = _booked_with_past_meeting(factory)
    client = csrf_free_app.test_client()
    login(client, user.email)

    before = client.get(f"/me/assignments/{assignment.id}/debrief").get_data(as_text=True)
    answer = client.post(f"/me/assignments/{assignment.id}/debrief", data={"message": "Ring mig"})
    after = client.get(f"/me/assignments/{assignment.id}/debrief").get_data(as_text=True)

    assert "debrief-form" in before
    assert answer.status_code == 302
    assert "debrief-form" not in after and "debrief-state" in after
    stored = db_session.exec(select(DebriefRequest)).one()
    assert (stored.member_id, stored.message, stored.status) == (
        assignment.member_id,
        "Ring mig",
        "open",
    )
    mail = db_session.exec(select(OutboxMessage)).one()
    assert mail.subject == "En medlem ber om ett samtal"


def test_the_council_closes_a_debrief_on_its_list(factory, db_session, csrf_free_app):
    _request, assignment, user, _member = _booked_with_past_meeting(factory)
    debrief = ask_debrief(
        session=db_session,
        assignment=assignment,
        message="Ring",
        actor=user,
        ctx=CTX,
        now=clock.now(),
    )
    council = factory.user(Role.COUNCIL)
    client = csrf_free_app.test_client()
    login(client, council.email)

    page = client.get("/council/debriefs").get_data(as_text=True)
    empty_note = client.post(f"/council/debriefs/{debrief.id}", data={})
    closed = client.post(
        f"/council/debriefs/{debrief.id}", data={f"debrief-{debrief.id}-note": "Samtal hållet"}
    )
    db_session.expire_all()

    assert f'id="debrief-{debrief.id}"' in page
    assert empty_note.status_code == 422
    assert closed.status_code == 302
    assert db_session.get(DebriefRequest, debrief.id).handled_note == "Samtal hållet"
    assert f'id="debrief-{debrief.id}"' not in client.get("/council/debriefs").get_data(
        as_text=True
    )


# -- The named contact person ---------------------------------------------------------------


def test_the_approving_user_becomes_the_contact_person_in_the_invitation(factory, db_session):
    request, _row, members, _orderer, council = booking_setting(factory, db_session)
    council.full_name = "Cecilia Samordnare"
    db_session.info.clear()

    approve_group(
        session=db_session,
        booking_request=request,
        member_ids=[members[0].id, members[1].id],
        actor=council,
        ctx=CTX,
    )

    mails = {m["to"]: m for m in queued(db_session)}
    line = f"Your contact person at the council: Cecilia Samordnare, {council.email}"
    assert request.coordinator_id == council.id
    assert line in mails["person0@example.org"]["body"]
    assert line in mails["person1@example.org"]["body"]


def test_a_named_contact_person_is_kept_on_approval_and_set_on_the_page(
    factory, db_session, csrf_free_app
):
    request, _row, members, _orderer, council = booking_setting(factory, db_session)
    named = factory.user(Role.COUNCIL)
    named.full_name = "Nils Namngiven"
    client = csrf_free_app.test_client()
    login(client, council.email)

    saved = client.post(
        f"/council/requests/{request.id}/coordinator", data={"coordinator-coordinator_id": named.id}
    )
    not_council = client.post(
        f"/council/requests/{request.id}/coordinator",
        data={"coordinator-coordinator_id": factory.user(Role.ORDERER).id},
    )
    db_session.expire_all()
    request = db_session.get(type(request), request.id)
    approve_group(
        session=db_session,
        booking_request=request,
        member_ids=[members[0].id, members[1].id],
        actor=council,
        ctx=CTX,
    )
    invitation = db_session.exec(
        select(Invitation).where(Invitation.member_id == members[0].id)
    ).one()
    page = client.get(f"/invitations/{invitation.token}").get_data(as_text=True)

    assert (saved.status_code, not_council.status_code) == (302, 422)
    assert request.coordinator_id == named.id
    assert 'id="coordinator"' in page and "Nils Namngiven" in page


# -- At least two in working groups ---------------------------------------------------------


def test_the_orderer_form_refuses_a_working_group_of_one(factory, db_session, csrf_free_app):
    orderer = factory.user(Role.ORDERER)
    client = csrf_free_app.test_client()
    login(client, orderer.email)
    form = valid_form(factory.area("psychiatry/psychosis").id)
    form |= {"assignment_type": "working_group", "people_count": "1"}

    answer = client.post("/orders/new", data=form)

    assert answer.status_code == 422
    assert "minst två" in answer.get_data(as_text=True)
    form["people_count"] = "2"
    assert client.post("/orders/new", data=form).status_code == 302


def _working_group(factory, db_session):
    request, _row, members, _orderer, council = booking_setting(factory, db_session)
    request.assignment_type = "working_group"
    db_session.add(request)
    db_session.flush()
    return request, members, council


def test_approving_one_for_a_working_group_needs_a_reason(factory, db_session):
    request, members, council = _working_group(factory, db_session)

    with pytest.raises(InvalidInput) as refused:
        approve_group(
            session=db_session,
            booking_request=request,
            member_ids=[members[0].id],
            actor=council,
            ctx=CTX,
        )

    assert set(refused.value.fields) == {"below_two_reason"}
    assert request.status == "submitted"
    assert db_session.exec(select(Invitation)).all() == []


def test_a_reason_lets_the_council_approve_one_and_is_recorded(factory, db_session, csrf_free_app):
    request, members, council = _working_group(factory, db_session)
    client = csrf_free_app.test_client()
    login(client, council.email)

    refused = client.post(
        f"/council/requests/{request.id}/approve", data={"member_ids": str(members[0].id)}
    )
    approved = client.post(
        f"/council/requests/{request.id}/approve",
        data={
            "member_ids": str(members[0].id),
            "below_two_reason": "Bara en ledig med rätt erfarenhet i höst.",
        },
    )
    page = client.get(f"/council/requests/{request.id}").get_data(as_text=True)

    assert (refused.status_code, approved.status_code) == (422, 302)
    events = db_session.exec(
        select(RequestEvent.action, RequestEvent.message).where(
            RequestEvent.request_id == request.id, RequestEvent.action == "approved_below_two"
        )
    ).all()
    assert [tuple(e) for e in events] == [
        ("approved_below_two", "Bara en ledig med rätt erfarenhet i höst.")
    ]
    assert 'id="below-two-reasons"' in page
    assert "Bara en ledig med rätt erfarenhet i höst." in page


def test_two_in_a_working_group_need_no_reason(factory, db_session):
    request, members, council = _working_group(factory, db_session)

    approve_group(
        session=db_session,
        booking_request=request,
        member_ids=[members[0].id, members[1].id],
        actor=council,
        ctx=CTX,
    )

    assert request.status == "approved"


def test_the_api_refuses_a_working_group_of_one_naming_people_count(factory, db_session, app):
    from tests.api_support import ApiClient, token_for

    orderer = factory.user(Role.ORDERER)
    api = ApiClient(app, token_for(factory, orderer))
    day = clock.today() + timedelta(days=30)
    start = datetime(day.year, day.month, day.day, 9, tzinfo=UTC)
    body = {
        "title": "Arbetsgrupp",
        "purpose": "Varför",
        "expectations": "Vad",
        "participation": "partnership",
        "assignment_type": "working_group",
        "area_ids": [factory.area("psychiatry/psychosis").id],
        "experience": "own",
        "people_count": 1,
        "format": "digital",
        "contact_name": "Olle",
        "sessions": [
            {"starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=2)).isoformat()}
        ],
    }

    answer = api.post("/api/v1/requests", json=body)

    assert answer.status_code == 422
    assert set(answer.get_json()["fields"]) == {"people_count"}
    assert api.post("/api/v1/requests", json=body | {"people_count": 2}).status_code == 201


def test_the_contact_person_choices_are_enabled_council_users_by_name(factory, db_session):
    from app.services.journey.coordinator import council_users

    ada = factory.user(Role.COUNCIL, email="ada-choice@example.org")
    ada.full_name = "Ada Ahlberg"
    nameless = factory.user(Role.COUNCIL, email="nameless-choice@example.org")
    nameless.full_name = ""
    disabled = factory.user(Role.COUNCIL, email="disabled-choice@example.org")
    disabled.is_enabled = False
    orderer = factory.user(Role.ORDERER, email="orderer-choice@example.org")
    db_session.flush()

    choices = council_users(session=db_session)
    ids = [user_id for user_id, _label in choices]
    assert (ada.id, "Ada Ahlberg") in choices
    assert (nameless.id, "nameless-choice@example.org") in choices
    assert disabled.id not in ids and orderer.id not in ids
