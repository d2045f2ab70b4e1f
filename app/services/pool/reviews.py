"""Every 6 months a member confirms availability and consent; no answer after a reminder pauses them.

A review falls due 6 months after the latest of: joining, giving consent, the last confirmed
review (or the last lapse, for a member the council has resumed since). The member gets a link;
without an answer a second reminder follows, and without an answer to that the member is paused
(and the council told). Answering confirms consent to the current text.
"""

from __future__ import annotations

import calendar
import secrets
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, func, select

from app import clock
from app.mail.context import MailContext
from app.mail.outbox import queue_mail, record_skipped
from app.models import Member, MemberReview
from app.models.enums import MemberStatus, ReviewStatus
from app.models.once import insert_once
from app.services.booking.invitation_mail import member_address
from app.services.errors import Conflict, NotFound
from app.services.job_log import Tally
from app.services.messages import N_
from app.services.pool.member_admin import set_member_status
from app.services.privacy.audit import record_audit
from app.services.privacy.consent import give_consent

REVIEW_MONTHS = 6
#: The second (last) reminder goes out this long after the first mail …
REMINDER_AFTER = timedelta(days=14)
#: … and the member is paused this long after the reminder.
PAUSE_AFTER = timedelta(days=14)


def add_months(day: date, months: int) -> date:
    """Return the same day ``months`` later (the month's last day when it is shorter)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def review_due_on(
    *,
    session: Session,
    member: Member,
    months: int = REVIEW_MONTHS,
    zone: ZoneInfo | None = None,
) -> date:
    """Return the day the member's next review falls due."""
    zone = zone or clock.zone()
    last = session.exec(
        select(func.max(func.coalesce(MemberReview.answered_at, MemberReview.lapsed_at))).where(
            MemberReview.member_id == member.id,
            MemberReview.status.in_([ReviewStatus.CONFIRMED.value, ReviewStatus.LAPSED.value]),
        )
    ).one()
    anchors = [member.joined_on]
    for moment in (member.consent_given_at, last):
        if isinstance(moment, datetime):
            anchors.append(_local_day(moment, zone))
    return add_months(max(anchors), months)


def _local_day(moment: datetime, zone: ZoneInfo) -> date:
    if moment.tzinfo is None:  # an aggregate read back from SQLite carries no zone: it is UTC
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    return moment.astimezone(zone).date()


def run_member_reviews(
    *,
    session: Session,
    now: datetime,
    ctx: MailContext,
    months: int = REVIEW_MONTHS,
    reminder_after: timedelta = REMINDER_AFTER,
    pause_after: timedelta = PAUSE_AFTER,
    zone: ZoneInfo | None = None,
) -> Tally:
    """Remind or pause members with open reviews, then open the reviews that have fallen due."""
    zone = zone or clock.zone()
    tally = Tally()
    open_reviews = session.exec(
        select(MemberReview, Member)
        .join(Member, Member.id == MemberReview.member_id)
        .where(MemberReview.status == ReviewStatus.OPEN)
        .order_by(MemberReview.id)
    )
    for review, member in list(open_reviews):
        if review.reminded_at is None and now >= review.requested_at + reminder_after:
            review.reminded_at = now
            session.add(review)
            _mail(session, ctx, tally, review, member, "reminder", now)
        elif review.reminded_at is not None and now >= review.reminded_at + pause_after:
            _lapse(session, ctx, tally, review, member, now)
    today = now.astimezone(zone).date()
    for member in _members_without_open_review(session):
        if review_due_on(session=session, member=member, months=months, zone=zone) <= today:
            _open_review(session, ctx, tally, member, months, zone, now)
    return tally


def _members_without_open_review(session: Session) -> list[Member]:
    open_ones = select(MemberReview.member_id).where(MemberReview.status == ReviewStatus.OPEN)
    query = (
        select(Member)
        .where(
            Member.status == MemberStatus.ACTIVE,
            Member.anonymised_at.is_(None),
            Member.consent_given_at.is_not(None),
            Member.id.not_in(open_ones),
        )
        .order_by(Member.id)
    )
    return [member for member in session.exec(query) if member.has_valid_consent]


def _open_review(session, ctx, tally, member, months, zone, now) -> None:
    due_on = review_due_on(session=session, member=member, months=months, zone=zone)
    values = dict(
        member_id=member.id,
        due_on=due_on,
        status=ReviewStatus.OPEN.value,
        token=secrets.token_urlsafe(32),
        requested_at=now,
    )
    review_id = insert_once(session, MemberReview, values, unique=["member_id", "due_on"])
    if review_id is not None:
        tally.count("reviews_opened")
        _mail(session, ctx, tally, session.get(MemberReview, review_id), member, "request", now)


def _lapse(session, ctx, tally, review: MemberReview, member: Member, now: datetime) -> None:
    review.status, review.lapsed_at = ReviewStatus.LAPSED, now
    session.add(review)
    if member.status == MemberStatus.ACTIVE:
        set_member_status(session=session, member=member, status=MemberStatus.PAUSED, actor_id=None)
        tally.count("members_paused")
    record_audit(
        session=session,
        actor_id=None,
        action="member.review.lapsed",
        subject_type="member",
        subject_id=member.id,
    )
    _mail(session, ctx, tally, review, member, "paused", now)
    t = ctx.translate
    tally.mail(
        queue_mail(
            session,
            to=ctx.council_mailbox,
            subject=t(N_("A member was paused: no answer to the review")),
            body=t(
                N_("Member no. %(member)s did not answer the 6-monthly review and is now paused."),
                member=member.id,
            ),
            key=f"review:{review.id}:council",
            kind="review_council",
            now=now,
        )
    )


def _mail(session, ctx, tally, review: MemberReview, member: Member, step: str, now) -> None:
    key, kind = f"review:{review.id}:{step}", f"review_{step}"
    address = member_address(session=session, member=member)
    if not address:
        tally.skip(
            record_skipped(session, key=key, kind=kind, to="", reason="no e-mail address", now=now)
        )
        return
    subject, body = _text(ctx, review, member, step)
    tally.mail(
        queue_mail(session, to=address, subject=subject, body=body, key=key, kind=kind, now=now)
    )


def _text(ctx: MailContext, review: MemberReview, member: Member, step: str) -> tuple[str, str]:
    t = ctx.translate
    url = f"{ctx.base_url.rstrip('/')}/reviews/{review.token}"
    hello = t(N_("Hello %(name)s,"), name=member.first_name)
    if step == "paused":
        return t(N_("You are paused in the pool")), "\n\n".join(
            [
                hello,
                t(N_("We did not hear from you, so you are paused and get no new assignments.")),
                t(
                    N_("Contact the council to take part again: %(mailbox)s"),
                    mailbox=ctx.council_mailbox,
                ),
            ]
        )
    ask = t(
        N_(
            "Twice a year we ask you to confirm that you still want assignments and that you keep your consent. It takes a minute: %(url)s"
        ),
        url=url,
    )
    if step == "reminder":
        last = t(N_("This is the last reminder: without an answer you will be paused."))
        return t(N_("Reminder: please confirm you want to stay in the pool")), "\n\n".join(
            [hello, ask, last]
        )
    return t(N_("Please confirm you want to stay in the pool")), "\n\n".join([hello, ask])


def review_by_token(*, session: Session, token: str) -> MemberReview:
    """Return the review a secret link points to."""
    review = (
        session.exec(select(MemberReview).where(MemberReview.token == token)).first()
        if token
        else None
    )
    if review is None:
        raise NotFound(N_("No such review."))
    return review


def confirm_review(*, session: Session, token: str, now: datetime) -> MemberReview:
    """Record the member's confirmation of availability and of consent to the current text."""
    review = review_by_token(session=session, token=token)
    if review.status != ReviewStatus.OPEN:
        raise Conflict(N_("This review is closed. Contact the council if something should change."))
    member = session.get(Member, review.member_id)
    review.status, review.answered_at = ReviewStatus.CONFIRMED, now
    session.add(review)
    give_consent(session=session, member=member, actor_id=member.user_id, now=now)
    record_audit(
        session=session,
        actor_id=member.user_id,
        action="member.review.confirmed",
        subject_type="member",
        subject_id=member.id,
    )
    return review
