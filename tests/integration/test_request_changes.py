"""Changes after sending (issue 19): edit before approval, change through the council, cancel."""

from __future__ import annotations

from datetime import timedelta

import pytest
from icalendar import Calendar
from sqlmodel import select

from app.mail.context import MailContext
from app.models import (
    Assignment,
    Experience,
    Invitation,
    Proposal,
    RequestChange,
    RequestEvent,
    RequestSession,
    SessionAttendance,
)
from app.models.base import utcnow
from app.models.enums import Role
from app.services.booking.invitations import accept_invitation
from app.services.errors import Conflict, Forbidden
from app.services.journey.request_cancel import LATE_WINDOW, cancel_by_orderer
from app.services.journey.request_changes import (
    affected_people,
    approve_change,
    propose_change,
    reject_change,
)
from app.services.journey.request_edits import edit_request
from app.services.journey.request_fields import request_area_ids
from app.services.matchmaking.proposals import compute_proposal, eligible_ids
from app.services.requests.submission import RequestInput, SessionInput
from tests.booking_support import STOCKHOLM, approve, booking_setting, queued
from tests.conftest import login
from tests.html import csrf_token
from tests.icaljs import parse_with_icaljs

CTX = MailContext(council_mailbox="radet@region.example", base_url="https://levbib.example")


def _input(db_session, request, **changes) -> RequestInput:
    """Return the request as it stands as the service's input, with ``changes``."""
    items = db_session.exec(
        select(RequestSession)
        .where(RequestSession.request_id == request.id)
        .order_by(RequestSession.starts_at)
    ).all()
    fields = dict(
        title=request.title,
        purpose=request.purpose,
        expectations=request.expectations,
        participation=request.participation,
        assignment_type=request.assignment_type,
        area_ids=request_area_ids(session=db_session, request_id=request.id),
        experience=request.experience,
        people_count=request.people_count,
        sessions=[SessionInput(item.starts_at, item.ends_at) for item in items],
        format=request.format,
        location=request.location,
        video_link=request.video_link,
        language=request.language,
        contact_name=request.contact_name or "Kim Kontakt",
        contact_email=request.contact_email,
        quotas=list(request.quotas or []),
        balance=request.balance,
    )
    return RequestInput(**{**fields, **changes})


def _actions(db_session, request) -> list[str]:
    query = select(RequestEvent).where(RequestEvent.request_id == request.id)
    return [event.action for event in db_session.exec(query.order_by(RequestEvent.id))]


@pytest.fixture
def setting(factory, db_session):
    """A submitted request, four eligible people (all but the second speak English too)."""
    request, row, members, orderer, council = booking_setting(factory, db_session)
    for member in (members[0], members[2], members[3]):
        member.languages = ["sv", "en"]
        db_session.add(member)
    db_session.flush()
    return request, row, members, orderer, council


@pytest.fixture
def booked(setting, db_session):
    """The request approved for members 1 (Swedish only) and 0, and both have accepted."""
    request, row, members, orderer, council = setting
    group = [members[1], members[0]]
    for invitation in approve(db_session, request, group, council, CTX, mode="auto"):
        accept_invitation(session=db_session, token=invitation.token, ctx=CTX)
    db_session.info.clear()
    return setting


# --- Edit before approval -------------------------------------------------------------------


def test_edit_before_approval_records_the_diff_and_ranks_again(setting, db_session):
    request, _, members, orderer, _ = setting
    stale = Proposal(request_id=request.id, status="proposed")
    db_session.add(stale)
    db_session.flush()
    assert set(
        eligible_ids(compute_proposal(session=db_session, booking_request=request).proposal)
    ) == {m.id for m in members}

    changes = edit_request(
        session=db_session,
        booking_request=request,
        data=_input(db_session, request, title="Ny titel", language="en"),
        actor=orderer,
        now=utcnow(),
    )

    assert changes == {"title": ["Test request", "Ny titel"], "language": ["sv", "en"]}
    event = db_session.exec(
        select(RequestEvent).where(
            RequestEvent.request_id == request.id, RequestEvent.action == "edited"
        )
    ).one()
    assert event.detail == {"changes": changes}
    assert (request.title, request.language, stale.status) == ("Ny titel", "en", "superseded")
    ranked = eligible_ids(compute_proposal(session=db_session, booking_request=request).proposal)
    assert set(ranked) == {members[0].id, members[2].id, members[3].id}


def test_edit_moves_a_session_keeping_its_calendar_uid(setting, db_session):
    request, row, _, orderer, _ = setting
    uid = row.ical_uid
    later = SessionInput(row.starts_at + timedelta(days=7), row.ends_at + timedelta(days=7))

    changes = edit_request(
        session=db_session,
        booking_request=request,
        data=_input(db_session, request, sessions=[later]),
        actor=orderer,
        now=utcnow(),
    )

    assert list(changes) == ["sessions"]
    assert (row.ical_uid, row.starts_at) == (uid, later.starts_at)


def test_another_organisations_orderer_cannot_edit(setting, factory, db_session):
    request, *_ = setting
    stranger = factory.user(Role.ORDERER)

    with pytest.raises(Forbidden):
        edit_request(
            session=db_session,
            booking_request=request,
            data=_input(db_session, request, title="X"),
            actor=stranger,
            now=utcnow(),
        )


def test_edit_is_refused_after_approval(booked, db_session):
    request, _, _, orderer, _ = booked

    with pytest.raises(Conflict):
        edit_request(
            session=db_session,
            booking_request=request,
            data=_input(db_session, request, title="X"),
            actor=orderer,
            now=utcnow(),
        )


def test_edit_page_prefills_and_saves_and_other_orderer_gets_404(
    setting, factory, db_session, csrf_free_app
):
    request, _, _, orderer, _ = setting
    client = csrf_free_app.test_client()
    login(client, orderer.email)
    page = client.get(f"/orders/{request.id}/edit")
    assert page.status_code == 200
    assert 'value="Test request"' in page.get_data(as_text=True)

    form = _form_of(db_session, request, title="Ändrad titel")
    response = client.post(f"/orders/{request.id}/edit", data=form)

    assert response.status_code == 302
    db_session.refresh(request)
    assert request.title == "Ändrad titel"
    other = csrf_free_app.test_client()
    login(other, factory.user(Role.ORDERER).email)
    assert other.get(f"/orders/{request.id}/edit").status_code == 404
    assert other.post(f"/orders/{request.id}/edit", data=form).status_code == 404


def _form_of(db_session, request, **changes) -> dict:
    """Return the request form as posted, filled with the request as stored."""
    row = db_session.exec(
        select(RequestSession).where(RequestSession.request_id == request.id)
    ).first()
    start, end = row.starts_at.astimezone(STOCKHOLM), row.ends_at.astimezone(STOCKHOLM)
    form = {
        "title": request.title,
        "purpose": request.purpose,
        "expectations": request.expectations,
        "participation": request.participation,
        "assignment_type": request.assignment_type,
        "area_ids": [str(a) for a in request_area_ids(session=db_session, request_id=request.id)],
        "experience": request.experience,
        "people_count": str(request.people_count),
        "format": request.format,
        "video_link": request.video_link or "",
        "language": request.language,
        "preparation_minutes": "0",
        "contact_name": request.contact_name or "Kim",
        "sessions-0-day": start.date().isoformat(),
        "sessions-0-start": start.strftime("%H:%M"),
        "sessions-0-end": end.strftime("%H:%M"),
    }
    return {**form, **changes}


# --- Change after approval --------------------------------------------------------------------


def _propose(db_session, request, orderer, **changes) -> RequestChange:
    return propose_change(
        session=db_session,
        booking_request=request,
        data=_input(db_session, request, **changes),
        reason="Gruppen är engelskspråkig.",
        actor=orderer,
        ctx=CTX,
        now=utcnow(),
    )


def test_a_change_after_approval_waits_for_the_council_and_names_whom_it_affects(
    booked, db_session
):
    request, _, members, orderer, _ = booked

    change = _propose(db_session, request, orderer, language="en")

    assert (change.status, change.changes) == ("pending", {"language": ["sv", "en"]})
    assert request.language == "sv"  # nothing applied yet
    assert _actions(db_session, request)[-1] == "change_proposed"
    [notice] = [m for m in queued(db_session) if m["to"] == "radet@region.example"]
    assert "Language: Svenska → English" in notice["body"]
    rules = {
        p.member.id: p.rule
        for p in affected_people(session=db_session, booking_request=request, change=change)
    }
    assert rules == {members[0].id: None, members[1].id: "language"}
    with pytest.raises(Conflict):
        _propose(db_session, request, orderer, title="En till")


def test_approving_a_change_releases_the_ineligible_with_a_cancel_and_replaces_her(
    booked, db_session, factory
):
    request, row, members, orderer, council = booked
    change = _propose(db_session, request, orderer, language="en", title="Engelsk grupp")
    db_session.info.clear()

    outcome = approve_change(
        session=db_session, change=change, actor=council, ctx=CTX, now=utcnow()
    )

    assert [m.id for m in outcome.released] == [members[1].id]
    assert [m.id for m in outcome.updated] == [members[0].id]
    assert (request.language, request.title, change.status) == ("en", "Engelsk grupp", "approved")
    released = db_session.exec(
        select(Assignment).where(Assignment.member_id == members[1].id)
    ).one()
    assert released.status == "withdrawn"
    mails = {m["to"]: m for m in queued(db_session)}
    cancel, update = mails[members[1].email], mails[members[0].email]
    assert "released from it" in cancel["body"]
    assert "Language: Svenska → English" in update["body"]
    for mail, method in ((cancel, "CANCEL"), (update, "REQUEST")):
        read = parse_with_icaljs(mail["calendar"])
        assert read["method"] == method
        assert (read["events"][0]["uid"], read["events"][0]["sequence"]) == (row.ical_uid, 1)
    # AUTO mode: the next free reserve who speaks English is invited at once.
    assert _actions(db_session, request)[-3:] == ["change_approved", "reopened", "reserve_invited"]
    assert request.status == "approved"
    invited = db_session.exec(
        select(Invitation).where(
            Invitation.request_id == request.id, Invitation.status == "pending"
        )
    ).all()
    assert len(invited) == 1 and invited[0].member_id not in (members[0].id, members[1].id)
    orderer_mail = mails[request.contact_email]  # the named contact person (orderer_recipient)
    assert members[1].display_name not in orderer_mail["body"]
    assert "no longer match" in orderer_mail["body"]


def test_in_council_confirms_mode_the_released_place_waits_in_the_council_queue(
    setting, db_session
):
    request, _, members, orderer, council = setting
    for invitation in approve(db_session, request, [members[1], members[0]], council, CTX):
        accept_invitation(session=db_session, token=invitation.token, ctx=CTX)
    change = _propose(db_session, request, orderer, format="onsite", location="Ryhov")
    members[0].is_onsite_ok = False
    db_session.add(members[0])
    db_session.flush()
    db_session.info.clear()

    outcome = approve_change(
        session=db_session, change=change, actor=council, ctx=CTX, now=utcnow()
    )

    assert [m.id for m in outcome.released] == [members[0].id]
    assert _actions(db_session, request)[-2:] == ["reopened", "replacement_needed"]
    subjects = [m["subject"] for m in queued(db_session) if m["to"] == "radet@region.example"]
    assert any("replacement is needed" in s for s in subjects)


def test_rejecting_a_change_tells_the_orderer_and_changes_nothing(booked, db_session):
    request, _, _, orderer, council = booked
    change = _propose(db_session, request, orderer, language="en")
    db_session.info.clear()

    reject_change(
        session=db_session,
        change=change,
        note="Det går inte nu.",
        actor=council,
        ctx=CTX,
        now=utcnow(),
    )

    assert (change.status, change.decision_note, request.language) == (
        "rejected",
        "Det går inte nu.",
        "sv",
    )
    [mail] = queued(db_session)
    assert (mail["to"], "Det går inte nu." in mail["body"]) == (request.contact_email, True)
    assert _actions(db_session, request)[-1] == "change_rejected"


def test_council_page_shows_the_affected_bookings_and_the_orderer_never_sees_health_data(
    booked, db_session, factory, app
):
    request, _, members, orderer, council = booked
    factory.area("diabetes", name_sv="Diabetesvård")
    db_session.add(
        Experience(member_id=members[1].id, area_id=factory.area("diabetes").id, type="own")
    )
    db_session.flush()
    change = _propose(db_session, request, orderer, language="en")
    council_client, orderer_client = app.test_client(), app.test_client()
    login(council_client, council.email)
    login(orderer_client, orderer.email)

    council_page = council_client.get(f"/council/requests/{request.id}").get_data(as_text=True)

    assert 'id="change-affected"' in council_page
    assert members[1].display_name in council_page
    assert "talar inte det efterfrågade språket" in council_page
    approve_change(session=db_session, change=change, actor=council, ctx=CTX, now=utcnow())
    for path in (f"/orders/{request.id}", f"/orders/{request.id}/change"):
        html = orderer_client.get(path, follow_redirects=True).get_data(as_text=True)
        assert members[1].last_name not in html
        assert "språket" not in html
    detail = orderer_client.get(f"/orders/{request.id}").get_data(as_text=True)
    assert "Diabetesvård" not in detail  # the change form lists the whole taxonomy; this page not
    detail = orderer_client.get(f"/orders/{request.id}").get_data(as_text=True)
    assert "En bokad person passar inte längre; samordningen hittar en ersättare." in detail


def test_council_decides_on_the_web(booked, db_session, app):
    request, _, _, orderer, council = booked
    change = _propose(db_session, request, orderer, title="Ny titel")
    client = app.test_client()
    login(client, council.email)
    token = csrf_token(client.get(f"/council/requests/{request.id}").get_data(as_text=True))
    url = f"/council/requests/{request.id}/changes/{change.id}"

    refused = client.post(url, data={"csrf_token": token, "change-decision": "reject"})
    done = client.post(url, data={"csrf_token": token, "change-decision": "approve"})

    assert (refused.status_code, done.status_code) == (422, 302)
    db_session.refresh(change)
    db_session.refresh(request)
    assert (change.status, request.title) == ("approved", "Ny titel")


# --- Cancel on the web -----------------------------------------------------------------------


def test_cancel_far_ahead_is_not_late_and_tells_everyone(booked, db_session):
    request, _, members, orderer, _ = booked

    done = cancel_by_orderer(
        session=db_session,
        booking_request=request,
        reason="Kursen utgår.",
        actor=orderer,
        ctx=CTX,
        now=utcnow(),
    )

    assert (done.is_late, request.late_cancellation, request.status) == (False, False, "cancelled")
    to = {m["to"]: m for m in queued(db_session)}
    assert "Kursen utgår." in to["radet@region.example"]["body"]
    for member in members[:2]:
        assert str(Calendar.from_ical(to[member.email]["calendar"])["method"]) == "CANCEL"
    assert db_session.exec(select(SessionAttendance)).all() == []


def test_cancel_within_the_window_is_late_and_marks_the_booked_cancelled_late(booked, db_session):
    request, row, members, orderer, _ = booked
    now = row.starts_at - LATE_WINDOW + timedelta(hours=1)

    done = cancel_by_orderer(
        session=db_session,
        booking_request=request,
        reason="Sjuk föreläsare.",
        actor=orderer,
        ctx=CTX,
        now=now,
    )

    assert (done.is_late, request.late_cancellation) == (True, True)
    marks = db_session.exec(
        select(SessionAttendance.member_id, SessionAttendance.status).where(
            SessionAttendance.request_session_id == row.id
        )
    ).all()
    assert sorted(marks) == sorted((m.id, "cancelled_late") for m in members[:2])
    [notice] = [m for m in queued(db_session) if m["to"] == "radet@region.example"]
    assert "Late cancellation" in notice["body"]


def test_cancel_on_the_web_needs_a_reason_and_a_confirmation(booked, db_session, app):
    request, row, _, orderer, council = booked
    request.late_cancellation = False
    client = app.test_client()
    login(client, orderer.email)
    page = client.get(f"/orders/{request.id}").get_data(as_text=True)
    assert "Ställ in förfrågan" in page and ">Avbryt<" not in page
    token = csrf_token(page)
    url = f"/orders/{request.id}/cancel"

    empty = client.post(url, data={"csrf_token": token, "cancel-reason": ""})
    asked = client.post(url, data={"csrf_token": token, "cancel-reason": "Utgår."})
    db_session.refresh(request)
    assert (empty.status_code, asked.status_code, request.status) == (422, 200, "booked")
    done = client.post(url, data={"csrf_token": token, "cancel-reason": "Utgår.", "confirmed": "1"})

    assert done.status_code == 302
    db_session.refresh(request)
    assert request.status == "cancelled"
    assert _actions(db_session, request)[-1] == "cancelled"


def test_late_cancellation_shows_on_both_request_pages(booked, db_session, app):
    request, row, _, orderer, council = booked
    cancel_by_orderer(
        session=db_session,
        booking_request=request,
        reason="Sent.",
        actor=orderer,
        ctx=CTX,
        now=row.starts_at - timedelta(days=2),
    )
    for user, path in (
        (orderer, f"/orders/{request.id}"),
        (council, f"/council/requests/{request.id}"),
    ):
        client = app.test_client()
        login(client, user.email)
        html = client.get(path).get_data(as_text=True)
        assert 'id="late-cancellation"' in html and "Sen avbokning" in html


def test_orderer_proposes_a_change_on_the_web_and_edit_leads_there(booked, db_session, app):
    request, *_ = booked
    orderer = booked[3]
    client = app.test_client()
    login(client, orderer.email)
    assert (
        client.get(f"/orders/{request.id}/edit")
        .headers["Location"]
        .endswith(f"/orders/{request.id}/change")
    )
    page = client.get(f"/orders/{request.id}/change").get_data(as_text=True)
    assert 'id="sessions"' not in page and 'value="Test request"' in page
    form = _form_of(db_session, request, language="en", reason="Engelsk grupp.")
    form = {k: v for k, v in form.items() if not k.startswith("sessions-")}
    form["csrf_token"] = csrf_token(page)

    response = client.post(f"/orders/{request.id}/change", data=form)

    assert response.status_code == 302
    change = db_session.exec(
        select(RequestChange).where(RequestChange.request_id == request.id)
    ).one()
    assert (change.changes, change.reason) == ({"language": ["sv", "en"]}, "Engelsk grupp.")
    detail = client.get(f"/orders/{request.id}").get_data(as_text=True)
    assert 'id="change-waiting"' in detail and 'id="change-link"' not in detail
