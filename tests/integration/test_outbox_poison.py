"""A message that cannot be built or sent fails alone; the rest of its batch is delivered."""

from datetime import UTC, datetime, timedelta

from app.mail.outbox import MAX_ATTEMPTS, MailSettings, deliver_outbox, discard_queued, queue_mail
from app.models import OutboxMessage
from tests.scheduling_support import outbox
from tests.smtp_support import smtp_server

NOW = datetime(2027, 1, 10, 12, 0, tzinfo=UTC)
#: Rows that bypassed validation: a header injection in the subject and in the address.
POISONED = [
    {"recipient": "ok@example.org", "subject": "a\r\nBcc: x@y.se"},
    {"recipient": "a@example.org\r\nBcc: x@y.se", "subject": "Inbjudan"},
]


def _arrange(db_session) -> None:
    for number in range(20):
        queue_mail(db_session, to=f"m{number}@example.org", subject=f"n{number}", body="x", now=NOW)
    for values in POISONED:  # inserted directly, in the middle of the batch
        db_session.add(OutboxMessage(body="x", created_at=NOW, **values))
        db_session.flush()
    for number in range(20, 40):
        queue_mail(db_session, to=f"m{number}@example.org", subject=f"n{number}", body="x", now=NOW)
    db_session.commit()
    discard_queued(db_session)


def test_forty_good_messages_arrive_past_two_poisoned_ones(db_session, tmp_path):
    _arrange(db_session)

    with smtp_server() as (port, received):
        settings = MailSettings(
            outbox=tmp_path, sender="f@example.org", server="127.0.0.1", port=port
        )
        first = deliver_outbox(session=db_session, settings=settings, now=NOW)
        moment, later = NOW, []
        for _ in range(MAX_ATTEMPTS - 1):
            moment += timedelta(hours=3)
            later.append(deliver_outbox(session=db_session, settings=settings, now=moment))
        after = deliver_outbox(
            session=db_session, settings=settings, now=moment + timedelta(days=1)
        )

    assert (len(first.delivered), first.failed) == (40, 2)
    assert sorted(str(message["Subject"]) for message in received) == sorted(
        f"n{number}" for number in range(40)
    )
    assert all("Bcc" not in message and "x@y.se" not in str(message) for message in received)
    assert [(len(run.delivered), run.failed) for run in later] == [(0, 2)] * (MAX_ATTEMPTS - 1)
    assert (after.delivered, after.failed) == ([], 0)
    rows = outbox(db_session)
    assert [row.status for row in rows].count("sent") == 40
    poisoned = [row for row in rows if row.status != "sent"]
    assert [(row.status, row.attempts) for row in poisoned] == [("failed", MAX_ATTEMPTS)] * 2
    assert [row.last_error.split(":")[0] for row in poisoned] == ["ValueError", "ValueError"]
    assert all(row.lease_until is None and row.claim_token for row in poisoned)


def test_a_poisoned_row_does_not_keep_the_batch_claimed(db_session, tmp_path):
    _arrange(db_session)
    settings = MailSettings(outbox=tmp_path / "outbox", sender="f@example.org")

    deliver_outbox(session=db_session, settings=settings, now=NOW)

    statuses = sorted({row.status for row in outbox(db_session)})
    assert statuses == ["pending", "sent"]
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == 40
    waiting = outbox(db_session, status="pending")
    assert [row.next_attempt_at for row in waiting] == [NOW + timedelta(minutes=5)] * 2
    assert all(row.last_error.startswith("ValueError") for row in waiting)
