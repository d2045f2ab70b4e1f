"""One unit of work: an assignment counts once however many sessions it has, on every page."""

from datetime import UTC, date, datetime, timedelta

import pytest

from app.models import Invitation
from app.models.enums import Role
from app.services.insight.rows import InsightData, InsightFilters
from app.services.insight.work import assignments_per_member
from app.services.matchmaking.matching_input import pool_for_matching
from app.services.matchmaking.proposals import compute_proposal, current_exclusions
from app.services.pool.member_admin import MemberLoad, member_load
from app.services.requests.submission import request_sessions
from tests.booking_support import STOCKHOLM, course_request, local_time

TODAY = datetime.now(UTC).astimezone(STOCKHOLM).date()


def afternoons(first: date, count: int = 3) -> list[datetime]:
    """Return ``count`` weekly afternoons (13:00 in Stockholm) from ``first``."""
    return [local_time(first + timedelta(weeks=week), 13) for week in range(count)]


@pytest.fixture
def courses(factory):
    """One member who finished a 3-afternoon course, one with the same course still ahead,
    both with a monthly maximum of 1, and a request three months ahead that suits both."""
    orderer = factory.user(Role.ORDERER)
    done = factory.member(last_name="Done", max_per_month=1, experiences=(("cancer", "own"),))
    ahead = factory.member(last_name="Ahead", max_per_month=1, experiences=(("cancer", "own"),))
    past = course_request(factory, orderer, afternoons(TODAY - timedelta(days=60)))
    coming = course_request(factory, orderer, afternoons(TODAY + timedelta(days=20)))
    factory.assignment(done, past, status="completed")
    factory.assignment(ahead, coming)
    later = local_time(TODAY + timedelta(days=90), 10)
    request = course_request(factory, orderer, [later], hours=2, people_count=2)
    for member in (done, ahead):
        factory.weekly_window(
            member, weekday=later.astimezone(STOCKHOLM).weekday(), start=8, end=18
        )
    return request, done, ahead


def load_reasons(view, member) -> list[str]:
    [candidate] = [c for c in view.proposal.ranked if c.member_id == str(member.id)]
    return [reason.en for reason in candidate.reasons if reason.code == "load"]


def test_a_finished_course_and_one_ahead_are_one_assignment_each_in_the_proposal(
    courses, db_session
):
    request, done, ahead = courses

    view = compute_proposal(session=db_session, booking_request=request)

    assert view.proposal.excluded == {}
    assert sorted(view.proposal.group) == sorted([str(done.id), str(ahead.id)])
    assert load_reasons(view, done) == [
        "no assignment for 4 months",
        "1 assignment in the last 12 months",
    ]
    assert load_reasons(view, ahead) == [
        "no assignment for 2 months",
        "1 assignment in the last 12 months",
    ]


def test_the_matching_input_has_one_entry_per_assignment(courses, db_session):
    _, done, ahead = courses

    pool = {m.id: m for m in pool_for_matching(session=db_session)}

    [history] = pool[str(done.id)].history
    first = TODAY - timedelta(days=60)
    assert (history.date, history.hours, history.answer) == (first, 9.0, "accepted")
    assert history.session_dates == (first, first + timedelta(weeks=1), first + timedelta(weeks=2))
    assert pool[str(done.id)].bookings == ()
    bookings = pool[str(ahead.id)].bookings
    assert [b.start for b in bookings] == afternoons(TODAY + timedelta(days=20))
    assert len({b.assignment for b in bookings}) == 1
    assert pool[str(ahead.id)].history == ()


def test_the_member_page_counts_each_course_once(courses, db_session):
    _, done, ahead = courses

    loads = [member_load(session=db_session, member_id=m.id) for m in (done, ahead)]

    assert loads == [MemberLoad(1, 9.0), MemberLoad(1, 9.0)]


def test_insight_counts_each_course_once(courses, db_session):
    _, done, ahead = courses
    filters = InsightFilters(start=TODAY - timedelta(days=90), end=TODAY + timedelta(days=60))
    data = InsightData(db_session, filters, STOCKHOLM, TODAY)

    counts = assignments_per_member(data)

    assert (counts[done.id], counts[ahead.id]) == (1, 1)


def test_an_open_invitation_counts_toward_the_monthly_maximum_until_answered(
    courses, factory, db_session
):
    request, done, _ = courses
    orderer = factory.user(Role.ORDERER)
    [item] = request_sessions(session=db_session, request_id=request.id)
    same_day = item.starts_at + timedelta(hours=4)  # 14:00, after the request's 10–12
    other = course_request(factory, orderer, [same_day], status="approved")
    invitation = Invitation(request_id=other.id, member_id=done.id, token="open-" + "x" * 30)
    db_session.add(invitation)
    db_session.flush()

    before = compute_proposal(session=db_session, booking_request=request)
    invitation.status = "declined"
    db_session.add(invitation)
    db_session.flush()
    after = compute_proposal(session=db_session, booking_request=request)

    assert before.proposal.excluded[str(done.id)].rule == "monthly_max"
    assert str(done.id) not in after.proposal.excluded
    # It is no load: the reasons still name the one course.
    assert load_reasons(after, done)[-1] == "1 assignment in the last 12 months"


def test_a_request_does_not_count_its_own_open_invitations(courses, factory, db_session):
    request, done, _ = courses
    request.status = "approved"
    db_session.add(request)
    db_session.add(Invitation(request_id=request.id, member_id=done.id, token="own-" + "x" * 30))
    db_session.flush()

    view = compute_proposal(session=db_session, booking_request=request)
    rules = current_exclusions(session=db_session, booking_request=request, member_ids=[done.id])

    assert (view.proposal.excluded, rules) == ({}, {})
