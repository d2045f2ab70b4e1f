"""The shortest answer window for invitations (issue 17 item 10; docs/domain.md "Answer window").

An invitation gives the member at least ``INVITATION_MIN_ANSWER_HOURS`` (2 h by default) and
never runs past the first session's start. When even that cannot fit, nobody is invited:
the council's approval and its replacement are refused with a message, and the automatic
replacement stops and tells the council instead of burning through the reserves.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlmodel import select

from app import create_app
from app.config import ConfigError, load_config
from app.mail.context import MailContext
from app.models import BookingRequest, Invitation, RequestEvent
from app.models.enums import Role
from app.services.booking.changes import expire_invitations
from app.services.booking.decisions import approve_group
from app.services.booking.invitations import TOO_LATE_TO_INVITE, reply_deadline
from app.services.booking.replacements import replace_from_reserves
from app.services.errors import Conflict
from tests.booking_support import booking_setting, queued, request_invitations
from tests.clock_support import at_local, local_today
from tests.conftest import login
from tests.html import csrf_token

CTX = MailContext(council_mailbox="radet@region.example", base_url="https://levbib.example")
TWO_HOURS = timedelta(hours=2)


@pytest.fixture(autouse=True)
def a_morning_today():
    """Run at 08:00 Stockholm time today: sessions a few hours ahead stay on the same local day,
    inside the members' weekly windows, whatever time of day the suite runs (a tricky day's own
    travel wins where a test asks for one)."""
    with time_machine.travel(at_local(local_today(), 8), tick=True):
        yield


def now_utc() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def close_request(factory, db_session, starts_in: timedelta, people: int = 4):
    """Return (request, members, council) with one session starting ``starts_in`` from now."""
    request, row, members, _orderer, council = booking_setting(
        factory, db_session, people=people, people_count=2
    )
    row.starts_at = now_utc() + starts_in
    row.ends_at = row.starts_at + timedelta(hours=1)
    db_session.add(row)
    for member in members:  # available every day, whatever day the session falls on
        for weekday in range(7):
            factory.weekly_window(member, weekday=weekday, start=0, end=23)
    db_session.flush()
    return request, row, members, council


def actions(db_session, request) -> list[str]:
    query = select(RequestEvent).where(RequestEvent.request_id == request.id)
    return [event.action for event in db_session.exec(query.order_by(RequestEvent.id))]


def test_the_deadline_is_a_week_normally_and_never_below_the_minimum():
    now = datetime(2026, 5, 4, 8, tzinfo=UTC)

    far = reply_deadline(first_start=now + timedelta(days=30), now=now)
    tomorrow = reply_deadline(first_start=now + timedelta(hours=20), now=now)
    tonight = reply_deadline(first_start=now + timedelta(hours=2, minutes=30), now=now)
    tight = reply_deadline(first_start=now + timedelta(hours=1), now=now)

    assert far == now + timedelta(days=7)
    assert tomorrow == now + TWO_HOURS  # the day before the start is already past
    assert tonight == now + TWO_HOURS
    assert tight == now + timedelta(hours=1)  # never after the start


def test_an_approval_six_hours_ahead_gives_two_hours_to_answer(factory, db_session):
    request, row, members, council = close_request(factory, db_session, timedelta(hours=6))
    now = now_utc()

    approve_group(
        session=db_session,
        booking_request=request,
        member_ids=[m.id for m in members[:2]],
        actor=council,
        ctx=CTX,
        now=now,
    )

    invitations = request_invitations(db_session, request)
    assert [(i.sent_at, i.reply_deadline_at) for i in invitations] == [(now, now + TWO_HOURS)] * 2
    assert all(i.reply_deadline_at < row.starts_at for i in invitations)


def test_an_approval_inside_the_minimum_window_is_refused(factory, db_session):
    request, _row, members, council = close_request(factory, db_session, timedelta(minutes=90))

    with pytest.raises(Conflict) as refused:
        approve_group(
            session=db_session,
            booking_request=request,
            member_ids=[m.id for m in members[:2]],
            actor=council,
            ctx=CTX,
            now=now_utc(),
        )

    assert str(refused.value) == TOO_LATE_TO_INVITE
    assert request_invitations(db_session, request) == []
    assert request.status == "submitted"


def test_the_setting_widens_the_minimum(factory, db_session):
    request, _row, members, council = close_request(factory, db_session, timedelta(hours=3))
    wide = MailContext(min_answer_window=timedelta(hours=4))

    with pytest.raises(Conflict):
        approve_group(
            session=db_session,
            booking_request=request,
            member_ids=[members[0].id],
            actor=council,
            ctx=wide,
            now=now_utc(),
        )


def test_auto_replacement_never_burns_through_the_reserves(factory, db_session):
    request, row, members, council = close_request(
        factory, db_session, timedelta(hours=5), people=6
    )
    start = now_utc()
    approve_group(
        session=db_session,
        booking_request=request,
        member_ids=[m.id for m in members[:2]],
        actor=council,
        ctx=CTX,
        now=start,
        replacement_mode="auto",
    )

    # The first two do not answer: two reserves are invited, each with two hours to answer.
    first_expiry = start + TWO_HOURS + timedelta(seconds=1)
    expire_invitations(session=db_session, ctx=CTX, now=first_expiry)
    reserves = request_invitations(db_session, request)[2:]
    assert [(i.sent_at, i.reply_deadline_at) for i in reserves] == [
        (first_expiry, first_expiry + TWO_HOURS)
    ] * 2
    # They do not answer either; now the start is less than two hours away: nobody else is
    # invited, the council is told once per place.
    second_expiry = first_expiry + TWO_HOURS + timedelta(seconds=1)
    assert row.starts_at - second_expiry < TWO_HOURS
    expire_invitations(session=db_session, ctx=CTX, now=second_expiry)

    assert len(request_invitations(db_session, request)) == 4
    assert actions(db_session, request)[-4:] == ["invitation_expired", "too_late_to_invite"] * 2
    told = [m for m in queued(db_session) if m["to"] == "radet@region.example"]
    assert [m["subject"] for m in told][-2:] == ["Too late to invite a reserve: Test request"] * 2
    # A later run finds nothing more to do.
    assert expire_invitations(session=db_session, ctx=CTX, now=second_expiry) == []


def test_a_council_replacement_inside_the_window_is_refused(factory, db_session):
    request, _row, members, council = close_request(factory, db_session, timedelta(hours=3))
    start = now_utc()
    approve_group(
        session=db_session,
        booking_request=request,
        member_ids=[m.id for m in members[:2]],
        actor=council,
        ctx=CTX,
        now=start,
    )
    later = start + TWO_HOURS + timedelta(seconds=1)
    expire_invitations(session=db_session, ctx=CTX, now=later)

    with pytest.raises(Conflict) as refused:
        replace_from_reserves(
            session=db_session, booking_request=request, actor=council, ctx=CTX, now=later
        )

    assert str(refused.value) == TOO_LATE_TO_INVITE
    assert len(request_invitations(db_session, request)) == 2


def test_the_council_page_refuses_with_a_swedish_message(app_config, factory, db_session):
    app = create_app({**app_config, "INVITATION_MIN_ANSWER_HOURS": 3})
    request, _row, members, _council = close_request(factory, db_session, timedelta(hours=2))
    council = factory.user(Role.COUNCIL)
    client = app.test_client()
    assert login(client, council.email).status_code == 302
    page = client.get(f"/council/requests/{request.id}").get_data(as_text=True)

    answer = client.post(
        f"/council/requests/{request.id}/approve",
        data={
            "member_ids": f"{members[0].id},{members[1].id}",
            "replacement_mode": "council_confirms",
            "csrf_token": csrf_token(page),
        },
    )

    assert answer.status_code == 409
    assert "Det första tillfället börjar för snart" in answer.get_data(as_text=True)
    db_session.expire_all()
    assert db_session.get(BookingRequest, request.id).status == "submitted"
    assert (
        db_session.exec(select(Invitation).where(Invitation.request_id == request.id)).all() == []
    )


def test_the_council_is_warned_when_the_window_is_short(app, factory, db_session):
    request, _row, members, _council = close_request(factory, db_session, timedelta(hours=6))
    council = factory.user(Role.COUNCIL)
    client = app.test_client()
    assert login(client, council.email).status_code == 302
    page = client.get(f"/council/requests/{request.id}").get_data(as_text=True)

    answer = client.post(
        f"/council/requests/{request.id}/approve",
        data={
            "member_ids": f"{members[0].id},{members[1].id}",
            "replacement_mode": "council_confirms",
            "csrf_token": csrf_token(page),
        },
        follow_redirects=True,
    )

    text = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert "Det första tillfället är nära: de inbjudna har bara till" in text
    assert len(request_invitations(db_session, request)) == 2


def test_no_warning_when_the_session_is_weeks_away(app, factory, db_session):
    request, _row, members, _orderer, _council = booking_setting(factory, db_session)
    council = factory.user(Role.COUNCIL)
    client = app.test_client()
    assert login(client, council.email).status_code == 302
    page = client.get(f"/council/requests/{request.id}").get_data(as_text=True)

    answer = client.post(
        f"/council/requests/{request.id}/approve",
        data={
            "member_ids": f"{members[0].id},{members[1].id}",
            "replacement_mode": "council_confirms",
            "csrf_token": csrf_token(page),
        },
        follow_redirects=True,
    )

    assert answer.status_code == 200
    assert "Det första tillfället är nära" not in answer.get_data(as_text=True)


def test_the_minimum_holds_on_tricky_days(tricky_day, factory, db_session):
    request, row, members, council = close_request(factory, db_session, timedelta(hours=3))
    now = now_utc()

    approve_group(
        session=db_session,
        booking_request=request,
        member_ids=[members[0].id],
        actor=council,
        ctx=CTX,
        now=now,
    )

    [invitation] = request_invitations(db_session, request)
    assert invitation.reply_deadline_at - invitation.sent_at == TWO_HOURS
    assert invitation.reply_deadline_at < row.starts_at


@pytest.mark.parametrize("value", ["0", "-1", "x", "200"])
def test_a_bad_setting_is_refused_by_name(monkeypatch, value):
    monkeypatch.setenv("INVITATION_MIN_ANSWER_HOURS", value)

    with pytest.raises(ConfigError, match="INVITATION_MIN_ANSWER_HOURS"):
        load_config()
