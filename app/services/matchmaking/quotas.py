"""A request's quotas and balance: reading them, the council's edit, and how a group meets them.

Quotas are stored on the request in the offline CLI's JSON shape (``matching.io.parse_quota``
reads and checks them, ``quota_json`` writes them), so the form, the API and the CLI share one
schema. Semantics (docs/matching.md): a person counts toward every value they hold; for
``experience`` each type they have in a requested area, for ``age`` their age in the year of
the first session, bounds inclusive.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlmodel import Session

import matching
from app.models import BookingRequest
from app.models.enums import QuotaBalance, RequestAction
from app.services.errors import Conflict, InvalidInput
from app.services.messages import N_
from app.services.requests.history import log_event
from app.services.requests.states import APPROVABLE_REQUEST_STATES
from matching.io import MAX_AGE, InputError, parse_quota, quota_json
from matching.quotas import member_holds, words

#: How many quotas one request may carry (a few wishes, not a spreadsheet).
MAX_QUOTAS = 20


def parse_quotas(raw: object, *, people_count: int) -> tuple[matching.Quota, ...]:
    """Return the quotas of a JSON-like list, or raise InvalidInput naming the bad one."""
    if not isinstance(raw, list | tuple):
        raise InvalidInput(N_("The quotas have errors."), {"quotas": N_("Give a list of quotas.")})
    if len(raw) > MAX_QUOTAS:
        raise InvalidInput(N_("The quotas have errors."), {"quotas": N_("Give at most 20 quotas.")})
    quotas = []
    for i, item in enumerate(raw):
        where = f"quotas.{i}"
        try:
            quota = parse_quota(item, where)
        except InputError as error:
            raise InvalidInput(N_("The quotas have errors."), {where: str(error)}) from None
        if quota.min is not None and quota.min > people_count:
            raise InvalidInput(
                N_("The quotas have errors."),
                {where: N_("A quota cannot ask for more people than the request.")},
            )
        quotas.append(quota)
    return tuple(dict.fromkeys(quotas))


def check_balance(balance: str) -> str:
    """Return the balance if it is one of hard, soft and off, else raise InvalidInput."""
    if balance not in {str(value) for value in QuotaBalance}:
        raise InvalidInput(
            N_("Choose one of the listed values."),
            {"balance": N_("Choose one of the listed values.")},
        )
    return balance


def request_quotas(booking_request: BookingRequest) -> tuple[matching.Quota, ...]:
    """Return the request's stored quotas as the engine's type (unreadable ones left out)."""
    quotas = []
    for i, item in enumerate(booking_request.quotas or []):
        try:
            quotas.append(parse_quota(item, f"quotas.{i}"))
        except InputError:
            continue  # stored by an older rule: never a 500 on a page
    return tuple(quotas)


def set_request_quotas(
    *,
    session: Session,
    booking_request: BookingRequest,
    quotas: Sequence[dict],
    balance: str,
    actor_id: int,
) -> BookingRequest:
    """Replace the request's quotas and balance (the council, before approving)."""
    if booking_request.status not in APPROVABLE_REQUEST_STATES:
        raise Conflict(N_("This request cannot take that step in its current state."))
    parsed = parse_quotas(list(quotas), people_count=booking_request.people_count)
    booking_request.quotas = [quota_json(quota) for quota in parsed]
    booking_request.balance = check_balance(balance)
    session.add(booking_request)
    log_event(
        session,
        booking_request,
        actor_id,
        RequestAction.QUOTAS_CHANGED,
        quotas=booking_request.quotas,
        balance=booking_request.balance,
    )
    session.flush()
    return booking_request


def quota_count(
    members: Iterable[matching.Member], quota: matching.Quota, request: matching.Request
) -> int:
    """Return how many of the members count toward the quota."""
    return sum(1 for member in members if member_holds(member, quota, request))


def is_met(count: int, quota: matching.Quota) -> bool:
    """Return whether ``count`` holders keep the quota's bounds."""
    return (quota.min is None or count >= quota.min) and (quota.max is None or count <= quota.max)


@dataclass(frozen=True)
class QuotaLine:
    """One quota as the council sees it against a group."""

    quota: matching.Quota
    label: matching.Reason
    count: int
    is_met: bool
    #: The engine's reason when the eligible people do not allow the quota.
    unmet_reason: matching.Reason | None = None


def quota_lines(
    members: Sequence[matching.Member], request: matching.Request, proposal: matching.Proposal
) -> list[QuotaLine]:
    """Return each quota of the request, whether the group meets it, and why not if so."""
    reasons = {item.quota: item.reason for item in proposal.unmet_quotas}
    lines = []
    for quota in request.quotas:
        count = quota_count(members, quota, request)
        met = is_met(count, quota)
        reason = None if met else reasons.get(quota)
        lines.append(QuotaLine(quota, quota_label(quota), count, met, reason))
    return lines


def unmet_json(proposal: matching.Proposal) -> list[dict]:
    """Return the proposal's unmet quotas as stored on the proposal row."""
    return [
        {
            "quota": quota_json(item.quota),
            "reason": {"code": item.reason.code, "sv": item.reason.sv, "en": item.reason.en},
        }
        for item in proposal.unmet_quotas
    ]


def quota_label(quota: matching.Quota) -> matching.Reason:
    """Return a quota in plain words, e.g. "Minst 1 under 35" / "At least 1 under 35"."""
    low, high = quota.min, quota.max
    if low is not None and high is not None and low == high:
        sv, en = f"Exakt {low}", f"Exactly {low}"
    elif low is not None and high is not None:
        sv, en = f"{low}–{high}", f"Between {low} and {high}"
    elif low is not None:
        sv, en = f"Minst {low}", f"At least {low}"
    else:
        sv, en = f"Högst {high}", f"At most {high}"
    number = high if low is None else low if high is None or high == low else None
    what_sv, what_en = _value_words(quota, number)
    return matching.Reason(f"quota:{quota.field}", f"{sv} {what_sv}", f"{en} {what_en}")


def _value_words(quota: matching.Quota, number: int | None) -> tuple[str, str]:
    """Return the quota's value in words after a number (the engine's words, ages as bands)."""
    if quota.field == "age":
        low, high = quota.value
        if low <= 0:
            return f"under {high + 1}", f"under {high + 1}"
        if high >= MAX_AGE:
            return f"som är {low} år eller äldre", f"aged {low} or over"
        return f"i åldern {low}–{high}", f"aged {low}–{high}"
    one_sv, many_sv, _, one_en, many_en, _ = words(quota)
    return (one_sv, one_en) if number == 1 else (many_sv, many_en)


def request_quota_labels(booking_request: BookingRequest) -> list[matching.Reason]:
    """Return the request's quotas in plain words (no one's data: safe for the orderer)."""
    return [quota_label(quota) for quota in request_quotas(booking_request)]


@dataclass(frozen=True)
class Wishes:
    """The orderer's wishes for the group, each an "at least this many" (None: no wish)."""

    own: int | None = None
    relative: int | None = None
    women: int | None = None
    men: int | None = None
    organisation: int | None = None
    #: At least ``age_count`` people aged ``age_from`` (None: any age) to ``age_to`` (None: any).
    age_count: int | None = None
    age_from: int | None = None
    age_to: int | None = None


def quotas_from_wishes(wishes: Wishes) -> list[dict]:
    """Return the quotas (CLI JSON shape) that the orderer's wishes state."""
    simple = (
        ("experience", "own", wishes.own),
        ("experience", "relative", wishes.relative),
        ("gender", "woman", wishes.women),
        ("gender", "man", wishes.men),
        ("mandate", "organisation", wishes.organisation),
    )
    quotas: list[dict] = [
        {"field": name, "value": value, "min": count} for name, value, count in simple if count
    ]
    if wishes.age_count and (wishes.age_from is not None or wishes.age_to is not None):
        low = wishes.age_from if wishes.age_from is not None else 0
        high = wishes.age_to if wishes.age_to is not None else MAX_AGE
        quotas.append({"field": "age", "value": [low, high], "min": wishes.age_count})
    return quotas
