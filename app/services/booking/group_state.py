"""The one truth about a request's group: who is in it, how each stands, and who is in reserve.

Before the council approves, the group is the proposal (or the council's swapped version of
it) and the reserves are the rest of the ranking. Once approved, the invitations are the
truth: the approved group and the replacements invited later, each with the answer given,
and the reserves are the approved reserve list minus everyone invited since. The request page
shows this state and nothing else, so the proposal and the invitations can no longer disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, select

from app.models import Assignment, BookingRequest, Invitation, Member, Proposal, ProposalEntry
from app.models.enums import AssignmentStatus, InvitationStatus, ProposalStatus
from app.services.booking.replacements import reserve_entries
from app.services.matchmaking.proposals import ProposalView

#: A place that still counts towards the group: proposed, invited and waiting, or accepted.
HOLDING = ("proposed", InvitationStatus.PENDING, InvitationStatus.ACCEPTED)
#: What the council can do about a short group, by the rule that excluded people.
WIDEN_RULES = frozenset(
    {"no_area", "wrong_experience_type", "age_range", "language", "format", "assignment_type"}
)
TIME_RULES = frozenset({"unavailable", "already_booked", "monthly_max"})

#: ``group_state``'s default: the approved proposal is read there.
_UNREAD = object()


@dataclass(frozen=True)
class GroupPlace:
    """One person of the group and how their place stands."""

    member: Member
    #: "proposed" before approval, else the invitation's status ("withdrawn" once a booked
    #: person withdrew).
    status: str
    #: Invited as a replacement for someone who dropped out (not in the approved group).
    is_replacement: bool = False
    #: The replacement invited in this person's place, once they dropped out.
    replaced_by: Member | None = None

    @property
    def is_holding(self) -> bool:
        """Return True when the place still counts towards the group."""
        return self.status in HOLDING


@dataclass(frozen=True)
class GroupState:
    """The current group and reserves of a request, and why it may be short."""

    is_approved: bool
    places: list[GroupPlace]
    reserves: list[Member]
    wanted: int
    eligible: int
    #: (rule code, readable reason, people it excluded), most people first.
    exclusions: list[tuple[str, object, int]] = field(default_factory=list)

    @property
    def member_ids(self) -> list[int]:
        """Return the ids of the places that still count, in the group's order."""
        return [place.member.id for place in self.places if place.is_holding]

    @property
    def shortfall(self) -> int:
        """Return how many people are missing that no reserve can fill."""
        missing = self.wanted - len(self.member_ids)
        return max(0, missing - len(self.reserves)) if self.is_approved else max(0, missing)

    @property
    def advice(self) -> list[str]:
        """Return what the council can do about a short group: "widen", "times", "interest", "recruit"."""
        rules = {code for code, _, _ in self.exclusions}
        steps = []
        if rules & WIDEN_RULES:
            steps.append("widen")
        if rules & TIME_RULES:
            steps.append("times")
        if not self.is_approved:
            steps.append("interest")
        steps.append("recruit")
        return steps

    def swap_partner(self, candidate: Member, ranked_ids: list[int]) -> Member | None:
        """Return whom swapping in ``candidate`` replaces (before approval), or None.

        The lowest ranked proposed person of the candidate's gender, so a swap keeps the
        gender spread; else the lowest ranked proposed person (``ranked_ids``: best first).
        """
        if self.is_approved or candidate.id in self.member_ids:
            return None
        rank = {member_id: index for index, member_id in enumerate(ranked_ids)}
        people = sorted(
            (place.member for place in self.places if place.is_holding),
            key=lambda member: rank.get(member.id, len(rank)),
        )
        same = [member for member in people if member.gender == candidate.gender]
        return (same or people or [None])[-1]

    def reserve_position(self, member_id: int) -> int | None:
        """Return the 1-based reserve position of a member, or None."""
        ids = [member.id for member in self.reserves]
        return ids.index(member_id) + 1 if member_id in ids else None


def group_state(
    *,
    session: Session,
    booking_request: BookingRequest,
    view: ProposalView,
    requested: list[int] | None = None,
    recorded: Proposal | None | object = _UNREAD,
) -> GroupState:
    """Return the request's current group and reserves, computed once for the whole page.

    ``view`` is the proposal the page shows; ``requested`` the group the council is looking at
    before approval (after a swap), used when every id in it is eligible. ``recorded``: the
    request's approved proposal (``recorded_proposal``, None without one) when the page has read
    it already; a request has at most one approved proposal (approving supersedes the others).
    """
    exclusions = sorted(
        ((rule, reason, count) for rule, (reason, count) in view.excluded_by_rule.items()),
        key=lambda item: (-item[2], item[0]),
    )
    common = {
        "wanted": booking_request.people_count,
        "eligible": len(view.proposal.ranked),
        "exclusions": exclusions,
    }
    if recorded is _UNREAD:
        approved = session.exec(
            select(Proposal.id).where(
                Proposal.request_id == booking_request.id,
                Proposal.status == ProposalStatus.APPROVED,
            )
        ).first()
    else:
        approved = recorded.id if recorded is not None else None
    if approved is not None:
        return GroupState(
            is_approved=True,
            places=_invited_places(session, booking_request.id, approved),
            reserves=_members(
                session, [e.member_id for e in reserve_entries(session, booking_request.id)]
            ),
            **common,
        )
    eligible = [int(candidate.member_id) for candidate in view.proposal.ranked]
    chosen = requested if requested and set(requested) <= set(eligible) else None
    group = chosen or [int(member_id) for member_id in view.proposal.group]
    order = [int(m) for m in view.proposal.reserve] + eligible
    reserves = [m for m in dict.fromkeys(order) if m not in group]
    known = {int(member_id): member for member_id, member in view.members.items()}
    return GroupState(
        is_approved=False,
        places=[GroupPlace(member, "proposed") for member in _members(session, group, known)],
        reserves=_members(session, reserves, known),
        **common,
    )


def _members(
    session: Session, ids: list[int], known: dict[int, Member] | None = None
) -> list[Member]:
    """Return the members of ``ids`` in that order (those that no longer exist left out).

    ``known``: member rows already loaded (the proposal's), read only for the others.
    """
    if not ids:
        return []
    rows = dict(known or {})
    missing = [member_id for member_id in ids if member_id not in rows]
    if missing:
        rows.update({m.id: m for m in session.exec(select(Member).where(Member.id.in_(missing)))})
    return [rows[member_id] for member_id in ids if member_id in rows]


def _invited_places(session: Session, request_id: int, proposal_id: int) -> list[GroupPlace]:
    """Return the approved group and the replacements, each with their answer.

    The k-th person to drop out is shown as replaced by the k-th replacement invited.
    """
    in_group = set(
        session.exec(
            select(ProposalEntry.member_id).where(
                ProposalEntry.proposal_id == proposal_id, ProposalEntry.is_in_group
            )
        )
    )
    withdrawn = set(
        session.exec(
            select(Assignment.member_id).where(
                Assignment.request_id == request_id,
                Assignment.status == AssignmentStatus.WITHDRAWN,
                Assignment.stand_in_session_id.is_(None),
            )
        )
    )
    rows = session.exec(
        select(Invitation, Member)
        .join(Member, Member.id == Invitation.member_id)
        .where(Invitation.request_id == request_id, ~Invitation.is_interest_check)
        .where(Invitation.stand_in_session_id.is_(None))  # a stand-in is not of the group
        .order_by(Invitation.sent_at, Invitation.id)
    ).all()
    statuses = {
        invitation.id: InvitationStatus.WITHDRAWN if member.id in withdrawn else invitation.status
        for invitation, member in rows
    }
    replacements = [member for invitation, member in rows if member.id not in in_group]
    dropped = sorted(
        (invitation for invitation, _ in rows if statuses[invitation.id] not in HOLDING),
        key=lambda invitation: (invitation.responded_at or invitation.sent_at, invitation.id),
    )
    replaced_by = dict(zip((i.id for i in dropped), replacements, strict=False))
    return [
        GroupPlace(
            member,
            statuses[invitation.id],
            is_replacement=member.id not in in_group,
            replaced_by=replaced_by.get(invitation.id),
        )
        for invitation, member in rows
    ]
