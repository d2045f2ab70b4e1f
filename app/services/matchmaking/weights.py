"""The council's matching weights: the ones in force, saving them (audited), and a preview."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from datetime import datetime

from sqlmodel import Session, select

import matching
from app.models import BookingRequest, MatchingWeights, Member
from app.models.base import utcnow
from app.models.enums import RequestStatus
from app.services.errors import InvalidInput
from app.services.messages import N_
from app.services.privacy.audit import record_audit

WEIGHT_NAMES = tuple(item.name for item in fields(matching.Weights))
#: The score parts' weights (their weighted mean is the score): at least one must be > 0.
PART_NAMES = ("relevance", "load", "acceptance")
MAX_WEIGHT = 10.0
#: Requests whose group is still to be decided: the preview shows how theirs would change.
UNDECIDED_STATES = (RequestStatus.SUBMITTED, RequestStatus.QUESTION, RequestStatus.INTEREST)


def current_weights(*, session: Session) -> matching.Weights:
    """Return the weights in force: the council's newest, else the engine's defaults."""
    row = session.exec(select(MatchingWeights).order_by(MatchingWeights.id.desc()).limit(1)).first()
    if row is None:
        return matching.Weights()
    return matching.Weights(
        **{k: float(v) for k, v in (row.values or {}).items() if k in WEIGHT_NAMES}
    )


def check_weights(values: Mapping[str, float]) -> matching.Weights:
    """Return the weights, or raise InvalidInput naming the field that is wrong."""
    errors = {}
    for name in WEIGHT_NAMES:
        value = values.get(name)
        if value is None or not 0.0 <= float(value) <= MAX_WEIGHT:
            errors[name] = N_("Enter a number from 0 to 10.")
    if errors:
        raise InvalidInput(N_("Check the weights."), errors)
    if sum(float(values[name]) for name in PART_NAMES) <= 0:
        raise InvalidInput(
            N_("At least one of relevance, load and acceptance must be above 0."),
            {"relevance": N_("At least one of the three must be above 0.")},
        )
    return matching.Weights(**{name: float(values[name]) for name in WEIGHT_NAMES})


def save_weights(
    *,
    session: Session,
    weights: matching.Weights,
    actor_id: int | None,
    now: datetime | None = None,
) -> MatchingWeights:
    """Store new weights (in force for every new proposal) and audit the change."""
    before = asdict(current_weights(session=session))
    row = MatchingWeights(values=asdict(weights), set_at=now or utcnow(), set_by_id=actor_id)
    session.add(row)
    session.flush()
    record_audit(
        session=session,
        actor_id=actor_id,
        action="matching.weights.set",
        subject_type="matching_weights",
        subject_id=row.id,
        detail={"before": before, "after": asdict(weights)},
    )
    return row


@dataclass(frozen=True)
class PreviewRow:
    """One undecided request's proposed group with the weights in force and with new ones."""

    request: BookingRequest
    before: list[Member]
    after: list[Member]

    @property
    def changed(self) -> bool:
        """Return whether the group would change."""
        return [m.id for m in self.before] != [m.id for m in self.after]


def preview_weights(*, session: Session, weights: matching.Weights) -> list[PreviewRow]:
    """Return, per undecided request, the proposed group now and with ``weights``."""
    from app.services.matchmaking.proposals import decision_proposal

    query = (
        select(BookingRequest)
        .where(BookingRequest.status.in_([status.value for status in UNDECIDED_STATES]))
        .order_by(BookingRequest.id)
    )
    rows = []
    for booking_request in session.exec(query):
        now = decision_proposal(session=session, booking_request=booking_request)
        new = decision_proposal(session=session, booking_request=booking_request, weights=weights)
        members = {**now.members, **new.members}
        rows.append(
            PreviewRow(
                booking_request,
                [members[i] for i in now.proposal.group if i in members],
                [members[i] for i in new.proposal.group if i in members],
            )
        )
    return rows
