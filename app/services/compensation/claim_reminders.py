"""Reminders to report time and travel for finished assignments before the payout cut-off."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, func, select

from app import clock
from app.mail.context import MailContext
from app.mail.outbox import is_written, queue_mail, record_skipped
from app.models import Assignment, BookingRequest, CompensationClaim, Member, RequestSession
from app.models.enums import ClaimStatus
from app.services.booking.invitation_mail import member_address
from app.services.compensation.payouts import period_for
from app.services.job_log import Tally
from app.services.messages import N_
from app.services.requests.states import WORK_ASSIGNMENTS

#: Reminders go out this many days before the end of the payout period.
DAYS_BEFORE_CUTOFF = 5
#: Claims in these states still need the member's report.
UNREPORTED = (ClaimStatus.DRAFT, ClaimStatus.REJECTED)


def unreported_assignments(
    *, session: Session, now: datetime
) -> list[tuple[Member, Assignment, BookingRequest]]:
    """Return finished assignments whose time and travel the member has not yet reported."""
    last_end = (
        select(RequestSession.request_id)
        .group_by(RequestSession.request_id)
        .having(func.max(RequestSession.ends_at) <= now)
    )
    reported = select(CompensationClaim.assignment_id).where(
        CompensationClaim.status.not_in([str(status) for status in UNREPORTED])
    )
    rows = session.exec(
        select(Member, Assignment, BookingRequest)
        .join(Assignment, Assignment.member_id == Member.id)
        .join(BookingRequest, BookingRequest.id == Assignment.request_id)
        .where(
            Assignment.status.in_(WORK_ASSIGNMENTS),
            Assignment.request_id.in_(last_end),
            Assignment.id.not_in(reported),
            Member.anonymised_at.is_(None),
        )
        .order_by(Member.id, Assignment.id)
    )
    return list(rows)


def send_claim_reminders(
    *,
    session: Session,
    now: datetime,
    ctx: MailContext,
    frequency: str,
    days_before: int = DAYS_BEFORE_CUTOFF,
    zone: ZoneInfo | None = None,
) -> Tally:
    """In the last days of a payout period, remind each member with unreported assignments once."""
    tally = Tally()
    today = now.astimezone(zone or clock.zone()).date()
    _, cutoff = period_for(today, frequency)
    if (cutoff - today).days > days_before:
        return tally
    by_member: dict[int, tuple[Member, list[BookingRequest]]] = {}
    for member, _assignment, booking_request in unreported_assignments(session=session, now=now):
        by_member.setdefault(member.id, (member, []))[1].append(booking_request)
    for member, requests in by_member.values():
        key = f"claim_reminder:member={member.id}:cutoff={cutoff.isoformat()}"
        if is_written(session, key):
            continue
        address = member_address(session=session, member=member)
        if not address:
            tally.skip(
                record_skipped(
                    session,
                    key=key,
                    kind="claim_reminder",
                    to="",
                    reason="no e-mail address",
                    now=now,
                )
            )
            continue
        subject, body = _text(ctx, member, requests, cutoff)
        tally.mail(
            queue_mail(
                session,
                to=address,
                subject=subject,
                body=body,
                key=key,
                kind="claim_reminder",
                now=now,
            )
        )
    return tally


def _text(ctx: MailContext, member: Member, requests, cutoff: date) -> tuple[str, str]:
    t = ctx.translate
    day = cutoff.isoformat()
    url = f"{ctx.base_url.rstrip('/')}/compensation/"
    body = "\n\n".join(
        [
            t(N_("Hello %(name)s,"), name=member.first_name),
            t(
                N_(
                    "Please report your time and travel for these assignments by %(date)s so that they are paid out with this period:"
                ),
                date=day,
            ),
            "\n".join(f"- {item.title}" for item in requests),
            t(N_("Report here: %(url)s"), url=url),
        ]
    )
    return t(N_("Report time and travel by %(date)s"), date=day), body
