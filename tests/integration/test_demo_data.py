from collections import Counter
from datetime import UTC, date, datetime, time

import pytest
from sqlmodel import func, select

from app.models import Area, BookingRequest, Experience, Member, Organisation, User, WeeklyWindow
from app.models.enums import OrganisationKind
from app.services.accounts.users import authenticate
from app.services.demo.data import DEMO_LOGINS, DEMO_PASSWORD, load_demo_data

TODAY = date(2026, 11, 24)


@pytest.fixture
def demo(db_session):
    summary = load_demo_data(session=db_session, today=TODAY)
    db_session.flush()
    return summary


def members_of(db_session, pool: str) -> list[Member]:
    return db_session.exec(select(Member).where(Member.pool == pool)).all()


def test_demo_pools_have_the_documented_size_age_and_gender_spread(demo, db_session):
    for pool, (low, high), men_share, size in [
        ("levande_bibliotek", (18, 90), 1 / 3, 75),
        ("peer", (20, 65), 1 / 4, 50),
    ]:
        members = members_of(db_session, pool)
        ages = [TODAY.year - m.birth_year for m in members]
        genders = Counter(m.gender for m in members)

        assert len(members) == size
        assert low <= min(ages) <= low + 3
        assert high - 3 <= max(ages) <= high
        assert abs(genders["man"] / len(members) - men_share) <= 0.12
        assert genders["woman"] > genders["man"]


def experience_rows(db_session, pool: str) -> list[tuple[str, str]]:
    """Return (area code, own/relative) of every experience in a pool."""
    return db_session.exec(
        select(Area.code, Experience.type)
        .join(Experience, Experience.area_id == Area.id)
        .join(Member, Member.id == Experience.member_id)
        .where(Member.pool == pool)
    ).all()


def test_peer_members_have_only_own_psychiatric_experience(demo, db_session):
    rows = experience_rows(db_session, "peer")

    assert rows
    assert {code.split("/")[0] for code, _ in rows} == {"psychiatry"}
    assert {kind for _, kind in rows} == {"own"}


def test_living_library_covers_many_areas_and_both_experience_types(demo, db_session):
    rows = experience_rows(db_session, "levande_bibliotek")

    top_areas = {code.split("/")[0] for code, _ in rows}
    assert {
        "cancer",
        "psychiatry",
        "rheumatology",
        "sepsis",
        "heart_lung",
        "neurology",
    } <= top_areas
    assert {kind for _, kind in rows} == {"own", "relative"}


def test_demo_has_organisations_of_every_kind_requests_in_varied_states_and_availability(
    demo, db_session
):
    kinds = set(db_session.exec(select(Organisation.kind)).all())
    statuses = Counter(db_session.exec(select(BookingRequest.status)).all())
    windows = db_session.exec(select(func.count()).select_from(WeeklyWindow)).one()

    assert db_session.exec(select(func.count()).select_from(Organisation)).one() >= 10
    assert kinds == set(OrganisationKind)
    assert sum(statuses.values()) >= 20
    assert len(statuses) >= 5
    assert windows >= 2 * 100


def test_demo_logins_work_for_every_role(demo, db_session):
    for role, email in DEMO_LOGINS.items():
        user = authenticate(session=db_session, email=email, password=DEMO_PASSWORD)
        assert user is not None and user.role == role
    member_user = db_session.exec(select(User).where(User.email == DEMO_LOGINS["member"])).one()
    assert (
        db_session.exec(select(Member).where(Member.user_id == member_user.id))
        .one()
        .has_valid_consent
    )


def test_loading_demo_data_twice_adds_nothing(demo, db_session):
    before = db_session.exec(select(func.count()).select_from(Member)).one()

    second = load_demo_data(session=db_session, today=TODAY)

    assert second.created is False
    assert db_session.exec(select(func.count()).select_from(Member)).one() == before
    assert before == 125


def test_demo_names_are_varied_and_municipalities_are_in_the_county(demo, db_session):
    from app.services.demo.catalogue import MUNICIPALITIES

    names = db_session.exec(select(Member.first_name, Member.last_name)).all()
    places = set(db_session.exec(select(Member.municipality)).all())

    assert len(set(names)) > 80
    assert places <= set(MUNICIPALITIES)
    assert len(places) >= 6


def test_demo_shows_recruitment_nominations_and_training_and_loads_them_once(demo, db_session):
    from app.mail.context import MailContext
    from app.models import (
        Applicant,
        OutboxMessage,
        RecruitmentTarget,
        TrainingBooking,
        TrainingEvent,
    )
    from app.models.nomination import Nomination, NominationAnswer
    from app.services.nominations.mandates import REMINDER_DAYS, send_mandate_reminders

    def count(model) -> int:
        return db_session.exec(select(func.count()).select_from(model)).one()

    statuses = Counter(db_session.exec(select(Applicant.status)).all())
    applicants = {a.last_name: a for a in db_session.exec(select(Applicant))}
    nomination = db_session.exec(select(Nomination)).one()
    ending = db_session.exec(select(Member).where(Member.mandate_ends_on.is_not(None))).all()
    bookings = db_session.exec(
        select(TrainingEvent.kind, TrainingBooking.attendance).join(
            TrainingBooking, TrainingBooking.event_id == TrainingEvent.id
        )
    ).all()

    assert demo.counts["applicants"] == 5 and demo.counts["recruitment targets"] == 2
    assert statuses == {"applied": 2, "conversation_booked": 1, "introduction": 1, "not_now": 1}
    assert applicants["Sandberg"].source == "application" and applicants["Sandberg"].fills_gap
    assert applicants["Björk"].source == "nomination"
    assert applicants["Björk"].mandate_ends_on == date(2028, 11, 23)
    assert (nomination.status, nomination.seats, count(NominationAnswer)) == ("open", 2, 1)
    assert count(RecruitmentTarget) == 2
    assert [m.mandate_ends_on for m in ending] == [date(2027, 1, 8)]
    assert (ending[0].mandate_ends_on - TODAY).days < REMINDER_DAYS
    assert count(TrainingEvent) == 2
    assert Counter(bookings) == {
        ("introduction", None): 1,
        ("training", "attended"): 2,
        ("training", "absent"): 1,
    }

    send_mandate_reminders(
        session=db_session, now=datetime.combine(TODAY, time(12), tzinfo=UTC), ctx=MailContext()
    )
    reminders = db_session.exec(
        select(OutboxMessage.recipient).where(OutboxMessage.kind == "mandate_ending")
    ).all()
    assert sorted(reminders) == ["kontakt@reumatiker-jkpg.exempel.se", "radet@region.example"]

    load_demo_data(session=db_session, today=TODAY)

    assert count(Applicant) == 5 and count(TrainingBooking) == 4 and count(Nomination) == 1
