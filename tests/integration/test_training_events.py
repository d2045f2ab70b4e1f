"""Introduction and training events (issue 20): booking with calendar invitations, attendance
completing the introduction, and the pools' requirements excluding members from proposals."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import select

from app import clock
from app.mail.context import MailContext
from app.models import AuditEvent, Member, TrainingBooking
from app.models.enums import Role
from app.services.errors import Conflict, InvalidInput
from app.services.matchmaking.proposals import compute_proposal
from app.services.matchmaking.requirements import (
    Requirement,
    pool_requirements,
    set_pool_requirement,
)
from app.services.training.bookings import book_event, cancel_booking, record_attendance
from app.services.training.events import EventInput, cancel_event, create_event, update_event
from tests.booking_support import STOCKHOLM, booking_setting, queued
from tests.conftest import login
from tests.icaljs import parse_with_icaljs

CTX = MailContext()


def _event_input(start: datetime, **changes) -> EventInput:
    fields = dict(
        kind="introduction",
        title="Introduktion för nya medlemmar",
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        capacity=2,
        place="Regionens hus, Jönköping",
        description="Om uppdragen, tystnadsplikt och arvoden.",
    )
    return EventInput(**{**fields, **changes})


def _future(days: int = 10, hour: int = 13) -> datetime:
    day = clock.today() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, tzinfo=STOCKHOLM).astimezone(UTC)


def _calendar_mail(db_session) -> list[dict]:
    return [item for item in queued(db_session) if item.get("calendar")]


def test_booking_moving_and_cancelling_send_one_uid_with_rising_sequence(factory, db_session):
    council = factory.user(Role.COUNCIL)
    member = factory.member(email="ny@example.org", first_name="Nora", last_name="Ny")
    start = _future()
    event = create_event(_event_input(start), session=db_session, actor_id=council.id)

    book_event(session=db_session, member=member, event_id=event.id, ctx=CTX)
    moved = start + timedelta(days=1, hours=1)
    update_event(event, _event_input(moved), session=db_session, ctx=CTX, actor_id=council.id)
    cancel_booking(session=db_session, member=member, event_id=event.id, ctx=CTX)

    mails = _calendar_mail(db_session)
    read = [parse_with_icaljs(mail["calendar"]) for mail in mails]
    assert [mail["to"] for mail in mails] == ["ny@example.org"] * 3
    assert [r["method"] for r in read] == ["REQUEST", "REQUEST", "CANCEL"]
    assert [len(r["events"]) for r in read] == [1, 1, 1]
    assert {r["events"][0]["uid"] for r in read} == {event.ical_uid}
    assert [r["events"][0]["sequence"] for r in read] == [0, 1, 2]
    assert [r["events"][0]["start"] for r in read] == [
        start.isoformat().replace("+00:00", ".000Z"),
        moved.isoformat().replace("+00:00", ".000Z"),
        moved.isoformat().replace("+00:00", ".000Z"),
    ]
    assert read[0]["events"][0]["tzid"] == "Europe/Stockholm"
    assert read[2]["events"][0]["status"] == "CANCELLED"
    assert read[0]["events"][0]["attendees"][0]["address"] == "mailto:ny@example.org"
    assert [m["subject"] for m in mails] == [
        "Booked: Introduktion för nya medlemmar",
        "Changed: Introduktion för nya medlemmar",
        "Place cancelled: Introduktion för nya medlemmar",
    ]


def test_a_full_event_refuses_and_a_cancelled_place_can_be_booked_again(factory, db_session):
    council = factory.user(Role.COUNCIL)
    first, second, third = (factory.member(email=f"m{i}@example.org") for i in range(3))
    event = create_event(_event_input(_future()), session=db_session, actor_id=council.id)
    for member in (first, second):
        book_event(session=db_session, member=member, event_id=event.id, ctx=CTX)

    with pytest.raises(Conflict, match="The event is full."):
        book_event(session=db_session, member=third, event_id=event.id, ctx=CTX)
    with pytest.raises(Conflict, match="You already have a place."):
        book_event(session=db_session, member=first, event_id=event.id, ctx=CTX)
    cancel_booking(session=db_session, member=first, event_id=event.id, ctx=CTX)
    again = book_event(session=db_session, member=first, event_id=event.id, ctx=CTX)

    assert (again.status, again.sequence) == ("booked", 2)
    sequences = [
        parse_with_icaljs(m["calendar"])["events"][0]["sequence"]
        for m in _calendar_mail(db_session)
        if m["to"] == "m0@example.org"
    ]
    assert sequences == [0, 1, 2]


def test_the_council_cancelling_the_event_sends_every_booked_member_a_cancel(factory, db_session):
    council = factory.user(Role.COUNCIL)
    members = [factory.member(email=f"c{i}@example.org") for i in range(2)]
    event = create_event(_event_input(_future()), session=db_session, actor_id=council.id)
    for member in members:
        book_event(session=db_session, member=member, event_id=event.id, ctx=CTX)

    told = cancel_event(event, session=db_session, ctx=CTX, actor_id=council.id)

    cancels = [m for m in _calendar_mail(db_session) if m["calendar_method"] == "CANCEL"]
    assert told == 2
    assert sorted(m["to"] for m in cancels) == ["c0@example.org", "c1@example.org"]
    assert {parse_with_icaljs(m["calendar"])["events"][0]["sequence"] for m in cancels} == {1}
    with pytest.raises(Conflict, match="The event is cancelled."):
        book_event(session=db_session, member=members[0], event_id=event.id, ctx=CTX)


def test_event_input_errors_name_their_fields(factory, db_session):
    start = _future()
    bad = _event_input(start, title=" ", ends_at=start, capacity=0, place="", kind="party")

    with pytest.raises(InvalidInput) as refused:
        create_event(bad, session=db_session, actor_id=None)

    assert sorted(refused.value.fields) == ["capacity", "ends_at", "kind", "place", "title"]


def test_attending_an_introduction_sets_training_completed_on(factory, db_session):
    council = factory.user(Role.COUNCIL)
    member = factory.member(email="intro@example.org")
    other = factory.member(email="training@example.org")
    start = _future(days=3)
    intro = create_event(_event_input(start), session=db_session, actor_id=council.id)
    training = create_event(
        _event_input(start, kind="training", title="Fortbildning"),
        session=db_session,
        actor_id=council.id,
    )
    booking = book_event(session=db_session, member=member, event_id=intro.id, ctx=CTX)
    other_booking = book_event(session=db_session, member=other, event_id=training.id, ctx=CTX)
    later = start + timedelta(hours=4)

    with pytest.raises(Conflict):
        record_attendance(
            session=db_session, event=intro, marks={booking.id: "attended"}, actor_id=council.id
        )
    record_attendance(
        session=db_session,
        event=intro,
        marks={booking.id: "attended"},
        actor_id=council.id,
        now=later,
    )
    record_attendance(
        session=db_session,
        event=training,
        marks={other_booking.id: "attended"},
        actor_id=council.id,
        now=later,
    )

    assert member.training_completed_on == start.astimezone(STOCKHOLM).date()
    assert other.training_completed_on is None
    record_attendance(
        session=db_session,
        event=intro,
        marks={booking.id: "absent"},
        actor_id=council.id,
        now=later,
    )
    assert member.training_completed_on is None
    actions = db_session.exec(
        select(AuditEvent.action).where(AuditEvent.action == "training.attendance.record")
    ).all()
    assert len(actions) == 3


def test_a_date_entered_by_hand_is_kept_when_an_absence_is_recorded(factory, db_session):
    council = factory.user(Role.COUNCIL)
    member = factory.member(training_completed_on=date(2025, 3, 1))
    start = _future(days=2)
    intro = create_event(_event_input(start), session=db_session, actor_id=council.id)
    booking = book_event(session=db_session, member=member, event_id=intro.id, ctx=CTX)

    record_attendance(
        session=db_session,
        event=intro,
        marks={booking.id: "absent"},
        actor_id=council.id,
        now=start + timedelta(hours=1),
    )

    assert member.training_completed_on == date(2025, 3, 1)


def test_required_introduction_excludes_until_the_member_attends(factory, db_session, app):
    request, _row, members, _orderer, council = booking_setting(factory, db_session, people=3)
    newcomer = members[0]
    for member in members[1:]:
        member.training_completed_on = date(2025, 5, 1)
        db_session.add(member)
    db_session.flush()
    before = compute_proposal(session=db_session, booking_request=request)

    set_pool_requirement(
        Requirement("levande_bibliotek", True, False), session=db_session, actor_id=council.id
    )
    excluded = compute_proposal(session=db_session, booking_request=request)
    start = _future(days=1)
    intro = create_event(_event_input(start), session=db_session, actor_id=council.id)
    booking = book_event(session=db_session, member=newcomer, event_id=intro.id, ctx=CTX)
    record_attendance(
        session=db_session,
        event=intro,
        marks={booking.id: "attended"},
        actor_id=council.id,
        now=start + timedelta(hours=3),
    )
    after = compute_proposal(session=db_session, booking_request=request)

    newcomer_id = str(newcomer.id)
    assert newcomer_id not in before.proposal.excluded
    assert excluded.proposal.excluded[newcomer_id].rule == "no_introduction"
    assert excluded.proposal.excluded[newcomer_id].reason.text("sv") == (
        "har inte gått introduktionen, som poolen kräver"
    )
    assert newcomer_id not in after.proposal.excluded
    assert newcomer_id in {*after.proposal.group, *after.proposal.reserve}


def test_required_agreement_applies_to_its_pool_only(factory, db_session):
    request, _row, members, _orderer, council = booking_setting(factory, db_session, people=2)
    members[1].pool = "peer"
    db_session.add(members[1])
    db_session.flush()

    set_pool_requirement(Requirement("peer", False, True), session=db_session, actor_id=council.id)
    view = compute_proposal(session=db_session, booking_request=request)

    assert {k: v.rule for k, v in view.proposal.excluded.items()} == {
        str(members[1].id): "no_agreement"
    }
    assert pool_requirements(session=db_session)["peer"] == Requirement("peer", False, True)
    assert pool_requirements(session=db_session)["levande_bibliotek"] == Requirement(
        "levande_bibliotek", False, False
    )


# --- the pages ----------------------------------------------------------------------------


def _client(app, user):
    client = app.test_client()
    assert login(client, user.email).status_code == 302
    return client


def test_member_books_and_cancels_on_their_page(factory, csrf_free_app, db_session):
    user = factory.user(Role.MEMBER)
    member = factory.member(user=user, email="sida@example.org")
    event = create_event(_event_input(_future()), session=db_session, actor_id=None)
    client = _client(csrf_free_app, user)

    page = client.get("/me/events/").get_data(as_text=True)
    booked = client.post(f"/me/events/{event.id}/book")
    after = client.get("/me/events/").get_data(as_text=True)
    cancelled = client.post(f"/me/events/{event.id}/cancel")
    again = client.post(f"/me/events/{event.id}/cancel")

    rows = db_session.exec(select(TrainingBooking).where(TrainingBooking.member_id == member.id))
    assert "Introduktion för nya medlemmar" in page and "Boka en plats" in page
    assert (booked.status_code, cancelled.status_code, again.status_code) == (302, 302, 302)
    assert "Du har en plats." in after and "Avboka min plats" in after
    assert [(b.status, b.sequence) for b in rows] == [("cancelled", 1)]
    assert 'aria-current="page">Introduktion och utbildning' in page


def test_council_creates_changes_and_records_attendance(factory, csrf_free_app, db_session):
    council = factory.user(Role.COUNCIL)
    member = factory.member(first_name="Vera", last_name="Närvaro")
    client = _client(csrf_free_app, council)
    day = clock.today() + timedelta(days=5)
    form = {
        "kind": "introduction",
        "title": "Introduktion december",
        "description": "Välkommen!",
        "day": day.isoformat(),
        "start": "13:00",
        "end": "16:00",
        "place": "Regionens hus",
        "video_link": "",
        "capacity": "12",
    }

    refused = client.post("/council/events/new", data={**form, "end": "12:00"})
    created = client.post("/council/events/new", data=form)
    event_id = int(created.headers["Location"].rsplit("/", 1)[1])
    changed = client.post(f"/council/events/{event_id}/edit", data={**form, "start": "14:00"})
    booking = book_event(session=db_session, member=member, event_id=event_id, ctx=CTX)
    early = client.post(
        f"/council/events/{event_id}/attendance", data={f"booking-{booking.id}": "attended"}
    )

    assert refused.status_code == 422
    assert "Slutet måste vara efter starten." in refused.get_data(as_text=True)
    assert (created.status_code, changed.status_code, early.status_code) == (302, 302, 302)
    page = client.get(f"/council/events/{event_id}").get_data(as_text=True)
    assert "Vera Närvaro" in page and "14:00–16:00" in page
    assert member.training_completed_on is None
    actions = db_session.exec(
        select(AuditEvent.action).where(AuditEvent.actor_id == council.id).order_by(AuditEvent.id)
    ).all()
    assert actions == ["training.event.create", "training.event.update"]


def test_council_switches_the_requirement_per_pool(factory, csrf_free_app, db_session):
    council = factory.user(Role.COUNCIL)
    client = _client(csrf_free_app, council)

    page = client.get("/council/requirements").get_data(as_text=True)
    saved = client.post(
        "/council/requirements",
        data={"pool": "peer", "peer-is_introduction_required": "y"},
    )
    unknown = client.post("/council/requirements", data={"pool": "nope"})

    assert "Krav innan förslag" in page
    assert (saved.status_code, unknown.status_code) == (302, 400)
    assert pool_requirements(session=db_session)["peer"] == Requirement("peer", True, False)
    audit = db_session.exec(
        select(AuditEvent).where(AuditEvent.action == "matching.requirements.set")
    ).one()
    assert audit.detail == {"pool": "peer", "introduction": True, "agreement": False}


def test_the_members_introduction_date_is_shown(factory, csrf_free_app, db_session):
    user = factory.user(Role.MEMBER)
    factory.member(user=user, training_completed_on=date(2026, 2, 3))

    page = _client(csrf_free_app, user).get("/me/events/").get_data(as_text=True)

    assert '<dd id="introduction-status">2026-02-03</dd>' in page
    assert db_session.exec(select(Member)).first() is not None


def test_the_request_page_names_the_missing_introduction(factory, app, db_session):
    request, _row, members, _orderer, council = booking_setting(factory, db_session, people=2)
    members[1].training_completed_on = date(2025, 5, 1)
    db_session.add(members[1])
    set_pool_requirement(
        Requirement("levande_bibliotek", True, False), session=db_session, actor_id=council.id
    )
    client = _client(app, council)

    html = client.get(f"/council/requests/{request.id}").get_data(as_text=True)

    summary = html.split('id="excluded-summary"', 1)[1].split("</ul>", 1)[0]
    assert "<li>Har inte gått introduktionen, som poolen kräver: 1 person</li>" in summary


def test_my_data_lists_the_members_training_events(factory, csrf_free_app, db_session):
    user = factory.user(Role.MEMBER)
    member = factory.member(user=user)
    start = _future(days=4)
    event = create_event(_event_input(start), session=db_session, actor_id=None)
    book_event(session=db_session, member=member, event_id=event.id, ctx=CTX)

    data = _client(csrf_free_app, user).get("/me/data.json").get_json()

    assert data["training_events"] == [
        {
            "event": "Introduktion för nya medlemmar",
            "kind": "introduction",
            "starts_at": start.isoformat(),
            "status": "booked",
            "attendance": None,
        }
    ]
