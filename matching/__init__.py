"""Matching engine: eligibility, ranking, group selection and explanations (pure; no web, no DB).

Typical use::

    index = PoolIndex(members)                  # once per pool snapshot
    model = train_acceptance(members)           # on demand; falls back to the prior
    proposal = propose(index, request, weights=Weights(), model=model)
"""

from matching.acceptance import PRIOR, AcceptanceModel, train_acceptance
from matching.check import violations
from matching.eligibility import RULES, exclusion_codes
from matching.engine import explain, propose
from matching.index import PoolIndex
from matching.scoring import Ranking, rank
from matching.selection import Selection, select
from matching.types import (
    STOCKHOLM,
    BlockedPeriod,
    Booking,
    Exclusion,
    Experience,
    HistoryEntry,
    Member,
    Opportunity,
    Proposal,
    Quota,
    RankedCandidate,
    Reason,
    Request,
    Session,
    UnmetQuota,
    WeeklyWindow,
    Weights,
)

__all__ = [
    "PRIOR",
    "RULES",
    "STOCKHOLM",
    "AcceptanceModel",
    "BlockedPeriod",
    "Booking",
    "Exclusion",
    "Experience",
    "HistoryEntry",
    "Member",
    "Opportunity",
    "PoolIndex",
    "Proposal",
    "Quota",
    "RankedCandidate",
    "Ranking",
    "Reason",
    "Request",
    "Selection",
    "Session",
    "UnmetQuota",
    "WeeklyWindow",
    "Weights",
    "exclusion_codes",
    "explain",
    "propose",
    "rank",
    "select",
    "train_acceptance",
    "violations",
]
