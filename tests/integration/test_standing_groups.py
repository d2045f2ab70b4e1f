"""Standing groups: a term, meetings added and cancelled, the term's figures and its renewal."""

from datetime import UTC, date, timedelta

import pytest
from icalendar import Calendar
from sqlmodel import select

from app.mail.context import MailContext
from app.models import (
    Assignment,
    AvailabilityException,
    BookingRequest,
    Invitation,
    RequestEvent,
    RequestSession,
    SessionAbsence,
    SessionAttendance,
    TermEvaluation,
)
from app.models.base import utcnow
from app.models.enums import RequestStatus, Role
from app.services.booking.changes import change_session_time
from app.services.booking.decisions import approve_group
from app.services.booking.invitations import accept_invitation
from app.services.errors import Conflict, Forbidden, InvalidInput
from app.services.journey.meetings import add_meeting, cancel_meeting
from app.services.journey.renewal import renew_term
from app.services.journey.terms import evaluate_term, term_figures
from app.services.pool.member_calendar import booking_feed
from app.services.requests.submission import RequestInput, SessionInput, submit_request
from tests.booking_support import STOCKHOLM, booking_setting, local_time, queued
from tests.conftest import login
from tests.icaljs import parse_with_icaljs
from tests.pool_support import sent_mail

CTX = MailContext(council_mailbox="radet@region.example", base_url="https://levbib.example")


def _day(row, weeks: int) -> date:
    return row.starts_at.astimezone(STOCKHOLM).date() + timedelta(weeks=weeks)


@pytest.fixture
def group(factory, db_session):
    """A booked standing group of two with two meetings a week apart (free on that weekday)."""
    request, row, members, orderer, council = booking_setting(factory, db_session)
    request.is_standing = True
    request.term_start, request.term_end = _day(row, -1), _day(row, 52)
    request.meetings_per_period, request.period_months = 6, 12
    second = factory.request_session(request, local_time(_day(row, 1), 10))
    approve_group(
        session=db_session,
        booking_request=request,
        member_ids=[members[0].id, members[1].id],
        actor=council,
        ctx=CTX,
    )
    for invitation in db_session.exec(select(Invitation).order_by(Invitation.id)).all():
        accept_invitation(session=db_session, token=invitation.token, ctx=CTX)
    db_session.refresh(request)
    db_session.info.clear()
    return request, [row, second], members, orderer, council


def _days_ahead(days: int) -> date:
    return (utcnow() + timedelta(days=days)).astimezone(STOCKHOLM).date()


def _actions(db_session, request):
    query = select(RequestEvent).where(RequestEvent.request_id == request.id)
    return [event.action for event in db_session.exec(query.order_by(RequestEvent.id))]


def _input(area_id, sessions, **fields) -> RequestInput:
    values = dict(
        title="Arbetsgrupp psykiatri",
        purpose="Brukarperspektiv i arbetsgruppen",
        expectations="Läsa underlag före mötena",
        participation="partnership",
        assignment_type="working_group",
        area_ids=[area_id],
        experience="any",
        people_count=2,
        sessions=sessions,
        format="digital",
        video_link="https://meet.example/x",
        contact_name="Kim",
    )
    return RequestInput(**{**values, **fields})


def test_submit_a_standing_group_with_six_meetings_and_a_term(factory, db_session):
    orderer = factory.user(Role.ORDERER)
    area = factory.area("cancer")
    first = _days_ahead(30)
    starts = [local_time(first + timedelta(weeks=8 * i), 10) for i in range(6)]
    sessions = [SessionInput(start, start + timedelta(hours=2)) for start in starts]

    created = submit_request(
        session=db_session,
        orderer=orderer,
        data=_input(
            area.id,
            sessions,
            is_standing=True,
            term_start=first,
            term_end=first + timedelta(days=364),
            meetings_per_period=6,
            period_months=12,
        ),
    )

    rows = db_session.exec(select(RequestSession).where(RequestSession.request_id == created.id))
    assert len(rows.all()) == 6
    assert (created.is_standing, created.term_start, created.meetings_per_period) == (
        True,
        first,
        6,
    )


@pytest.mark.parametrize(
    ("fields", "field", "count"),
    [
        ({"term_end": -1}, "term_end", 1),
        ({"term_end": 4 * 366 + 5}, "term_end", 1),
        ({"meetings_per_period": 0}, "meetings_per_period", 1),
        ({"term_end": 10}, "sessions", 1),  # the meeting lies after the term
        ({}, "sessions", 61),
    ],
)
def test_standing_group_input_is_checked(factory, db_session, fields, field, count):
    orderer = factory.user(Role.ORDERER)
    area = factory.area("cancer")
    first = _days_ahead(30)
    sessions = [
        SessionInput(
            local_time(first + timedelta(days=20 + i), 10),
            local_time(first + timedelta(days=20 + i), 11),
        )
        for i in range(count)
    ]
    values = {
        "is_standing": True,
        "term_start": first,
        "term_end": first + timedelta(days=365),
        "meetings_per_period": 6,
        "period_months": 12,
    }
    for name, value in fields.items():
        values[name] = first + timedelta(days=value) if name == "term_end" else value

    with pytest.raises(InvalidInput) as refused:
        submit_request(
            session=db_session, orderer=orderer, data=_input(area.id, sessions, **values)
        )

    assert list(refused.value.fields) == [field]


def test_an_added_meeting_sends_a_request_with_a_new_uid(group, db_session):
    request, rows, members, orderer, _ = group
    starts_at = local_time(_day(rows[0], 2), 10)

    added = add_meeting(
        session=db_session,
        booking_request=request,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        actor=orderer,
        ctx=CTX,
    )

    mails = queued(db_session)
    assert sorted(mail["to"] for mail in mails) == [members[0].email, members[1].email]
    read = parse_with_icaljs(mails[0]["calendar"])
    assert read["method"] == "REQUEST"
    assert [(e["uid"], e["sequence"]) for e in read["events"]] == [
        (added.request_session.ical_uid, 0)
    ]
    assert added.request_session.ical_uid not in {row.ical_uid for row in rows}
    assert _actions(db_session, request)[-1] == "meeting_added"


def test_an_added_meeting_a_booked_person_cannot_come_to_records_her_absence(group, db_session):
    request, rows, members, _, council = group
    day = _day(rows[0], 3)
    db_session.add(AvailabilityException(member_id=members[1].id, start_date=day, end_date=day))
    db_session.flush()

    added = add_meeting(
        session=db_session,
        booking_request=request,
        starts_at=local_time(day, 10),
        ends_at=local_time(day, 12),
        actor=council,
        ctx=CTX,
    )

    absences = db_session.exec(select(SessionAbsence)).all()
    assert [(a.member_id, a.request_session_id) for a in absences] == [
        (members[1].id, added.request_session.id)
    ]
    assert [m.id for m in added.absent] == [members[1].id]
    assignment = db_session.exec(
        select(Assignment).where(Assignment.member_id == members[1].id)
    ).one()
    assert assignment.status == "booked"
    mails = {mail["to"]: mail for mail in queued(db_session)}
    assert mails[members[1].email].get("calendar") is None
    assert "cannot come" in mails[members[1].email]["body"]
    assert mails[members[0].email]["calendar_method"] == "REQUEST"
    assert members[1].display_name in mails["radet@region.example"]["body"]


def test_a_cancelled_meeting_sends_cancel_with_the_same_uid_and_is_gone(group, db_session):
    request, rows, members, orderer, _ = group
    row = rows[1]
    uid, sequence, row_id = row.ical_uid, row.sequence, row.id

    told = cancel_meeting(
        session=db_session,
        booking_request=request,
        session_id=row_id,
        reason="Lokalen är upptagen",
        actor=orderer,
        ctx=CTX,
    )

    assert sorted(m.id for m in told) == [members[0].id, members[1].id]
    mail = queued(db_session)[0]
    read = parse_with_icaljs(mail["calendar"])
    assert read["method"] == "CANCEL"
    assert [(e["uid"], e["sequence"]) for e in read["events"]] == [(uid, sequence + 1)]
    assert "Lokalen är upptagen" in mail["body"]
    assert db_session.get(RequestSession, row_id) is None
    members[0].calendar_token = "c" * 40
    db_session.add(members[0])
    db_session.flush()
    feed = Calendar.from_ical(booking_feed(session=db_session, token="c" * 40, name="x"))
    assert [str(e["uid"]) for e in feed.walk("VEVENT")] == [rows[0].ical_uid]
    assert _actions(db_session, request)[-1] == "meeting_cancelled"


def test_the_last_meeting_cannot_be_cancelled(group, db_session):
    request, rows, _, orderer, _ = group
    cancel_meeting(
        session=db_session,
        booking_request=request,
        session_id=rows[1].id,
        reason="",
        actor=orderer,
        ctx=CTX,
    )

    with pytest.raises(Conflict):
        cancel_meeting(
            session=db_session,
            booking_request=request,
            session_id=rows[0].id,
            reason="",
            actor=orderer,
            ctx=CTX,
        )


def test_another_organisation_and_a_member_cannot_change_meetings(group, factory, db_session):
    request, rows, members, _, _ = group
    stranger = factory.user(Role.ORDERER)
    member_user = factory.user(Role.MEMBER)
    starts_at = local_time(_day(rows[0], 2), 10)

    for actor in (stranger, member_user):
        with pytest.raises(Forbidden):
            add_meeting(
                session=db_session,
                booking_request=request,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(hours=1),
                actor=actor,
                ctx=CTX,
            )
        with pytest.raises(Forbidden):
            cancel_meeting(
                session=db_session,
                booking_request=request,
                session_id=rows[1].id,
                reason="",
                actor=actor,
                ctx=CTX,
            )


def test_a_meeting_outside_the_term_is_refused(group, db_session):
    request, rows, _, orderer, _ = group
    starts_at = local_time(request.term_end + timedelta(days=7), 10)

    with pytest.raises(InvalidInput):
        add_meeting(
            session=db_session,
            booking_request=request,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=1),
            actor=orderer,
            ctx=CTX,
        )


def test_a_moved_meeting_of_a_standing_group_keeps_its_uid_with_a_higher_sequence(
    group, db_session
):
    request, rows, members, _, council = group
    row = rows[1]
    day = _day(row, 1)

    change_session_time(
        session=db_session,
        request_session=row,
        starts_at=local_time(day, 10),
        ends_at=local_time(day, 12),
        actor=council,
        ctx=CTX,
    )

    read = parse_with_icaljs(queued(db_session)[0]["calendar"])
    by_uid = {e["uid"]: e["sequence"] for e in read["events"]}
    assert by_uid[row.ical_uid] == 1
    assert by_uid[rows[0].ical_uid] == 0


def _mark(db_session, row, member, status):
    assignment = db_session.exec(select(Assignment).where(Assignment.member_id == member.id)).one()
    db_session.add(
        SessionAttendance(
            request_session_id=row.id,
            assignment_id=assignment.id,
            member_id=member.id,
            status=status,
        )
    )
    db_session.flush()


def test_term_figures_count_attendance_marks_and_absences(group, db_session):
    request, rows, members, orderer, _ = group
    _mark(db_session, rows[0], members[0], "attended")
    _mark(db_session, rows[0], members[1], "no_show")
    _mark(db_session, rows[1], members[0], "attended")
    assignment = db_session.exec(
        select(Assignment).where(Assignment.member_id == members[1].id)
    ).one()
    db_session.add(
        SessionAbsence(
            request_session_id=rows[1].id, assignment_id=assignment.id, member_id=members[1].id
        )
    )
    db_session.flush()
    after = rows[1].ends_at + timedelta(hours=1)

    figures = term_figures(
        session=db_session,
        booking_request=request,
        period_start=request.term_start,
        period_end=request.term_end,
        now=after,
    )
    evaluation = evaluate_term(
        session=db_session,
        booking_request=request,
        period_start=request.term_start,
        period_end=request.term_end,
        went_well="Bra samtal",
        to_improve="Fler påminnelser",
        recommend_renewal=True,
        actor=orderer,
        now=after,
    )

    counts = {p.member_id: p.counts for p in figures.people}
    assert counts[members[0].id] == {
        "attended": 2,
        "no_show": 0,
        "cancelled_late": 0,
        "absent": 0,
        "not_recorded": 0,
    }
    assert counts[members[1].id]["no_show"] == 1 and counts[members[1].id]["absent"] == 1
    assert [(m.attended, m.expected) for m in figures.meetings] == [(1, 2), (1, 1)]
    assert figures.rate == pytest.approx(2 / 3)
    stored = db_session.get(TermEvaluation, evaluation.id)
    assert (stored.figures["meetings"], stored.figures["attended"]) == (2, 2)
    assert _actions(db_session, request)[-1] == "term_evaluated"


def test_renewal_with_the_same_people_invites_them_again(group, db_session):
    request, rows, members, _, council = group
    new_start = request.term_end + timedelta(days=1)

    renewal = renew_term(
        session=db_session,
        booking_request=request,
        new_start=new_start,
        new_end=new_start + timedelta(days=364),
        same_people=True,
        actor=council,
        ctx=CTX,
    )

    renewed = renewal.booking_request
    assert renewed.renewed_from_id == request.id
    assert renewed.status == RequestStatus.APPROVED
    invited = db_session.exec(select(Invitation).where(Invitation.request_id == renewed.id))
    assert sorted(i.member_id for i in invited) == [members[0].id, members[1].id]
    assert sorted(mail["to"] for mail in queued(db_session)) == [
        members[0].email,
        members[1].email,
    ]
    new_rows = db_session.exec(
        select(RequestSession).where(RequestSession.request_id == renewed.id)
    ).all()
    assert len(new_rows) == 2
    assert (
        new_rows[0].starts_at.astimezone(STOCKHOLM).weekday()
        == rows[0].starts_at.astimezone(STOCKHOLM).weekday()
    )
    assert "term_renewed" in _actions(db_session, request)
    assert "term_renewed" in _actions(db_session, renewed)


def test_renewal_leaves_out_and_names_who_withdrew_consent(group, db_session):
    request, rows, members, _, council = group
    members[1].consent_withdrawn_at = rows[0].starts_at.astimezone(UTC)
    db_session.add(members[1])
    db_session.flush()
    new_start = request.term_end + timedelta(days=1)

    renewal = renew_term(
        session=db_session,
        booking_request=request,
        new_start=new_start,
        new_end=new_start + timedelta(days=364),
        same_people=True,
        actor=council,
        ctx=CTX,
    )

    assert [m.id for m in renewal.invited] == [members[0].id]
    assert [m.id for m in renewal.left_out] == [members[1].id]


def test_renewal_without_the_same_people_waits_for_a_proposal(group, db_session):
    request, _, _, orderer, council = group
    new_start = request.term_end + timedelta(days=1)

    with pytest.raises(Forbidden):
        renew_term(
            session=db_session,
            booking_request=request,
            new_start=new_start,
            new_end=new_start + timedelta(days=30),
            same_people=False,
            actor=orderer,
        )
    renewal = renew_term(
        session=db_session,
        booking_request=request,
        new_start=new_start,
        new_end=new_start + timedelta(days=364),
        same_people=False,
        actor=council,
        ctx=CTX,
    )

    renewed = db_session.get(BookingRequest, renewal.booking_request.id)
    assert renewed.status == RequestStatus.SUBMITTED
    assert (
        db_session.exec(select(Invitation).where(Invitation.request_id == renewed.id)).all() == []
    )
    assert queued(db_session) == []


def _client(app, user, lang="en"):
    client = app.test_client()
    login(client, user.email)
    with client.session_transaction() as session:
        session["lang"] = lang
    return client


@pytest.fixture
def outbox(csrf_free_app, tmp_path):
    csrf_free_app.config["MAIL_OUTBOX"] = str(tmp_path / "outbox")
    return tmp_path / "outbox"


def test_the_request_form_adds_a_meeting_row_without_javascript(factory, csrf_free_app):
    client = _client(csrf_free_app, factory.user(Role.ORDERER))

    page = client.post("/orders/new", data={"add_row": "Add meeting"})

    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'name="sessions-4-day"' in text and 'name="sessions-5-day"' not in text
    assert 'class="error"' not in text


def test_the_request_form_submits_a_standing_group(factory, csrf_free_app, db_session):
    orderer = factory.user(Role.ORDERER)
    area = factory.area("cancer")
    client = _client(csrf_free_app, orderer)
    first = _days_ahead(30)
    data = {
        "title": "Arbetsgrupp",
        "purpose": "Varför",
        "expectations": "Vad",
        "participation": "partnership",
        "assignment_type": "working_group",
        "area_ids": str(area.id),
        "experience": "any",
        "people_count": "2",
        "format": "digital",
        "video_link": "https://meet.example/x",
        "language": "sv",
        "contact_name": "Kim",
        "is_standing": "y",
        "term_start": first.isoformat(),
        "term_end": (first + timedelta(days=364)).isoformat(),
        "meetings_per_period": "6",
        "period_months": "12",
    }
    for index in range(6):
        day = first + timedelta(weeks=8 * index)
        data |= {
            f"sessions-{index}-day": day.isoformat(),
            f"sessions-{index}-start": "10:00",
            f"sessions-{index}-end": "12:00",
        }

    response = client.post("/orders/new", data=data)
    bad = client.post("/orders/new", data={**data, "term_end": first.isoformat()})

    assert response.status_code == 302
    created = db_session.exec(select(BookingRequest).where(BookingRequest.is_standing)).one()
    page = _client(csrf_free_app, orderer, "sv").get(f"/orders/{created.id}")
    text = page.get_data(as_text=True)
    assert "6 möten per 12 månader" in text and "Period" in text
    assert text.count('<li id="meeting-') == 6
    assert bad.status_code == 422
    assert "The meetings must lie inside the term." in bad.get_data(as_text=True)


def test_the_orderer_adds_and_cancels_a_meeting_on_the_web(
    group, csrf_free_app, db_session, outbox
):
    request, rows, members, orderer, _ = group
    client = _client(csrf_free_app, orderer)
    day = _day(rows[0], 2)

    added = client.post(
        f"/orders/{request.id}/meetings",
        data={"meeting-day": day.isoformat(), "meeting-start": "10:00", "meeting-end": "12:00"},
    )
    row_id = rows[1].id
    url = f"/orders/{request.id}/meetings/{row_id}/cancel"
    asked = client.post(url, data={f"cancelmeeting{row_id}-reason": "Sjuk"})
    still_there = db_session.get(RequestSession, row_id) is not None
    done = client.post(url, data={f"cancelmeeting{row_id}-reason": "Sjuk", "confirmed": "1"})

    assert added.status_code == 302
    assert asked.status_code == 200 and "Cancel this meeting?" in asked.get_data(as_text=True)
    assert still_there
    assert done.status_code == 302
    db_session.expire_all()
    assert db_session.get(RequestSession, row_id) is None
    calendars = [
        part.get_payload(decode=True).decode()
        for mail in sent_mail(outbox, csrf_free_app)
        for part in mail.walk()
        if part.get_content_type() == "text/calendar"
    ]
    assert sum("METHOD:CANCEL" in calendar for calendar in calendars) == 2


def test_others_cannot_add_or_cancel_meetings_on_the_web(group, factory, csrf_free_app):
    request, rows, _, _, _ = group
    stranger = _client(csrf_free_app, factory.user(Role.ORDERER))
    member = _client(csrf_free_app, factory.user(Role.MEMBER))
    data = {"meeting-day": "2030-01-07", "meeting-start": "10:00", "meeting-end": "12:00"}

    for client, status in ((stranger, 404), (member, 403)):
        assert client.post(f"/orders/{request.id}/meetings", data=data).status_code == status
        cancel = client.post(
            f"/orders/{request.id}/meetings/{rows[1].id}/cancel", data={"confirmed": "1"}
        )
        assert cancel.status_code == status
    assert member.post(f"/council/requests/{request.id}/meetings", data=data).status_code == 403


def test_the_orderer_sees_first_names_on_the_evaluation_page(group, csrf_free_app, db_session):
    request, rows, members, orderer, council = group
    members[0].first_name = "Astrid"
    db_session.add(members[0])
    db_session.flush()

    orderer_page = _client(csrf_free_app, orderer).get(f"/orders/{request.id}/evaluation")
    council_page = _client(csrf_free_app, council).get(f"/council/requests/{request.id}/evaluation")

    text = orderer_page.get_data(as_text=True)
    assert orderer_page.status_code == 200
    assert "Astrid" in text and members[0].last_name not in text
    assert 'id="renew-form"' not in text
    council_text = council_page.get_data(as_text=True)
    assert members[0].display_name in council_text and 'id="renew-form"' in council_text


def test_the_council_renews_from_the_evaluation_page(group, csrf_free_app, db_session):
    request, _, members, _, council = group
    client = _client(csrf_free_app, council)
    new_start = request.term_end + timedelta(days=1)

    response = client.post(
        f"/council/requests/{request.id}/renew",
        data={
            "new_start": new_start.isoformat(),
            "new_end": (new_start + timedelta(days=364)).isoformat(),
            "same_people": "no",
        },
    )

    assert response.status_code == 302
    renewed = db_session.exec(
        select(BookingRequest).where(BookingRequest.renewed_from_id == request.id)
    ).one()
    assert response.headers["Location"].endswith(f"/council/requests/{renewed.id}")
    assert renewed.status == RequestStatus.SUBMITTED
