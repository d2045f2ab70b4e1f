"""SQLModel tables. Importing this package registers every table on ``SQLModel.metadata``."""

from app.models.api_token import ApiToken
from app.models.audit import AuditEvent
from app.models.availability import AvailabilityException, WeeklyWindow
from app.models.booking import (
    Assignment,
    Invitation,
    MemberOpportunity,
    Proposal,
    ProposalEntry,
    SessionAttendance,
)
from app.models.compensation import (
    ClaimLine,
    ClaimReceipt,
    CompensationClaim,
    CompensationSetting,
    EmployerContributionRate,
    MileageRate,
    PayoutBatch,
    PriceBaseAmount,
)
from app.models.feedback import Feedback
from app.models.journey import (
    DebriefRequest,
    RequestChange,
    RequestMaterial,
    SessionAbsence,
    TermEvaluation,
)
from app.models.matching_settings import AcceptanceModelVersion, MatchingWeights, PoolRequirement
from app.models.member import Experience, Member
from app.models.nomination import Nomination, NominationAnswer
from app.models.order import BookingRequest, RequestArea, RequestEvent, RequestSession
from app.models.organisation import Organisation, OrganisationArea
from app.models.outbox import OutboxMessage
from app.models.patient_group import PatientGroupFigure
from app.models.pool_stamp import PoolChange, PoolStamp
from app.models.population import PopulationFigure
from app.models.recruitment import Applicant
from app.models.recruitment_target import RecruitmentTarget
from app.models.scheduler import JobRun, ScheduledJob, SchedulerLease
from app.models.survey import MemberReview, Survey
from app.models.taxonomy import Area
from app.models.training import TrainingBooking, TrainingEvent
from app.models.user import User

__all__ = [
    "TermEvaluation",
    "SessionAbsence",
    "RequestMaterial",
    "RequestChange",
    "DebriefRequest",
    "AcceptanceModelVersion",
    "ApiToken",
    "Applicant",
    "Area",
    "Assignment",
    "AuditEvent",
    "AvailabilityException",
    "BookingRequest",
    "ClaimLine",
    "ClaimReceipt",
    "CompensationClaim",
    "CompensationSetting",
    "EmployerContributionRate",
    "Experience",
    "Feedback",
    "Invitation",
    "MemberOpportunity",
    "JobRun",
    "MatchingWeights",
    "Member",
    "MemberReview",
    "MileageRate",
    "Nomination",
    "NominationAnswer",
    "Organisation",
    "OrganisationArea",
    "OutboxMessage",
    "PayoutBatch",
    "PoolChange",
    "PoolRequirement",
    "PoolStamp",
    "PatientGroupFigure",
    "PopulationFigure",
    "PriceBaseAmount",
    "Proposal",
    "RecruitmentTarget",
    "ProposalEntry",
    "RequestArea",
    "RequestEvent",
    "RequestSession",
    "ScheduledJob",
    "SchedulerLease",
    "SessionAttendance",
    "Survey",
    "TrainingBooking",
    "TrainingEvent",
    "User",
    "WeeklyWindow",
]
