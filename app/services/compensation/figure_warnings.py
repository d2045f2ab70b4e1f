"""Early warning of next year's missing figures: from 1 October, mail the administrators once.

The scheduled job ``warn_missing_figures`` runs daily; before October it does nothing. From
then on it names every figure next year needs that is not recorded (PBB, contribution bands,
mileage, docs/domain.md §4) in one message per administrator, written to the outbox once per
administrator and year under a key (the outbox's once-only insert), so later runs, retries and a
second scheduler write nothing twice.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from app import clock
from app.mail.context import MailContext
from app.mail.outbox import is_written, queue_mail
from app.models import User
from app.models.enums import Role
from app.services.compensation.figures import (
    WARN_FROM_MONTH,
    missing_figure_message,
    missing_figures_for_year,
)
from app.services.job_log import Tally
from app.services.messages import N_


def warn_missing_figures(
    *, session: Session, now: datetime, ctx: MailContext, zone: ZoneInfo | None = None
) -> Tally:
    """From 1 October, mail each administrator once the figures missing for next year."""
    tally = Tally()
    today = now.astimezone(zone or clock.zone()).date()
    if today.month < WARN_FROM_MONTH:
        return tally
    year = today.year + 1
    missing = missing_figures_for_year(session=session, year=year)
    if not missing:
        return tally
    admins = session.exec(
        select(User).where(User.role == Role.ADMIN, User.is_enabled.is_(True)).order_by(User.id)
    ).all()
    for admin in admins:
        key = f"missing_figures:year={year}:user={admin.id}"
        if is_written(session, key):
            continue
        subject, body = _text(ctx, year, missing)
        tally.mail(
            queue_mail(
                session,
                to=admin.email,
                subject=subject,
                body=body,
                key=key,
                kind="missing_figures",
                now=now,
            )
        )
    return tally


def _text(ctx: MailContext, year: int, missing) -> tuple[str, str]:
    t = ctx.translate
    lines = [t(message, **values) for message, values in map(missing_figure_message, missing)]
    url = f"{ctx.base_url.rstrip('/')}/admin/#figures"
    body = "\n\n".join(
        [
            t(N_("These figures for %(year)s are not recorded yet:"), year=year),
            "\n".join(f"- {line}" for line in lines),
            t(
                N_(
                    "Add each with its source when it is decided, so that fees, employer "
                    "contributions and car allowances can be computed from 1 January: %(url)s"
                ),
                url=url,
            ),
        ]
    )
    return t(N_("Figures for %(year)s are missing"), year=year), body
