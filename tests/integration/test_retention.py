"""Retention: who is anonymised when, what is removed, and what bookkeeping keeps for 7 years."""

from datetime import UTC, date, datetime, timedelta

from sqlmodel import select

from app import create_app
from app.jobs.definitions import execute_job
from app.mail.outbox import queue_mail
from app.models import (
    AuditEvent,
    ClaimLine,
    ClaimReceipt,
    CompensationClaim,
    Experience,
    Feedback,
    PayoutBatch,
    User,
    WeeklyWindow,
)
from app.models.enums import Role
from app.services.privacy.retention import apply_retention
from tests.scheduling_support import booked_request, outbox

LEFT = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def _claim(db_session, member, assignment, status, batch=None, receipt=""):
    claim = CompensationClaim(
        assignment_id=assignment.id,
        member_id=member.id,
        status=status,
        note="Taxi, buss var inställd",
        fee_sek=1066,
        payout_batch_id=batch.id if batch else None,
    )
    db_session.add(claim)
    db_session.flush()
    db_session.add(
        ClaimLine(claim_id=claim.id, activity_on=date(2026, 1, 20), minutes=120, fee_sek=1066)
    )
    if receipt:
        db_session.add(
            ClaimReceipt(
                claim_id=claim.id,
                original_name="kvitto.pdf",
                stored_name=receipt,
                content_type="application/pdf",
                size_bytes=10,
            )
        )
    db_session.flush()
    return claim


def _leaver(factory, db_session):
    """A member who left on LEFT, with everything a member leaves behind."""
    user = factory.user(Role.MEMBER, email="kim.leaver@example.org")
    member = factory.member(
        user=user,
        first_name="Kim",
        last_name="Lindqvist",
        email="kim@example.org",
        phone="070-1234567",
        municipality="Jönköping",
        birth_year=1961,
        experiences=(("cancer", "own"),),
        status="left",
        left_at=LEFT,
    )
    factory.weekly_window(member, weekday=1, start=9, end=12)
    paid_request, _, _, _ = booked_request(
        factory, starts_at=datetime(2026, 1, 20, 9, tzinfo=UTC), people=0
    )
    draft_request, _, _, _ = booked_request(
        factory, starts_at=datetime(2026, 2, 3, 9, tzinfo=UTC), people=0
    )
    paid_assignment = factory.assignment(member, paid_request, status="completed")
    paid_assignment.conflict_declaration = "Styrelseledamot i Cancerföreningen"
    draft_assignment = factory.assignment(member, draft_request, status="completed")
    batch = PayoutBatch(
        period_start=date(2026, 1, 1),
        period_end=date(2026, 1, 31),
        is_closed=True,
        closed_at=datetime(2026, 2, 5, tzinfo=UTC),
    )
    db_session.add(batch)
    db_session.flush()
    paid = _claim(db_session, member, paid_assignment, "paid", batch, receipt="paid.pdf")
    draft = _claim(db_session, member, draft_assignment, "draft", receipt="draft.pdf")
    db_session.add(
        Feedback(
            request_id=paid_request.id,
            assignment_id=paid_assignment.id,
            respondent="member",
            user_id=user.id,
            answers={"felt_heard": 4},
            free_text="Jag heter Kim och ...",
        )
    )
    queue_mail(
        db_session, to=member.email, subject="Påminnelse", body="Hej Kim", now=LEFT - 10 * DAY
    )
    db_session.flush()
    return member, user, paid, draft


def test_nobody_is_anonymised_before_the_retention_period_ends(factory, db_session):
    member, _, _, _ = _leaver(factory, db_session)

    tally, files = apply_retention(session=db_session, now=LEFT + 89 * DAY)

    assert (tally.detail.get("anonymised", 0), files) == (0, [])
    db_session.refresh(member)
    assert (member.first_name, member.anonymised_at) == ("Kim", None)


def test_anonymisation_removes_personal_data_and_keeps_bookkeeping_under_a_pseudonym(
    factory, db_session
):
    member, user, paid, draft = _leaver(factory, db_session)
    now = LEFT + 91 * DAY

    tally, files = apply_retention(session=db_session, now=now)

    db_session.expire_all()
    assert (tally.detail["anonymised"], files) == (1, ["draft.pdf"])
    assert member.first_name == "Pseudonym" and member.last_name.startswith("P-")
    assert (member.email, member.phone, member.municipality, member.gender) == (
        "",
        "",
        "",
        "unknown",
    )
    assert (member.birth_year, member.anonymised_at, member.calendar_token) == (1961, now, None)
    assert db_session.exec(select(Experience).where(Experience.member_id == member.id)).all() == []
    assert (
        db_session.exec(select(WeeklyWindow).where(WeeklyWindow.member_id == member.id)).all() == []
    )
    assert (user.email, user.full_name, user.is_enabled) == (
        f"anonymised-{user.id}@invalid",
        "",
        False,
    )
    # Bookkeeping: the paid claim with its line and receipt stays; the unpaid draft goes.
    assert [c.id for c in db_session.exec(select(CompensationClaim))] == [paid.id]
    assert [r.stored_name for r in db_session.exec(select(ClaimReceipt))] == ["paid.pdf"]
    assert len(db_session.exec(select(ClaimLine).where(ClaimLine.claim_id == paid.id)).all()) == 1
    [feedback] = db_session.exec(select(Feedback)).all()
    assert (feedback.answers, feedback.free_text, feedback.user_id) == ({"felt_heard": 4}, "", None)
    assert [(m.recipient, m.body) for m in outbox(db_session)] == [("", "")]
    [audit] = db_session.exec(
        select(AuditEvent).where(AuditEvent.action == "member.anonymised")
    ).all()
    assert audit.detail == {"pseudonym": member.last_name}
    assert db_session.get(User, user.id).password_hash == "!"


def test_compensation_records_go_7_years_after_the_year_they_were_paid(factory, db_session):
    _leaver(factory, db_session)
    apply_retention(session=db_session, now=LEFT + 91 * DAY)

    kept, _ = apply_retention(session=db_session, now=datetime(2033, 12, 31, 12, tzinfo=UTC))
    gone, files = apply_retention(session=db_session, now=datetime(2034, 1, 1, 12, tzinfo=UTC))

    assert (kept.detail.get("claims_deleted", 0), gone.detail["claims_deleted"], files) == (
        0,
        1,
        ["paid.pdf"],
    )
    assert db_session.exec(select(CompensationClaim)).all() == []


def test_a_claim_waiting_for_payment_or_a_booking_ahead_holds_anonymisation_back(
    factory, db_session
):
    member, _, paid, _ = _leaver(factory, db_session)
    paid.status = "attested"
    db_session.add(paid)
    db_session.flush()

    waiting, _ = apply_retention(session=db_session, now=LEFT + 91 * DAY)
    paid.status = "paid"
    db_session.add(paid)
    db_session.flush()
    done, _ = apply_retention(session=db_session, now=LEFT + 92 * DAY)

    assert (waiting.detail, done.detail["anonymised"]) == ({"waiting": 1}, 1)


def test_withdrawn_consent_counts_from_the_withdrawal_unless_given_again(factory, db_session):
    withdrawn = factory.member(consent_withdrawn_at=LEFT, consent_given_at=LEFT - 300 * DAY)
    regiven = factory.member(consent_withdrawn_at=LEFT, consent_given_at=LEFT + DAY)

    tally, _ = apply_retention(session=db_session, now=LEFT + 91 * DAY)

    db_session.expire_all()
    assert tally.detail["anonymised"] == 1
    assert (withdrawn.first_name, withdrawn.status) == ("Pseudonym", "left")
    assert (regiven.first_name, regiven.anonymised_at) == ("Test", None)


def test_old_message_contents_are_emptied_but_their_keys_kept(db_session):
    queue_mail(db_session, to="a@example.org", subject="Hej", body="x", key="k:old", now=LEFT)
    queue_mail(
        db_session, to="b@example.org", subject="Hej", body="y", key="k:new", now=LEFT + 80 * DAY
    )
    for row in outbox(db_session):
        row.status = "sent"
        db_session.add(row)
    db_session.flush()

    tally, _ = apply_retention(session=db_session, now=LEFT + 91 * DAY)

    assert tally.detail["messages_emptied"] == 1
    assert [(m.key, m.recipient, m.body) for m in outbox(db_session)] == [
        ("k:old", "", ""),
        ("k:new", "b@example.org", "y"),
    ]


def test_retention_job_removes_the_receipt_files_of_deleted_claims(
    factory, db_session, app_config, tmp_path
):
    folder = tmp_path / "receipts"
    folder.mkdir()
    for name in ("paid.pdf", "draft.pdf"):
        (folder / name).write_bytes(b"%PDF-1.4")
    _leaver(factory, db_session)
    job_app = create_app(
        {**app_config, "RECEIPT_FOLDER": str(folder), "MAIL_OUTBOX": str(tmp_path)}
    )

    run = execute_job(job_app, "apply_retention", now=LEFT + 91 * DAY)

    assert (run.outcome, run.detail) == ("ok", {"anonymised": 1})
    assert sorted(path.name for path in folder.iterdir()) == ["paid.pdf"]
