"""Retention: anonymise members who left or withdrew consent, keeping only what bookkeeping needs.

After the retention period a member's personal data is removed: name (replaced by a pseudonym),
contact details, experiences (health data), availability, free texts, their sign-in account.
Kept under the pseudonym: birth year (it sets the employer contribution), assignments, and the
compensation records — paid claims with their lines and receipts — for 7 years after the end of
the year they were paid (the Swedish Bookkeeping Act), after which they are deleted too.
Unpaid drafts and sent-back claims are deleted with the personal data; a member with a claim
still waiting for payment, or a booking still ahead, is anonymised only once that is settled.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, delete, or_, select, update

from app.models import (
    Assignment,
    AvailabilityException,
    ClaimLine,
    ClaimReceipt,
    CompensationClaim,
    Experience,
    Feedback,
    Invitation,
    JobRun,
    Member,
    MemberOpportunity,
    MemberReview,
    OutboxMessage,
    PayoutBatch,
    RequestSession,
    Survey,
    User,
    WeeklyWindow,
)
from app.models.enums import (
    ClaimStatus,
    Gender,
    Mandate,
    MemberStatus,
    OutboxStatus,
)
from app.services.booking.invitation_mail import member_address
from app.services.job_log import Tally
from app.services.journey.coverage import covers
from app.services.matchmaking.opportunities import prune_opportunities
from app.services.privacy.audit import record_audit
from app.services.requests.states import HOLDING_ASSIGNMENTS

RETENTION = timedelta(days=90)
BOOKKEEPING_YEARS = 7
#: Sent, skipped and failed messages keep only their key and outcome after this long.
OUTBOX_CONTENT_KEPT = timedelta(days=90)
JOB_RUNS_KEPT = timedelta(days=400)
OWED = (ClaimStatus.SUBMITTED, ClaimStatus.ATTESTED)
NEVER_PAID = (ClaimStatus.DRAFT, ClaimStatus.REJECTED)


def members_due_for_anonymisation(
    *, session: Session, now: datetime, retention: timedelta = RETENTION
) -> list[Member]:
    """Return members who left, or withdrew consent, longer ago than the retention period."""
    cutoff = now - retention
    left = (Member.status == MemberStatus.LEFT) & (Member.left_at <= cutoff)
    withdrawn = (Member.consent_withdrawn_at <= cutoff) & (
        Member.consent_given_at.is_(None) | (Member.consent_given_at < Member.consent_withdrawn_at)
    )
    query = select(Member).where(Member.anonymised_at.is_(None), or_(left, withdrawn))
    return list(session.exec(query.order_by(Member.id)))


def anonymisation_blocker(*, session: Session, member: Member, now: datetime) -> str:
    """Return why the member cannot be anonymised yet ("" when nothing stands in the way)."""
    owed = session.exec(
        select(CompensationClaim.id).where(
            CompensationClaim.member_id == member.id,
            CompensationClaim.status.in_([str(status) for status in OWED]),
        )
    ).first()
    if owed is not None:
        return "a claim is waiting for payment"
    ahead = session.exec(
        select(Assignment.id)
        .join(RequestSession, covers(Assignment, RequestSession))
        .where(
            Assignment.member_id == member.id,
            Assignment.status.in_(HOLDING_ASSIGNMENTS),
            RequestSession.ends_at > now,
        )
    ).first()
    return "a booking is still ahead" if ahead is not None else ""


def anonymise_member(*, session: Session, member: Member, now: datetime) -> tuple[str, list[str]]:
    """Remove the member's personal data, keeping bookkeeping under a pseudonym.

    Returns the pseudonym and the stored names of receipt files of deleted (never paid) claims.
    """
    pseudonym = f"P-{secrets.token_hex(4).upper()}"
    scrub_outbox(session, member_address(session=session, member=member))
    _scrub_account(session, member)
    files = _scrub_related(session, member)
    member.first_name, member.last_name = "Pseudonym", pseudonym
    member.email = member.phone = member.municipality = member.employer = ""
    member.languages, member.assignment_types = [], []
    member.gender, member.mandate, member.mandate_organisation_id = (
        Gender.UNKNOWN,
        Mandate.SELF,
        None,
    )
    member.calendar_token, member.paused_until, member.training_completed_on = None, None, None
    if member.status != MemberStatus.LEFT:
        member.status, member.left_at = MemberStatus.LEFT, now
    member.anonymised_at = now
    session.add(member)
    record_audit(
        session=session,
        actor_id=None,
        action="member.anonymised",
        subject_type="member",
        subject_id=member.id,
        detail={"pseudonym": pseudonym},
    )
    return pseudonym, files


def _scrub_related(session: Session, member: Member) -> list[str]:
    # Opportunities too: that she fitted a request tells which experience she has.
    for model in (Experience, WeeklyWindow, AvailabilityException, MemberReview, MemberOpportunity):
        session.exec(delete(model).where(model.member_id == member.id))
    never_paid = select(CompensationClaim.id).where(
        CompensationClaim.member_id == member.id,
        CompensationClaim.status.in_([str(status) for status in NEVER_PAID]),
    )
    files = _delete_claims(session, list(session.exec(never_paid)))
    session.exec(
        update(Invitation).where(Invitation.member_id == member.id).values(response_message="")
    )
    assignments = select(Assignment.id).where(Assignment.member_id == member.id)
    session.exec(
        update(Assignment).where(Assignment.member_id == member.id).values(conflict_declaration="")
    )
    session.exec(
        update(Feedback)
        .where(Feedback.assignment_id.in_(assignments))
        .values(free_text="", user_id=None)
    )
    # Old survey links stop working.
    for survey in session.exec(select(Survey).where(Survey.assignment_id.in_(assignments))):
        survey.token = secrets.token_urlsafe(32)
        session.add(survey)
    return files


def _scrub_account(session: Session, member: Member) -> None:
    user = session.get(User, member.user_id) if member.user_id else None
    if user is None:
        return
    user.email = f"anonymised-{user.id}@invalid"
    user.full_name, user.password_hash, user.is_enabled = "", "!", False
    user.session_token = secrets.token_hex(32)
    session.add(user)


def scrub_outbox(session: Session, address: str) -> None:
    """Empty the stored mail sent to an address (recipient, subject, body, calendar)."""
    if not address:
        return
    session.exec(
        update(OutboxMessage)
        .where(OutboxMessage.recipient == address)
        .values(recipient="", subject="", body="", calendar="")
    )


def _delete_claims(session: Session, claim_ids: list[int]) -> list[str]:
    """Delete claims with their lines and receipts; return the receipts' stored file names."""
    if not claim_ids:
        return []
    files = list(
        session.exec(select(ClaimReceipt.stored_name).where(ClaimReceipt.claim_id.in_(claim_ids)))
    )
    for model in (ClaimReceipt, ClaimLine):
        session.exec(delete(model).where(model.claim_id.in_(claim_ids)))
    session.exec(delete(CompensationClaim).where(CompensationClaim.id.in_(claim_ids)))
    return files


def expired_compensation_claims(
    *, session: Session, now: datetime, years: int = BOOKKEEPING_YEARS
) -> list[int]:
    """Return anonymised members' paid claims whose 7 years after the year of payment are over."""
    first_kept_year = now.astimezone(UTC).year - years
    rows = session.exec(
        select(CompensationClaim.id, PayoutBatch.closed_at)
        .join(PayoutBatch, PayoutBatch.id == CompensationClaim.payout_batch_id)
        .join(Member, Member.id == CompensationClaim.member_id)
        .where(Member.anonymised_at.is_not(None), PayoutBatch.closed_at.is_not(None))
    )
    return [claim_id for claim_id, closed_at in rows if closed_at.year < first_kept_year]


def apply_retention(
    *,
    session: Session,
    now: datetime,
    retention: timedelta = RETENTION,
    years: int = BOOKKEEPING_YEARS,
) -> tuple[Tally, list[str]]:
    """Anonymise members past the retention period and delete expired bookkeeping records.

    Returns the tally and the stored names of receipt files whose rows were deleted (the caller
    removes the files once the deletion has committed).
    """
    tally, files = Tally(), []
    for member in members_due_for_anonymisation(session=session, now=now, retention=retention):
        blocker = anonymisation_blocker(session=session, member=member, now=now)
        if blocker:
            tally.count("waiting")
            continue
        files += anonymise_member(session=session, member=member, now=now)[1]
        tally.count("anonymised")
    expired = expired_compensation_claims(session=session, now=now, years=years)
    files += _delete_claims(session, expired)
    tally.count("claims_deleted", len(expired))
    tally.count("messages_emptied", _empty_old_messages(session, now))
    tally.count("opportunities_deleted", prune_opportunities(session=session, now=now))
    session.exec(delete(JobRun).where(JobRun.started_at < now - JOB_RUNS_KEPT))
    return tally, files


def _empty_old_messages(session: Session, now: datetime) -> int:
    """Keep only key, kind and outcome of old finished messages (the key still prevents resends)."""
    result = session.exec(
        update(OutboxMessage)
        .where(
            OutboxMessage.status.in_(
                [OutboxStatus.SENT.value, OutboxStatus.SKIPPED.value, OutboxStatus.FAILED.value]
            ),
            OutboxMessage.created_at < now - OUTBOX_CONTENT_KEPT,
            or_(OutboxMessage.body != "", OutboxMessage.recipient != ""),
        )
        .values(recipient="", subject="", body="", calendar="")
    )
    return result.rowcount
