"""What the council sees of stand-ins: each meeting ahead with an absence, its invitations, candidates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from app.models import BookingRequest, Invitation, Member, RequestSession, SessionAbsence
from app.services.booking.invitations import answer_window_fits
from app.services.journey.absences import absences_for_request
from app.services.journey.stand_ins import open_stand_in_places, stand_in_candidates
from app.services.requests.states import LIVE_REQUEST_STATES
from app.services.requests.submission import request_sessions


@dataclass(frozen=True)
class MeetingAbsences:
    """One meeting someone cannot come to, and how its stand-ins stand."""

    meeting: RequestSession
    absent: list[tuple[SessionAbsence, Member]]
    invitations: list[tuple[Invitation, Member]]
    #: Absences with neither a stand-in nor an open invitation.
    open_places: int
    candidates: list[Member]
    #: Whether an invitation sent now could still be answered before the meeting.
    can_invite: bool


def meetings_with_absences(
    *,
    session: Session,
    booking_request: BookingRequest,
    now: datetime,
    minimum,
    sessions: list[RequestSession] | None = None,
    reported: list[tuple[SessionAbsence, RequestSession, Member]] | None = None,
) -> list[MeetingAbsences]:
    """Return the request's meetings not yet over with an absence, soonest first.

    ``sessions``: the request's sessions in time order, and ``reported``: its absences as
    ``absences_for_request`` returns them, when the caller has read them already.
    """
    if sessions is None:
        sessions = request_sessions(session=session, request_id=booking_request.id)
    meetings = [m for m in sessions if m.ends_at > now]
    ids = [m.id for m in meetings]
    if not ids:
        return []
    if reported is None:
        reported = absences_for_request(session=session, request_id=booking_request.id)
    ahead = set(ids)
    absences = sorted(
        ((a, m) for a, _meeting, m in reported if a.request_session_id in ahead),
        key=lambda pair: pair[0].id,
    )
    if not absences:
        return []
    invitations = list(
        session.exec(
            select(Invitation, Member)
            .join(Member, Member.id == Invitation.member_id)
            .where(Invitation.stand_in_session_id.in_(ids))
            .order_by(Invitation.id)
        )
    )
    live = booking_request.status in LIVE_REQUEST_STATES
    result = []
    for meeting in meetings:
        absent = [(a, m) for a, m in absences if a.request_session_id == meeting.id]
        if not absent:
            continue
        places = open_stand_in_places(session=session, meeting=meeting)
        fits = live and answer_window_fits(first_start=meeting.starts_at, now=now, minimum=minimum)
        candidates = (
            stand_in_candidates(
                session=session, booking_request=booking_request, request_session=meeting
            )
            if places and fits
            else []
        )
        result.append(
            MeetingAbsences(
                meeting=meeting,
                absent=absent,
                invitations=[(i, m) for i, m in invitations if i.stand_in_session_id == meeting.id],
                open_places=places,
                candidates=candidates,
                can_invite=bool(places and fits),
            )
        )
    return result
