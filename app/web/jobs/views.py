"""The council's page of scheduled jobs: next runs, recent runs and what became of the mail."""

from __future__ import annotations

import re

from flask import Blueprint, current_app, render_template, request
from flask_babel import gettext as _

from app.db import get_session
from app.i18n import lazy_gettext as _l
from app.jobs.definitions import JOB_IDS, JOBS
from app.jobs.settings import job_settings
from app.models.enums import OutboxStatus, Role
from app.services.job_log import (
    current_lease,
    job_statuses,
    message_counts,
    recent_messages,
    recent_runs,
)
from app.web.access import role_required

bp = Blueprint("jobs", __name__, url_prefix="/council/jobs")

JOB_TITLES = {
    "deliver_outbox": _l("Send waiting mail"),
    "send_reminders": _l("Reminders before sessions"),
    "expire_invitations": _l("Reply deadlines of invitations"),
    "complete_finished_work": _l("Completing work whose sessions are over"),
    "send_surveys": _l("Feedback surveys after assignments"),
    "send_claim_reminders": _l("Reminders to report time and travel"),
    "run_reviews": _l("6-monthly member reviews"),
    "apply_retention": _l("Retention and anonymisation"),
    "warn_missing_figures": _l("Warning of next year's missing figures"),
    "train_acceptance_model": _l("Training the acceptance model"),
    "remind_mandates": _l("Reminders of organisations' mandates"),
    "remind_late_material": _l("Reminders of late material"),
    "send_orderer_digest": _l("Weekly digest of changes to orderers"),
}
KINDS = {
    "mail": _l("Mail"),
    "survey_member": _l("Survey to a member"),
    "survey_orderer": _l("Survey to the orderer"),
    "claim_reminder": _l("Reminder to report time and travel"),
    "missing_figures": _l("Missing yearly figures"),
    "review_request": _l("Review"),
    "review_reminder": _l("Review, last reminder"),
    "review_paused": _l("Paused after review"),
    "review_council": _l("Notice to the council"),
    "mandate_ending": _l("A mandate ends soon"),
    "mandate_expired": _l("A mandate has ended"),
    "orderer_digest": _l("Weekly digest to an orderer"),
    "nomination_request": _l("Request to name representatives"),
    "nomination_answer": _l("A representative was named"),
    "organisation_report_link": _l("Report link to an organisation"),
    "material": _l("Material to the booked"),
    "material_late": _l("Material is late"),
}
REASONS = {
    "the session had already started": _l("the session had already started"),
    "no e-mail address": _l("no e-mail address"),
}
DETAILS = {
    "invitations_expired": _l("invitations expired"),
    "model_version": _l("model version stored"),
    "answers": _l("answers learned from"),
    "answers_below_minimum": _l("answers, too few for a model"),
    "model_not_used": _l("model version not used (no better than the prior)"),
    "assignments_completed": _l("assignments completed"),
    "requests_completed": _l("requests completed"),
    "reviews_opened": _l("reviews opened"),
    "members_paused": _l("members paused"),
    "anonymised": _l("members anonymised"),
    "waiting": _l("waiting for payment or a booking"),
    "claims_deleted": _l("claims deleted after 7 years"),
    "messages_emptied": _l("old messages emptied"),
    "opportunities_deleted": _l("records of fitting requests older than two years deleted"),
}


def kind_label(kind: str) -> str:
    """Return the readable kind of an outbox message."""
    if match := re.fullmatch(r"reminder_(\d+)d", kind):
        return _("Reminder %(days)s days before", days=match.group(1))
    return str(KINDS.get(kind, kind))


def reason_label(reason: str) -> str:
    """Return a skip reason in the UI language."""
    if match := re.fullmatch(r"too late: the (\d+)-day reminder is due instead", reason):
        return _("too late: the %(days)s-day reminder is due instead", days=match.group(1))
    return str(REASONS.get(reason, reason))


def schedule_label(job, settings) -> str:
    """Return when a job runs, in words."""
    kind, value = job.every(settings)
    if kind == "daily":
        return _("daily at %(time)s", time=value)
    if kind == "weekly":  # the only weekly job runs on Mondays ("mon 07:00")
        return _("Mondays at %(time)s", time=value.split()[-1])
    return _("every %(minutes)s min", minutes=value)


@bp.route("/")
@role_required(Role.COUNCIL)
def home():
    session = get_session()
    status = request.args.get("status", "")
    if status not in {s.value for s in OutboxStatus}:
        status = ""
    settings = job_settings(current_app.config)
    return render_template(
        "jobs/home.html",
        jobs=job_statuses(session=session, job_ids=list(JOB_IDS)),
        titles=JOB_TITLES,
        schedules={job.id: schedule_label(job, settings) for job in JOBS},
        runs=recent_runs(session=session),
        messages=recent_messages(session=session, status=status or None),
        counts=message_counts(session=session),
        status=status,
        lease=current_lease(session=session),
        kind_label=kind_label,
        reason_label=reason_label,
        details=DETAILS,
    )
