"""Survey results: per request and in aggregate for the council, and for members and orderers."""

from __future__ import annotations

from dataclasses import dataclass
from statistics import mean

from sqlmodel import Session, select

from app.models import Assignment, BookingRequest, Feedback, Member, Survey, User
from app.models.enums import FeedbackRespondent
from app.services.feedback.surveys import MEMBER_QUESTIONS, ORDERER_QUESTIONS

QUESTIONS = (*MEMBER_QUESTIONS, *ORDERER_QUESTIONS)


@dataclass(frozen=True)
class Summary:
    """Average score per answer code, with how many surveys were sent and answered."""

    sent: int
    answered: int
    averages: dict[str, float | None]
    led_to: tuple[str, ...] = ()

    @property
    def response_rate(self) -> float | None:
        return self.answered / self.sent if self.sent else None


def summarise(surveys: list[Survey], answers: list[Feedback]) -> Summary:
    """Return the averages (one decimal) of the answers' scores."""
    averages = {}
    for code in QUESTIONS:
        scores = [item.answers[code] for item in answers if isinstance(item.answers.get(code), int)]
        averages[code] = round(float(mean(scores)), 1) if scores else None
    led_to = tuple(item.led_to for item in answers if item.led_to)
    return Summary(len(surveys), sum(1 for s in surveys if s.answered_at), averages, led_to)


@dataclass(frozen=True)
class RequestResults:
    """One request's feedback: its summary and each answer."""

    request: BookingRequest
    summary: Summary
    answers: list[Feedback]


def feedback_overview(*, session: Session) -> tuple[Summary, list[RequestResults]]:
    """Return the aggregate over every survey and the results per surveyed request, newest first."""
    surveys = list(session.exec(select(Survey)))
    answers = list(session.exec(select(Feedback).order_by(Feedback.id)))
    request_ids = sorted({survey.request_id for survey in surveys}, reverse=True)
    requests = {
        item.id: item
        for item in session.exec(select(BookingRequest).where(BookingRequest.id.in_(request_ids)))
    }
    results = [_results(requests[request_id], surveys, answers) for request_id in request_ids]
    return summarise(surveys, answers), results


def request_results(*, session: Session, booking_request: BookingRequest) -> RequestResults:
    """Return one request's survey results with each answer."""
    surveys = list(session.exec(select(Survey).where(Survey.request_id == booking_request.id)))
    answers = list(
        session.exec(
            select(Feedback).where(Feedback.request_id == booking_request.id).order_by(Feedback.id)
        )
    )
    return _results(booking_request, surveys, answers)


def _results(booking_request, surveys, answers) -> RequestResults:
    own_surveys = [s for s in surveys if s.request_id == booking_request.id]
    own_answers = [a for a in answers if a.request_id == booking_request.id]
    return RequestResults(booking_request, summarise(own_surveys, own_answers), own_answers)


@dataclass(frozen=True)
class MemberAssignment:
    """A member's assignment on their feedback page: what it led to, and their open survey."""

    assignment: Assignment
    request: BookingRequest
    survey: Survey | None


def member_assignments(*, session: Session, member: Member) -> list[MemberAssignment]:
    """Return the member's assignments that had a survey, with what they led to."""
    rows = session.exec(
        select(Assignment, BookingRequest, Survey)
        .join(BookingRequest, BookingRequest.id == Assignment.request_id)
        .join(Survey, Survey.assignment_id == Assignment.id)
        .where(Assignment.member_id == member.id)
        .order_by(Assignment.id.desc())
    )
    return [MemberAssignment(*row) for row in rows]


def orderer_surveys(*, session: Session, user: User) -> list[tuple[BookingRequest, Survey]]:
    """Return the surveys about the orderer's organisation's requests, newest first."""
    rows = session.exec(
        select(BookingRequest, Survey)
        .join(Survey, Survey.request_id == BookingRequest.id)
        .where(
            BookingRequest.organisation_id == user.organisation_id,
            Survey.respondent == FeedbackRespondent.ORDERER,
        )
        .order_by(BookingRequest.id.desc())
    )
    return list(rows)
