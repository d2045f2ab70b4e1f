"""The sentences said beside a picture: where the pool is thin, the Gini, lead times, totals."""

from __future__ import annotations

from flask_babel import format_decimal
from flask_babel import gettext as _

from app import formatting
from app.i18n import current_language, format_kronor, format_number
from app.services.feedback.surveys import MEMBER_QUESTIONS, ORDERER_QUESTIONS
from app.services.insight.datasets import Dataset
from app.services.insight.metrics import SUPPRESSED
from app.web.insight.specs import SERIES


def _percent(value) -> str:
    return formatting.share(value or 0, current_language())


def _thin(dataset: Dataset) -> list[str]:
    from app.web.insight.present import category_labeller
    from app.web.insight.specs import SPECS

    if not any(dataset.column("population_count").values):
        return [_("No population figures are entered yet, so the pool is not compared.")]
    name = category_labeller(SPECS[dataset.key], {})
    thin = dataset.facts.get("thin", [])
    if not thin:
        return [_("No group is clearly thinner in the pool than in the population.")]
    return [_thin_sentence(name(key), pool, population) for key, pool, population in thin[:4]]


def _thin_sentence(group: str, pool, population) -> str:
    if pool == SUPPRESSED:
        return _(
            "%(group)s: fewer than 5 people in the pool, %(population)s of the population.",
            group=group,
            population=_percent(population),
        )
    return _(
        "%(group)s: %(pool)s of the pool, %(population)s of the population.",
        group=group,
        pool=_percent(pool),
        population=_percent(population),
    )


def _lorenz(dataset: Dataset) -> list[str]:
    facts = dataset.facts
    out = [
        _(
            "Gini coefficient: %(assignments)s for assignments, %(hours)s for paid hours (%(members)s members).",
            assignments=format_decimal(facts["gini_assignments"], "0.00"),
            hours=format_decimal(facts["gini_hours"], "0.00"),
            members=facts["members"],
        )
    ]
    if facts.get("top_tenth_assignments") is not None:
        out.append(
            _(
                "The busiest tenth of the members did %(share)s of the assignments.",
                share=_percent(facts["top_tenth_assignments"]),
            )
        )
    return out


def _times(dataset: Dataset) -> list[str]:
    decision, booking = dataset.facts["decision"], dataset.facts["booking"]
    if not decision.n and not booking.n:
        return []
    days = lambda value: format_decimal(value or 0, "#,##0.#")  # noqa: E731
    return [
        _(
            "Over the period: a median of %(decision)s days to the council's decision (%(n)s requests), %(booking)s days to a full booking (%(m)s requests).",
            decision=days(decision.median),
            n=decision.n,
            booking=days(booking.median),
            m=booking.n,
        )
    ]


def _scores(dataset: Dataset) -> list[str]:
    parts = [
        f"{SERIES[code]}: {format_decimal(dataset.facts[code], '0.0')}"
        for code in (*MEMBER_QUESTIONS, *ORDERER_QUESTIONS)
        if dataset.facts.get(code) is not None
    ]
    return [_("Mean over the period: %(scores)s.", scores="; ".join(parts))] if parts else []


def _led_to(dataset: Dataset) -> list[str]:
    value = dataset.facts.get("share")
    if value is None:
        return []
    return [_("Over the period: %(share)s of finished assignments.", share=_percent(value))]


def _cost(dataset: Dataset) -> list[str]:
    fees, travel = dataset.facts["fees"], dataset.facts["travel"]
    return [
        _(
            "Over the period: %(fees)s in fees and %(travel)s in travel.",
            fees=format_kronor(fees),
            travel=format_kronor(travel),
        )
    ]


def _booked(dataset: Dataset) -> list[str]:
    booked = dataset.facts["booked"]
    if booked == SUPPRESSED:
        return [_("Fewer than 5 people were booked in the period.")]
    return [_("%(count)s bookings in the period.", count=booked)]


def _requests(dataset: Dataset) -> list[str]:
    return [_("%(count)s requests in the period.", count=format_number(dataset.facts["requests"]))]


def _fill(dataset: Dataset) -> list[str]:
    facts = dataset.facts
    if not facts["approved"]:
        return []
    return [
        _(
            "Over the period: %(share)s of %(count)s approved requests got everyone they asked for.",
            share=_percent(facts["fill_rate"]),
            count=format_number(facts["approved"]),
        )
    ]


def _assignments(dataset: Dataset) -> list[str]:
    return [
        _(
            "%(count)s assignments in the period for %(members)s members of today's pool.",
            count=format_number(dataset.facts["assignments"]),
            members=format_number(dataset.facts["members"]),
        )
    ]


FACTS = {
    "flow_requests": _requests,
    "flow_rates": _fill,
    "work_assignments": _assignments,
    "pool_age": _thin,
    "pool_age_gender": _thin,
    "pool_municipalities": _thin,
    "work_lorenz": _lorenz,
    "flow_times": _times,
    "feedback_scores": _scores,
    "feedback_led_to": _led_to,
    "cost_month": _cost,
    "booked_vs_pool": _booked,
}


def facts_for(dataset: Dataset) -> list[str]:
    """Return the sentences said beside a dataset's picture."""
    say = FACTS.get(dataset.key)
    return say(dataset) if say else []
