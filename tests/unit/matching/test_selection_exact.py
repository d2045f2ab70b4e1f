"""The exact selection against a brute-force oracle over every possible group of small pools.

The oracle evaluates the documented objective (docs/matching.md, "Group selection") straight
from the members' attributes, without the classes or bounds the search uses.
"""

from __future__ import annotations

import itertools
import math
import random

import numpy as np
import pytest

from matching import select
from matching.types import Experience, Quota
from tests.unit.matching.test_selection import ranking_for

AREAS = ("psychiatry/psychosis", "cancer/breast")
BANDS = (34, 49, 64, 79)


def band(age: int) -> int:
    return sum(age > high for high in BANDS)


def random_member(rng: random.Random, make_member, i: int):
    experiences = []
    for area in AREAS:
        for kind in ("own", "relative"):
            if rng.random() < 0.45:
                experiences.append(Experience(area, kind))
    if not experiences:
        experiences.append(Experience(rng.choice(AREAS), rng.choice(("own", "relative"))))
    return make_member(
        f"m{i}",
        birth_year=rng.choice((1940, 1955, 1962, 1975, 1983, 1990, 1998, 2004)),
        gender=rng.choice(("woman", "woman", "man", "man", "nonbinary", "unknown")),
        mandate=rng.choice(("self", "self", "organisation")),
        experiences=tuple(experiences),
    )


def random_quota(rng: random.Random, count: int) -> Quota:
    field = rng.choice(("gender", "experience", "mandate", "age"))
    value = {
        "gender": lambda: rng.choice(("woman", "man", "nonbinary")),
        "experience": lambda: rng.choice(("own", "relative")),
        "mandate": lambda: rng.choice(("self", "organisation")),
        "age": lambda: tuple(sorted(rng.sample(range(18, 90), 2))),
    }[field]()
    low = rng.choice((None, 1, 1, 2))
    high = rng.choice((None, None, 0, 1, count - 1))
    if low is None and high is None:
        low = 1
    if low is not None and high is not None and high < low:
        high = None
    return Quota(field, value, low, high)


def instance(seed: int, make_member, make_request, sizes=(1, 9), counts=(1, 4)):
    rng = random.Random(seed)
    n = rng.randint(*sizes)
    count = rng.randint(counts[0], min(counts[1], n + 1))
    members = [random_member(rng, make_member, i) for i in range(n)]
    areas = AREAS if rng.random() < 0.4 else AREAS[:1]
    target = {}
    if rng.random() < 0.3:
        target["gender"] = {"woman": 0.5, "man": 0.5}
    if rng.random() < 0.2:
        target["experience_type"] = {"own": 0.5, "relative": 0.25, "both": 0.25}
    request = make_request(
        areas=areas,
        count=count,
        target=target,
        balance=rng.choice(("hard", "soft", "off")),
        quotas=tuple(random_quota(rng, count) for _ in range(rng.randint(0, 3))),
    )
    scores = [round(rng.uniform(0.3, 0.95), 3) for _ in members]
    return ranking_for(members, scores, request)


def people(ranking):
    """Return per ranking position the attributes the documented objective reads."""
    year = ranking.request.first_start.year
    out = []
    for p, row in enumerate(ranking.rows):
        member = ranking.index.members[int(row)]
        bits = ranking.bits[p]
        types = int(np.bitwise_or.reduce(bits))
        out.append(
            {
                "age": year - member.birth_year,
                "gender": member.gender,
                "mandate": member.mandate,
                "own": bool(types & 1),
                "relative": bool(types & 2),
                "areas": {a for a in range(len(bits)) if bits[a]},
                "score": float(ranking.score[p]),
            }
        )
    return out


def holds(person, quota: Quota) -> bool:
    if quota.field == "age":
        return quota.value[0] <= person["age"] <= quota.value[1]
    if quota.field == "experience":
        return person[quota.value]
    return person[quota.field] == quota.value


def balance_values(person) -> list[tuple[str, object]]:
    out = [("band", band(person["age"])), ("mandate", person["mandate"])]
    if person["gender"] != "unknown":
        out.append(("gender", person["gender"]))
    out += [("type", kind) for kind in ("own", "relative") if person[kind]]
    return out


ALL_DIMENSIONS = ("gender", "band", "type", "mandate")


def objective(ranking, everyone, group, kept=ALL_DIMENSIONS) -> tuple:
    """Return the documented objective of ``group`` (positions), as the oracle sees it.

    ``kept``: the dimensions whose seats above an even share count in the hard tier.
    """
    request, weights = ranking.request, ranking.weights
    seats = min(request.count, len(everyone))
    unmet = short = 0
    for quota in request.quotas:
        n = sum(holds(everyone[p], quota) for p in group)
        gap = max(0, (quota.min or 0) - n) + max(0, n - quota.max if quota.max is not None else 0)
        unmet += gap > 0
        short += gap
    present: dict[str, set] = {}
    for person in everyone:
        for dim, value in balance_values(person):
            present.setdefault(dim, set()).add(value)
    held: dict[tuple, int] = {}
    for p in group:
        for key in balance_values(everyone[p]):
            held[key] = held.get(key, 0) + 1
    over = {key: max(0, n - math.ceil(seats / len(present[key[0]]))) for key, n in held.items()}
    excess = sum(over.values())
    kept_excess = sum(n for (dim, _), n in over.items() if dim in kept)
    covered = set().union(*(everyone[p]["areas"] for p in group)) if group else set()
    value = sum(everyone[p]["score"] for p in group) + weights.coverage * len(covered)
    if request.balance == "soft":
        value -= weights.diversity * excess
    value -= weights.target * target_over(request.target, [everyone[p] for p in group], seats)
    return (-unmet, -short, -kept_excess if request.balance == "hard" else 0, value)


def target_over(target, group, seats: int) -> float:
    """Return the seats above the target shares, averaged over the target's dimensions."""
    kinds = {(True, False): "own", (False, True): "relative", (True, True): "both"}
    over = 0.0
    for dim, shares in target.items():
        labels = [kinds.get((p["own"], p["relative"]), "") for p in group]
        if dim == "gender":
            labels = [p["gender"] for p in group]
        for label in set(labels):  # a value the target does not name wants no seats
            over += max(0.0, labels.count(label) - shares.get(label, 0.0) * seats)
    return over / max(len(target), 1)


def kept_dimensions(ranking, everyone) -> tuple[str, ...]:
    """Return the dimensions whose even share balance=hard keeps: all of them if some group
    meeting the quotas as well as possible keeps every even share, else none."""
    seats = min(ranking.request.count, len(everyone))
    groups = [list(g) for g in itertools.combinations(range(len(everyone)), seats)]
    if ranking.request.balance != "hard":
        return ALL_DIMENSIONS
    quotas = max(objective(ranking, everyone, g)[:2] for g in groups)
    top = [g for g in groups if objective(ranking, everyone, g)[:2] == quotas]
    return ALL_DIMENSIONS if any(objective(ranking, everyone, g)[2] == 0 for g in top) else ()


def best(ranking, everyone, kept=ALL_DIMENSIONS) -> tuple:
    seats = min(ranking.request.count, len(everyone))
    results = [
        objective(ranking, everyone, list(group), kept)
        for group in itertools.combinations(range(len(everyone)), seats)
    ]
    return max(results, key=lambda t: (t[:3], round(t[3], 9)))


@pytest.mark.parametrize("block", range(4))
def test_selection_matches_brute_force_on_random_pools(block, make_member, make_request):
    for seed in range(block * 100, block * 100 + 100):
        ranking = instance(seed, make_member, make_request)
        everyone = people(ranking)

        selection = select(ranking)
        kept = kept_dimensions(ranking, everyone)
        got = objective(ranking, everyone, list(selection.group), kept)
        want = best(ranking, everyone, kept)

        assert len(selection.group) == min(ranking.request.count, len(everyone)), seed
        assert got[:3] == want[:3], seed
        assert got[3] == pytest.approx(want[3], abs=1e-9), seed


def test_selection_matches_brute_force_on_larger_groups(make_member, make_request):
    for seed in range(1000, 1040):
        ranking = instance(seed, make_member, make_request, sizes=(12, 14), counts=(3, 5))
        everyone = people(ranking)

        kept = kept_dimensions(ranking, everyone)
        got = objective(ranking, everyone, list(select(ranking).group), kept)
        want = best(ranking, everyone, kept)

        assert got[:3] == want[:3], seed
        assert got[3] == pytest.approx(want[3], abs=1e-9), seed


def test_hard_drops_the_even_share_only_where_no_group_keeps_it(make_member, make_request):
    dropped = 0
    for seed in range(400):
        ranking = instance(seed, make_member, make_request)
        if ranking.request.balance != "hard":
            continue
        kept = kept_dimensions(ranking, people(ranking))

        relaxed = select(ranking).relaxed

        assert relaxed == (kept == ()), seed
        dropped += relaxed
    assert dropped > 0  # the random pools do exercise the rule


def test_node_limit_returns_a_full_group_marked_not_exact(make_member, make_request, monkeypatch):
    import matching.search

    ranking = instance(1003, make_member, make_request, sizes=(14, 14), counts=(5, 5))
    unlimited = select(ranking)
    monkeypatch.setattr(matching.search, "MAX_NODES", 0)

    limited = select(ranking)

    assert unlimited.exact is True
    assert (len(limited.group), limited.exact) == (5, False)
