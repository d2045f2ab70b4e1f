"""Every vocabulary of the domain (the moves between states: ``app.services.requests.states``)."""

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    COUNCIL = "council"
    ORDERER = "orderer"
    MEMBER = "member"


class OrganisationKind(StrEnum):
    REGION_DEPARTMENT = "region_department"
    PROCESS_GROUP = "process_group"  # process groups and LPO/LAG
    MUNICIPALITY = "municipality"
    UNIVERSITY = "university"
    NATIONAL_BODY = "national_body"  # NPO/NAG and national agencies
    OTHER_REGION = "other_region"
    PATIENT_ORGANISATION = "patient_organisation"
    REGION = "region"  # the region as a legal body: pays for its departments (§6.5)


class Gender(StrEnum):
    WOMAN = "woman"
    MAN = "man"
    NONBINARY = "nonbinary"
    UNKNOWN = "unknown"


class Pool(StrEnum):
    LEVANDE_BIBLIOTEK = "levande_bibliotek"
    PEER = "peer"


class Mandate(StrEnum):
    SELF = "self"
    ORGANISATION = "organisation"


class MemberStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    LEFT = "left"


class ExperienceType(StrEnum):
    OWN = "own"
    RELATIVE = "relative"


class WantedExperience(StrEnum):
    """What a request asks for: own, relative, or either."""

    OWN = "own"
    RELATIVE = "relative"
    ANY = "any"


class Participation(StrEnum):
    """Degree of participation, lowest to highest."""

    INFORMATION = "information"
    CONSULTATION = "consultation"
    DIALOGUE = "dialogue"
    PARTNERSHIP = "partnership"


class AssignmentType(StrEnum):
    EDUCATION = "education"
    LECTURE = "lecture"
    DEVELOPMENT = "development"
    WORKING_GROUP = "working_group"
    CONFERENCE = "conference"
    COACHING = "coaching"
    SIMULATED_PATIENT = "simulated_patient"
    REVIEW = "review"
    INTERVIEW = "interview"


class SessionFormat(StrEnum):
    ONSITE = "onsite"
    DIGITAL = "digital"


class RequestStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    QUESTION = "question"  # sent back to the orderer with a question
    INTEREST = "interest"  # asking the top ranked people whether they are interested
    APPROVED = "approved"  # group approved, invitations out
    BOOKED = "booked"
    DECLINED = "declined"
    CANCELLED = "cancelled"
    COMPLETED = "completed"


class ReplacementMode(StrEnum):
    """What happens when an invited or booked person drops out (chosen per request)."""

    COUNCIL_CONFIRMS = "council_confirms"  # the next reserve waits in the council's queue
    AUTO = "auto"  # the next reserve is invited at once


class QuotaBalance(StrEnum):
    """How evenly a group spreads over gender, age band, experience type and mandate."""

    HARD = "hard"  # no value takes more than its even share whenever a group allows it
    SOFT = "soft"  # more than an even share costs a penalty in the ranking
    OFF = "off"  # no balancing


class RequestAction(StrEnum):
    """What a line of a request's history records (``RequestEvent.action``)."""

    SUBMITTED = "submitted"
    SWAPPED = "swapped"
    APPROVED = "approved"
    ASKED = "asked"
    ANSWERED = "answered"
    DECLINED = "declined"
    CANCELLED = "cancelled"
    INVITATION_ACCEPTED = "invitation_accepted"
    INVITATION_DECLINED = "invitation_declined"
    INVITATION_EXPIRED = "invitation_expired"
    TIME_CHANGED = "time_changed"
    RESERVE_INVITED = "reserve_invited"
    NO_RESERVE_LEFT = "no_reserve_left"
    TOO_LATE_TO_INVITE = "too_late_to_invite"  # the first session starts within the answer window
    BOOKED = "booked"
    MEMBER_WITHDREW = "member_withdrew"
    REPLACEMENT_NEEDED = "replacement_needed"
    REPLACEMENT_MODE_CHANGED = "replacement_mode_changed"
    MEMBER_RELEASED = "member_released"  # not available at a changed time
    INTEREST_ASKED = "interest_asked"
    INTEREST_YES = "interest_yes"
    INTEREST_NO = "interest_no"
    INTEREST_EXPIRED = "interest_expired"
    INTEREST_CLOSED = "interest_closed"  # everyone has answered or the deadline has passed
    INTEREST_ENDED = "interest_ended"  # the council went back to the regular proposal
    REOPENED = "reopened"  # someone dropped out of a booked request: a place is open again
    COMPLETED = "completed"  # every session is over
    QUOTAS_CHANGED = "quotas_changed"  # the council set the group's quotas or balance
    # Issue 19: standing groups and the journey after booking.
    MEETING_ADDED = "meeting_added"  # a meeting was added to a request (standing group)
    MEETING_CANCELLED = "meeting_cancelled"  # a meeting ahead was cancelled (CANCEL sent)
    TERM_RENEWED = "term_renewed"  # a new term was made from this one
    TERM_EVALUATED = "term_evaluated"  # a period of the term was evaluated
    EDITED = "edited"  # the orderer changed the request before the council approved it
    CHANGE_PROPOSED = "change_proposed"  # the orderer asked to change an approved request
    CHANGE_APPROVED = "change_approved"  # the council applied the change; the booked were told
    CHANGE_REJECTED = "change_rejected"
    ABSENCE_REPORTED = "absence_reported"  # a booked person cannot come to one meeting
    STAND_IN_INVITED = "stand_in_invited"  # someone was invited for one meeting only
    CONFLICT_DECIDED = "conflict_decided"  # the council kept or replaced a person with a conflict
    DEBRIEF_ASKED = "debrief_asked"
    DEBRIEF_HANDLED = "debrief_handled"
    MATERIAL_ADDED = "material_added"
    MATERIAL_SENT = "material_sent"
    COORDINATOR_SET = "coordinator_set"  # the council named the booked people's contact person
    APPROVED_BELOW_TWO = "approved_below_two"  # a working group approved with fewer than two


class ProposalStatus(StrEnum):
    PROPOSED = "proposed"
    APPROVED = "approved"
    SUPERSEDED = "superseded"


class InvitationStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"
    CANCELLED = "cancelled"


class AssignmentStatus(StrEnum):
    BOOKED = "booked"
    WITHDRAWN = "withdrawn"
    CANCELLED = "cancelled"
    COMPLETED = "completed"
    NO_SHOW = "no_show"


class AttendanceStatus(StrEnum):
    """How one booked person's session went, as the orderer's contact or the council records it."""

    ATTENDED = "attended"
    NO_SHOW = "no_show"
    CANCELLED_LATE = "cancelled_late"


class ClaimStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    ATTESTED = "attested"
    REJECTED = "rejected"
    PAID = "paid"


class FeeClass(StrEnum):
    FULL_DAY = "full_day"
    HALF_DAY = "half_day"
    SHORT = "short"
    HOURLY = "hourly"
    NONE = "none"


class AvailabilityKind(StrEnum):
    BLOCKED = "blocked"
    VACATION = "vacation"
    SICK = "sick"
    EXTRA = "extra"  # an extra available period outside the weekly windows


class FeedbackRespondent(StrEnum):
    MEMBER = "member"
    ORDERER = "orderer"


class PayoutFrequency(StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"


class OutboxStatus(StrEnum):
    """Where a message of the outbox table stands (scheduled work, issue 6)."""

    PENDING = "pending"  # written, waiting to be sent (or to be retried)
    SENDING = "sending"  # claimed by one sender under a lease
    SENT = "sent"
    FAILED = "failed"  # gave up after the last attempt
    SKIPPED = "skipped"  # decided not to send (e.g. a reminder that came too late)


class JobOutcome(StrEnum):
    OK = "ok"
    FAILED = "failed"


class ReviewStatus(StrEnum):
    """The 6-monthly review of a member's availability and consent."""

    OPEN = "open"
    CONFIRMED = "confirmed"
    LAPSED = "lapsed"  # no answer after the second reminder: the member was paused
    CANCELLED = "cancelled"


class ApplicantStatus(StrEnum):
    """Where a person who applied (or was nominated) stands in the council's pipeline."""

    APPLIED = "applied"
    CONVERSATION_BOOKED = "conversation_booked"
    INTRODUCTION = "introduction"
    AGREEMENT_SIGNED = "agreement_signed"
    ACTIVE = "active"  # a Member was created
    NOT_NOW = "not_now"
    DECLINED = "declined"


class ApplicantSource(StrEnum):
    """How an applicant came in: their own application or an organisation's nomination."""

    APPLICATION = "application"
    NOMINATION = "nomination"


class ApplicantNeed(StrEnum):
    """Practical needs at assignments, ticked by an applicant or a member (free text besides).

    Copied from the application to the member on activation; the orderer arranges them.
    """

    HEARING_LOOP = "hearing_loop"
    INTERPRETER = "interpreter"
    COMPANION = "companion"
    EASY_READ = "easy_read"
    STEP_FREE = "step_free"


class NominationStatus(StrEnum):
    """A council's request to an organisation to name representatives (docs/organisations.md)."""

    OPEN = "open"  # the link works until the answer-by date
    FILLED = "filled"  # every seat is named; the link is closed
    WITHDRAWN = "withdrawn"  # the council took the request back


class TargetStatus(StrEnum):
    """Whether the council still works towards a recruitment target."""

    OPEN = "open"
    CLOSED = "closed"


class TrainingKind(StrEnum):
    """What a training event is: the introduction every member takes, or continuing training."""

    INTRODUCTION = "introduction"
    TRAINING = "training"


class TrainingBookingStatus(StrEnum):
    """A member's place on a training event."""

    BOOKED = "booked"
    CANCELLED = "cancelled"


class TrainingAttendance(StrEnum):
    """Whether a booked member came to a training event, as the council records it."""

    ATTENDED = "attended"
    ABSENT = "absent"


class ConflictDecision(StrEnum):
    """The council's decision on a declared conflict of interest; empty while undecided."""

    KEEP = "keep"
    REPLACE = "replace"


class DebriefStatus(StrEnum):
    """A member's request for a debrief with a coordinator after a meeting."""

    OPEN = "open"
    HANDLED = "handled"


class ChangeStatus(StrEnum):
    """An orderer's change to an approved request, waiting for the council or decided."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
