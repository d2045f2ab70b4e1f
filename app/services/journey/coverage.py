"""Which meetings an assignment covers: the one rule every query of "her sessions" uses.

An assignment covers its request's sessions, except:
- a stand-in (``Assignment.stand_in_session_id`` set) covers that one meeting only;
- a meeting the person said beforehand she cannot come to (``SessionAbsence``) is not hers.

Queries that join ``RequestSession`` to ``Assignment`` add ``covers(Assignment, RequestSession)``
to their conditions, so the calendar, the feed, reminders, load, claims and attendance agree.
"""

from __future__ import annotations

from sqlalchemy import and_, or_
from sqlmodel import select

from app.models import SessionAbsence


def absent_from(member_id, session_id):
    """Return a condition: the member reported beforehand that she cannot come to the session."""
    return (
        select(SessionAbsence.id)
        .where(
            SessionAbsence.member_id == member_id,
            SessionAbsence.request_session_id == session_id,
        )
        .exists()
    )


def covers(assignment, request_session):
    """Return a condition: the assignment (a table or alias) covers the request session."""
    return and_(
        request_session.request_id == assignment.request_id,
        or_(
            assignment.stand_in_session_id.is_(None),
            assignment.stand_in_session_id == request_session.id,
        ),
        ~absent_from(assignment.member_id, request_session.id),
    )
