"""Date-sensitive behaviour on the tricky days, with "now" travelled there (``tricky_day``).

The moments (tests/clock_support.py): 2026-12-31 23:30, 2027-01-01 01:30, the spring-forward
Sunday 2027-03-28 01:30 CET, the fall-back Sunday 2027-10-31 02:30 CEST, the leap day
2028-02-29 12:00 and Wednesday 2027-03-31 23:30, all Stockholm time. Nothing here passes a
``now``: each service takes the travelled clock, as in production. The expectations are
written out per day, so a test fails on the day that is wrong.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from icalendar import Calendar
from sqlmodel import select

from app import create_app
from app.jobs.definitions import execute_job
from app.models import BookingRequest, Invitation, MemberReview, RequestSession
from app.models.enums import Role
from app.services.booking.invitations import send_invitation
from app.services.compensation.claims import claim_lines, open_claim
from app.services.pool.ages import age_band, birth_years_for_band
from app.services.pool.reviews import review_due_on
from tests.clock_support import STOCKHOLM, at_local
from tests.compensation_support import booked_assignment, ensure_price_base_amount
from tests.conftest import login
from tests.pool_support import signed_in_member
from tests.scheduling_support import CTX, booked_request, outbox

#: day → (its local date, the next local date, the same wall-clock time a week on).
DATES = {
    "new-years-eve": ("2026-12-31", "2027-01-01", "2027-01-07 23:30"),
    "new-years-day": ("2027-01-01", "2027-01-02", "2027-01-08 01:30"),
    "spring-forward": ("2027-03-28", "2027-03-29", "2027-04-04 01:30"),
    "fall-back": ("2027-10-31", "2027-11-01", "2027-11-07 02:30"),
    "leap-day": ("2028-02-29", "2028-03-01", "2028-03-07 12:00"),
    "month-end-wednesday": ("2027-03-31", "2027-04-01", "2027-04-07 23:30"),
}


def _today(day) -> date:
    return date.fromisoformat(DATES[day.name][0])


def _tomorrow(day) -> date:
    return date.fromisoformat(DATES[day.name][1])


def _local(moment: datetime) -> str:
    return moment.astimezone(STOCKHOLM).strftime("%Y-%m-%d %H:%M")


@pytest.fixture
def job_app(app_config, tmp_path):
    return create_app({**app_config, "MAIL_OUTBOX": str(tmp_path / "outbox")})


# --- The member's calendar -------------------------------------------------------------------

#: day → (heading, first and last day drawn, previous and next month's links).
MONTH_VIEWS = {
    "new-years-eve": ("2026-12", "2026-11-30", "2027-01-03", "2026-11-01", "2027-01-01"),
    "new-years-day": ("2027-01", "2026-12-28", "2027-01-31", "2026-12-01", "2027-02-01"),
    "spring-forward": ("2027-03", "2027-03-01", "2027-04-04", "2027-02-01", "2027-04-01"),
    "fall-back": ("2027-10", "2027-09-27", "2027-10-31", "2027-09-01", "2027-11-01"),
    "leap-day": ("2028-02", "2028-01-31", "2028-03-05", "2028-01-01", "2028-03-01"),
    "month-end-wednesday": ("2027-03", "2027-03-01", "2027-04-04", "2027-02-01", "2027-04-01"),
}


def _cells(html: str) -> list[tuple[str, str]]:
    """Return (classes, date) of each month-view cell, in page order."""
    return re.findall(r'<li class="cal-cell([^"]*)" id="day-([0-9-]+)"', html)


def _cell(html: str, day: str) -> str:
    """Return the HTML of one drawn day (week or month view)."""
    after = html.split(f'id="day-{day}"', 1)[1]
    return re.split(r'<li class="cal-(?:day|cell)[ "]', after, maxsplit=1)[0]


def test_month_view_of_today_draws_whole_weeks_around_the_month(tricky_day, csrf_free_app, factory):
    client, _user, member = signed_in_member(csrf_free_app, factory)
    factory.weekly_window(member, weekday=6, start=10, end=12)  # Sundays, across both switches
    heading, first, last, previous, following = MONTH_VIEWS[tricky_day.name]

    html = client.get("/me/calendar/?view=month").get_data(as_text=True)

    cells = _cells(html)
    days = [date.fromisoformat(first) + timedelta(n) for n in range(len(cells))]
    assert f'<h2 id="cal-heading">\n    {heading}\n  </h2>' in html
    assert [d for _, d in cells] == [d.isoformat() for d in days]
    assert (cells[0][1], cells[-1][1], len(cells) % 7) == (first, last, 0)
    assert days[0].weekday() == 0  # weeks start on Monday
    assert [d for classes, d in cells if "is-today" in classes] == [DATES[tricky_day.name][0]]
    assert [d for classes, d in cells if "is-other-month" not in classes][0] == f"{heading}-01"
    assert f'href="/me/calendar/?view=month&amp;date={previous}" rel="prev"' in html
    assert f'href="/me/calendar/?view=month&amp;date={following}" rel="next"' in html
    sundays = [d.isoformat() for d in days if d.weekday() == 6]
    assert [d for d in sundays if "Available 10:00–12:00" in _cell(html, d)] == sundays


#: day → the Monday and Sunday of its week.
WEEKS = {
    "new-years-eve": ("2026-12-28", "2027-01-03"),
    "new-years-day": ("2026-12-28", "2027-01-03"),
    "spring-forward": ("2027-03-22", "2027-03-28"),
    "fall-back": ("2027-10-25", "2027-10-31"),
    "leap-day": ("2028-02-28", "2028-03-05"),
    "month-end-wednesday": ("2027-03-29", "2027-04-04"),
}


def test_week_view_of_today_keeps_wall_clock_windows_and_bookings(
    tricky_day, csrf_free_app, factory
):
    client, _user, member = signed_in_member(csrf_free_app, factory)
    for weekday in range(7):
        factory.weekly_window(member, weekday=weekday, start=10, end=12)
    orderer = factory.user(Role.ORDERER)
    booked = factory.booking_request(orderer, status="booked", title="Samtal om vården")
    factory.assignment(member, booked)
    item = factory.session.exec(
        select(RequestSession).where(RequestSession.request_id == booked.id)
    ).one()
    item.starts_at, item.ends_at = (
        at_local(_today(tricky_day), 14),
        at_local(_today(tricky_day), 16),
    )
    factory.session.add(item)
    factory.session.flush()
    monday, sunday = WEEKS[tricky_day.name]

    html = client.get("/me/calendar/").get_data(as_text=True)

    days = re.findall(r'<li class="cal-day[^"]*" id="day-([0-9-]+)"', html)
    today = DATES[tricky_day.name][0]
    assert (days[0], days[-1], len(days)) == (monday, sunday, 7)
    assert re.findall(r'<li class="cal-day[^"]*is-today[^"]*" id="day-([0-9-]+)"', html) == [today]
    assert [d for d in days if "Available 10:00–12:00" in _cell(html, d)] == days
    assert "Booked 14:00–16:00: Samtal om vården" in _cell(html, today)


# --- A booking entered in local time ---------------------------------------------------------

#: day → tomorrow 10:00 Stockholm time in UTC (CET +1, CEST +2; both switches lie between).
TOMORROW_AT_TEN_UTC = {
    "new-years-eve": datetime(2027, 1, 1, 9, tzinfo=UTC),
    "new-years-day": datetime(2027, 1, 2, 9, tzinfo=UTC),
    "spring-forward": datetime(2027, 3, 29, 8, tzinfo=UTC),
    "fall-back": datetime(2027, 11, 1, 9, tzinfo=UTC),
    "leap-day": datetime(2028, 3, 1, 9, tzinfo=UTC),
    "month-end-wednesday": datetime(2027, 4, 1, 8, tzinfo=UTC),
}


def _request_form(area_id: int, day: date) -> dict:
    return {
        "title": "Samråd om vårdens väntetider",
        "purpose": "Höra hur väntan upplevs.",
        "expectations": "Berätta om din väntan.",
        "participation": "consultation",
        "assignment_type": "education",
        "area_ids": [str(area_id)],
        "experience": "own",
        "people_count": "1",
        "sessions-0-day": day.isoformat(),
        "sessions-0-start": "10:00",
        "sessions-0-end": "12:00",
        "format": "digital",
        "video_link": "https://meet.example/vantan",
        "language": "sv",
        "preparation_minutes": "0",
        "contact_name": "Olle",
    }


def test_a_session_entered_for_tomorrow_keeps_its_local_time_in_calendar_and_feed(
    tricky_day, csrf_free_app, factory, db_session
):
    orderer = factory.user(Role.ORDERER)
    orderer_client = csrf_free_app.test_client()
    login(orderer_client, orderer.email)
    member_client, _user, member = signed_in_member(csrf_free_app, factory, calendar_token="f" * 40)
    area = factory.area("cancer")
    tomorrow = _tomorrow(tricky_day)

    created = orderer_client.post("/orders/new", data=_request_form(area.id, tomorrow))
    booking_request = db_session.exec(
        select(BookingRequest).where(BookingRequest.orderer_id == orderer.id)
    ).one()
    [item] = db_session.exec(
        select(RequestSession).where(RequestSession.request_id == booking_request.id)
    ).all()
    factory.assignment(member, booking_request)
    week = member_client.get(f"/me/calendar/?date={tomorrow}").get_data(as_text=True)
    feed = csrf_free_app.test_client().get(f"/calendar/{member.calendar_token}.ics")

    assert created.status_code == 302
    assert (item.starts_at, item.ends_at) == (
        TOMORROW_AT_TEN_UTC[tricky_day.name],
        TOMORROW_AT_TEN_UTC[tricky_day.name] + timedelta(hours=2),
    )
    assert "Booked 10:00–12:00: Samråd om vårdens väntetider" in _cell(week, tomorrow.isoformat())
    [event] = Calendar.from_ical(feed.data).walk("VEVENT")
    assert event.decoded("DTSTART") == TOMORROW_AT_TEN_UTC[tricky_day.name]


def test_the_feed_keeps_ninety_days_of_past_sessions(tricky_day, csrf_free_app, factory):
    _client, _user, member = signed_in_member(csrf_free_app, factory, calendar_token="g" * 40)
    orderer = factory.user(Role.ORDERER)
    now = datetime.now(UTC)
    for title, ended in (("Kvar", now - timedelta(days=89)), ("Borta", now - timedelta(days=91))):
        past = factory.booking_request(orderer, status="completed", title=title)
        factory.assignment(member, past)
        for item in factory.session.exec(
            select(RequestSession).where(RequestSession.request_id == past.id)
        ):
            item.starts_at, item.ends_at = ended - timedelta(hours=2), ended
            factory.session.add(item)
    factory.session.flush()

    feed = csrf_free_app.test_client().get(f"/calendar/{member.calendar_token}.ics")

    assert [str(e["SUMMARY"]) for e in Calendar.from_ical(feed.data).walk("VEVENT")] == ["Kvar"]


# --- Scheduled work: reminders, invitation deadlines, surveys, claim reminders, reviews ------


def test_the_one_day_reminder_of_a_session_early_tomorrow_goes_out_today(
    tricky_day, factory, db_session, job_app
):
    tomorrow = _tomorrow(tricky_day)
    _, _, [member], orderer = booked_request(
        factory, starts_at=at_local(tomorrow, 0, 45), people=1, title="Samtal"
    )

    run = execute_job(job_app, "send_reminders")

    rows = outbox(db_session)
    assert (run.outcome, run.queued, run.sent) == ("ok", 2, 2)
    assert [(r.kind, r.status, r.recipient) for r in rows] == [
        ("reminder_7d", "skipped", member.email),
        ("reminder_1d", "sent", member.email),
        ("reminder_7d", "skipped", orderer.email),
        ("reminder_1d", "sent", orderer.email),
    ]
    assert {r.subject for r in rows if r.status == "sent"} == {
        f"Påminnelse: Samtal {tomorrow.isoformat()} 00:45"  # the jobs write in Swedish
    }
    assert {_local(r.created_at)[:10] for r in rows} == {DATES[tricky_day.name][0]}


def test_an_invitation_is_answered_within_a_week_on_the_wall_clock(
    tricky_day, factory, db_session, client
):
    orderer = factory.user(Role.ORDERER)
    later = factory.booking_request(orderer, status="approved")  # 14 days on, 10:00
    soon = factory.booking_request(orderer, status="approved")
    item = db_session.exec(select(RequestSession).where(RequestSession.request_id == soon.id)).one()
    day_after_tomorrow = _tomorrow(tricky_day) + timedelta(days=1)
    item.starts_at, item.ends_at = (
        at_local(day_after_tomorrow, 10),
        at_local(day_after_tomorrow, 12),
    )
    db_session.add(item)
    member = factory.member(email="svar@example.org")

    week = send_invitation(
        session=db_session, booking_request=later, member=member, ctx=CTX, now=datetime.now(UTC)
    )
    short = send_invitation(
        session=db_session, booking_request=soon, member=member, ctx=CTX, now=datetime.now(UTC)
    )
    db_session.flush()
    page = client.get(f"/invitations/{week.token}").get_data(as_text=True)

    assert _local(week.reply_deadline_at) == DATES[tricky_day.name][2]
    assert _local(short.reply_deadline_at) == f"{_tomorrow(tricky_day).isoformat()} 10:00"
    assert DATES[tricky_day.name][2] in page
    assert db_session.get(Invitation, week.id).status == "pending"


def test_surveys_go_out_two_hours_after_the_last_session_ended(
    tricky_day, factory, db_session, job_app
):
    now = datetime.now(UTC)
    _, _, [member], orderer = booked_request(
        factory, starts_at=now - timedelta(hours=4, minutes=5), people=1
    )
    booked_request(factory, starts_at=now - timedelta(hours=3, minutes=55), people=1)

    run = execute_job(job_app, "send_surveys")

    assert run.outcome == "ok"
    assert [(r.kind, r.recipient) for r in outbox(db_session)] == [
        ("survey_member", member.email),
        ("survey_orderer", orderer.email),
    ]


#: day → the cut-off whose claim reminder goes out today (monthly, quarterly); None: not yet.
CLAIM_CUTOFFS = {
    "new-years-eve": ("2026-12-31", "2026-12-31"),
    "new-years-day": (None, None),
    "spring-forward": ("2027-03-31", "2027-03-31"),
    "fall-back": ("2027-10-31", None),
    "leap-day": ("2028-02-29", None),
    "month-end-wednesday": ("2027-03-31", "2027-03-31"),
}


@pytest.mark.parametrize("frequency", ["monthly", "quarterly"])
def test_claim_reminders_go_out_in_the_last_five_days_before_the_payout_cutoff(
    tricky_day, frequency, factory, db_session, app_config, tmp_path
):
    app = create_app(
        {**app_config, "MAIL_OUTBOX": str(tmp_path / "outbox"), "PAYOUT_FREQUENCY": frequency}
    )
    _, _, [member], _ = booked_request(
        factory, starts_at=datetime.now(UTC) - timedelta(days=3), people=1, title="Utbildning"
    )
    cutoff = CLAIM_CUTOFFS[tricky_day.name][frequency == "quarterly"]

    run = execute_job(app, "send_claim_reminders")

    assert run.outcome == "ok"
    rows = [(r.key, r.subject, r.recipient) for r in outbox(db_session)]
    expected = (
        [
            (
                f"claim_reminder:member={member.id}:cutoff={cutoff}",
                f"Rapportera tid och resor senast {cutoff}",
                member.email,
            )
        ]
        if cutoff
        else []
    )
    assert rows == expected


#: day → (joined and consented on, review due on, opened today?) per member.
REVIEWS = {
    "new-years-eve": [("2026-06-30", "2026-12-30", True), ("2026-07-01", "2027-01-01", False)],
    "new-years-day": [("2026-07-01", "2027-01-01", True), ("2026-07-02", "2027-01-02", False)],
    "spring-forward": [("2026-09-28", "2027-03-28", True), ("2026-09-29", "2027-03-29", False)],
    "fall-back": [("2027-04-30", "2027-10-30", True), ("2027-05-01", "2027-11-01", False)],
    "leap-day": [
        ("2027-08-29", "2028-02-29", True),
        ("2027-08-31", "2028-02-29", True),  # no 31 February: the month's last day
        ("2027-09-01", "2028-03-01", False),
    ],
    "month-end-wednesday": [
        ("2026-09-30", "2027-03-30", True),
        ("2026-10-01", "2027-04-01", False),
    ],
}


def test_reviews_fall_due_six_calendar_months_on(tricky_day, factory, db_session, job_app):
    cases = REVIEWS[tricky_day.name]
    members = [
        factory.member(
            email=f"granskas{index}@example.org",
            joined_on=date.fromisoformat(joined),
            consent_given_at=at_local(date.fromisoformat(joined), 9),
        )
        for index, (joined, _, _) in enumerate(cases)
    ]

    run = execute_job(job_app, "run_reviews")

    assert run.outcome == "ok"
    reviews = db_session.exec(select(MemberReview).order_by(MemberReview.id)).all()
    due = [review_due_on(session=db_session, member=m).isoformat() for m in members]
    opened = [(m.id, d) for m, (_, d, is_opened) in zip(members, cases, strict=True) if is_opened]
    assert due == [expected for _, expected, _ in cases]
    assert [(r.member_id, r.due_on.isoformat()) for r in reviews] == opened


# --- Fees across the year's end, and ages -----------------------------------------------------


def test_each_session_is_paid_with_the_pbb_of_its_own_local_year(tricky_day, factory, db_session):
    today = _today(tricky_day)
    yesterday = today - timedelta(days=1)
    late, member, orderer = booked_assignment(factory, hours=0.75, start=at_local(yesterday, 23))
    early, _, _ = booked_assignment(
        factory, hours=1, start=at_local(today, 0, 5), member=member, orderer=orderer
    )
    pbb = {
        year: ensure_price_base_amount(db_session, year) for year in {yesterday.year, today.year}
    }

    lines = [
        claim_lines(
            session=db_session,
            claim_id=open_claim(
                session=db_session, member=member, assignment_id=assignment.id, zone=STOCKHOLM
            ).id,
        )
        for assignment in (late, early)
    ]

    assert [[(line.activity_on, line.fee_class) for line in claim] for claim in lines] == [
        [(yesterday, "short")],
        [(today, "short")],
    ]
    # Short: 0.9 % of the PBB of the activity's local year, rounded half up to whole kronor.
    assert [claim[0].fee_sek for claim in lines] == [
        (pbb[yesterday.year] * 9 + 500) // 1000,
        (pbb[today.year] * 9 + 500) // 1000,
    ]


#: day → (age band of someone born 1962, birth years of the 65–79 band) this year.
AGES = {
    "new-years-eve": ("50-64", (1947, 1961)),
    "new-years-day": ("65-79", (1948, 1962)),
    "spring-forward": ("65-79", (1948, 1962)),
    "fall-back": ("65-79", (1948, 1962)),
    "leap-day": ("65-79", (1949, 1963)),
    "month-end-wednesday": ("65-79", (1948, 1962)),
}


def test_ages_count_from_this_years_number(tricky_day):
    assert (age_band(1962), birth_years_for_band("65-79")) == AGES[tricky_day.name]
