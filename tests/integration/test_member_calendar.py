import re
from datetime import date, time, timedelta

import pytest
from sqlmodel import select

from app.models import (
    Assignment,
    AuditEvent,
    AvailabilityException,
    Member,
    RequestEvent,
    WeeklyWindow,
)
from app.models.enums import Role
from tests.clock_support import STOCKHOLM, local_days_ahead, local_today
from tests.pool_support import sent_mail, signed_in_member


@pytest.fixture
def outbox(tmp_path):
    return tmp_path / "outbox"


@pytest.fixture
def app_config(app_config, outbox):
    return {**app_config, "MAIL_OUTBOX": str(outbox), "COUNCIL_MAILBOX": "council@example.org"}


@pytest.fixture
def member_client(csrf_free_app, factory):
    client, _user, member = signed_in_member(csrf_free_app, factory)
    return client, member


def window_data(weekday="0", start="09:00", end="12:00", prefix="new"):
    return {f"{prefix}-weekday": weekday, f"{prefix}-start_time": start, f"{prefix}-end_time": end}


def windows_of(db_session, member):
    db_session.expire_all()
    rows = db_session.exec(select(WeeklyWindow).where(WeeklyWindow.member_id == member.id))
    return [(w.weekday, w.start_time, w.end_time) for w in rows]


def test_member_adds_a_weekly_window_and_sees_it_drawn(member_client, db_session):
    client, member = member_client

    added = client.post("/me/calendar/windows", data=window_data("0", "09:00", "12:00"))
    page = client.get("/me/calendar/?date=2026-03-23").get_data(as_text=True)

    assert added.status_code == 302
    assert windows_of(db_session, member) == [(0, time(9), time(12))]
    assert 'class="cal-item cal-window"' in page
    assert "09:00–12:00" in page


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (window_data("0", "12:00", "09:00"), "new-end_time"),
        (window_data("0", "10:00", "11:00"), "new-start_time"),  # overlaps 09–12
        (window_data("9", "10:00", "11:00"), "new-weekday"),
        (window_data("0", "25:00", "26:00"), "new-start_time"),
        ({"new-weekday": "0"}, "new-start_time"),
    ],
)
def test_bad_window_gives_a_field_error_and_writes_nothing(
    member_client, factory, db_session, data, field
):
    client, member = member_client
    factory.weekly_window(member, 0, 9, 12)

    response = client.post("/me/calendar/windows", data=data)

    assert response.status_code == 422
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    assert windows_of(db_session, member) == [(0, time(9), time(12))]


def test_member_edits_and_deletes_a_window(member_client, factory, db_session):
    client, member = member_client
    window = factory.weekly_window(member, 2, 9, 12)

    edited = client.post(
        f"/me/calendar/windows/{window.id}",
        data=window_data("3", "13:00", "16:00", f"w{window.id}"),
    )
    after_edit = windows_of(db_session, member)
    deleted = client.post(f"/me/calendar/windows/{window.id}/delete")

    assert (edited.status_code, deleted.status_code) == (302, 302)
    assert after_edit == [(3, time(13), time(16))]
    assert windows_of(db_session, member) == []


def block_data(start, end, kind="vacation", confirm=""):
    return {
        "block-start_date": start.isoformat(),
        "block-end_date": end.isoformat(),
        "block-kind": kind,
        "block-confirm_withdraw": confirm,
    }


def periods_of(db_session, member):
    db_session.expire_all()
    rows = db_session.exec(
        select(AvailabilityException).where(AvailabilityException.member_id == member.id)
    )
    return [(p.start_date, p.end_date, p.kind) for p in rows]


def test_member_blocks_a_period_and_sees_it_drawn(member_client, db_session):
    client, member = member_client

    response = client.post(
        "/me/calendar/blocks", data=block_data(date(2026, 7, 6), date(2026, 7, 8))
    )
    page = client.get("/me/calendar/?date=2026-07-06").get_data(as_text=True)

    assert response.status_code == 302
    assert periods_of(db_session, member) == [(date(2026, 7, 6), date(2026, 7, 8), "vacation")]
    assert page.count('class="cal-item cal-blocked"') == 3


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (block_data(date(2026, 7, 10), date(2026, 7, 1)), "block-end_date"),
        (block_data(date(2026, 7, 14), date(2026, 7, 20)), "block-start_date"),  # overlaps
        (block_data(date(2026, 8, 1), date(2026, 8, 2), kind="extra"), "block-kind"),
        (
            {
                "block-start_date": "not a date",
                "block-end_date": "2026-08-01",
                "block-kind": "sick",
            },
            "block-start_date",
        ),
    ],
)
def test_bad_period_gives_a_field_error_and_writes_nothing(member_client, db_session, data, field):
    client, member = member_client
    client.post("/me/calendar/blocks", data=block_data(date(2026, 7, 12), date(2026, 7, 15)))

    response = client.post("/me/calendar/blocks", data=data)

    assert response.status_code == 422
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    assert periods_of(db_session, member) == [(date(2026, 7, 12), date(2026, 7, 15), "vacation")]


def test_member_pauses_and_resumes(member_client, db_session):
    client, member = member_client
    until = local_today() + timedelta(days=30)

    paused = client.post("/me/calendar/pause", data={"pause-until": until.isoformat()})
    db_session.expire_all()
    paused_until = db_session.get(Member, member.id).paused_until
    resumed = client.post("/me/calendar/resume")
    db_session.expire_all()

    assert (paused.status_code, resumed.status_code) == (302, 302)
    assert paused_until == until
    assert db_session.get(Member, member.id).paused_until is None


def test_pause_in_the_past_is_refused(member_client, db_session):
    client, member = member_client

    response = client.post("/me/calendar/pause", data={"pause-until": "2020-01-01"})

    assert response.status_code == 422
    assert 'id="pause-until-error"' in response.get_data(as_text=True)
    db_session.expire_all()
    assert db_session.get(Member, member.id).paused_until is None


def test_month_view_draws_every_day_of_the_grid(member_client, factory):
    client, member = member_client
    factory.weekly_window(member, 6, 10, 12)

    page = client.get("/me/calendar/?view=month&date=2026-03-01").get_data(as_text=True)

    assert page.count('<li class="cal-cell') == 42  # 23 Feb – 5 Apr 2026
    assert page.count('class="cal-item cal-window"') == 6  # six Sundays
    switch_day = page.split('id="day-2026-03-29"', 1)[1].split("</li>", 1)[0]
    assert "10:00–12:00" in switch_day  # the DST Sunday keeps its wall-clock window


def test_month_view_of_a_six_week_month_draws_a_period_across_the_month_end(member_client, factory):
    client, member = member_client
    factory.weekly_window(member, 6, 10, 12)
    client.post("/me/calendar/blocks", data=block_data(date(2027, 7, 30), date(2027, 8, 2)))

    page = client.get("/me/calendar/?view=month&date=2027-08-15").get_data(as_text=True)

    cells = re.findall(r'<li class="cal-cell([^"]*)" id="day-([0-9-]+)"', page)
    assert len(cells) == 42  # August 2027 starts on a Sunday: 26 July – 5 September
    assert (cells[0][1], cells[6][1], cells[-1][1]) == ("2027-07-26", "2027-08-01", "2027-09-05")
    assert [day for classes, day in cells if "is-blocked" in classes] == [
        "2027-07-30",
        "2027-07-31",
        "2027-08-01",
        "2027-08-02",
    ]
    assert page.count('class="cal-item cal-window"') == 6  # six Sundays
    assert len([c for c, _ in cells if "is-other-month" not in c]) == 31


def test_month_view_of_a_four_week_february_has_no_other_days(member_client):
    client, _ = member_client

    page = client.get("/me/calendar/?view=month&date=2027-02-28").get_data(as_text=True)

    cells = re.findall(r'<li class="cal-cell([^"]*)" id="day-([0-9-]+)"', page)
    assert [day for _, day in cells] == [f"2027-02-{n:02d}" for n in range(1, 29)]
    assert [c for c, _ in cells if "is-other-month" in c] == []
    assert 'href="/me/calendar/?view=month&amp;date=2027-03-01" rel="next"' in page


@pytest.fixture
def booked(factory, member_client):
    """The member is booked on a session ten days from now, 10:00–12:00 Stockholm time."""
    _, member = member_client
    orderer = factory.user(Role.ORDERER)
    booking_request = factory.booking_request(
        orderer, status="booked", title="Föreläsning om sepsis"
    )
    start = local_days_ahead(10, hour=10)
    factory.request_session(booking_request, start)
    assignment = factory.assignment(member, booking_request)
    return assignment, start


def test_blocking_over_a_booking_asks_for_confirmation_first(
    csrf_free_app, member_client, booked, db_session, outbox
):
    client, member = member_client
    assignment, start = booked
    day = start.astimezone(STOCKHOLM).date()

    response = client.post(
        "/me/calendar/blocks", data=block_data(day - timedelta(days=1), day + timedelta(days=1))
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="confirm-withdraw"' in html
    assert "Föreläsning om sepsis" in html
    assert periods_of(db_session, member) == []
    assert db_session.get(Assignment, assignment.id).status == "booked"
    assert sent_mail(outbox, csrf_free_app) == []


def test_confirmed_block_withdraws_and_tells_the_council(
    csrf_free_app, member_client, booked, db_session, outbox
):
    client, member = member_client
    assignment, start = booked
    day = start.astimezone(STOCKHOLM).date()

    response = client.post(
        "/me/calendar/blocks",
        data=block_data(day, day + timedelta(days=2), kind="sick", confirm="yes"),
    )

    assert response.status_code == 302
    db_session.expire_all()
    assert db_session.get(Assignment, assignment.id).status == "withdrawn"
    assert len(periods_of(db_session, member)) == 1
    events = db_session.exec(
        select(RequestEvent).where(RequestEvent.request_id == assignment.request_id)
    ).all()
    # The request is booked no more; the place waits in the council's queue (the default).
    assert [event.action for event in events] == [
        "member_withdrew",
        "reopened",
        "replacement_needed",
    ]
    audit = db_session.exec(
        select(AuditEvent).where(AuditEvent.action == "assignment.withdrawn")
    ).all()
    assert [event.subject_id for event in audit] == [assignment.id]
    [mail] = sent_mail(outbox, csrf_free_app)
    assert mail["To"] == "council@example.org"
    assert member.display_name in mail.get_payload(decode=True).decode()


def test_booked_session_is_drawn_on_the_calendar(member_client, booked):
    client, _ = member_client
    _, start = booked

    day = start.astimezone(STOCKHOLM).date()

    page = client.get(f"/me/calendar/?date={day.isoformat()}").get_data(as_text=True)

    drawn = page.split(f'id="day-{day.isoformat()}"', 1)[1].split('<li class="cal-day', 1)[0]
    assert 'class="cal-item cal-booked"' in drawn
    assert "Booked 10:00–12:00: Föreläsning om sepsis" in drawn
