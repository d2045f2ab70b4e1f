"""Insight datasets about activity: the flow of requests, feedback and cost."""

from __future__ import annotations

from collections import Counter, defaultdict

from app.models.enums import (
    AssignmentType,
    InvitationStatus,
    OrganisationKind,
    Participation,
    RequestStatus,
)
from app.services.feedback.surveys import MEMBER_QUESTIONS, ORDERER_QUESTIONS
from app.services.insight.datasets import Dataset, columns
from app.services.insight.metrics import (
    SMALL_CELL,
    SUPPRESSED,
    days_between,
    mean,
    month_key,
    months_between,
    share,
    spread,
    suppress,
)
from app.services.insight.rows import (
    InsightData,
    load_approved,
    load_booked_at,
    load_claims,
    load_feedback,
    load_invitations,
    load_reported_requests,
)
from app.services.pool.population import Population

ASSIGNMENT_EDGES = (0, 1, 2, 3, 4, 5, 7, 10)
ASSIGNMENT_BINS = ("0", "1", "2", "3", "4", "5-6", "7-9", "10+")
HOUR_EDGES = (0, 1e-9, 2, 5, 10, 20, 40)
HOUR_BINS = ("0", "0-2", "2-5", "5-10", "10-20", "20-40", "40+")
LORENZ_STEPS = 20
#: (respondent, question code) of the survey scores drawn over time.
QUESTIONS = tuple(("member", code) for code in MEMBER_QUESTIONS) + tuple(
    ("orderer", code) for code in ORDERER_QUESTIONS
)
MAX_ORGANISATIONS = 12


def period_months(data: InsightData) -> list[str]:
    """Return the filtered period's months as "YYYY-MM"."""
    return months_between(data.filters.start, data.filters.end)


def claims_in_scope(data: InsightData):
    def compute(data: InsightData):
        return [
            claim
            for claim in load_claims(data.session)
            if claim.request_id in data.requests
            and claim.last_day is not None
            and data.filters.start <= claim.last_day <= data.filters.end
            and data.member_in_pool_filter(claim.member_id)
        ]

    return data.cached("claims", compute)


def _created_in_period(data: InsightData):
    return [r for r in data.requests.values() if data.in_period(r.created_at)]


def flow_requests(data: InsightData, _population: Population) -> Dataset:
    """Requests per month by orderer kind."""
    months, kinds = period_months(data), [k.value for k in OrganisationKind]
    counts = Counter((data.month_of(r.created_at), r.kind) for r in _created_in_period(data))
    return Dataset(
        "flow_requests",
        tuple(months),
        columns(*((kind, [counts[(m, kind)] for m in months], "count") for kind in kinds)),
        tuple(kinds),
        {"requests": sum(counts.values())},
    )


def flow_types(data: InsightData, _population: Population) -> Dataset:
    """Requests in the period per assignment type, by orderer kind."""
    types, kinds = [t.value for t in AssignmentType], [k.value for k in OrganisationKind]
    counts = Counter((r.assignment_type, r.kind) for r in _created_in_period(data))
    return Dataset(
        "flow_types",
        tuple(types),
        columns(*((kind, [counts[(t, kind)] for t in types], "count") for kind in kinds)),
        tuple(kinds),
        {"requests": sum(counts.values())},
    )


def flow_participation(data: InsightData, _population: Population) -> Dataset:
    """Requests in the period per level of participation asked for (lowest first)."""
    levels = [level.value for level in Participation]
    counts = Counter(r.participation for r in _created_in_period(data))
    return Dataset(
        "flow_participation",
        tuple(levels),
        columns(
            ("requests", [counts[level] for level in levels], "count"),
            ("share", [share(counts[level], sum(counts.values())) for level in levels], "share"),
        ),
        ("requests",),
        {"requests": sum(counts.values())},
    )


def flow_times(data: InsightData, _population: Population) -> Dataset:
    """Median days from request to the council's decision and to a full booking, per month."""
    booked_at = data.cached("booked_at", lambda d: load_booked_at(d.session))
    decision, booking = defaultdict(list), defaultdict(list)
    for r in _created_in_period(data):
        month = data.month_of(r.created_at)
        if r.decided_at is not None:
            decision[month].append(days_between(r.created_at, r.decided_at))
        if r.id in booked_at:
            booking[month].append(days_between(r.created_at, booked_at[r.id]))
    months = period_months(data)
    d, b = [spread(decision[m]) for m in months], [spread(booking[m]) for m in months]
    overall_d = spread([v for values in decision.values() for v in values])
    overall_b = spread([v for values in booking.values() for v in values])
    return Dataset(
        "flow_times",
        tuple(months),
        columns(
            ("decision_days", [s.median for s in d], "days"),
            ("decisions", [s.n for s in d], "count"),
            ("booking_days", [s.median for s in b], "days"),
            ("bookings", [s.n for s in b], "count"),
        ),
        ("decision_days", "booking_days"),
        {"decision": overall_d, "booking": overall_b},
    )


def flow_rates(data: InsightData, _population: Population) -> Dataset:
    """Fill rate of approved requests, and the decline and no-answer rates of invitations.

    A request still inviting before its first session is left out of the fill rate until it
    is full or its first session has come.
    """
    approved_ids = load_approved(data.session)
    booked_at = data.cached("booked_at", lambda d: load_booked_at(d.session))
    filled_count = Counter(rid for _aid, rid, _mid, _ in data.work)
    approved, filled = Counter(), Counter()
    for r in _created_in_period(data):
        if r.id not in approved_ids and r.status not in (
            RequestStatus.BOOKED,
            RequestStatus.COMPLETED,
        ):
            continue
        is_filled = r.id in booked_at or filled_count[r.id] >= r.people_count
        first = data.first_start(r.id)
        if is_filled or (first is not None and first < data.today_end):  # still inviting: not yet
            month = data.month_of(r.created_at)
            approved[month] += 1
            filled[month] += is_filled
    answers: dict[str, Counter] = defaultdict(Counter)
    for request_id, status, sent_at in load_invitations(data.session, data.start, data.end):
        if request_id in data.requests:
            answers[data.month_of(sent_at)][status] += 1
    months = period_months(data)
    outcomes = (InvitationStatus.ACCEPTED, InvitationStatus.DECLINED, InvitationStatus.EXPIRED)
    answered = [sum(answers[m][s] for s in outcomes) for m in months]
    return Dataset(
        "flow_rates",
        tuple(months),
        columns(
            ("fill_rate", [share(filled[m], approved[m]) for m in months], "share"),
            ("approved", [approved[m] for m in months], "count"),
            (
                "decline_rate",
                [
                    share(answers[m][InvitationStatus.DECLINED], n)
                    for m, n in zip(months, answered, strict=True)
                ],
                "share",
            ),
            (
                "no_answer_rate",
                [
                    share(answers[m][InvitationStatus.EXPIRED], n)
                    for m, n in zip(months, answered, strict=True)
                ],
                "share",
            ),
            ("answered", answered, "count"),
        ),
        ("fill_rate", "decline_rate", "no_answer_rate"),
        {
            "fill_rate": share(sum(filled.values()), sum(approved.values())),
            "approved": sum(approved.values()),
            "filled": sum(filled.values()),
        },
    )


def _score(value) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return int(value) if 1 <= value <= 5 else None


def feedback_scores(data: InsightData, _population: Population) -> Dataset:
    """Mean survey scores per month; a month with fewer than five answers is not shown."""
    member_of = {aid: mid for aid, _rid, mid, _ in data.work}
    scores: dict[tuple[str, str], list[int]] = defaultdict(list)
    for row in load_feedback(data.session, data.start, data.end):
        if row.request_id not in data.requests:
            continue
        if row.respondent == "member" and not data.member_in_pool_filter(
            member_of.get(row.assignment_id, -1)
        ):
            continue
        month = data.month_of(row.submitted_at)
        for respondent, code in QUESTIONS:
            value = _score((row.answers or {}).get(code)) if row.respondent == respondent else None
            if value is not None:
                scores[(code, month)].append(value)
    months = period_months(data)
    series, facts = [], {}
    for _, code in QUESTIONS:
        values = [scores[(code, m)] for m in months]
        series.append(
            (
                code,
                [mean(v) if len(v) >= SMALL_CELL else (SUPPRESSED if v else None) for v in values],
                "score",
            )
        )
        series.append((f"{code}_n", [suppress(len(v)) for v in values], "people"))
        everything = [s for v in values for s in v]
        facts[code] = mean(everything) if len(everything) >= SMALL_CELL else None
    return Dataset(
        "feedback_scores", tuple(months), columns(*series), tuple(c for _, c in QUESTIONS), facts
    )


def feedback_led_to(data: InsightData, _population: Population) -> Dataset:
    """Share of finished assignments where the orderer reported what the input led to."""
    reported_requests = load_reported_requests(data.session)
    done, reported = Counter(), Counter()
    now = min(data.end, data.today_end)
    for _aid, request_id, member_id, outcome in data.work:
        span = data.spans.get(request_id)
        if request_id not in data.requests or not span or not data.member_in_pool_filter(member_id):
            continue
        if data.start <= span.last_end < now:
            month = data.month_of(span.last_end)
            done[month] += 1
            reported[month] += bool(outcome.strip()) or request_id in reported_requests
    months = period_months(data)
    return Dataset(
        "feedback_led_to",
        tuple(months),
        columns(
            ("share", [share(reported[m], done[m]) for m in months], "share"),
            ("assignments", [done[m] for m in months], "count"),
            ("reported", [reported[m] for m in months], "count"),
        ),
        ("share",),
        {"share": share(sum(reported.values()), sum(done.values()))},
    )


def cost_month(data: InsightData, _population: Population) -> Dataset:
    """Fees and travel per month (attested and paid claims, by their last activity day)."""
    fees, travel = Counter(), Counter()
    for claim in claims_in_scope(data):
        month = month_key(claim.last_day)
        fees[month] += claim.fee
        travel[month] += claim.travel
    months = period_months(data)
    return Dataset(
        "cost_month",
        tuple(months),
        columns(
            ("fees", [fees[m] for m in months], "kr"),
            ("travel", [travel[m] for m in months], "kr"),
        ),
        ("fees", "travel"),
        {"fees": sum(fees.values()), "travel": sum(travel.values())},
    )


def cost_org(data: InsightData, _population: Population) -> Dataset:
    """Fees and travel per ordering organisation (the largest; the rest together)."""
    fees, travel = Counter(), Counter()
    for claim in claims_in_scope(data):
        name = data.requests[claim.request_id].organisation
        fees[name] += claim.fee
        travel[name] += claim.travel
    order = sorted(fees, key=lambda n: (-(fees[n] + travel[n]), n))
    keys, rest = order[:MAX_ORGANISATIONS], order[MAX_ORGANISATIONS:]
    if rest:
        keys.append("*other")
        fees["*other"] = sum(fees[n] for n in rest)
        travel["*other"] = sum(travel[n] for n in rest)
    return Dataset(
        "cost_org",
        tuple(keys),
        columns(
            ("fees", [fees[k] for k in keys], "kr"), ("travel", [travel[k] for k in keys], "kr")
        ),
        ("fees", "travel"),
    )


FLOW = (flow_requests, flow_types, flow_participation, flow_times, flow_rates)
FEEDBACK = (feedback_scores, feedback_led_to)
COST = (cost_month, cost_org)
