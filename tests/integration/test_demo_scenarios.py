"""The demo pool is big and varied enough for the ordinary scenarios, on the date it is loaded."""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from sqlmodel import select

from app.models import (
    Area,
    Assignment,
    BookingRequest,
    Experience,
    Feedback,
    Member,
    RequestArea,
    RequestSession,
    User,
)
from app.models.enums import Role
from app.services.demo.data import DEMO_LOGINS, DEMO_PASSWORD, load_demo_data
from app.services.matchmaking.proposals import compute_proposal
from matching.taxonomy import matches
from tests.clock_support import STOCKHOLM
from tests.conftest import login

#: A winter and a summer loading day: the scenarios must work whenever the demo is loaded.
LOADING_DAYS = [date(2026, 11, 24), date(2027, 6, 15)]


@pytest.fixture(params=LOADING_DAYS, ids=str)
def loaded(request, db_session):
    today = request.param
    with time_machine.travel(datetime.combine(today, time(12), tzinfo=STOCKHOLM), tick=False):
        summary = load_demo_data(session=db_session, today=today)
        db_session.flush()
        yield today, summary


def _weekdays_next_month(today: date, weekdays: tuple[int, ...]) -> list[date]:
    """Return the first day of each weekday in ``weekdays`` in the month after ``today``."""
    first = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    days = (first + timedelta(days=n) for n in range(7))
    return sorted(day for day in days if day.weekday() in weekdays)


def _scenario(db_session, today, areas, experience, count, afternoons, age=(None, None)):
    """Order a request the way an orderer of the demo would, and return it."""
    orderer = db_session.exec(select(User).where(User.email == DEMO_LOGINS[Role.ORDERER])).one()
    request = BookingRequest(
        organisation_id=orderer.organisation_id,
        orderer_id=orderer.id,
        title="Scenario",
        purpose="Demo scenario",
        expectations="Talk",
        participation="consultation",
        assignment_type="education",
        experience=experience,
        people_count=count,
        format="onsite",
        location="Ryhov",
        age_min=age[0],
        age_max=age[1],
    )
    db_session.add(request)
    db_session.flush()
    for code in areas:
        area = db_session.exec(select(Area).where(Area.code == code)).one()
        db_session.add(RequestArea(request_id=request.id, area_id=area.id))
    for day in _weekdays_next_month(today, (1, 3))[:afternoons]:
        start = datetime.combine(day, time(13), tzinfo=STOCKHOLM).astimezone(UTC)
        db_session.add(
            RequestSession(
                request_id=request.id,
                starts_at=start,
                ends_at=start + timedelta(hours=3),
                ical_uid=f"{uuid.uuid4()}@scenario",
            )
        )
    db_session.flush()
    return request


def _experiences(db_session, member_id: int) -> set[tuple[str, str]]:
    rows = db_session.exec(
        select(Area.code, Experience.type)
        .join(Experience, Experience.area_id == Area.id)
        .where(Experience.member_id == member_id)
    )
    return set(rows)


#: (areas, experience, people, afternoons next month, age range): what orderers ask most.
SCENARIOS = [
    (("diabetes",), "own", 2, 2, (30, 60)),
    (("psychiatry/psychosis",), "any", 1, 1, (None, None)),
    (("cancer",), "own", 1, 1, (None, None)),
]


def test_ordinary_scenarios_find_a_full_group(loaded, db_session):
    today, _ = loaded
    for areas, experience, count, afternoons, age in SCENARIOS:
        request = _scenario(db_session, today, areas, experience, count, afternoons, age)

        view = compute_proposal(session=db_session, booking_request=request)

        group = [view.members[member_id] for member_id in view.proposal.group]
        assert len(group) == count, areas
        for member in group:
            fitting = {
                kind
                for code, kind in _experiences(db_session, member.id)
                if any(matches(wanted, code) for wanted in areas)
            }
            assert fitting and (experience == "any" or experience in fitting), areas
            if age[0] is not None:
                assert age[0] <= today.year - member.birth_year <= age[1]


def test_demo_pool_is_big_and_varied_with_two_years_of_history(loaded, db_session):
    today, summary = loaded
    members = db_session.exec(select(Member)).all()
    ages = [today.year - member.birth_year for member in members]
    genders = Counter(member.gender for member in members)
    kinds = Counter(db_session.exec(select(Experience.type)).all())
    mandates = Counter(member.mandate for member in members)
    top_areas = {
        code.split("/")[0]
        for code in db_session.exec(
            select(Area.code).join(Experience, Experience.area_id == Area.id)
        ).all()
    }
    all_top = {code.split("/")[0] for code in db_session.exec(select(Area.code)).all()}

    assert summary.counts["members"] == len(members) >= 120
    assert min(ages) <= 19 and max(ages) >= 89
    assert 0.25 <= genders["man"] / len(members) <= 0.40
    assert min(kinds["own"], kinds["relative"]) >= 0.2 * sum(kinds.values())
    assert set(mandates) == {"self", "organisation"}
    assert len(top_areas) >= len(all_top) - 2

    starts = db_session.exec(
        select(RequestSession.starts_at)
        .join(Assignment, Assignment.request_id == RequestSession.request_id)
        .where(RequestSession.starts_at < datetime.combine(today, time(0), tzinfo=UTC))
    ).all()
    feedback = db_session.exec(select(Feedback)).all()
    days_back = [(today - start.astimezone(STOCKHOLM).date()).days for start in starts]

    assert max(days_back) > 640 and min(days_back) < 60
    old = [d for d in days_back if d > 365]
    assert len(old) >= len(days_back) / 4
    assert len(feedback) >= 50


def test_the_demo_member_has_one_name_everywhere(loaded, app, db_session):
    user = db_session.exec(select(User).where(User.email == DEMO_LOGINS[Role.MEMBER])).one()
    member = db_session.exec(select(Member).where(Member.user_id == user.id)).one()
    client = app.test_client()
    login(client, user.email, DEMO_PASSWORD)

    page = client.get("/me/").get_data(as_text=True)

    assert user.full_name == member.display_name
    assert page.count(member.display_name) >= 1
    assert "Maria Medlem" not in page
