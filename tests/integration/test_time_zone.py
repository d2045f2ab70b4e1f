"""A TIMEZONE other than the default moves the local dates and times the app decides and shows."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlmodel import select

from app import create_app
from app.jobs.definitions import execute_job
from app.models import RequestSession
from app.models.enums import Role
from app.services.booking.reminders import send_session_reminders
from app.services.matchmaking.proposals import compute_proposal
from tests.pool_support import signed_in_member
from tests.scheduling_support import CTX, START, booked_request, outbox

#: Still the 22nd in Stockholm (17:00), already the 23rd in Tokyo (01:00): 5 days to the cut-off.
EVENING = datetime(2027, 2, 22, 16, 0, tzinfo=UTC)
#: Still December in Stockholm (21:00) and New York (15:00), already January in Tokyo (05:00).
NEW_YEARS_EVE = datetime(2026, 12, 31, 20, 0, tzinfo=UTC)


def _app(app_config, tmp_path, zone_name):
    outbox_folder = str(tmp_path / "outbox")
    return create_app(
        {
            **app_config,
            "TIMEZONE": zone_name,
            "MAIL_OUTBOX": outbox_folder,
            "WTF_CSRF_ENABLED": False,
        }
    )


@pytest.mark.parametrize(
    ("zone_name", "when"),
    [("Europe/Stockholm", "2027-03-04 09:00"), ("America/New_York", "2027-03-04 03:00")],
)
def test_a_session_reminder_gives_the_time_in_the_configured_zone(
    factory, db_session, app_config, tmp_path, zone_name, when
):
    _app(app_config, tmp_path, zone_name)
    booked_request(factory, title="Samråd")

    send_session_reminders(session=db_session, now=START - timedelta(days=1), ctx=CTX)

    sent = outbox(db_session, status="pending")
    assert [row.subject for row in sent] == [f"Reminder: Samråd on {when}"] * 3


@pytest.mark.parametrize(("zone_name", "queued"), [("Europe/Stockholm", 0), ("Asia/Tokyo", 2)])
def test_the_claim_reminder_job_goes_by_the_date_in_the_configured_zone(
    factory, db_session, app_config, tmp_path, zone_name, queued
):
    app = _app(app_config, tmp_path, zone_name)
    booked_request(factory, starts_at=datetime(2027, 2, 10, 9, tzinfo=UTC))

    run = execute_job(app, "send_claim_reminders", now=EVENING, holder="test")

    assert (run.outcome, run.queued) == ("ok", queued)


@pytest.mark.parametrize(
    ("zone_name", "month"),
    [("Europe/Stockholm", "2026-12"), ("America/New_York", "2026-12"), ("Asia/Tokyo", "2027-01")],
)
def test_the_member_calendar_opens_on_this_month_in_the_configured_zone(
    factory, app_config, tmp_path, zone_name, month
):
    app = _app(app_config, tmp_path, zone_name)

    with time_machine.travel(NEW_YEARS_EVE, tick=False):
        client, _, _ = signed_in_member(app, factory)
        page = client.get("/me/calendar/?view=month").get_data(as_text=True)

    heading = re.search(r'<h2 id="cal-heading">\s*(\S+)\s*</h2>', page)
    assert heading.group(1) == month
    assert f"Times are local time in {zone_name}." in page


@pytest.mark.parametrize(
    ("zone_name", "eligible"), [("Asia/Tokyo", True), ("Europe/Stockholm", False)]
)
def test_the_proposal_reads_weekly_windows_in_the_configured_zone(
    factory, db_session, app_config, tmp_path, zone_name, eligible
):
    # Tuesday 9 March 2027 01:00-02:00 UTC is 10-11 in Tokyo and 02-03 in Stockholm; the
    # member is free on Tuesdays 09-12 in the configured zone.
    _app(app_config, tmp_path, zone_name)
    orderer = factory.user(Role.ORDERER)
    request = factory.booking_request(orderer, areas=("cancer",), format="digital")
    session_row = db_session.exec(
        select(RequestSession).where(RequestSession.request_id == request.id)
    ).one()
    session_row.starts_at = datetime(2027, 3, 9, 1, 0, tzinfo=UTC)
    session_row.ends_at = datetime(2027, 3, 9, 2, 0, tzinfo=UTC)
    member = factory.member(experiences=(("cancer", "own"),))
    factory.weekly_window(member, weekday=1, start=9, end=12)
    db_session.flush()

    with time_machine.travel(datetime(2027, 2, 1, tzinfo=UTC), tick=False):
        proposal = compute_proposal(session=db_session, booking_request=request).proposal

    ranked = [candidate.member_id for candidate in proposal.ranked]
    assert (ranked == [str(member.id)]) is eligible
    assert (proposal.excluded[str(member.id)].rule if not eligible else None) == (
        None if eligible else "unavailable"
    )
