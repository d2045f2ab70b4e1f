"""A changed time re-checks who can come: named first, released on confirmation, replaced."""

from datetime import UTC, timedelta

import pytest
from icalendar import Calendar
from sqlmodel import select

from app.mail.context import MailContext
from app.models import Assignment, AvailabilityException, Invitation, RequestEvent
from app.models.enums import RequestStatus, Role
from app.services.booking.changes import TimeChangeNeedsConfirmation, change_session_time
from app.services.booking.decisions import approve_group, cancel_request
from app.services.booking.invitations import accept_invitation
from app.services.errors import Conflict, Forbidden, InvalidInput
from tests.booking_support import STOCKHOLM, booking_setting, local_time, queued
from tests.conftest import login
from tests.icaljs import parse_with_icaljs
from tests.pool_support import sent_mail

CTX = MailContext(council_mailbox="radet@region.example", base_url="https://levbib.example")


@pytest.fixture
def approved(factory, db_session):
    """Two invited (the first has accepted), two reserves; everyone free on the session's weekday."""
    request, row, members, orderer, council = booking_setting(factory, db_session)
    members[1].first_name = "Signe"
    approve_group(
        session=db_session,
        booking_request=request,
        member_ids=[members[0].id, members[1].id],
        actor=council,
        ctx=CTX,
    )
    first = db_session.exec(select(Invitation).where(Invitation.member_id == members[0].id)).one()
    accept_invitation(session=db_session, token=first.token, ctx=CTX)
    db_session.info.clear()
    return request, row, members, orderer, council


def _week_later(row):
    """The same local time one week later (the members' weekly windows still hold it)."""
    day = row.starts_at.astimezone(STOCKHOLM).date() + timedelta(days=7)
    return local_time(day, 10), local_time(day, 12)


def _block(db_session, member, moment):
    day = moment.astimezone(STOCKHOLM).date()
    db_session.add(AvailabilityException(member_id=member.id, start_date=day, end_date=day))
    db_session.flush()


def _move(db_session, row, actor, starts_at, ends_at, **kwargs):
    return change_session_time(
        session=db_session,
        request_session=row,
        starts_at=starts_at,
        ends_at=ends_at,
        actor=actor,
        ctx=CTX,
        **kwargs,
    )


def _actions(db_session, request):
    query = select(RequestEvent).where(RequestEvent.request_id == request.id)
    return [event.action for event in db_session.exec(query.order_by(RequestEvent.id))]


def test_someone_blocked_at_the_new_time_is_named_and_nothing_changes(approved, db_session):
    request, row, members, _, council = approved
    starts_at, ends_at = _week_later(row)
    before = (row.starts_at, row.sequence)
    _block(db_session, members[1], starts_at)

    with pytest.raises(TimeChangeNeedsConfirmation) as refused:
        _move(db_session, row, council, starts_at, ends_at)

    assert [m.id for m in refused.value.members] == [members[1].id]
    assert (row.starts_at, row.sequence) == before
    assert queued(db_session) == []
    assert "time_changed" not in _actions(db_session, request)


def test_confirmed_the_blocked_person_is_released_and_the_rest_updated(approved, db_session):
    request, row, members, _, council = approved
    starts_at, ends_at = _week_later(row)
    _block(db_session, members[1], starts_at)

    change = _move(db_session, row, council, starts_at, ends_at, confirm_release=True)

    assert [m.id for m in change.released] == [members[1].id]
    released = db_session.exec(
        select(Invitation).where(Invitation.member_id == members[1].id)
    ).one()
    assert released.status == "withdrawn"
    assert _actions(db_session, request)[-3:] == [
        "member_released",
        "time_changed",
        "replacement_needed",
    ]
    mails = {m["to"]: m for m in queued(db_session)}
    cancel, update = mails[members[1].email], mails[members[0].email]
    assert "cannot come at the new time" in cancel["body"]
    for mail, method in ((cancel, "CANCEL"), (update, "REQUEST")):
        event = Calendar.from_ical(mail["calendar"]).walk("VEVENT")[0]
        read = parse_with_icaljs(mail["calendar"])
        assert (read["method"], str(Calendar.from_ical(mail["calendar"])["method"])) == (
            method,
            method,
        )
        assert (str(event["uid"]), int(event["sequence"])) == (row.ical_uid, 1)
        assert (read["events"][0]["uid"], read["events"][0]["sequence"]) == (row.ical_uid, 1)
        assert event["dtstart"].dt.astimezone(UTC) == starts_at
        assert read["events"][0]["start"] == starts_at.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def test_a_booked_person_outside_their_weekly_windows_is_released(approved, db_session):
    request, row, members, _, council = approved
    next_day = row.starts_at.astimezone(STOCKHOLM).date() + timedelta(days=1)  # no window then
    assert request.status == RequestStatus.APPROVED

    with pytest.raises(TimeChangeNeedsConfirmation) as refused:
        _move(db_session, row, council, local_time(next_day, 10), local_time(next_day, 12))
    change = _move(
        db_session,
        row,
        council,
        local_time(next_day, 10),
        local_time(next_day, 12),
        confirm_release=True,
    )

    assert {m.id for m in refused.value.members} == {members[0].id, members[1].id}
    assert {m.id for m in change.released} == {members[0].id, members[1].id}
    assignment = db_session.exec(select(Assignment)).one()
    assert assignment.status == "withdrawn"


def test_in_auto_mode_only_a_reserve_free_at_the_new_time_is_invited(approved, factory, db_session):
    request, row, members, _, council = approved
    request.replacement_mode = "auto"
    next_day = row.starts_at.astimezone(STOCKHOLM).date() + timedelta(days=1)
    factory.weekly_window(members[3], weekday=next_day.weekday(), start=0, end=23)

    _move(
        db_session,
        row,
        council,
        local_time(next_day, 10),
        local_time(next_day, 12),
        confirm_release=True,
    )

    pending = db_session.exec(select(Invitation).where(Invitation.status == "pending")).all()
    assert [i.member_id for i in pending] == [members[3].id]
    assert _actions(db_session, request)[-2:] == ["reserve_invited", "no_reserve_left"]


def test_a_booked_request_reopens_when_someone_is_released(approved, db_session):
    request, row, members, _, council = approved
    second = db_session.exec(select(Invitation).where(Invitation.member_id == members[1].id)).one()
    accept_invitation(session=db_session, token=second.token, ctx=CTX)
    assert request.status == RequestStatus.BOOKED
    starts_at, ends_at = _week_later(row)
    _block(db_session, members[0], starts_at)

    _move(db_session, row, council, starts_at, ends_at, confirm_release=True)

    assert request.status == RequestStatus.APPROVED


def test_the_orderer_may_move_its_own_request(approved, db_session):
    _, row, _, orderer, _ = approved
    starts_at, ends_at = _week_later(row)

    change = _move(db_session, row, orderer, starts_at, ends_at)

    assert (change.released, row.sequence) == ([], 1)


def test_another_organisation_or_a_member_may_not_move(approved, factory, db_session):
    _, row, _, _, _ = approved
    starts_at, ends_at = _week_later(row)

    for actor in (factory.user(Role.ORDERER), factory.user(Role.MEMBER)):
        with pytest.raises(Forbidden):
            _move(db_session, row, actor, starts_at, ends_at)


def test_moving_a_cancelled_request_or_a_started_session_is_refused(approved, db_session):
    request, row, _, orderer, council = approved
    starts_at, ends_at = _week_later(row)

    with pytest.raises(Conflict):
        _move(db_session, row, orderer, starts_at, ends_at, now=row.starts_at)
    cancel_request(session=db_session, booking_request=request, reason="Off", actor=council)
    with pytest.raises(Conflict):
        _move(db_session, row, orderer, starts_at, ends_at)


@pytest.fixture
def outbox(csrf_free_app, tmp_path):
    csrf_free_app.config["MAIL_OUTBOX"] = str(tmp_path / "outbox")
    return tmp_path / "outbox"


def _orderer_client(app, user):
    client = app.test_client()
    login(client, user.email)
    with client.session_transaction() as session:
        session["lang"] = "en"
    return client


def test_orderer_page_names_who_cannot_come_then_changes_on_confirmation(
    approved, csrf_free_app, db_session, outbox
):
    request, row, members, orderer, _ = approved
    starts_at, _ = _week_later(row)
    _block(db_session, members[1], starts_at)
    client = _orderer_client(csrf_free_app, orderer)
    prefix, url = f"move{row.id}", f"/orders/{request.id}/sessions/{row.id}/move"
    data = {
        f"{prefix}-day": starts_at.astimezone(STOCKHOLM).date().isoformat(),
        f"{prefix}-start": "10:00",
        f"{prefix}-end": "12:00",
    }

    page = client.get(f"/orders/{request.id}").get_data(as_text=True)
    refused = client.post(url, data=data)
    confirmed = client.post(url, data={**data, f"{prefix}-confirm": "y"})
    after = client.get(f"/orders/{request.id}").get_data(as_text=True)

    assert f'id="move-form-{row.id}"' in page and f"{prefix}-confirm" not in page
    text = refused.get_data(as_text=True)
    assert refused.status_code == 409
    assert "Not available at the new time: Signe." in text and f"{prefix}-confirm" in text
    assert "Person1" not in text  # first names only for the orderer
    assert confirmed.status_code == 302
    assert "Released because they cannot come at the new time: Signe." in after
    db_session.expire_all()
    assert db_session.get(type(row), row.id).sequence == 1
    mails = {str(m["To"]): m for m in sent_mail(outbox, csrf_free_app)}
    assert set(mails) == {members[0].email, members[1].email, "radet@region.example"}
    cancel = next(
        p for p in mails[members[1].email].walk() if p.get_content_type() == "text/calendar"
    )
    assert cancel.get_param("method") == "CANCEL"


def test_orderer_of_another_organisation_gets_404(approved, factory, csrf_free_app):
    request, row, _, _, _ = approved
    client = _orderer_client(csrf_free_app, factory.user(Role.ORDERER))

    response = client.post(f"/orders/{request.id}/sessions/{row.id}/move", data={})

    assert response.status_code == 404


def test_orderer_sees_no_time_forms_on_a_cancelled_request(approved, csrf_free_app, db_session):
    request, row, _, orderer, council = approved
    cancel_request(session=db_session, booking_request=request, reason="Off", actor=council)
    client = _orderer_client(csrf_free_app, orderer)

    page = client.get(f"/orders/{request.id}").get_data(as_text=True)
    refused = client.post(
        f"/orders/{request.id}/sessions/{row.id}/move",
        data={
            f"move{row.id}-day": "2030-01-07",
            f"move{row.id}-start": "10:00",
            f"move{row.id}-end": "12:00",
        },
    )

    assert f'id="move-form-{row.id}"' not in page
    assert refused.status_code == 409


def test_a_time_years_ahead_is_refused(approved, db_session):
    _, row, _, _, council = approved
    far = row.starts_at.replace(year=9999)

    with pytest.raises(InvalidInput):
        _move(db_session, row, council, far, far + timedelta(hours=2))
