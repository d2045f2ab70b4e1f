"""The audit log as sentences: who did what to whom, with names, in the viewer's language.

Every action the service records has a sentence here (English msgid, Swedish in the
catalogue). ``describe`` fills it with the names ``app/services/privacy/audit_names.py`` loaded
for the page; the log's ``detail`` is never dumped, only the few counts and before/after values
a sentence names.
"""

from __future__ import annotations

from flask_babel import format_datetime, gettext

from app.i18n import lazy_gettext as _l
from app.models import AuditEvent, User
from app.models.enums import (
    ApplicantStatus,
    AssignmentStatus,
    MemberStatus,
    OrganisationKind,
    RequestAction,
    Role,
)
from app.services.privacy.audit_names import AuditNames
from app.web.labels import label

#: Exact action → sentence. ``%(who)s`` is the acting person (or the system).
SENTENCES = {
    "user.created": _l("%(who)s created the account of %(user)s"),
    "user.updated": _l("%(who)s changed the account of %(user)s: %(changes)s"),
    "user.disabled": _l("%(who)s disabled the account of %(user)s"),
    "user.enabled": _l("%(who)s enabled the account of %(user)s"),
    "organisation.updated": _l("%(who)s changed the organisation %(organisation)s: %(changes)s"),
    "organisation.disabled": _l("%(who)s disabled the organisation %(organisation)s"),
    "organisation.enabled": _l("%(who)s enabled the organisation %(organisation)s"),
    "matching.weights.set": _l("%(who)s changed the matching weights: %(changes)s"),
    "api_token.created": _l("%(who)s created an API token for %(user)s"),
    "api_token.revoked": _l("%(who)s revoked an API token of %(user)s"),
    "audit.exported": _l("%(who)s exported %(count)s events from the audit log"),
    "request.submitted": _l("%(who)s sent the request %(request)s"),
    "request.approved": _l("%(who)s approved the group for the request %(request)s"),
    "request.swapped": _l("%(who)s swapped a person in the proposal for the request %(request)s"),
    "request.asked": _l("%(who)s asked the orderer a question about the request %(request)s"),
    "request.answered": _l("%(who)s answered the question about the request %(request)s"),
    "request.declined": _l("%(who)s declined the request %(request)s"),
    "request.cancelled": _l("%(who)s cancelled the request %(request)s"),
    "request.invitation_accepted": _l("%(who)s accepted the invitation to the request %(request)s"),
    "request.invitation_declined": _l("%(who)s declined the invitation to the request %(request)s"),
    "request.time_changed": _l("%(who)s changed the time of the request %(request)s"),
    "request.proposal.read": _l("%(who)s read the proposal for the request %(request)s"),
    "request.feedback.read": _l("%(who)s read the feedback on the request %(request)s"),
    "debrief.list.read": _l("%(who)s read the open debrief requests"),
    "assignment.terms.set": _l(
        "%(who)s set the assignment terms of %(member)s for the request %(request)s"
    ),
    "attendance.recorded": _l(
        "%(who)s recorded the attendance of %(member)s for the request %(request)s"
    ),
    "member.created": _l("%(who)s added %(member)s to the pool"),
    "member.health_data.updated": _l("%(who)s changed the details and experiences of %(member)s"),
    "member.health_data.read": _l("%(who)s read the health data of %(member)s"),
    "member.needs.updated": _l("%(who)s changed the needs at assignments of %(member)s"),
    "member.consent.given": _l("%(who)s recorded the consent of %(member)s"),
    "member.consent.withdrawn": _l("%(who)s recorded that %(member)s withdrew consent"),
    "member.erased_on_request": _l("%(who)s erased the data of %(member)s on request"),
    "member.rectification.requested": _l("%(who)s asked to have the data of %(member)s corrected"),
    "member.erasure.requested": _l("%(who)s asked to have the data of %(member)s erased"),
    "member.register_extract.created": _l("%(who)s made a register extract for %(member)s"),
    "member.anonymised": _l("%(who)s anonymised %(member)s at the end of the retention period"),
    "member.review.lapsed": _l("%(who)s closed the six-monthly review of %(member)s unanswered"),
    "member.review.confirmed": _l("%(who)s confirmed the six-monthly review of %(member)s"),
    "pool.imported": _l(
        "%(who)s imported the register: %(created)s new, %(updated)s updated, "
        "%(unchanged)s unchanged"
    ),
    "pool.health_data.list": _l("%(who)s listed the pool with areas of experience"),
    "claim.attested": _l("%(who)s attested the claim of %(member)s for the request %(request)s"),
    "claim.returned": _l("%(who)s returned the claim of %(member)s for the request %(request)s"),
    "claim.receipt.read": _l("%(who)s opened a receipt on the claim of %(member)s"),
    "payout_batch.closed": _l("%(who)s closed the payout batch %(batch)s (%(count)s claims)"),
    "compensation.receipt_threshold": _l("%(who)s changed the receipt limit"),
    "figure.added": _l("%(who)s added a yearly figure: %(figure)s"),
    "figure.corrected": _l("%(who)s corrected a yearly figure: %(figure)s"),
    "population.grid_saved": _l("%(who)s saved the target population figures"),
    "population.imported": _l("%(who)s imported the target population figures"),
    "insight.read": _l("%(who)s viewed the follow-up pages"),
    "insight.csv": _l("%(who)s downloaded a follow-up table"),
    "patient_group.saved": _l("%(who)s saved the patient group figures of the area %(area)s"),
    "patient_group.read": _l(
        "%(who)s compared the pool with the patient group of the area %(area)s"
    ),
    "insight.year_report": _l("%(who)s viewed or downloaded the yearly report"),
    "recruitment_target.created": _l("%(who)s set a recruitment target"),
    "recruitment_target.updated": _l("%(who)s changed a recruitment target"),
    "recruitment_target.closed": _l("%(who)s closed a recruitment target"),
    "area.renamed": _l("%(who)s renamed the area %(area)s"),
    "area.merged": _l("%(who)s merged another area into %(area)s"),
    "applicant.submitted": _l("%(who)s received the application no. %(applicant)s"),
    "applicant.nominated": _l("%(who)s received the nomination no. %(applicant)s"),
    "organisation.registered": _l(
        "%(who)s added %(organisation)s to the register of patient and relative organisations"
    ),
    "organisation.register_updated": _l(
        "%(who)s changed the areas or member count of %(organisation)s"
    ),
    "organisation.report_link_sent": _l("%(who)s mailed a report link to %(organisation)s"),
    "organisation.representatives.read": _l("%(who)s read the representatives of %(organisation)s"),
    "organisation.report.read": _l("%(who)s read the assignment report of %(organisation)s"),
    "nomination.created": _l("%(who)s asked %(organisation)s to name representatives"),
    "nomination.answered": _l("%(who)s received a representative named by %(organisation)s"),
    "nomination.withdrawn": _l(
        "%(who)s withdrew a request to %(organisation)s to name representatives"
    ),
    "nomination.read": _l("%(who)s read the representatives named by %(organisation)s"),
    "mandate.renewed": _l("%(who)s renewed the mandate of %(member)s"),
    "mandate.ended": _l("%(who)s ended the organisation's mandate of %(member)s"),
    "applicant.health_data.read": _l("%(who)s read the application no. %(applicant)s"),
    "applicant.anonymised": _l(
        "%(who)s anonymised the applicant no. %(applicant)s at the end of the retention period"
    ),
    "matching.requirements.set": _l("%(who)s changed what a pool requires before proposals"),
    "training.event.create": _l("%(who)s planned an introduction or training event"),
    "training.event.update": _l("%(who)s changed an introduction or training event"),
    "training.event.cancel": _l("%(who)s cancelled an introduction or training event"),
    "training.booking.create": _l(
        "%(who)s booked a place for %(member)s on an introduction or training event"
    ),
    "training.booking.cancel": _l(
        "%(who)s cancelled the place of %(member)s on an introduction or training event"
    ),
    "training.attendance.record": _l(
        "%(who)s recorded the attendance of %(member)s at an introduction or training event"
    ),
}
#: Actions with a state in their code: ``request.<RequestAction>``, ``member.status.<status>``.
REQUEST_EVENT = _l("%(who)s – %(event)s – the request %(request)s")
ASSIGNMENT_STATE = _l(
    "%(who)s marked the assignment of %(member)s for the request %(request)s as %(state)s"
)
MEMBER_STATUS = _l("%(who)s set the status of %(member)s to %(state)s")
APPLICANT_STATUS = _l("%(who)s moved the applicant no. %(applicant)s to the step %(state)s")
USER_DISABLED_TOKENS = _l(
    "%(who)s disabled the account of %(user)s and revoked %(count)s API tokens"
)
UNKNOWN = _l("%(who)s made a change that has no description yet")

ASSIGNMENT_STATES = {
    AssignmentStatus.BOOKED: _l("booked"),
    AssignmentStatus.WITHDRAWN: _l("withdrawn"),
    AssignmentStatus.CANCELLED: _l("cancelled"),
    AssignmentStatus.COMPLETED: _l("completed"),
    AssignmentStatus.NO_SHOW: _l("not attended"),
}
FIGURES = {
    "price_base_amount": _l("price base amount"),
    "employer_contribution_rate": _l("employer contribution rate"),
    "mileage_rate": _l("mileage rate"),
}
FIELDS = {
    "email": _l("email"),
    "full_name": _l("name"),
    "role": _l("role"),
    "organisation_id": _l("organisation"),
    "name": _l("name"),
    "kind": _l("kind"),
    "contact_name": _l("contact person"),
    "contact_email": _l("contact email"),
    "contact_phone": _l("contact phone"),
}
#: The action filter: code prefix → what it covers.
ACTION_GROUPS = [
    ("", _l("All actions")),
    ("user.", _l("Accounts")),
    ("organisation.", _l("Organisations")),
    ("api_token.", _l("API tokens")),
    ("request.", _l("Requests")),
    ("assignment.", _l("Assignments")),
    ("attendance.", _l("Attendance")),
    ("member.health_data", _l("Health data read or changed")),
    ("member.", _l("Pool members")),
    ("pool.", _l("Pool imports and lists")),
    ("claim.", _l("Claims")),
    ("payout_batch.", _l("Payouts")),
    ("figure.", _l("Yearly figures")),
    ("area.", _l("Areas of experience")),
    ("population.", _l("Target population")),
    ("insight.", _l("Follow-up")),
    ("patient_group.", _l("Patient groups")),
    ("recruitment_target.", _l("Recruitment targets")),
    ("training.", _l("Introduction and training")),
    ("audit.", _l("Audit log")),
    ("applicant.", _l("Applicants")),
    ("nomination.", _l("Nominations")),
    ("mandate.", _l("Mandates")),
]
#: The subject filter: what an event concerns.
SUBJECT_TYPES = [
    ("", _l("Anything")),
    ("user", _l("Account")),
    ("organisation", _l("Organisation")),
    ("member", _l("Pool member")),
    ("booking_request", _l("Request")),
    ("assignment", _l("Assignment")),
    ("compensation_claim", _l("Claim")),
    ("area", _l("Area")),
    ("applicant", _l("Applicant")),
]


def person(user: User | None) -> str:
    """Name an acting account: "Anna Berg (Administratör)", or the system."""
    if user is None:
        return gettext("The system")
    return f"{user.full_name or user.email} ({label(Role, user.role)})"


def _quoted(title: str | None) -> str:
    return gettext("“%(title)s”", title=title) if title is not None else gettext("(deleted)")


def _member(names: AuditNames, member_id: int | None) -> str:
    name = names.member(member_id)
    return name if name is not None else gettext("a pool member")


def _value(field: str, value, names: AuditNames) -> str:
    if value in (None, ""):
        return "–"
    if field == "role":
        return label(Role, value)
    if field == "kind":
        return label(OrganisationKind, value)
    if field == "organisation_id":
        return names.organisations.get(value, gettext("(deleted)"))
    return str(value)


def _changes(detail: dict, names: AuditNames) -> str:
    if "before" in detail and "after" in detail:  # matching weights: {name: value} before and after
        before, after = detail["before"] or {}, detail["after"] or {}
        detail = {
            "changes": {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
        }
    parts = [
        f"{FIELDS.get(field, field)} {_value(field, before, names)} → {_value(field, after, names)}"
        for field, (before, after) in (detail.get("changes") or {}).items()
    ]
    return "; ".join(parts)


def _subject_context(event: AuditEvent, names: AuditNames, locale: str) -> dict:
    detail, sid = event.detail or {}, event.subject_id
    member_id, request_id = detail.get("member_id"), detail.get("request_id")
    if event.subject_type == "booking_request":
        request_id = sid
    elif event.subject_type == "member":
        member_id = sid
    elif event.subject_type == "assignment":
        member_id, request_id = names.assignments.get(sid, (member_id, request_id))
    elif event.subject_type in ("compensation_claim", "claim_receipt"):
        claim_id = names.receipts.get(sid) if event.subject_type == "claim_receipt" else sid
        member_id, request_id = names.claims.get(claim_id, (member_id, request_id))
    user = names.users.get(sid) if event.subject_type == "user" else None
    area = names.areas.get(sid) if event.subject_type == "area" else None
    batch = names.batches.get(sid) if event.subject_type == "payout_batch" else None
    return {
        "user": (user.full_name or user.email) if user else gettext("(deleted)"),
        "organisation": names.organisations.get(sid, gettext("(deleted)")),
        "request": _quoted(names.requests.get(request_id)),
        "member": _member(names, member_id),
        "area": _quoted(area.name(locale) if area else None),
        "batch": f"{batch.period_start}–{batch.period_end}" if batch else "",
        "figure": FIGURES.get(event.subject_type, ""),
        "applicant": sid if event.subject_type == "applicant" else "",
    }


def _template(action: str):
    if action in SENTENCES:
        return SENTENCES[action], {}
    kind, _, rest = action.partition(".")
    if kind == "request" and rest in set(RequestAction):
        return REQUEST_EVENT, {"event": label(RequestAction, rest)}
    if kind == "assignment" and rest in set(AssignmentStatus):
        return ASSIGNMENT_STATE, {"state": ASSIGNMENT_STATES[AssignmentStatus(rest)]}
    if action.startswith("member.status.") and action[14:] in set(MemberStatus):
        return MEMBER_STATUS, {"state": label(MemberStatus, action[14:]).lower()}
    if action.startswith("applicant.status.") and action[17:] in set(ApplicantStatus):
        return APPLICANT_STATUS, {"state": label(ApplicantStatus, action[17:]).lower()}
    return UNKNOWN, {}


def describe(event: AuditEvent, actor: User | None, names: AuditNames, locale: str) -> str:
    """Return the event as one sentence in the UI language, ending with when it happened."""
    template, extra = _template(event.action)
    detail = event.detail or {}
    if event.action == "user.disabled" and detail.get("tokens_revoked"):
        template, extra = USER_DISABLED_TOKENS, {"count": detail["tokens_revoked"]}
    context = {
        "who": person(actor),
        "changes": _changes(detail, names),
        "count": detail.get("rows", detail.get("claims", 0)),
        "created": detail.get("create", 0),
        "updated": detail.get("update", 0),
        "unchanged": detail.get("unchanged", 0),
        **_subject_context(event, names, locale),
        **extra,
    }
    sentence = str(template) % {key: str(value) for key, value in context.items()}
    return sentence + " " + format_datetime(event.at, "d MMMM yyyy HH:mm") + "."
