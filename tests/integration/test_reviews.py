"""Every 6 months members confirm availability and consent; no answer after a reminder pauses them."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import select

from app.models import AuditEvent, MemberReview
from app.services.pool.reviews import add_months, review_due_on, run_member_reviews
from tests.scheduling_support import CTX, outbox

JOINED = datetime(2026, 1, 10, 9, 0, tzinfo=UTC)
DUE = datetime(2026, 7, 10, 6, 0, tzinfo=UTC)  # 08:00 in Stockholm on the day it falls due
DAY = timedelta(days=1)


def _member(factory, **fields):
    return factory.member(
        email=f"{fields.pop('name', 'eva')}@example.org",
        joined_on=date(2026, 1, 10),
        consent_given_at=JOINED,
        **fields,
    )


def _run(db_session, now):
    return run_member_reviews(session=db_session, now=now, ctx=CTX)


def _reviews(db_session):
    query = select(MemberReview).order_by(MemberReview.id).execution_options(populate_existing=True)
    return list(db_session.exec(query))


def test_review_falls_due_6_months_after_joining_and_consent(factory, db_session):
    member = _member(factory)

    before = _run(db_session, DUE - DAY)
    due = _run(db_session, DUE)
    again = _run(db_session, DUE + DAY)

    assert (before.queued, due.queued, again.queued) == (0, 1, 0)
    [review] = _reviews(db_session)
    assert (review.member_id, review.due_on, review.status) == (
        member.id,
        date(2026, 7, 10),
        "open",
    )
    [mail] = outbox(db_session)
    assert (mail.kind, mail.recipient) == ("review_request", member.email)
    assert f"https://levbib.example/reviews/{review.token}" in mail.body


def test_no_answer_brings_a_second_reminder_and_then_a_pause(factory, db_session):
    member = _member(factory)
    _run(db_session, DUE)

    steps = [_run(db_session, DUE + days * DAY).queued for days in (13, 14, 27, 28, 40)]

    db_session.refresh(member)
    [review] = _reviews(db_session)
    assert steps == [0, 1, 0, 2, 0]
    assert [(r.kind, r.recipient) for r in outbox(db_session)] == [
        ("review_request", member.email),
        ("review_reminder", member.email),
        ("review_paused", member.email),
        ("review_council", "radet@region.example"),
    ]
    assert (review.status, member.status) == ("lapsed", "paused")
    actions = db_session.exec(
        select(AuditEvent.action).where(AuditEvent.subject_id == member.id)
    ).all()
    assert {"member.status.paused", "member.review.lapsed"} <= set(actions)


def test_member_confirms_through_the_link_and_the_next_review_moves_on(
    factory, db_session, csrf_free_client
):
    member = _member(factory)
    _run(db_session, DUE)
    [review] = _reviews(db_session)

    page = csrf_free_client.get(f"/reviews/{review.token}")
    missing = csrf_free_client.post(f"/reviews/{review.token}", data={"still_available": "y"})
    confirmed = csrf_free_client.post(
        f"/reviews/{review.token}", data={"still_available": "y", "keeps_consent": "y"}
    )

    assert (page.status_code, missing.status_code, confirmed.status_code) == (200, 422, 302)
    [review] = _reviews(db_session)
    db_session.refresh(member)
    answered = review.answered_at.astimezone(ZoneInfo("Europe/Stockholm")).date()
    assert review.status == "confirmed"
    assert member.consent_given_at == review.answered_at
    assert review_due_on(session=db_session, member=member) == add_months(answered, 6)
    assert _run(db_session, DUE + 30 * DAY).queued == 0  # no reminder, no pause


def test_paused_left_and_unconsenting_members_are_not_reviewed(factory, db_session):
    _member(factory, name="a", status="paused")
    _member(factory, name="b", status="left")
    _member(factory, name="c", consent_withdrawn_at=JOINED + DAY)

    assert _run(db_session, DUE + DAY).queued == 0
    assert _reviews(db_session) == []


def test_months_are_added_calendar_wise():
    assert [add_months(date(2026, 8, 31), 6), add_months(date(2026, 7, 10), 6)] == [
        date(2027, 2, 28),
        date(2027, 1, 10),
    ]
