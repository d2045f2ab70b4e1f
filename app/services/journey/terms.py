"""A standing group's term in figures, and its evaluation (issue 19, docs/journey.md).

The figures of a period count the meetings held (started) in it and, per person booked on
the request, how each meeting she was expected at went: attended, no-show, cancelled late
(the attendance marks), absent (she said beforehand she cannot come: ``SessionAbsence``) or
not recorded. A stand-in counts on her one meeting only. The attendance rate is attended
over expected, where an absence reported beforehand is not expected.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import Session, select

from app import clock
from app.models import Assignment, BookingRequest, Member, SessionAbsence, TermEvaluation, User
from app.models.base import utcnow
from app.models.enums import AttendanceStatus, RequestAction
from app.services.booking.attendance import MARKABLE_ASSIGNMENTS, marks_for
from app.services.errors import InvalidInput
from app.services.journey.meetings import check_meeting_actor
from app.services.messages import N_
from app.services.requests.history import log_event
from app.services.requests.submission import request_sessions

#: The outcomes a person's expected meeting can have, in the order the tables show them.
OUTCOMES = ("attended", "no_show", "cancelled_late", "absent", "not_recorded")


@dataclass
class PersonFigures:
    """One booked person's meetings in the period (names for the council and the orderer)."""

    member_id: int
    first_name: str
    name: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))


@dataclass(frozen=True)
class MeetingFigures:
    """One meeting held in the period: how many came of those expected."""

    session_id: int
    starts_at: datetime
    attended: int
    expected: int

    @property
    def share(self) -> float:
        return self.attended / self.expected if self.expected else 0.0


@dataclass
class TermFigures:
    """The figures of one period of a request."""

    period_start: date
    period_end: date
    meetings: list[MeetingFigures]
    people: list[PersonFigures]

    def total(self, outcome: str) -> int:
        return sum(person.counts[outcome] for person in self.people)

    @property
    def expected(self) -> int:
        return sum(self.total(outcome) for outcome in OUTCOMES if outcome != "absent")

    @property
    def rate(self) -> float | None:
        """Attended over expected (None when nobody was expected)."""
        return self.total("attended") / self.expected if self.expected else None

    def snapshot(self) -> dict:
        """Return the figures as stored on an evaluation (counts and first names only)."""
        return {
            "meetings": len(self.meetings),
            **{outcome: self.total(outcome) for outcome in OUTCOMES},
            "rate": self.rate,
            "per_meeting": [
                {
                    "starts_at": m.starts_at.isoformat(),
                    "attended": m.attended,
                    "expected": m.expected,
                }
                for m in self.meetings
            ],
            "people": [
                {"member_id": p.member_id, "first_name": p.first_name, **p.counts}
                for p in self.people
            ],
        }


def default_period(booking_request: BookingRequest, now: datetime) -> tuple[date, date]:
    """Return the period an evaluation covers by default: the term, else the meetings' span."""
    today = now.astimezone(clock.zone()).date()
    start = booking_request.term_start or booking_request.created_at.astimezone(clock.zone()).date()
    return start, booking_request.term_end or today


def term_figures(
    *,
    session: Session,
    booking_request: BookingRequest,
    period_start: date,
    period_end: date,
    now: datetime | None = None,
) -> TermFigures:
    """Return the meetings held in the period and each booked person's attendance."""
    now, zone = now or utcnow(), clock.zone()
    held = [
        item
        for item in request_sessions(session=session, request_id=booking_request.id)
        if item.starts_at <= now
        and period_start <= item.starts_at.astimezone(zone).date() <= period_end
    ]
    booked = list(
        session.exec(
            select(Assignment, Member)
            .join(Member, Member.id == Assignment.member_id)
            .where(
                Assignment.request_id == booking_request.id,
                Assignment.status.in_(MARKABLE_ASSIGNMENTS),
            )
            .order_by(Member.first_name, Member.id)
        )
    )
    ids = [item.id for item in held]
    marks = marks_for(session=session, session_ids=ids)
    absences = set(
        session.exec(
            select(SessionAbsence.request_session_id, SessionAbsence.member_id).where(
                SessionAbsence.request_session_id.in_(ids or [0])
            )
        )
    )
    people = [PersonFigures(m.id, m.first_name, m.display_name) for _, m in booked]
    meetings = []
    for item in held:
        attended = expected = 0
        for (assignment, member), person in zip(booked, people, strict=True):
            if assignment.stand_in_session_id not in (None, item.id):
                continue
            outcome = _outcome(marks.get((item.id, member.id)), (item.id, member.id) in absences)
            person.counts[outcome] += 1
            attended += outcome == "attended"
            expected += outcome != "absent"
        meetings.append(MeetingFigures(item.id, item.starts_at, attended, expected))
    return TermFigures(period_start, period_end, meetings, people)


def _outcome(mark: str | None, absent: bool) -> str:
    if mark in set(AttendanceStatus):
        return str(mark)
    return "absent" if absent else "not_recorded"


def evaluate_term(
    *,
    session: Session,
    booking_request: BookingRequest,
    period_start: date,
    period_end: date,
    went_well: str,
    to_improve: str,
    recommend_renewal: bool | None,
    actor: User,
    now: datetime | None = None,
) -> TermEvaluation:
    """Store an evaluation of a period with a snapshot of its figures; log it on the request."""
    now = now or utcnow()
    check_meeting_actor(booking_request, actor)
    if period_end < period_start:
        raise InvalidInput(
            N_("The period must not end before it starts."),
            {"period_end": N_("The period must not end before it starts.")},
        )
    figures = term_figures(
        session=session,
        booking_request=booking_request,
        period_start=period_start,
        period_end=period_end,
        now=now,
    )
    evaluation = TermEvaluation(
        request_id=booking_request.id,
        period_start=period_start,
        period_end=period_end,
        figures=figures.snapshot(),
        went_well=went_well.strip(),
        to_improve=to_improve.strip(),
        recommend_renewal=recommend_renewal,
        created_at=now,
        created_by_id=actor.id,
    )
    session.add(evaluation)
    session.flush()
    log_event(
        session,
        booking_request,
        actor.id,
        RequestAction.TERM_EVALUATED,
        evaluation_id=evaluation.id,
        period=[period_start.isoformat(), period_end.isoformat()],
    )
    return evaluation


def term_evaluations(*, session: Session, request_id: int) -> list[TermEvaluation]:
    """Return a request's evaluations, newest first."""
    query = select(TermEvaluation).where(TermEvaluation.request_id == request_id)
    return list(session.exec(query.order_by(TermEvaluation.created_at.desc())))
