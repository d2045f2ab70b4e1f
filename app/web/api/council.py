"""The council's tools through the API: proposals with score parts, approve, swap, ask, decline."""

from __future__ import annotations

from app.db import get_session
from app.mail.settings import mail_context
from app.models import BookingRequest
from app.models.enums import Role
from app.services.booking.decisions import approve_group, ask_orderer, decline_request, swap_member
from app.services.compensation.terms import Terms, request_terms, set_agreement_terms
from app.services.matchmaking.proposals import decision_proposal, group_quota_lines
from app.services.matchmaking.quotas import set_request_quotas
from app.services.privacy.audit import record_read
from app.web.api import bp, responses, spec
from app.web.api.auth import api_user, roles
from app.web.api.errors import response_language
from app.web.api.requests import REQUEST_ID, answer_with, request_out, with_request
from app.web.api.schemas import (
    ApprovedOut,
    ApproveIn,
    CandidateOut,
    ExclusionOut,
    GroupOut,
    MessageText,
    ProposalOut,
    QuotasIn,
    QuotaStatusOut,
    ReasonOut,
    ReasonText,
    RequestOut,
    SwapIn,
    TermsIn,
    TermsListOut,
    TermsOut,
    UnmetQuotaOut,
)
from matching.io import quota_json

DECISION_ERRORS = [400, 404, 409, 415, 422]


@bp.get(f"/requests/{REQUEST_ID}/proposal")
@roles(Role.COUNCIL)
@with_request
@spec.validate(resp=responses(HTTP_200=ProposalOut, errors=[404]), tags=["council"])
def proposal(booking_request: BookingRequest):
    """Rank the live pool for a request: group, reserves, score parts, reasons, exclusions.

    While the council asks for interest first, only those who said yes are ranked.
    """
    session, request_id = get_session(), booking_request.id
    record_read(
        session=session,
        actor_id=api_user().id,
        action="request.proposal.read",
        subject_type="booking_request",
        subject_id=request_id,
    )
    view, lang = (
        decision_proposal(session=session, booking_request=booking_request),
        response_language(),
    )
    result = view.proposal
    group, reserve = list(result.group), list(result.reserve)
    ranked = [
        CandidateOut(
            member_id=int(candidate.member_id),
            name=view.members[candidate.member_id].display_name,
            rank=rank,
            score=candidate.score,
            parts=dict(candidate.parts),
            reasons=[ReasonOut(code=r.code, text=r.text(lang)) for r in candidate.reasons],
            in_group=candidate.member_id in group,
            reserve_position=reserve.index(candidate.member_id) + 1
            if candidate.member_id in reserve
            else None,
        )
        for rank, candidate in enumerate(result.ranked, start=1)
    ]
    excluded = [
        ExclusionOut(rule=rule, reason=reason.text(lang), count=count)
        for rule, (reason, count) in sorted(view.excluded_by_rule.items())
    ]
    lines = group_quota_lines(
        session=session,
        booking_request=booking_request,
        view=view,
        member_ids=[int(m) for m in group],
    )
    return ProposalOut(
        request_id=request_id,
        group=[int(m) for m in group],
        reserve=[int(m) for m in reserve],
        ranked=ranked,
        excluded=excluded,
        balance=booking_request.balance,
        quotas=[
            QuotaStatusOut(quota=quota_json(line.quota), count=line.count, is_met=line.is_met)
            for line in lines
        ],
        unmet_quotas=[
            UnmetQuotaOut(quota=quota_json(item.quota), reason=item.reason.text(lang))
            for item in result.unmet_quotas
        ],
    )


@bp.put(f"/requests/{REQUEST_ID}/quotas")
@roles(Role.COUNCIL)
@with_request
@spec.validate(resp=responses(HTTP_200=RequestOut, errors=DECISION_ERRORS), tags=["council"])
def set_quotas(booking_request: BookingRequest, json: QuotasIn):
    """Set the group's quotas and balance before approving; proposals are computed with them."""
    set_request_quotas(
        session=get_session(),
        booking_request=booking_request,
        quotas=json.quotas,
        balance=json.balance,
        actor_id=api_user().id,
    )
    return request_out(booking_request)


@bp.post(f"/requests/{REQUEST_ID}/approve")
@roles(Role.COUNCIL)
@with_request
@spec.validate(resp=responses(HTTP_200=ApprovedOut, errors=DECISION_ERRORS), tags=["council"])
def approve(booking_request: BookingRequest, json: ApproveIn):
    """Approve a group of eligible people; each gets an invitation by mail."""
    stored = approve_group(
        session=get_session(),
        booking_request=booking_request,
        member_ids=json.member_ids,
        actor=api_user(),
        ctx=mail_context(),
        below_two_reason=json.below_two_reason,
    )
    invited = list(dict.fromkeys(json.member_ids))
    return ApprovedOut(proposal_id=stored.id, invited=invited, request=request_out(booking_request))


@bp.post(f"/requests/{REQUEST_ID}/swap")
@roles(Role.COUNCIL)
@with_request
@spec.validate(resp=responses(HTTP_200=GroupOut, errors=DECISION_ERRORS), tags=["council"])
def swap(booking_request: BookingRequest, json: SwapIn):
    """Swap one person in a group for an eligible alternative; returns the new group."""
    swapped = swap_member(
        session=get_session(),
        booking_request=booking_request,
        group=json.group,
        out_id=json.out_id,
        in_id=json.in_id,
        actor=api_user(),
    )
    return GroupOut(group=swapped)


@bp.post(f"/requests/{REQUEST_ID}/ask")
@roles(Role.COUNCIL)
@with_request
@spec.validate(resp=responses(HTTP_200=RequestOut, errors=DECISION_ERRORS), tags=["council"])
def ask(booking_request: BookingRequest, json: MessageText):
    """Send the request back to the orderer with a question."""
    return answer_with(ask_orderer, booking_request, message=json.message)


@bp.post(f"/requests/{REQUEST_ID}/decline")
@roles(Role.COUNCIL)
@with_request
@spec.validate(resp=responses(HTTP_200=RequestOut, errors=DECISION_ERRORS), tags=["council"])
def decline(booking_request: BookingRequest, json: ReasonText):
    """Decline a request with a reason the orderer sees."""
    return answer_with(decline_request, booking_request, reason=json.reason)


def _terms_out(person) -> TermsOut:
    return TermsOut(
        member_id=person.member_id, name=person.name, status=person.status, **person.terms.as_json()
    )


@bp.get(f"/requests/{REQUEST_ID}/terms")
@roles(Role.COUNCIL)
@with_request
@spec.validate(resp=responses(HTTP_200=TermsListOut, errors=[404]), tags=["council"])
def terms(booking_request: BookingRequest):
    """List the agreement terms of everyone booked or still invited on a request."""
    people = request_terms(session=get_session(), request_id=booking_request.id)
    return TermsListOut(people=[_terms_out(person) for person in people])


@bp.post(f"/requests/{REQUEST_ID}/terms")
@roles(Role.COUNCIL)
@with_request
@spec.validate(resp=responses(HTTP_200=TermsOut, errors=DECISION_ERRORS), tags=["council"])
def set_terms(booking_request: BookingRequest, json: TermsIn):
    """Set one person's terms: extra agreed time, hourly fee (up to 2 h), part of employment."""
    session = get_session()
    set_agreement_terms(
        session=session,
        request_id=booking_request.id,
        member_id=json.member_id,
        terms=Terms(json.extra_minutes, json.is_hourly, json.is_part_of_employment),
        actor_id=api_user().id,
    )
    people = request_terms(session=session, request_id=booking_request.id)
    return next(_terms_out(p) for p in people if p.member_id == json.member_id)
