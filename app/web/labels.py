"""Human labels for the domain's vocabularies (English msgids, Swedish in the catalogue)."""

from __future__ import annotations

from wtforms.fields.choices import SelectChoice

from app.i18n import lazy_gettext as _l
from app.models.enums import (
    ApplicantNeed,
    ApplicantSource,
    ApplicantStatus,
    AssignmentStatus,
    AssignmentType,
    AttendanceStatus,
    AvailabilityKind,
    ChangeStatus,
    ClaimStatus,
    ConflictDecision,
    DebriefStatus,
    ExperienceType,
    FeeClass,
    FeedbackRespondent,
    Gender,
    InvitationStatus,
    JobOutcome,
    Mandate,
    MemberStatus,
    OrganisationKind,
    OutboxStatus,
    Participation,
    PayoutFrequency,
    Pool,
    QuotaBalance,
    ReplacementMode,
    RequestAction,
    RequestStatus,
    ReviewStatus,
    Role,
    SessionFormat,
    TrainingAttendance,
    TrainingBookingStatus,
    TrainingKind,
    WantedExperience,
)
from app.services.matchmaking.quotas import request_quota_labels

LABELS = {
    Role: {
        Role.ADMIN: _l("Administrator"),
        Role.COUNCIL: _l("Council"),
        Role.ORDERER: _l("Orderer"),
        Role.MEMBER: _l("Pool member"),
    },
    OrganisationKind: {
        OrganisationKind.REGION_DEPARTMENT: _l("Region department"),
        OrganisationKind.PROCESS_GROUP: _l("Process group or local programme area"),
        OrganisationKind.MUNICIPALITY: _l("Municipality"),
        OrganisationKind.UNIVERSITY: _l("University"),
        OrganisationKind.NATIONAL_BODY: _l("National body"),
        OrganisationKind.OTHER_REGION: _l("Other region"),
        OrganisationKind.PATIENT_ORGANISATION: _l("Patient organisation"),
        OrganisationKind.REGION: _l("The region (legal body)"),
    },
    Gender: {
        Gender.WOMAN: _l("Woman"),
        Gender.MAN: _l("Man"),
        Gender.NONBINARY: _l("Non-binary"),
        Gender.UNKNOWN: _l("Not stated"),
    },
    Pool: {Pool.LEVANDE_BIBLIOTEK: _l("Living library"), Pool.PEER: _l("Peer support")},
    Mandate: {
        Mandate.SELF: _l("For themselves"),
        Mandate.ORGANISATION: _l("Mandate from an organisation"),
    },
    MemberStatus: {
        MemberStatus.ACTIVE: _l("Active"),
        MemberStatus.PAUSED: _l("Paused"),
        MemberStatus.LEFT: _l("Left"),
    },
    ExperienceType: {
        ExperienceType.OWN: _l("Own experience"),
        ExperienceType.RELATIVE: _l("Relative"),
    },
    WantedExperience: {
        WantedExperience.OWN: _l("Own experience"),
        WantedExperience.RELATIVE: _l("Relative"),
        WantedExperience.ANY: _l("Either"),
    },
    Participation: {
        Participation.INFORMATION: _l("Information"),
        Participation.CONSULTATION: _l("Consultation"),
        Participation.DIALOGUE: _l("Dialogue"),
        Participation.PARTNERSHIP: _l("Partnership and co-creation"),
    },
    AssignmentType: {
        AssignmentType.EDUCATION: _l("Education"),
        AssignmentType.LECTURE: _l("Lecture or storytelling"),
        AssignmentType.DEVELOPMENT: _l("Development work"),
        AssignmentType.WORKING_GROUP: _l("Working group"),
        AssignmentType.CONFERENCE: _l("Conference"),
        AssignmentType.COACHING: _l("Coaching or mentoring"),
        AssignmentType.SIMULATED_PATIENT: _l("Simulated patient"),
        AssignmentType.REVIEW: _l("Review of patient information"),
        AssignmentType.INTERVIEW: _l("Interview, focus group or survey"),
    },
    AvailabilityKind: {
        AvailabilityKind.BLOCKED: _l("Busy"),
        AvailabilityKind.VACATION: _l("Vacation"),
        AvailabilityKind.SICK: _l("Sick"),
        AvailabilityKind.EXTRA: _l("Extra available time"),
    },
    SessionFormat: {SessionFormat.ONSITE: _l("On site"), SessionFormat.DIGITAL: _l("Digital")},
    RequestStatus: {
        RequestStatus.DRAFT: _l("Draft"),
        RequestStatus.SUBMITTED: _l("Submitted"),
        RequestStatus.QUESTION: _l("Question to orderer"),
        RequestStatus.INTEREST: _l("Asking for interest"),
        RequestStatus.APPROVED: _l("Approved, invitations sent"),
        RequestStatus.BOOKED: _l("Booked"),
        RequestStatus.DECLINED: _l("Declined"),
        RequestStatus.CANCELLED: _l("Cancelled"),
        RequestStatus.COMPLETED: _l("Completed"),
    },
    AttendanceStatus: {
        AttendanceStatus.ATTENDED: _l("Attended"),
        AttendanceStatus.NO_SHOW: _l("No-show"),
        AttendanceStatus.CANCELLED_LATE: _l("Cancelled late"),
    },
    ClaimStatus: {
        ClaimStatus.DRAFT: _l("Not sent yet"),
        ClaimStatus.SUBMITTED: _l("Sent, awaiting attestation"),
        ClaimStatus.ATTESTED: _l("Attested, awaiting payment"),
        ClaimStatus.REJECTED: _l("Sent back for changes"),
        ClaimStatus.PAID: _l("Paid"),
    },
    FeeClass: {
        FeeClass.FULL_DAY: _l("Full day, over 4 h"),
        FeeClass.HALF_DAY: _l("Half day, 2–4 h"),
        FeeClass.SHORT: _l("Short, up to 2 h"),
        FeeClass.HOURLY: _l("Per hour"),
        FeeClass.NONE: _l("No fee"),
    },
    PayoutFrequency: {
        PayoutFrequency.MONTHLY: _l("Monthly"),
        PayoutFrequency.QUARTERLY: _l("Quarterly"),
    },
    AssignmentStatus: {
        AssignmentStatus.BOOKED: _l("Booked"),
        AssignmentStatus.WITHDRAWN: _l("Withdrawn"),
        AssignmentStatus.CANCELLED: _l("Cancelled"),
        AssignmentStatus.COMPLETED: _l("Completed"),
        AssignmentStatus.NO_SHOW: _l("No-show"),
    },
    InvitationStatus: {
        InvitationStatus.PENDING: _l("Awaiting answer"),
        InvitationStatus.ACCEPTED: _l("Accepted"),
        InvitationStatus.DECLINED: _l("Declined"),
        InvitationStatus.EXPIRED: _l("No answer in time"),
        InvitationStatus.WITHDRAWN: _l("Withdrawn"),
        InvitationStatus.CANCELLED: _l("Cancelled"),
    },
    RequestAction: {
        RequestAction.SUBMITTED: _l("Request submitted"),
        RequestAction.SWAPPED: _l("Person swapped"),
        RequestAction.APPROVED: _l("Group approved, invitations sent"),
        RequestAction.ASKED: _l("Question to the orderer"),
        RequestAction.ANSWERED: _l("The orderer answered"),
        RequestAction.DECLINED: _l("Request declined"),
        RequestAction.CANCELLED: _l("Request cancelled"),
        RequestAction.INVITATION_ACCEPTED: _l("Invitation accepted"),
        RequestAction.INVITATION_DECLINED: _l("Invitation declined"),
        RequestAction.INVITATION_EXPIRED: _l("No answer by the deadline"),
        RequestAction.TIME_CHANGED: _l("Time changed, update sent"),
        RequestAction.RESERVE_INVITED: _l("Reserve invited"),
        RequestAction.NO_RESERVE_LEFT: _l("No reserve left"),
        RequestAction.TOO_LATE_TO_INVITE: _l("Too close to the start to invite a reserve"),
        RequestAction.BOOKED: _l("Everyone has accepted: booked"),
        RequestAction.MEMBER_WITHDREW: _l("A member withdrew"),
        RequestAction.REPLACEMENT_NEEDED: _l("A place waits for a replacement"),
        RequestAction.REPLACEMENT_MODE_CHANGED: _l("Replacement choice changed"),
        RequestAction.MEMBER_RELEASED: _l("Released: cannot come at the new time"),
        RequestAction.INTEREST_ASKED: _l("Asked who is interested"),
        RequestAction.INTEREST_YES: _l("Interested"),
        RequestAction.INTEREST_NO: _l("Not interested"),
        RequestAction.INTEREST_EXPIRED: _l("No answer about interest in time"),
        RequestAction.INTEREST_CLOSED: _l("All answers about interest are in"),
        RequestAction.INTEREST_ENDED: _l("Back to the regular proposal"),
        RequestAction.REOPENED: _l("A place opened again: no longer fully booked"),
        RequestAction.COMPLETED: _l("Every session is over: completed"),
        RequestAction.QUOTAS_CHANGED: _l("Quotas or balance changed"),
        RequestAction.MEETING_ADDED: _l("Meeting added, invitation sent"),
        RequestAction.MEETING_CANCELLED: _l("Meeting cancelled, cancellation sent"),
        RequestAction.TERM_RENEWED: _l("Term renewed"),
        RequestAction.TERM_EVALUATED: _l("Period evaluated"),
        RequestAction.EDITED: _l("Request changed by the orderer"),
        RequestAction.CHANGE_PROPOSED: _l("Change proposed, waiting for the council"),
        RequestAction.CHANGE_APPROVED: _l("Change approved, the booked were told"),
        RequestAction.CHANGE_REJECTED: _l("Change not approved"),
        RequestAction.ABSENCE_REPORTED: _l("Cannot come to one meeting"),
        RequestAction.STAND_IN_INVITED: _l("Stand-in invited for one meeting"),
        RequestAction.CONFLICT_DECIDED: _l("Decision on a conflict of interest"),
        RequestAction.DEBRIEF_ASKED: _l("Debrief asked for"),
        RequestAction.DEBRIEF_HANDLED: _l("Debrief handled"),
        RequestAction.MATERIAL_ADDED: _l("Material added"),
        RequestAction.MATERIAL_SENT: _l("Material sent to the booked"),
        RequestAction.COORDINATOR_SET: _l("Contact person named"),
        RequestAction.APPROVED_BELOW_TWO: _l("Approved with fewer than two, reason recorded"),
    },
    ConflictDecision: {
        ConflictDecision.KEEP: _l("Keep the person"),
        ConflictDecision.REPLACE: _l("Replace the person"),
    },
    DebriefStatus: {
        DebriefStatus.OPEN: _l("Open"),
        DebriefStatus.HANDLED: _l("Handled"),
    },
    ChangeStatus: {
        ChangeStatus.PENDING: _l("Waiting for the council"),
        ChangeStatus.APPROVED: _l("Approved"),
        ChangeStatus.REJECTED: _l("Not approved"),
    },
    QuotaBalance: {
        QuotaBalance.HARD: _l("Even shares: required whenever possible"),
        QuotaBalance.SOFT: _l("Even shares: preferred"),
        QuotaBalance.OFF: _l("Even shares: not considered"),
    },
    ReplacementMode: {
        ReplacementMode.COUNCIL_CONFIRMS: _l("The council confirms the next reserve"),
        ReplacementMode.AUTO: _l("Invite the next reserve automatically"),
    },
    # Scheduled work (issue 6).
    OutboxStatus: {
        OutboxStatus.PENDING: _l("Waiting to be sent"),
        OutboxStatus.SENDING: _l("Being sent"),
        OutboxStatus.SENT: _l("Sent"),
        OutboxStatus.FAILED: _l("Failed"),
        OutboxStatus.SKIPPED: _l("Skipped"),
    },
    JobOutcome: {JobOutcome.OK: _l("Done"), JobOutcome.FAILED: _l("Failed")},
    ReviewStatus: {
        ReviewStatus.OPEN: _l("Waiting for an answer"),
        ReviewStatus.CONFIRMED: _l("Confirmed"),
        ReviewStatus.LAPSED: _l("No answer: paused"),
        ReviewStatus.CANCELLED: _l("Cancelled"),
    },
    FeedbackRespondent: {
        FeedbackRespondent.MEMBER: _l("Member"),
        FeedbackRespondent.ORDERER: _l("Orderer"),
    },
    # Recruitment (issue 20).
    ApplicantStatus: {
        ApplicantStatus.APPLIED: _l("Applied"),
        ApplicantStatus.CONVERSATION_BOOKED: _l("Conversation booked"),
        ApplicantStatus.INTRODUCTION: _l("Introduction"),
        ApplicantStatus.AGREEMENT_SIGNED: _l("Agreement signed"),
        ApplicantStatus.ACTIVE: _l("Active member"),
        ApplicantStatus.NOT_NOW: _l("Not now"),
        ApplicantStatus.DECLINED: _l("Declined"),
    },
    ApplicantSource: {
        ApplicantSource.APPLICATION: _l("Own application"),
        ApplicantSource.NOMINATION: _l("Nominated by an organisation"),
    },
    ApplicantNeed: {
        ApplicantNeed.HEARING_LOOP: _l("Hearing loop"),
        ApplicantNeed.INTERPRETER: _l("Interpreter"),
        ApplicantNeed.COMPANION: _l("A companion with me"),
        ApplicantNeed.EASY_READ: _l("Texts in easy Swedish (lättläst)"),
        ApplicantNeed.STEP_FREE: _l("Step-free access"),
    },
    # Introduction and training events (issue 20).
    TrainingKind: {
        TrainingKind.INTRODUCTION: _l("Introduction"),
        TrainingKind.TRAINING: _l("Continuing training"),
    },
    TrainingBookingStatus: {
        TrainingBookingStatus.BOOKED: _l("Booked"),
        TrainingBookingStatus.CANCELLED: _l("Cancelled"),
    },
    TrainingAttendance: {
        TrainingAttendance.ATTENDED: _l("Attended"),
        TrainingAttendance.ABSENT: _l("Absent"),
    },
}


#: Weekday names, 0 = Monday (as in ``date.weekday()``).
WEEKDAYS = [
    _l("Monday"),
    _l("Tuesday"),
    _l("Wednesday"),
    _l("Thursday"),
    _l("Friday"),
    _l("Saturday"),
    _l("Sunday"),
]


def options(pairs) -> list[SelectChoice]:
    """Return select options from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def choices(enum: type) -> list[SelectChoice]:
    """Return the options of a form's select field for an enum's values."""
    return options((member.value, LABELS[enum][member]) for member in enum)


def label(enum: type, value: str) -> str:
    """Return the label of one value (the raw value if unknown), in the UI language.

    The labels are ``KeptLazyString``s: each keeps its text per catalogue (app/i18n.py).
    """
    try:
        return str(LABELS[enum][enum(value)])
    except (KeyError, ValueError):
        return value


def register_label_filter(app) -> None:
    """Expose ``{{ value|label('Gender') }}`` to templates."""
    by_name = {enum.__name__: enum for enum in LABELS}
    app.jinja_env.filters["label"] = lambda value, enum_name: label(by_name[enum_name], value)
    app.jinja_env.filters["quota_labels"] = request_quota_labels
