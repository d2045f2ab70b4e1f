"""Reminders to report time and travel before the payout cut-off (monthly or quarterly)."""

from datetime import UTC, datetime, timedelta

from sqlmodel import select

from app.models import Assignment, CompensationClaim
from app.services.compensation.claim_reminders import send_claim_reminders
from tests.scheduling_support import CTX, booked_request, outbox

FEBRUARY = datetime(2027, 2, 10, 9, 0, tzinfo=UTC)


def _remind(db_session, day: datetime, frequency: str = "monthly"):
    return send_claim_reminders(session=db_session, now=day, ctx=CTX, frequency=frequency)


def test_members_get_one_reminder_in_the_last_days_before_the_monthly_cutoff(factory, db_session):
    _, _, members, _ = booked_request(factory, starts_at=FEBRUARY, title="Utbildning")

    early = _remind(db_session, datetime(2027, 2, 20, 8, tzinfo=UTC))
    due = _remind(db_session, datetime(2027, 2, 24, 8, tzinfo=UTC))
    again = _remind(db_session, datetime(2027, 2, 27, 8, tzinfo=UTC))

    assert [t.queued for t in (early, due, again)] == [0, 2, 0]
    rows = outbox(db_session)
    assert [(r.kind, r.recipient) for r in rows] == [("claim_reminder", m.email) for m in members]
    assert rows[0].subject == "Report time and travel by 2027-02-28"
    assert "- Utbildning" in rows[0].body
    assert "https://levbib.example/compensation/" in rows[0].body


def test_quarterly_payouts_move_the_cutoff_to_the_end_of_the_quarter(factory, db_session):
    booked_request(factory, starts_at=FEBRUARY)

    february = _remind(db_session, datetime(2027, 2, 24, 8, tzinfo=UTC), "quarterly")
    march = _remind(db_session, datetime(2027, 3, 28, 8, tzinfo=UTC), "quarterly")

    assert (february.queued, march.queued) == (0, 2)
    assert {r.key.rsplit("=", 1)[1] for r in outbox(db_session)} == {"2027-03-31"}


def test_reported_and_unfinished_assignments_need_no_reminder(factory, db_session):
    _, _, members, _ = booked_request(factory, starts_at=FEBRUARY)
    booked_request(factory, starts_at=datetime(2027, 2, 27, 9, tzinfo=UTC))  # not yet held
    reported = db_session.exec(
        select(Assignment).where(Assignment.member_id == members[0].id)
    ).one()
    db_session.add(
        CompensationClaim(assignment_id=reported.id, member_id=members[0].id, status="submitted")
    )
    draft = db_session.exec(select(Assignment).where(Assignment.member_id == members[1].id)).one()
    db_session.add(
        CompensationClaim(assignment_id=draft.id, member_id=members[1].id, status="draft")
    )
    db_session.flush()

    tally = _remind(db_session, datetime(2027, 2, 24, 8, tzinfo=UTC))

    assert tally.queued == 1
    assert [r.recipient for r in outbox(db_session)] == [members[1].email]


def test_next_period_gets_its_own_reminder(factory, db_session):
    booked_request(factory, starts_at=FEBRUARY, people=1)

    _remind(db_session, datetime(2027, 2, 24, 8, tzinfo=UTC))
    march = _remind(db_session, datetime(2027, 3, 27, 8, tzinfo=UTC) + timedelta(days=1))

    assert march.queued == 1
    assert [r.key.rsplit("=", 1)[1] for r in outbox(db_session)] == ["2027-02-28", "2027-03-31"]
