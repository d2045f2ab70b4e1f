"""Reports of accessibility problems, as the accessibility statement promises."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlmodel import Session

from app.mail.outbox import queue_mail
from app.services.errors import InvalidInput
from app.services.messages import N_

MAX_DESCRIPTION = 4000


@dataclass(frozen=True)
class ProblemReport:
    description: str
    page: str = ""
    contact: str = ""


def report_accessibility_problem(
    *,
    session: Session,
    report: ProblemReport,
    mailbox: str,
    translate: Callable[..., str],
) -> None:
    """Send a visitor's report of an accessibility problem to the council's mailbox."""
    description = report.description.strip()
    if not description:
        raise InvalidInput(
            N_("Describe the problem."), {"description": N_("Describe the problem.")}
        )
    if len(description) > MAX_DESCRIPTION:
        raise InvalidInput(
            N_("The description is too long."),
            {"description": N_("The description is too long.")},
        )
    queue_mail(
        session,
        to=mailbox,
        subject=translate(N_("Accessibility problem reported")),
        body=translate(
            N_("Page: %(page)s\nContact: %(contact)s\n\n%(description)s"),
            page=report.page.strip()[:500] or "-",
            contact=report.contact.strip()[:254] or "-",
            description=description,
        ),
    )
