"""A member's own availability through the API: weekly windows, blocked periods, pause."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from app import clock
from app.db import get_session
from app.models import Member
from app.models.enums import Role
from app.services.booking.withdrawals import WithdrawalNeeded, block_period
from app.services.messages import N_
from app.services.pool import availability as service
from app.services.pool.profile import member_for_user
from app.web.api import bp, responses, spec
from app.web.api.auth import api_user, roles
from app.web.api.errors import ApiError
from app.web.api.schemas import (
    AvailabilityOut,
    BlockedOut,
    PauseIn,
    PeriodIn,
    PeriodOut,
    WindowIn,
    WindowOut,
)
from app.web.pool_common import council_mailbox, mail_translate

WINDOW_ID = "<int:window_id>"
PERIOD_ID = "<int:period_id>"
WRITE_ERRORS = [400, 404, 415, 422]


def own_member() -> Member:
    """Return the pool row of the token's member (404 when the account has none)."""
    return member_for_user(session=get_session(), user=api_user())


def owned(kind: str) -> Callable:
    """Check the window or period is the member's own before the body is (else 404, any body)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            member, session = own_member(), get_session()
            if kind == "window":
                service.own_window(session=session, member=member, window_id=kwargs["window_id"])
            else:
                service.own_period(session=session, member=member, period_id=kwargs["period_id"])
            return view(*args, **kwargs)

        return wrapped

    return decorator


def _window(row) -> WindowOut:
    return WindowOut(
        id=row.id, weekday=row.weekday, start_time=row.start_time, end_time=row.end_time
    )


def _period(row) -> PeriodOut:
    return PeriodOut(
        id=row.id, start_date=row.start_date, end_date=row.end_date, kind=row.kind, note=row.note
    )


def _availability(member: Member) -> AvailabilityOut:
    session = get_session()
    return AvailabilityOut(
        paused_until=member.paused_until,
        windows=[_window(w) for w in service.member_windows(session=session, member_id=member.id)],
        periods=[_period(p) for p in service.member_periods(session=session, member_id=member.id)],
    )


@bp.get("/me/availability")
@roles(Role.MEMBER)
@spec.validate(resp=responses(HTTP_200=AvailabilityOut, errors=[404]), tags=["availability"])
def availability():
    """Read your weekly windows, blocked periods and pause."""
    return _availability(own_member())


@bp.post("/me/availability/windows")
@roles(Role.MEMBER)
@spec.validate(resp=responses(HTTP_201=WindowOut, errors=WRITE_ERRORS), tags=["availability"])
def add_window(json: WindowIn):
    """Add a weekly window (local wall-clock times); overlapping windows are refused."""
    data = service.WindowInput(json.weekday, json.start_time, json.end_time)
    window = service.add_window(session=get_session(), member=own_member(), data=data)
    return _window(window), 201


@bp.put(f"/me/availability/windows/{WINDOW_ID}")
@roles(Role.MEMBER)
@owned("window")
@spec.validate(resp=responses(HTTP_200=WindowOut, errors=WRITE_ERRORS), tags=["availability"])
def update_window(window_id: int, json: WindowIn):
    """Change one of your weekly windows."""
    data = service.WindowInput(json.weekday, json.start_time, json.end_time)
    window = service.update_window(
        session=get_session(), member=own_member(), window_id=window_id, data=data
    )
    return _window(window)


@bp.delete(f"/me/availability/windows/{WINDOW_ID}")
@roles(Role.MEMBER)
@owned("window")
@spec.validate(resp=responses(HTTP_204=None, errors=[404]), tags=["availability"])
def delete_window(window_id: int):
    """Remove one of your weekly windows."""
    service.delete_window(session=get_session(), member=own_member(), window_id=window_id)
    return "", 204


@bp.post("/me/availability/periods")
@roles(Role.MEMBER)
@spec.validate(
    resp=responses(HTTP_201=BlockedOut, errors=[*WRITE_ERRORS, 409]), tags=["availability"]
)
def add_period(json: PeriodIn):
    """Block a period; one that covers bookings needs ``confirm_withdraw`` (else 409)."""
    member = own_member()
    data = service.PeriodInput(json.start_date, json.end_date, json.kind, json.note)
    try:
        period, withdrawn = block_period(
            session=get_session(),
            member=member,
            data=data,
            actor_id=api_user().id,
            zone=clock.zone(),
            council_mailbox=council_mailbox(),
            translate=mail_translate(),
            confirm_withdraw=json.confirm_withdraw,
        )
    except WithdrawalNeeded as needed:
        raise ApiError(
            409,
            str(needed),
            code="withdrawal_needed",
            fields={"confirm_withdraw": N_("Send true to withdraw from the covered bookings.")},
        ) from None
    ids = [assignment.id for assignment in withdrawn]
    return BlockedOut(period=_period(period), withdrawn_assignment_ids=ids), 201


@bp.delete(f"/me/availability/periods/{PERIOD_ID}")
@roles(Role.MEMBER)
@owned("period")
@spec.validate(resp=responses(HTTP_204=None, errors=[404]), tags=["availability"])
def delete_period(period_id: int):
    """Remove one of your blocked periods."""
    service.delete_period(session=get_session(), member=own_member(), period_id=period_id)
    return "", 204


@bp.post("/me/availability/pause")
@roles(Role.MEMBER)
@spec.validate(resp=responses(HTTP_200=AvailabilityOut, errors=WRITE_ERRORS), tags=["availability"])
def pause(json: PauseIn):
    """Pause all assignments up to and including a date."""
    member = own_member()
    today = clock.today()
    service.pause_member(session=get_session(), member=member, until=json.until, today=today)
    return _availability(member)


@bp.post("/me/availability/resume")
@roles(Role.MEMBER)
@spec.validate(resp=responses(HTTP_200=AvailabilityOut, errors=[404]), tags=["availability"])
def resume():
    """End a pause at once."""
    member = own_member()
    service.resume_member(session=get_session(), member=member)
    return _availability(member)
