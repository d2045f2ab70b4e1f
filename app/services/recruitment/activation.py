"""Activation: the applicant who signed the agreement becomes a pool member with an account."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlmodel import Session

from app import clock
from app.mail.context import MailContext
from app.models import Applicant, Experience, Member, User
from app.models.enums import AssignmentType, Gender, Mandate, Pool
from app.services.accounts.member_accounts import ensure_member_account, queue_welcome_mail
from app.services.errors import Conflict, InvalidInput
from app.services.journey.needs import copy_applicant_needs
from app.services.messages import N_
from app.services.pool.member_admin import MemberInput, create_member


def member_input(applicant: Applicant, birth_year: int | None) -> MemberInput:
    """Return the member the applicant becomes: their details, mandate and pipeline steps."""
    return MemberInput(
        first_name=applicant.first_name,
        last_name=applicant.last_name,
        birth_year=applicant.birth_year or birth_year,
        gender=applicant.gender or Gender.UNKNOWN,
        pool=Pool.LEVANDE_BIBLIOTEK,
        email=applicant.email,
        phone=applicant.phone,
        municipality=applicant.municipality,
        languages=list(applicant.languages or ["sv"]),
        mandate=Mandate.ORGANISATION if applicant.organisation_id else Mandate.SELF,
        mandate_organisation_id=applicant.organisation_id,
        assignment_types=[p for p in applicant.participation if p in set(AssignmentType)],
        training_completed_on=applicant.introduced_on,
        has_signed_agreement=True,
    )


def activate(
    *,
    session: Session,
    applicant: Applicant,
    birth_year: int | None,
    actor_id: int,
    ctx: MailContext,
    welcome_link: Callable[[User], str],
    now: datetime,
) -> Member:
    """Create the member with their experiences and consent, and send the account invitation."""
    try:
        member = create_member(
            session=session, data=member_input(applicant, birth_year), actor_id=actor_id
        )
    except InvalidInput as error:
        raise InvalidInput(N_("The applicant cannot be made a member yet."), error.fields) from None
    member.mandate_ends_on = applicant.mandate_ends_on if applicant.organisation_id else None
    member.consent_given_at = applicant.consent_given_at
    member.consent_text_version = applicant.consent_text_version
    member.joined_on = clock.local(now).date()
    copy_applicant_needs(applicant, member)
    for experience in applicant.experiences:
        session.add(
            Experience(member_id=member.id, area_id=experience["area_id"], type=experience["type"])
        )
    session.add(member)
    user = ensure_member_account(session=session, member=member)
    if user is None:
        raise Conflict(N_("An email address is needed to invite the member."))
    queue_welcome_mail(session, user=user, link=welcome_link(user), translate=ctx.translate)
    applicant.member_id = member.id
    return member
