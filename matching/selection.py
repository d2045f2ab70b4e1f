"""Choose the best group of ``count`` people from a ranking, exactly, plus an ordered reserve list.

The group maximises, in this order (docs/matching.md, "Group selection"):

1. the number of the request's quotas met, then the least total shortfall of the quotas;
2. with ``balance="hard"``: the fewest seats above an even share (see ``even_caps``), where some
   group meeting the quotas as well as possible keeps every even share; where none does, the
   even share is no constraint for that request (``Selection.relaxed``; docs/matching.md);
3. the sum of the ranking scores + ``Weights.coverage`` per requested area covered
   − ``Weights.diversity`` per seat above an even share (``balance="soft"`` only)
   − ``Weights.target`` per seat above a requested ``target`` share (averaged over its dimensions).

Every term but the scores depends only on how many people of each *class* (same gender, age band,
mandate, experience types, covered areas and quota values) are chosen, and within a class a
better score is always better, so the search runs over class counts, taking each class's best:
a depth-first branch and bound whose bound is valid for every tier, hence provably optimal.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from matching.classes import Classes, attributes, even_caps
from matching.scoring import Ranking
from matching.search import Search, gap

__all__ = ["DIMENSIONS", "Selection", "attributes", "even_caps", "select"]

DIMENSIONS = ("age_band", "gender", "mandate", "experience_type")
TYPE_NAMES = {1: "own", 2: "relative", 3: "both"}


@dataclass(frozen=True)
class Selection:
    """Positions into ``Ranking.rows`` of the group and reserve, with what each newly added.

    ``unmet`` holds the indices into ``request.quotas`` the group does not meet, ``holders`` how
    many eligible people hold each quota's value and ``seats`` the group's size.
    """

    group: tuple[int, ...]
    reserve: tuple[int, ...]
    novelty: tuple[Mapping[str, object], ...] = field(default=())
    unmet: tuple[int, ...] = ()
    holders: Mapping[int, int] = field(default_factory=dict)
    seats: int = 0
    exact: bool = True  # False only if the search hit its node limit (docs/matching.md, Limits)
    relaxed: bool = False  # balance="hard" but no group kept every even share: none enforced


def select(ranking: Ranking, *, count: int | None = None, reserve: int | None = None) -> Selection:
    """Choose the optimal group and an ordered, quota-keeping reserve list from ``ranking``."""
    count = ranking.request.count if count is None else count
    reserve = 2 * count + 1 if reserve is None else reserve
    n = len(ranking.rows)
    seats = min(count, n)
    if seats == 0:
        unmet = tuple(q for q, quota in enumerate(ranking.request.quotas) if quota.min)
        return Selection((), (), unmet=unmet, holders=dict.fromkeys(unmet, 0), seats=0)
    classes = Classes(ranking, seats, seats + reserve)
    search = Search(classes, ranking.request, ranking.weights)
    x = search.run()
    # balance="hard" keeps the even shares only where a group meeting the quotas as well as
    # possible keeps them all (the best group has no seat above one); otherwise they are no
    # constraint: the lower Gini of the variants measured (docs/matching.md, "Group selection").
    # (a search stopped at its node limit is not proof, so it keeps the even shares).
    relaxed = (
        ranking.request.balance == "hard"
        and search.exact_search
        and search.incumbent is not None
        and search.incumbent[2] < 0
    )
    if relaxed:
        search = Search(classes, ranking.request, ranking.weights, mode="off")
        x = search.run()
    group = sorted(int(p) for c, k in enumerate(x) for p in classes.members[c][:k])
    for c, k in enumerate(x):
        if k:
            search.apply(c, k)
    unmet = tuple(
        q
        for q, quota in enumerate(ranking.request.quotas)
        if gap(quota, search.qcount[q], 0, 0) > 0
    )
    reserves = _reserve(search, classes, group, reserve)
    return Selection(
        group=tuple(group),
        reserve=tuple(reserves),
        novelty=_novelty(classes.attrs, group),
        unmet=unmet,
        holders=classes.holders,
        seats=seats,
        exact=search.exact_search,
        relaxed=relaxed,
    )


def _class_of(classes: Classes, x: list[int]) -> dict[int, int]:
    """Return the class of each group member (the best ``x[c]`` of each class ``c``)."""
    return {int(p): c for c, k in enumerate(x) for p in classes.members[c][:k]}


def _reserve(search: Search, classes: Classes, group: list[int], size: int) -> list[int]:
    """Return reserves round-robin: for each group member in turn, the best replacement for them.

    A replacement is valued by the whole objective of the group it would make, so one that keeps
    every met quota (and the even shares, with balance=hard) comes before one that breaks them.
    """
    where = _class_of(classes, search.x)
    taken = set(group)
    depth = size + len(group)
    # The group takes the best x[c] of each class c, so the rest of the class is spare.
    spare = [
        members[search.x[c] : search.x[c] + depth] for c, members in enumerate(classes.members)
    ]
    pos = np.concatenate(spare).astype(np.int64)
    cls = np.repeat(np.arange(len(spare)), [len(people) for people in spare])
    orders = []
    for member in group:
        out = where[member]
        search.apply(out, -1)
        unmet, short, hard, value = search.one_more(0, 0.0, search.covered())
        search.apply(out, 1)
        total = value[cls] + classes.score[pos]
        order = np.lexsort((-pos, total, hard[cls], -short[cls], -unmet[cls]))[::-1][:depth]
        orders.append(pos[order].tolist())
    out_list: list[int] = []
    for step in range(max((len(o) for o in orders), default=0)):
        for order in orders:
            if step < len(order) and order[step] not in taken and len(out_list) < size:
                out_list.append(order[step])
                taken.add(order[step])
    return out_list


def _novelty(attrs: dict[str, np.ndarray], group: list[int]) -> tuple[dict[str, object], ...]:
    """Return per group member (in ranking order) what they add to the members before them."""
    out: list[dict[str, object]] = []
    for i, p in enumerate(group):
        before = group[:i]
        if not before:
            out.append({})
            continue
        new: dict[str, object] = {
            dim: int(attrs[dim][p])
            for dim in ("age_band", "gender", "mandate")
            if int(attrs[dim][p]) not in {int(attrs[dim][b]) for b in before}
        }
        types = int(attrs["types"][p]) & ~int(np.bitwise_or.reduce(attrs["types"][before]))
        if types:
            new["experience_type"] = types
        out.append(new)
    return tuple(out)
