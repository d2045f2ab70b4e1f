"""The agreement of one assignment: what, how long, the fee, who informs, the declaration."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlmodel import Session

from app.models import Assignment, BookingRequest, Member, Organisation, RequestSession, User
from app.models.base import utcnow
from app.models.enums import Role
from app.services.compensation import fees
from app.services.compensation.fee_tables import load_tables, unique_missing
from app.services.compensation.offer import agreed_activities, price_activities
from app.services.compensation.terms import terms_of
from app.services.errors import Conflict, InvalidInput, NotFound
from app.services.journey.covered_sessions import covered_sessions
from app.services.messages import N_
from app.services.requests.states import WORK_ASSIGNMENTS


@dataclass(frozen=True)
class Agreement:
    """Everything the printed agreement shows."""

    assignment: Assignment
    member: Member
    request: BookingRequest
    organisation: Organisation
    sessions: list[RequestSession]
    lines: list[fees.FeeLine]
    estimated_minutes: int
    fee_error: str
    #: Figures not recorded yet: the fee total leaves out the activities that need them.
    missing: tuple[fees.MissingFigure, ...] = ()

    @property
    def fee_total(self) -> int:
        return sum(line.fee for line in self.lines)


def _visible(user: User, member: Member, req: BookingRequest) -> bool:
    if user.role == Role.COUNCIL:
        return True
    if user.role == Role.MEMBER:
        return member.user_id == user.id
    return user.role == Role.ORDERER and req.organisation_id == user.organisation_id


def agreement_for(
    *,
    session: Session,
    user: User,
    assignment_id: int,
    zone: ZoneInfo,
    hourly_rule: str = fees.HOURLY_STARTED,
) -> Agreement:
    """Return the agreement of an assignment the user may see (others: NotFound)."""
    assignment = session.get(Assignment, assignment_id)
    if assignment is None:
        raise NotFound(N_("No such assignment."))
    member = session.get(Member, assignment.member_id)
    req = session.get(BookingRequest, assignment.request_id)
    if not _visible(user, member, req):
        raise NotFound(N_("No such assignment."))
    items = covered_sessions(session=session, assignment=assignment)
    lines, error, missing = _fee_lines(session, assignment, items, zone, hourly_rule)
    minutes = sum(fees.minutes_between(i.starts_at, i.ends_at) for i in items)
    minutes += assignment.extra_minutes + req.preparation_minutes
    return Agreement(
        assignment,
        member,
        req,
        session.get(Organisation, req.organisation_id),
        items,
        lines,
        minutes,
        error,
        missing,
    )


MAX_DECLARATION = 2000


def declare_conflicts(
    *, session: Session, user: User, assignment_id: int, has_interests: bool, interests: str = ""
) -> Assignment:
    """Sign the member's conflict-of-interest declaration (jävsdeklaration) of an assignment."""
    assignment = session.get(Assignment, assignment_id)
    member = session.get(Member, assignment.member_id) if assignment else None
    if member is None or user.role != Role.MEMBER or member.user_id != user.id:
        raise NotFound(N_("No such assignment."))
    if assignment.status not in WORK_ASSIGNMENTS:
        raise Conflict(N_("This assignment is no longer booked."))
    text = interests.strip() if has_interests else ""
    if has_interests and not text:
        raise InvalidInput(
            N_("Check the declaration."),
            fields={"interests": N_("Describe your interests, or declare that you have none.")},
        )
    if len(text) > MAX_DECLARATION:
        raise InvalidInput(
            N_("Check the declaration."),
            fields={"interests": N_("Use at most 2 000 characters.")},
        )
    assignment.conflict_declaration = text
    assignment.conflict_declared_at = utcnow()
    session.flush()
    return assignment


def _fee_lines(session, assignment, items, zone, hourly_rule):
    """Return the fee lines the tables allow, an error text, and the figures still missing."""
    terms = terms_of(assignment)
    activities = agreed_activities(items, extra_minutes=terms.extra_minutes, zone=zone)
    try:
        priced, missing = price_activities(
            activities, tables=load_tables(session=session), terms=terms, hourly_rule=hourly_rule
        )
    except fees.FeeError as error:
        return [], str(error), ()
    return [line for _index, line in priced], "", unique_missing(missing)
