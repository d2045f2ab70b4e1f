"""Feedback after each assignment: a short survey to every booked member and to the orderer.

Answer codes, read by the council's pages and the insight page:
- member: ``purpose_clear``, ``material_in_time``, ``felt_heard`` (integers 1–5) and free text;
- orderer: ``useful`` (integer 1–5) and ``led_to`` — what the contribution led to, which each
  member then sees on their assignment (``Assignment.outcome``).
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlmodel import Session, func, select

from app.mail.context import MailContext
from app.mail.outbox import is_written, queue_mail, record_skipped
from app.models import Assignment, BookingRequest, Feedback, Member, RequestSession, Survey
from app.models.enums import FeedbackRespondent
from app.models.once import insert_once
from app.services.booking.invitation_mail import member_address
from app.services.errors import Conflict, InvalidInput, NotFound
from app.services.job_log import Tally
from app.services.journey.orderer_mail import orderer_recipient
from app.services.messages import N_
from app.services.requests.states import STAFFED_REQUEST_STATES, WORK_ASSIGNMENTS

MEMBER_QUESTIONS = ("purpose_clear", "material_in_time", "felt_heard")
ORDERER_QUESTIONS = ("useful",)
SCORES = range(1, 6)
#: Surveys go out this long after a request's last session has ended …
SURVEY_DELAY = timedelta(hours=2)
#: … and no longer once this much time has passed since (after a long downtime).
SURVEY_WINDOW = timedelta(days=30)


def survey_url(ctx: MailContext, token: str) -> str:
    """Return the survey's secret link."""
    return f"{ctx.base_url.rstrip('/')}/feedback/{token}"


def send_feedback_surveys(
    *,
    session: Session,
    now: datetime,
    ctx: MailContext,
    delay: timedelta = SURVEY_DELAY,
    window: timedelta = SURVEY_WINDOW,
) -> Tally:
    """Send one survey per booked member and one to the orderer after a request's last session."""
    tally = Tally()
    last_end = func.max(RequestSession.ends_at)
    finished = (
        select(RequestSession.request_id)
        .group_by(RequestSession.request_id)
        .having(last_end <= now - delay, last_end > now - window)
    )
    requests = session.exec(
        select(BookingRequest)
        .where(
            BookingRequest.id.in_(finished),
            BookingRequest.status.in_(STAFFED_REQUEST_STATES),
        )
        .order_by(BookingRequest.id)
    )
    for booking_request in list(requests):
        for assignment, member in _surveyed(session, booking_request.id):
            address = member_address(session=session, member=member)
            _survey(session, ctx, tally, booking_request, assignment, address, now, member)
        address, _name = orderer_recipient(session=session, booking_request=booking_request)
        _survey(session, ctx, tally, booking_request, None, address, now, None)
    return tally


def _surveyed(session: Session, request_id: int) -> list[tuple[Assignment, Member]]:
    query = (
        select(Assignment, Member)
        .join(Member, Member.id == Assignment.member_id)
        .where(
            Assignment.request_id == request_id,
            Assignment.status.in_(WORK_ASSIGNMENTS),
            Member.anonymised_at.is_(None),
        )
        .order_by(Assignment.id)
    )
    return list(session.exec(query))


def _survey(session, ctx, tally, booking_request, assignment, address, now, member) -> None:
    """Create the survey (once) and queue its mail (once)."""
    respondent = FeedbackRespondent.MEMBER if assignment else FeedbackRespondent.ORDERER
    key = f"member:{assignment.id}" if assignment else f"orderer:{booking_request.id}"
    mail_key, kind = f"survey:{key}", f"survey_{respondent}"
    if is_written(session, mail_key):
        return
    if not address:
        tally.skip(
            record_skipped(
                session, key=mail_key, kind=kind, to="", reason="no e-mail address", now=now
            )
        )
        return
    insert_once(
        session,
        Survey,
        dict(
            key=key,
            request_id=booking_request.id,
            assignment_id=assignment.id if assignment else None,
            respondent=respondent.value,
            token=secrets.token_urlsafe(32),
            sent_at=now,
        ),
        unique=["key"],
    )
    survey = session.exec(select(Survey).where(Survey.key == key)).one()
    subject, body = _survey_text(ctx, booking_request, survey, member)
    tally.mail(
        queue_mail(
            session, to=address, subject=subject, body=body, key=mail_key, kind=kind, now=now
        )
    )


def _survey_text(ctx: MailContext, booking_request, survey: Survey, member) -> tuple[str, str]:
    t = ctx.translate
    url = survey_url(ctx, survey.token)
    subject = t(N_("How did it go? %(title)s"), title=booking_request.title)
    if member is not None:
        parts = [
            t(N_("Hello %(name)s,"), name=member.first_name),
            t(
                N_(
                    "Thank you for taking part in “%(title)s”. Three short questions and room for your own words: %(url)s"
                ),
                title=booking_request.title,
                url=url,
            ),
            t(
                N_(
                    "The orderer is asked what your contribution led to; you will see the answer under Feedback on your pages."
                )
            ),
        ]
    else:
        parts = [
            t(
                N_(
                    "Was the contribution to “%(title)s” useful, and what did it lead to? Please tell us here: %(url)s"
                ),
                title=booking_request.title,
                url=url,
            ),
            t(N_("Your answer about what it led to is shown to the members who took part.")),
        ]
    return subject, "\n\n".join(parts)


def survey_by_token(*, session: Session, token: str) -> Survey:
    """Return the survey a secret link points to."""
    survey = session.exec(select(Survey).where(Survey.token == token)).first() if token else None
    if survey is None:
        raise NotFound(N_("No such survey."))
    return survey


def questions_for(survey: Survey) -> tuple[str, ...]:
    """Return the answer codes a survey asks for."""
    return MEMBER_QUESTIONS if survey.respondent == FeedbackRespondent.MEMBER else ORDERER_QUESTIONS


def answer_survey(
    *,
    session: Session,
    token: str,
    scores: dict[str, int | None],
    free_text: str = "",
    led_to: str = "",
    now: datetime,
) -> Feedback:
    """Store the answers once; the orderer's "what it led to" goes onto every member's assignment."""
    survey = survey_by_token(session=session, token=token)
    if survey.answered_at is not None:
        raise Conflict(N_("This survey has already been answered. Thank you!"))
    questions = questions_for(survey)
    errors = {
        code: N_("Choose a number from 1 to 5.")
        for code in questions
        if scores.get(code) not in SCORES
    }
    if errors:
        raise InvalidInput(N_("Answer every question."), errors)
    feedback = Feedback(
        request_id=survey.request_id,
        assignment_id=survey.assignment_id,
        respondent=survey.respondent,
        user_id=_respondent_user(session, survey),
        answers={code: int(scores[code]) for code in questions},
        free_text=(free_text or "").strip()[:4000],
        led_to=(led_to or "").strip()[:4000]
        if survey.respondent == FeedbackRespondent.ORDERER
        else "",
        submitted_at=now,
    )
    session.add(feedback)
    session.flush()
    survey.answered_at, survey.feedback_id = now, feedback.id
    session.add(survey)
    if feedback.led_to:
        _tell_members(session, survey.request_id, feedback.led_to)
    return feedback


def _respondent_user(session: Session, survey: Survey) -> int | None:
    if survey.assignment_id is None:
        return session.get(BookingRequest, survey.request_id).orderer_id
    assignment = session.get(Assignment, survey.assignment_id)
    return session.get(Member, assignment.member_id).user_id


def _tell_members(session: Session, request_id: int, led_to: str) -> None:
    for assignment in session.exec(
        select(Assignment).where(
            Assignment.request_id == request_id,
            Assignment.status.in_(WORK_ASSIGNMENTS),
        )
    ):
        assignment.outcome = led_to
        session.add(assignment)
