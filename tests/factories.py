"""Factories that build real rows with plain, predictable defaults."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, time, timedelta

from sqlmodel import Session, select

from app.models import (
    Area,
    Assignment,
    BookingRequest,
    Experience,
    Member,
    Organisation,
    RequestArea,
    RequestSession,
    User,
    WeeklyWindow,
)
from app.models.enums import Role
from app.services.accounts.users import create_user
from tests.clock_support import local_days_ahead

PASSWORD = "correct horse battery"
_counter = itertools.count(1)


class Factory:
    def __init__(self, session: Session):
        self.session = session

    def organisation(
        self, name: str | None = None, kind: str = "region_department"
    ) -> Organisation:
        organisation = Organisation(name=name or f"Organisation {next(_counter)}", kind=kind)
        self.session.add(organisation)
        self.session.flush()
        return organisation

    def user(
        self, role: Role | str, email: str | None = None, organisation: Organisation | None = None
    ) -> User:
        if role == Role.ORDERER and organisation is None:
            organisation = self.organisation()
        return create_user(
            session=self.session,
            email=email or f"{role}{next(_counter)}@example.org",
            password=PASSWORD,
            role=role,
            full_name=f"Test {role}",
            organisation_id=organisation.id if organisation else None,
        )

    def area(self, code: str, name_sv: str | None = None) -> Area:
        found = self.session.exec(select(Area).where(Area.code == code)).first()
        if found:
            return found
        parent = self.area(code.rsplit("/", 1)[0]) if "/" in code else None
        area = Area(
            code=code,
            name_sv=name_sv or code.rsplit("/", 1)[-1].title(),
            name_en=code.rsplit("/", 1)[-1].title(),
            parent_id=parent.id if parent else None,
        )
        self.session.add(area)
        self.session.flush()
        return area

    def member(self, *, user: User | None = None, experiences: tuple = (), **fields) -> Member:
        defaults = dict(
            first_name="Test",
            last_name=f"Member{next(_counter)}",
            birth_year=1970,
            gender="woman",
            pool="levande_bibliotek",
            consent_given_at=datetime(2025, 1, 1, tzinfo=UTC),
            consent_text_version="2026-01",
        )
        member = Member(user_id=user.id if user else None, **{**defaults, **fields})
        self.session.add(member)
        self.session.flush()
        for code, kind in experiences:
            self.session.add(Experience(member_id=member.id, area_id=self.area(code).id, type=kind))
        self.session.flush()
        return member

    def weekly_window(self, member: Member, weekday: int, start: int, end: int) -> WeeklyWindow:
        window = WeeklyWindow(
            member_id=member.id, weekday=weekday, start_time=time(start), end_time=time(end)
        )
        self.session.add(window)
        self.session.flush()
        return window

    def booking_request(
        self,
        orderer: User,
        areas: tuple[str, ...] = ("cancer",),
        status: str = "submitted",
        **fields,
    ) -> BookingRequest:
        defaults = dict(
            title="Test request",
            purpose="Why",
            expectations="What",
            participation="consultation",
            assignment_type="education",
            format="digital",
        )
        booking_request = BookingRequest(
            organisation_id=orderer.organisation_id,
            orderer_id=orderer.id,
            status=status,
            **{**defaults, **fields},
        )
        self.session.add(booking_request)
        self.session.flush()
        for code in areas:
            self.session.add(RequestArea(request_id=booking_request.id, area_id=self.area(code).id))
        # 10:00 Stockholm time two weeks ahead: inside a day whatever the hour the test runs
        # at, and the same wall-clock time across a daylight-saving switch.
        start = local_days_ahead(14, hour=10)
        self.session.add(
            RequestSession(
                request_id=booking_request.id,
                starts_at=start,
                ends_at=start + timedelta(hours=2),
                ical_uid=f"test-{next(_counter)}@levande-bibliotek",
            )
        )
        self.session.flush()
        return booking_request

    def assignment(
        self, member: Member, booking_request: BookingRequest, status: str = "booked"
    ) -> Assignment:
        assignment = Assignment(request_id=booking_request.id, member_id=member.id, status=status)
        self.session.add(assignment)
        self.session.flush()
        return assignment

    def request_session(
        self, booking_request: BookingRequest, starts_at: datetime, hours: float = 2
    ) -> RequestSession:
        item = RequestSession(
            request_id=booking_request.id,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=hours),
            ical_uid=f"test-{next(_counter)}@levande-bibliotek",
        )
        self.session.add(item)
        self.session.flush()
        return item
