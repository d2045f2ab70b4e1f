"""Open invitations of other requests are provisional load: one person cannot top them all."""

from datetime import UTC, datetime, timedelta

import pytest

from app.models import Invitation
from app.models.enums import Role
from app.services.matchmaking.matching_input import pool_for_matching
from app.services.matchmaking.proposals import compute_proposal
from tests.booking_support import STOCKHOLM, course_request, local_time

TODAY = datetime.now(UTC).astimezone(STOCKHOLM).date()


@pytest.fixture
def two_requests(factory):
    """Two approved one-person requests in the same month and two members who fit both."""
    orderer = factory.user(Role.ORDERER)
    first_start = local_time(TODAY + timedelta(days=60), 10)
    second_start = first_start + timedelta(days=2)
    first = course_request(factory, orderer, [first_start], hours=2, people_count=1)
    second = course_request(factory, orderer, [second_start], hours=2, people_count=1)
    for request in (first, second):
        request.status = "approved"
        factory.session.add(request)
    people = [
        factory.member(last_name=name, max_per_month=2, experiences=(("cancer", "own"),))
        for name in ("Anna", "Berit")
    ]
    for member in people:
        for start in (first_start, second_start):
            weekday = start.astimezone(STOCKHOLM).weekday()
            factory.weekly_window(member, weekday=weekday, start=8, end=18)
    factory.session.flush()
    return first, second, people


def load_part(view, member) -> float:
    [candidate] = [c for c in view.proposal.ranked if c.member_id == str(member.id)]
    return candidate.parts["load"]


def test_an_invitation_to_one_request_is_load_in_the_other(two_requests, db_session):
    first, second, (anna, berit) = two_requests
    tops = {
        compute_proposal(session=db_session, booking_request=r).proposal.group
        for r in (first, second)
    }
    invited = anna if tops == {(str(anna.id),)} else berit
    other = berit if invited is anna else anna
    invitation = Invitation(request_id=first.id, member_id=invited.id, token="pend-" + "x" * 30)
    db_session.add(invitation)
    db_session.flush()

    pool = {m.id: m for m in pool_for_matching(session=db_session, exclude_request_id=second.id)}
    view = compute_proposal(session=db_session, booking_request=second)

    [pending] = pool[str(invited.id)].bookings
    assert (pending.is_work, pending.assignment) == (False, f"invitation:{invitation.id}")
    assert load_part(view, invited) < load_part(view, other)
    assert view.proposal.group == (str(other.id),)
    # Before any invitation both requests would have gone to the same person.
    assert len(tops) == 1


def test_a_declined_invitation_stops_counting(two_requests, db_session):
    first, second, (anna, berit) = two_requests
    invitation = Invitation(request_id=first.id, member_id=anna.id, token="decl-" + "x" * 30)
    db_session.add(invitation)
    db_session.flush()
    pending = compute_proposal(session=db_session, booking_request=second)

    invitation.status = "declined"
    db_session.add(invitation)
    db_session.flush()
    answered = compute_proposal(session=db_session, booking_request=second)

    assert load_part(pending, anna) < load_part(pending, berit)
    assert load_part(answered, anna) == load_part(answered, berit)


def test_the_monthly_maximum_counts_invitations_of_other_requests(two_requests, db_session):
    first, second, (anna, _) = two_requests
    anna.max_per_month = 1
    db_session.add(anna)
    db_session.add(Invitation(request_id=first.id, member_id=anna.id, token="full-" + "x" * 30))
    db_session.flush()

    view = compute_proposal(session=db_session, booking_request=second)

    assert view.proposal.excluded[str(anna.id)].rule == "monthly_max"
