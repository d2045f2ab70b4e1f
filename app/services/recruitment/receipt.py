"""A public application arrives: store it (``submit_application``) and tell both sides by mail."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from app.mail.context import MailContext
from app.mail.outbox import queue_mail
from app.models import Applicant
from app.services.messages import N_
from app.services.privacy.consent import CONSENT_TEXT_VERSION
from app.services.recruitment.applications import ApplicationInput, submit_application

APPLICANT_MAIL = (
    N_("Levande bibliotek: we have received your application"),
    N_(
        "Hello %(name)s,\n\nthank you for applying to Levande bibliotek. This is what happens "
        "next:\n\n1. Samordningen reads your application within two weeks.\n2. We contact you to "
        "book a conversation, by phone or in person.\n3. You take part in an introduction.\n"
        "4. You sign an agreement, and then you can be asked for assignments.\n\nIf we cannot "
        "take you in now, we tell you why. Questions? Write to %(mailbox)s.\n\nBest regards,\n"
        "Samordningen"
    ),
)
COUNCIL_MAIL = (
    N_("New application to the pool"),
    N_("A new application (no. %(id)s) has arrived. Open the pipeline: %(link)s"),
)


def receive_application(
    data: ApplicationInput, *, session: Session, ctx: MailContext, now: datetime | None = None
) -> Applicant:
    """Store a public application with consent to today's text; mail the person and Samordningen."""
    applicant = submit_application(
        data, session=session, consent_text_version=CONSENT_TEXT_VERSION, now=now
    )
    subject, body = APPLICANT_MAIL
    queue_mail(
        session,
        to=applicant.email,
        subject=ctx.translate(subject),
        body=ctx.translate(body, name=applicant.first_name, mailbox=ctx.council_mailbox),
    )
    subject, body = COUNCIL_MAIL
    link = f"{ctx.base_url.rstrip('/')}/council/recruitment/{applicant.id}"
    queue_mail(
        session,
        to=ctx.council_mailbox,
        subject=ctx.translate(subject),
        body=ctx.translate(body, id=applicant.id, link=link),
    )
    return applicant
