"""Requests through the API: orderers create, list, read and cancel; the council reads them all."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import url_for

from app.db import get_session
from app.mail.settings import mail_context
from app.models import BookingRequest
from app.models.base import utcnow
from app.models.enums import Role
from app.services.booking.decisions import cancel_request
from app.services.journey.request_cancel import cancel_by_orderer
from app.services.privacy.health_access import read_coming_people
from app.services.requests.submission import (
    RequestInput,
    SessionInput,
    get_request_for,
    list_request_rows,
    request_areas,
    request_sessions,
    submit_request,
)
from app.web.api import bp, responses, spec
from app.web.api.auth import api_user, roles
from app.web.api.schemas import (
    AreaOut,
    ComingExperience,
    ComingPersonOut,
    Me,
    ReasonText,
    RequestCreate,
    RequestList,
    RequestListQuery,
    RequestOut,
    RequestSummaryOut,
    SessionOut,
)

REQUEST_ID = "<int:request_id>"
_COPIED = (
    "id title status status_message organisation_id purpose expectations participation "
    "assignment_type experience people_count format location video_link language "
    "preparation_minutes age_min age_max is_open_information_meeting contact_name "
    "contact_email contact_phone quotas balance created_at decided_at is_standing term_start "
    "term_end meetings_per_period period_months renewed_from_id"
).split()


def request_out(booking_request: BookingRequest) -> RequestOut:
    """Return the request as the API shows it (who is coming: first name, relevant experience)."""
    session = get_session()
    coming = read_coming_people(
        session=session, booking_request=booking_request, actor_id=api_user().id
    )
    return RequestOut(
        **{name: getattr(booking_request, name) for name in _COPIED},
        sessions=[
            SessionOut(id=item.id, starts_at=item.starts_at, ends_at=item.ends_at)
            for item in request_sessions(session=session, request_id=booking_request.id)
        ],
        areas=[
            AreaOut(id=area.id, code=area.code, name_sv=area.name_sv, name_en=area.name_en)
            for area in request_areas(session=session, request_id=booking_request.id)
        ],
        coming=[
            ComingPersonOut(
                first_name=person.first_name,
                experiences=[
                    ComingExperience(area_code=area.code, type=kind)
                    for area, kind in person.experiences
                ],
            )
            for person in coming
        ],
    )


def load_request(request_id: int) -> BookingRequest:
    """Return a request the token's user may see (another organisation's is 'not found')."""
    return get_request_for(session=get_session(), user=api_user(), request_id=request_id)


def with_request(view: Callable) -> Callable:
    """Pass the view the request, loaded before the body is checked (unseen → 404, any body)."""

    @wraps(view)
    def wrapped(*args, request_id: int, **kwargs):
        return view(*args, booking_request=load_request(request_id), **kwargs)

    return wrapped


@bp.get("/me")
@roles(*Role)
@spec.validate(resp=responses(HTTP_200=Me), tags=["account"])
def me():
    """Return the user the token acts as."""
    user = api_user()
    return Me(
        id=user.id,
        email=user.email,
        full_name=user.full_name,
        role=user.role,
        organisation_id=user.organisation_id,
    )


@bp.get("/requests")
@roles(Role.ORDERER, Role.COUNCIL)
@spec.validate(resp=responses(HTTP_200=RequestList, errors=[422]), tags=["requests"])
def list_all(query: RequestListQuery):
    """List requests, newest first: an orderer sees its organisation's, the council all.

    At most ``limit`` (default 100) per call; ``total`` says how many match, ``offset`` pages on.
    """
    user = api_user()
    scope = {
        "organisation_id": user.organisation_id if user.role == Role.ORDERER else None,
        "only_open": query.only_open,
        "status": query.status,
    }
    rows, total = list_request_rows(
        session=get_session(), limit=query.limit, offset=query.offset, **scope
    )
    items = [
        RequestSummaryOut(
            id=row.id,
            title=row.title,
            status=row.status,
            organisation_id=row.organisation_id,
            organisation_name=row.organisation_name,
            first_session_at=row.first_start,
            session_count=row.session_count,
            created_at=row.created_at,
        )
        for row in rows
    ]
    return RequestList(items=items, total=total)


@bp.post("/requests")
@roles(Role.ORDERER)
@spec.validate(resp=responses(HTTP_201=RequestOut, errors=[400, 415, 422]), tags=["requests"])
def create(json: RequestCreate):
    """Submit a request for participants; it goes to the council's queue."""
    data = RequestInput(
        **json.model_dump(exclude={"sessions"}),
        sessions=[SessionInput(s.starts_at, s.ends_at) for s in json.sessions],
    )
    created = submit_request(session=get_session(), orderer=api_user(), data=data)
    location = url_for("api.read", request_id=created.id)
    return request_out(created), 201, {"Location": location}


@bp.get(f"/requests/{REQUEST_ID}")
@roles(Role.ORDERER, Role.COUNCIL)
@with_request
@spec.validate(resp=responses(HTTP_200=RequestOut, errors=[404]), tags=["requests"])
def read(booking_request: BookingRequest):
    """Read one request with its sessions, areas and, once booked, who is coming."""
    return request_out(booking_request)


@bp.post(f"/requests/{REQUEST_ID}/cancel")
@roles(Role.ORDERER, Role.COUNCIL)
@with_request
@spec.validate(
    resp=responses(HTTP_200=RequestOut, errors=[400, 404, 409, 415, 422]), tags=["requests"]
)
def cancel(booking_request: BookingRequest, json: ReasonText):
    """Cancel a request: invitations are withdrawn and calendars get a cancellation.

    An orderer's cancellation tells the council and, close to the start, is a late one
    (docs/journey.md, "Changes after sending"), as on the web.
    """
    if api_user().role == Role.ORDERER:
        cancel_by_orderer(
            session=get_session(),
            booking_request=booking_request,
            reason=json.reason,
            actor=api_user(),
            ctx=mail_context(),
            now=utcnow(),
        )
        return request_out(booking_request)
    return answer_with(cancel_request, booking_request, reason=json.reason)


def answer_with(service: Callable, booking_request: BookingRequest, **text) -> RequestOut:
    """Run one of the booking services that take a message, and return the request after it."""
    service(
        session=get_session(),
        booking_request=booking_request,
        actor=api_user(),
        ctx=mail_context(),
        **text,
    )
    return request_out(booking_request)
