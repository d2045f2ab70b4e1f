"""Two council members approving overlapping requests for one person: only one may win.

Runs on PostgreSQL with two real connections in two threads. The first approval holds the
member's row lock while it waits to commit; the second must block on that lock, then see
the first one's invitation and be refused.
"""

import threading
import time
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from app.models import BookingRequest, Invitation, RequestSession, User
from app.models.enums import InvitationStatus
from app.services.booking.decisions import approve_group
from app.services.booking.invitations import accept_invitation
from app.services.errors import Conflict
from tests.booking_support import booking_setting
from tests.factories import Factory

pytestmark = pytest.mark.postgres


def _two_overlapping_requests(engine):
    """Commit two overlapping requests and one member eligible for both; return their ids."""
    with Session(engine, expire_on_commit=False) as session:
        factory = Factory(session)
        first, row, members, orderer, council = booking_setting(
            factory, session, people=1, people_count=1
        )
        second = factory.booking_request(orderer, areas=("cancer",), people_count=1)
        other = session.exec(
            select(RequestSession).where(RequestSession.request_id == second.id)
        ).one()
        other.starts_at, other.ends_at = row.starts_at + timedelta(minutes=30), row.ends_at
        session.commit()
        return first.id, second.id, members[0].id, council.id


def _race(engine, first_step, second_step):
    """Run two units of work; the first waits to commit until the second has had time to block."""
    results, release = {}, threading.Event()

    def run(name, step, hold):
        with Session(engine, expire_on_commit=False) as session:
            try:
                step(session)
                if hold:
                    release.wait(10)
                session.commit()
                results[name] = "ok"
            except Conflict:
                session.rollback()
                results[name] = "refused"

    first = threading.Thread(target=run, args=("first", first_step, True))
    first.start()
    time.sleep(0.5)  # the first has taken the lock and now waits to commit
    second = threading.Thread(target=run, args=("second", second_step, False))
    second.start()
    time.sleep(0.5)
    blocked = second.is_alive()
    release.set()
    first.join(10)
    second.join(10)
    return results, blocked


def _approver(request_id, member_id, council_id):
    def step(session):
        approve_group(
            session=session,
            booking_request=session.get(BookingRequest, request_id),
            member_ids=[member_id],
            actor=session.get(User, council_id),
        )

    return step


def test_concurrent_approvals_for_one_person_book_only_once(pg_engine):
    first_id, second_id, member_id, council_id = _two_overlapping_requests(pg_engine)

    results, blocked = _race(
        pg_engine,
        _approver(first_id, member_id, council_id),
        _approver(second_id, member_id, council_id),
    )

    with Session(pg_engine) as session:
        invited = session.exec(
            select(Invitation.request_id).where(Invitation.member_id == member_id)
        )
        assert list(invited) == [first_id]
    assert (results, blocked) == ({"first": "ok", "second": "refused"}, True)


def test_concurrent_acceptances_for_one_person_book_only_once(pg_engine):
    first_id, second_id, member_id, _ = _two_overlapping_requests(pg_engine)
    with Session(pg_engine) as session:
        for request_id in (first_id, second_id):
            session.get(BookingRequest, request_id).status = "approved"
            session.add(
                Invitation(
                    request_id=request_id,
                    member_id=member_id,
                    token=f"race-token-{request_id}",
                    status=InvitationStatus.PENDING,
                )
            )
        session.commit()

    results, blocked = _race(
        pg_engine,
        lambda s: accept_invitation(session=s, token=f"race-token-{first_id}"),
        lambda s: accept_invitation(session=s, token=f"race-token-{second_id}"),
    )

    assert (results, blocked) == ({"first": "ok", "second": "refused"}, True)
