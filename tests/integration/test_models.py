from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy.exc import IntegrityError, StatementError

from app.models import BookingRequest, Member, RequestSession
from app.models.enums import Role


def test_timestamps_come_back_timezone_aware_in_utc(factory, db_session):
    orderer = factory.user(Role.ORDERER)
    request = factory.booking_request(orderer)
    local = datetime(2026, 3, 29, 13, 0, tzinfo=timezone(timedelta(hours=2)))
    row = RequestSession(
        request_id=request.id, starts_at=local, ends_at=local + timedelta(hours=1), ical_uid="x"
    )
    db_session.add(row)
    db_session.flush()
    db_session.expire_all()

    loaded = db_session.get(RequestSession, row.id)

    assert loaded.starts_at == datetime(2026, 3, 29, 11, 0, tzinfo=UTC)
    assert loaded.starts_at.utcoffset() == timedelta(0)


def test_naive_datetimes_are_refused(factory, db_session):
    member = factory.member()
    member.consent_given_at = datetime(2026, 1, 1, 12, 0)
    db_session.add(member)

    with pytest.raises(StatementError):
        db_session.flush()
    db_session.rollback()


@pytest.mark.parametrize(
    "fields",
    [
        {"gender": "alien"},
        {"pool": "other"},
        {"birth_year": 1850},
        {"max_per_month": -1},
        {"mandate": "organisation", "mandate_organisation_id": None},
        {"status": "gone"},
    ],
)
def test_member_check_constraints_reject_bad_values(factory, db_session, fields):
    with pytest.raises(IntegrityError):
        factory.member(**fields)
    db_session.rollback()


def test_request_constraints_reject_zero_people_and_inverted_session(factory, db_session):
    orderer = factory.user(Role.ORDERER)
    with pytest.raises(IntegrityError):
        factory.booking_request(orderer, people_count=0)
    db_session.rollback()

    request = factory.booking_request(factory.user(Role.ORDERER))
    start = datetime(2027, 1, 1, 10, tzinfo=UTC)
    db_session.add(
        RequestSession(request_id=request.id, starts_at=start, ends_at=start, ical_uid="y")
    )
    with pytest.raises(IntegrityError):
        db_session.flush()
    db_session.rollback()


def test_weekly_window_must_end_after_it_starts(factory, db_session):
    member = factory.member()
    with pytest.raises(IntegrityError):
        factory.weekly_window(member, weekday=0, start=15, end=9)
    db_session.rollback()


def test_user_email_is_unique(factory, db_session):
    factory.user(Role.COUNCIL, email="same@example.org")
    from app.services.errors import Conflict

    with pytest.raises(Conflict):
        factory.user(Role.ADMIN, email="SAME@example.org")


def test_consent_is_valid_only_when_given_and_not_withdrawn_since():
    given = datetime(2026, 1, 1, tzinfo=UTC)
    assert Member(consent_given_at=given).has_valid_consent is True
    assert (
        Member(
            consent_given_at=given, consent_withdrawn_at=given + timedelta(days=1)
        ).has_valid_consent
        is False
    )
    assert (
        Member(
            consent_given_at=given + timedelta(days=2), consent_withdrawn_at=given
        ).has_valid_consent
        is True
    )
    assert Member().has_valid_consent is False


def test_deleting_a_request_cascades_to_its_sessions(factory, db_session):
    from sqlmodel import select

    request = factory.booking_request(factory.user(Role.ORDERER))
    db_session.delete(db_session.get(BookingRequest, request.id))
    db_session.flush()

    assert (
        db_session.exec(select(RequestSession).where(RequestSession.request_id == request.id)).all()
        == []
    )
