from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from app.models import Assignment, AuditEvent, AvailabilityException, RequestSession
from app.models.enums import Role
from app.services.matchmaking.matching_input import pool_for_matching, request_for_matching
from app.services.matchmaking.proposals import compute_proposal
from tests.conftest import login


@pytest.fixture
def setting(factory, db_session):
    """A digital education request on psychosis and a small pool, all free on its weekday."""
    orderer = factory.user(Role.ORDERER)
    request = factory.booking_request(orderer, areas=("psychiatry/psychosis",), people_count=2)
    session_row = db_session.exec(
        select(RequestSession).where(RequestSession.request_id == request.id)
    ).one()
    weekday = session_row.starts_at.astimezone(
        __import__("zoneinfo").ZoneInfo("Europe/Stockholm")
    ).weekday()
    people = {}
    for name, fields in {
        "young_man": dict(
            birth_year=1995, gender="man", experiences=(("psychiatry/psychosis", "own"),)
        ),
        "older_woman": dict(
            birth_year=1958, gender="woman", experiences=(("psychiatry/psychosis", "relative"),)
        ),
        "withdrawn": dict(
            birth_year=1980,
            gender="woman",
            experiences=(("psychiatry/psychosis", "own"),),
            consent_withdrawn_at=datetime(2026, 2, 1, tzinfo=UTC),
        ),
        "cancer_only": dict(birth_year=1970, gender="man", experiences=(("cancer", "own"),)),
    }.items():
        member = factory.member(last_name=name, **fields)
        factory.weekly_window(member, weekday=weekday, start=0, end=23)
        people[name] = member
    return request, session_row, people


def test_bridge_converts_members_and_request(setting, db_session):
    request, session_row, people = setting

    pool = {m.id: m for m in pool_for_matching(session=db_session)}
    converted = request_for_matching(session=db_session, booking_request=request)

    young = pool[str(people["young_man"].id)]
    assert (young.birth_year, young.gender, young.consent, young.active) == (
        1995,
        "man",
        True,
        True,
    )
    assert [(e.area, e.type) for e in young.experiences] == [("psychiatry/psychosis", "own")]
    assert pool[str(people["withdrawn"].id)].consent is False
    assert converted.areas == ("psychiatry/psychosis",)
    assert converted.sessions[0].start == session_row.starts_at
    assert str(converted.sessions[0].start.tzinfo) == "Europe/Stockholm"
    # Invitations go out now: the acceptance model weighs the real lead time (to the hour).
    now = datetime.now(UTC)
    assert now - timedelta(hours=1) < converted.invited_at <= now
    assert (converted.invited_at.minute, converted.invited_at.second) == (0, 0)


def test_proposal_picks_eligible_people_and_names_the_excluding_rule(setting, db_session):
    request, _, people = setting

    view = compute_proposal(session=db_session, booking_request=request)

    expected = {str(people["young_man"].id), str(people["older_woman"].id)}
    assert set(view.proposal.group) == expected
    assert view.proposal.excluded[str(people["withdrawn"].id)].rule == "no_consent"
    assert view.proposal.excluded[str(people["cancer_only"].id)].rule == "no_area"


def test_blocked_period_and_existing_booking_exclude(setting, factory, db_session):
    request, session_row, people = setting
    day = session_row.starts_at.astimezone(
        __import__("zoneinfo").ZoneInfo("Europe/Stockholm")
    ).date()
    db_session.add(
        AvailabilityException(member_id=people["young_man"].id, start_date=day, end_date=day)
    )
    other = factory.booking_request(factory.user(Role.ORDERER), areas=("cancer",), status="booked")
    other_session = db_session.exec(
        select(RequestSession).where(RequestSession.request_id == other.id)
    ).one()
    other_session.starts_at, other_session.ends_at = session_row.starts_at, session_row.ends_at
    db_session.add(Assignment(request_id=other.id, member_id=people["older_woman"].id))
    db_session.flush()

    view = compute_proposal(session=db_session, booking_request=request)

    assert view.proposal.group == ()
    assert view.proposal.excluded[str(people["young_man"].id)].rule == "unavailable"
    assert view.proposal.excluded[str(people["older_woman"].id)].rule == "already_booked"


def test_council_request_page_shows_group_and_is_audited(setting, client, factory, db_session):
    request, _, people = setting
    council = factory.user(Role.COUNCIL)
    login(client, council.email)

    response = client.get(f"/council/requests/{request.id}")

    html = response.get_data(as_text=True)
    group = html.split('id="proposed-group"', 1)[1].split("</ol>", 1)[0]
    assert response.status_code == 200
    assert "young_man" in group and "older_woman" in group
    assert "withdrawn" not in group
    events = db_session.exec(select(AuditEvent).where(AuditEvent.actor_id == council.id)).all()
    assert [(e.action, e.subject_id) for e in events] == [("request.proposal.read", request.id)]


def test_past_work_is_history_and_future_work_is_a_booking(setting, factory, db_session):
    _, _, people = setting
    orderer = factory.user(Role.ORDERER)
    past = factory.booking_request(orderer, status="completed")
    past_session = db_session.exec(
        select(RequestSession).where(RequestSession.request_id == past.id)
    ).one()
    past_session.starts_at = datetime.now(UTC) - timedelta(days=40)
    past_session.ends_at = past_session.starts_at + timedelta(hours=3)
    future = factory.booking_request(orderer, status="booked")
    for booking_request in (past, future):
        db_session.add(Assignment(request_id=booking_request.id, member_id=people["young_man"].id))
    db_session.flush()

    member = {m.id: m for m in pool_for_matching(session=db_session)}[str(people["young_man"].id)]

    assert [(h.hours, h.answer) for h in member.history] == [(3.0, "accepted")]
    assert len(member.bookings) == 1


def test_council_page_draws_the_groups_spread(setting, client, factory):
    request, _, people = setting
    login(client, factory.user(Role.COUNCIL).email)
    with client.session_transaction() as session:
        session["lang"] = "en"

    html = client.get(f"/council/requests/{request.id}").get_data(as_text=True)

    picture = html.split('<svg id="group-spread"', 1)[1].split("</svg>", 1)[0]
    ages = __import__("app.services.pool.ages", fromlist=["age_band", "band_label"])
    young_band = ages.band_label(ages.age_band(1995))  # "25–34": an en dash, as people write it
    old_band = ages.band_label(ages.age_band(1958))
    for text in (
        f"{young_band}: 1",
        f"{old_band}: 1",
        "Man: 1",
        "Woman: 1",
        "Own experience: 1",
        "Relative: 1",
    ):
        assert f">{text}</text>" in picture


def test_group_spread_counts_only_experience_in_the_requested_areas(setting, factory, db_session):
    from app.services.matchmaking.proposals import group_spread

    _, _, people = setting
    extra = factory.member(birth_year=1990, gender="man", experiences=(("cancer", "relative"),))

    spread = group_spread(
        session=db_session,
        member_ids=[people["young_man"].id, extra.id],
        area_codes=("psychiatry",),
    )

    assert spread["experience"] == {"own": 1}
    assert spread["gender"] == {"man": 2}
    assert sum(spread["age"].values()) == 2


def test_group_spread_from_the_ranked_pool_is_the_one_read_from_the_database(
    setting, factory, db_session
):
    """The request page counts the group's experience from the pool it ranked, not a query."""
    from app.services.matchmaking.proposals import compute_proposal, group_spread

    request, _, _ = setting
    view = compute_proposal(session=db_session, booking_request=request)
    group = [int(member_id) for member_id in view.proposal.group]
    assert group, "the setting's pool has eligible people"
    known = view.experiences_of(group)
    assert known is not None and set(known) == set(group)

    area_codes = ("psychiatry/psychosis",)
    read = group_spread(session=db_session, member_ids=group, area_codes=area_codes)
    ranked = group_spread(
        session=db_session, member_ids=group, area_codes=area_codes, experiences=known
    )
    assert ranked == read and sum(read["experience"].values()) >= 1
    # Someone the ranked pool does not hold (here: no one at all) is read from the database.
    assert view.experiences_of([*group, -1]) is None


def test_a_requests_own_commitments_are_the_same_from_the_rows_the_page_read(factory, db_session):
    """The request page derives the commitments its proposal leaves out from rows it shows."""
    from app.models import Invitation
    from app.services.booking.attendance import booked_people
    from app.services.matchmaking.matching_input import commitment_keys
    from app.services.requests.history import request_invitations
    from tests.booking_support import booking_setting

    request, _row, members, _orderer, _council = booking_setting(factory, db_session, people=4)
    factory.assignment(members[0], request, status="booked")
    factory.assignment(members[1], request, status="completed")
    factory.assignment(members[2], request, status="no_show")
    factory.assignment(members[3], request, status="cancelled")
    for index, (member, status, interest) in enumerate(
        [
            (members[2], "pending", False),
            (members[3], "pending", True),
            (members[3], "declined", False),
            (members[1], "accepted", False),
        ]
    ):
        db_session.add(
            Invitation(
                request_id=request.id,
                member_id=member.id,
                status=status,
                is_interest_check=interest,
                token=f"own-commitment-{index}-" + "x" * 24,
            )
        )
    db_session.flush()

    read = commitment_keys(session=db_session, request_id=request.id)
    derived = commitment_keys(
        session=db_session,
        request_id=request.id,
        assignments=booked_people(session=db_session, request_id=request.id),
        invitations=request_invitations(session=db_session, request_id=request.id),
    )

    assert derived == read
    # Booked and completed work, and the one pending booking invitation: nothing else.
    assert sorted(len(keys) for keys in read.values()) == [1, 1, 1]
    assert set(read) == {members[0].id, members[1].id, members[2].id}
