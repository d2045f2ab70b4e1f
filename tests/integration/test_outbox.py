"""The outbox table: written once in the unit of work, claimed, sent once, outcome recorded."""

import threading
from datetime import UTC, datetime, timedelta
from email import message_from_bytes

from sqlmodel import Session, delete

from app.mail.outbox import (
    CLAIM_LEASE,
    MAX_ATTEMPTS,
    MailSettings,
    _claim,
    deliver_outbox,
    deliver_queued,
    discard_queued,
    queue_mail,
)
from app.models import OutboxMessage
from tests.scheduling_support import outbox
from tests.smtp_support import _free_port, smtp_server

NOW = datetime(2027, 1, 10, 12, 0, tzinfo=UTC)


def _files(settings):
    return sorted(settings.outbox.glob("*.eml")) if settings.outbox.exists() else []


def test_queued_mail_is_a_row_and_becomes_an_eml_only_when_delivered(db_session, tmp_path):
    settings = MailSettings(outbox=tmp_path / "outbox", sender="from@example.org")

    queue_mail(db_session, to="to@example.org", subject="Hej", body="Åäö")
    [row] = outbox(db_session)
    assert (row.status, _files(settings)) == ("pending", [])
    [path] = deliver_queued(db_session, settings)

    message = message_from_bytes(path.read_bytes())
    assert (message["To"], message["Subject"]) == ("to@example.org", "Hej")
    assert message.get_payload(decode=True).decode() == "Åäö\n"
    assert message["Message-ID"].startswith(f"<outbox-{row.id}-")
    assert [r.status for r in outbox(db_session)] == ["sent"]
    assert deliver_queued(db_session, settings) == []


def test_mail_of_a_rolled_back_unit_of_work_is_never_sent(db_session, tmp_path):
    settings = MailSettings(outbox=tmp_path, sender="f@example.org")
    nested = db_session.begin_nested()
    queue_mail(db_session, to="to@example.org", subject="Hej", body="x")

    nested.rollback()
    discard_queued(db_session)

    assert deliver_queued(db_session, settings) == []
    assert deliver_outbox(session=db_session, settings=settings).delivered == []
    assert outbox(db_session) == []


def test_a_message_with_a_key_is_written_once(db_session):
    first = queue_mail(db_session, to="a@example.org", subject="1", body="x", key="k:1", kind="k")
    second = queue_mail(db_session, to="a@example.org", subject="2", body="y", key="k:1", kind="k")

    assert (first["id"] > 0, second) == (True, None)
    assert [(r.key, r.subject) for r in outbox(db_session)] == [("k:1", "1")]


def test_crash_between_writing_and_sending_sends_once_later(db_session, tmp_path):
    queue_mail(db_session, to="a@example.org", subject="Påminnelse", body="x", key="r:1", now=NOW)
    db_session.commit()
    discard_queued(db_session)  # the process died here: the row is committed, nothing was sent

    with smtp_server() as (port, received):
        settings = MailSettings(
            outbox=tmp_path, sender="f@example.org", server="127.0.0.1", port=port
        )
        # The restarted job decides the same again; the key makes that a no-op.
        assert queue_mail(db_session, to="a@example.org", subject="P", body="x", key="r:1") is None
        first = deliver_outbox(
            session=db_session, settings=settings, now=NOW + timedelta(minutes=1)
        )
        again = deliver_outbox(
            session=db_session, settings=settings, now=NOW + timedelta(minutes=2)
        )

    assert (len(first.delivered), len(again.delivered)) == (1, 0)
    assert [str(m["Subject"]) for m in received] == ["Påminnelse"]


def test_crash_after_claiming_waits_for_the_lease_then_sends_once(db_session, tmp_path):
    settings = MailSettings(outbox=tmp_path, sender="f@example.org")
    queue_mail(db_session, to="a@example.org", subject="Hej", body="x", key="r:2", now=NOW)
    db_session.commit()
    discard_queued(db_session)
    _claim(db_session, now=NOW, ids=None, limit=10)  # a sender claimed it, then died

    during = deliver_outbox(session=db_session, settings=settings, now=NOW + CLAIM_LEASE / 2)
    after = deliver_outbox(session=db_session, settings=settings, now=NOW + CLAIM_LEASE * 2)

    assert (len(during.delivered), len(after.delivered)) == (0, 1)
    assert [(r.status, r.attempts) for r in outbox(db_session)] == [("sent", 2)]
    assert len(_files(settings)) == 1


def test_undeliverable_mail_is_retried_then_failed_with_the_error(db_session, tmp_path):
    closed = MailSettings(
        outbox=tmp_path, sender="f@example.org", server="127.0.0.1", port=_free_port()
    )
    queue_mail(db_session, to="a@example.org", subject="Hej", body="x", now=NOW)
    db_session.commit()
    discard_queued(db_session)

    moment, outcomes = NOW, []
    for _ in range(MAX_ATTEMPTS):
        moment += timedelta(hours=2)
        outcomes.append(deliver_outbox(session=db_session, settings=closed, now=moment).failed)

    [row] = outbox(db_session)
    assert outcomes == [1] * MAX_ATTEMPTS
    assert (row.status, row.attempts) == ("failed", MAX_ATTEMPTS)
    assert row.last_error.startswith("ConnectionRefusedError")
    assert (
        deliver_outbox(session=db_session, settings=closed, now=moment + timedelta(days=1)).failed
        == 0
    )


def test_a_failed_attempt_waits_before_the_retry(db_session, tmp_path):
    closed = MailSettings(
        outbox=tmp_path, sender="f@example.org", server="127.0.0.1", port=_free_port()
    )
    working = MailSettings(outbox=tmp_path, sender="f@example.org")
    queue_mail(db_session, to="a@example.org", subject="Hej", body="x", now=NOW)
    db_session.commit()
    discard_queued(db_session)

    deliver_outbox(session=db_session, settings=closed, now=NOW)
    too_soon = deliver_outbox(session=db_session, settings=working, now=NOW + timedelta(minutes=1))
    later = deliver_outbox(session=db_session, settings=working, now=NOW + timedelta(minutes=10))

    assert (len(too_soon.delivered), len(later.delivered)) == (0, 1)
    assert [(r.status, r.attempts) for r in outbox(db_session)] == [("sent", 2)]


def test_two_senders_at_once_send_every_message_exactly_once(engine, tmp_path):
    """Two delivery runs on their own connections race over the same committed rows."""
    with Session(engine) as writer:
        for number in range(30):
            queue_mail(
                writer,
                to=f"m{number}@example.org",
                subject=f"n{number}",
                body="x",
                key=f"race:{number}",
            )
        writer.commit()
    barrier = threading.Barrier(2)

    def sender(settings):
        with Session(engine, expire_on_commit=False) as session:
            barrier.wait()
            deliver_outbox(session=session, settings=settings, limit=7)
            deliver_outbox(session=session, settings=settings)

    try:
        with smtp_server() as (port, received):
            settings = MailSettings(
                outbox=tmp_path, sender="f@example.org", server="127.0.0.1", port=port
            )
            threads = [threading.Thread(target=sender, args=(settings,)) for _ in range(2)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        subjects = sorted(str(message["Subject"]) for message in received)
        assert subjects == sorted(f"n{number}" for number in range(30))
    finally:
        with Session(engine) as cleanup:
            cleanup.exec(delete(OutboxMessage).where(OutboxMessage.key.like("race:%")))
            cleanup.commit()
