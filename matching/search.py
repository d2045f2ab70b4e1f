"""The exact group search: a branch and bound over how many people of each class join the group.

A *class* holds the candidates that are alike in everything the group's terms look at (gender,
age band, mandate, experience types, covered areas, quota values, target values). Only scores
differ inside a class, so a group takes the best of each class and is fully described by the
count per class. The search visits classes in order of their best score, branching on the count,
and prunes a branch when an optimistic bound on each tier of the objective cannot beat the best
group found (lexicographic; see ``Search``). Every bound below only assumes counts can grow, so
the search returns a provably optimal group; tests check it against brute force.
"""

from __future__ import annotations

import math

import numpy as np

from matching.classes import SLOTS, Classes

EPS = 1e-9
MAX_NODES = 4_000  # a safety valve for large groups; see docs/matching.md ("Limits")


class Search:
    """Branch and bound over the count per class; ``run`` returns the optimal counts.

    The objective is a tuple compared lexicographically: (-quotas unmet, -total quota shortfall,
    -seats above even shares if balance is hard else 0, value), where value = scores + coverage
    weight x areas covered - diversity weight x seats above even shares (soft only) - target
    weight x seats above target shares.
    """

    def __init__(self, classes: Classes, request, weights, mode: str | None = None):
        self.k, self.quotas = classes, request.quotas
        self.mode = request.balance if mode is None else mode  # mode: overrides the balance
        self.soft = weights.diversity if self.mode == "soft" else 0.0
        self.wcov = weights.coverage
        nc, seats = len(classes), classes.seats
        self.sizes = [min(len(m), seats) for m in classes.members]
        self.values = np.full((nc + 1, max(seats, 1)), -np.inf)
        for c, m in enumerate(classes.members):
            self.values[c, : self.sizes[c]] = classes.score[m[:seats]]
        finite = np.where(np.isfinite(self.values), self.values, 0.0)
        self.prefix = np.concatenate((np.zeros((nc + 1, 1)), np.cumsum(finite, axis=1)), 1).tolist()
        self.incidence = np.zeros((nc + 1, SLOTS), dtype=np.int64)
        self.held = np.zeros((nc + 1, len(self.quotas)), dtype=bool)
        for table, lists in ((self.incidence, classes.slots), (self.held, classes.quotas)):
            rows = [c for c, items in enumerate(lists) for _ in items]
            table[rows, [i for items in lists for i in items]] = 1
        sizes = np.array([*self.sizes, 0])
        self.room = np.cumsum(sizes[::-1])[::-1].tolist()
        self.can = np.cumsum((self.held * sizes[:, None])[::-1], axis=0)[::-1].tolist()
        self.reach = [0] * (nc + 1)
        for c in range(nc - 1, -1, -1):
            self.reach[c] = self.reach[c + 1] | classes.cover[c]
        self.caps = classes.caps.tolist()
        self.count, self.excess = [0] * SLOTS, 0
        self.tcount, self.tover = [0] * len(classes.want), 0.0
        self.qcount = [0] * len(self.quotas)
        self.areas = [0] * max(1, classes.attrs["cover"].shape[1])
        self.x = [0] * nc
        self.incumbent: tuple | None = None
        self.solution: list[int] = [0] * nc
        self.nodes = 0
        self.exact_search = True  # False if the node limit stopped the search before its end
        self.nu, self.mu = np.zeros(SLOTS), np.zeros(2 * len(self.quotas))
        self.qmin = np.array([q.min if q.min is not None else 0 for q in self.quotas])
        self.qmax = np.array([q.max if q.max is not None else seats for q in self.quotas])
        self.tincidence = np.zeros((nc + 1, len(classes.want)))
        if classes.want.size:
            self.tincidence[np.arange(nc)[:, None], np.array(classes.tslots)] = 1
        self.cover_bits = np.array([*classes.cover, 0], dtype=np.int64)

    def apply(self, c: int, n: int) -> None:
        """Add ``n`` (or remove, if negative) people of class ``c`` to the group."""
        k = self.k
        for s in k.slots[c]:
            before = self.count[s]
            self.count[s] = before + n
            cap = self.caps[s]
            self.excess += max(0, before + n - cap) - max(0, before - cap)
        for t in k.tslots[c]:
            before = self.tcount[t]
            self.tcount[t] = before + n
            want = k.want[t]
            self.tover += max(0.0, before + n - want) - max(0.0, before - want)
        for q in k.quotas[c]:
            self.qcount[q] += n
        cover, a = k.cover[c], 0
        while cover:
            if cover & 1:
                self.areas[a] += n
            cover >>= 1
            a += 1
        self.x[c] += n

    def covered(self) -> int:
        """Return the bit mask of the requested areas the current group covers."""
        return sum(1 << a for a, n in enumerate(self.areas) if n > 0)

    def exact(self, psum: float, covered: int) -> tuple:
        """Return the objective of the current (complete) group whose scores sum to ``psum``."""
        unmet = short = 0
        for q, quota in enumerate(self.quotas):
            miss = gap(quota, self.qcount[q], 0, 0)
            unmet += miss > 0
            short += miss
        value = (
            psum
            + self.wcov * bin(covered).count("1")
            - self.soft * self.excess
            - self.k.tweight * self.tover
        )
        return (-unmet, -short, -self.excess if self.mode == "hard" else 0, value)

    def bound(self, c: int, r: int, psum: float, covered: int) -> tuple | None:
        """Return an optimistic objective for every completion with ``r`` seats from ``c`` on."""
        if r == 0:
            return self.exact(psum, covered)
        if self.room[c] < r:
            return None
        unmet, short, needs = self._needs(c, r)
        seats, excess, constant = self._seat_values(c, r, self.nu)
        shift, moved = self._quota_shift(c, needs, self.mu)
        best = _top((seats + shift[:, None]).ravel(), r) + moved
        for q, low, high in needs:
            held = self.held[c:-1, q]
            best = min(best, _split(seats[held].ravel(), seats[~held].ravel(), r, low, high))
        value = (
            psum
            + best
            + constant
            + self.wcov * bin(covered | self.reach[c]).count("1")
            - self.soft * self.excess
            - self.k.tweight * self.tover
        )
        return (-unmet, -short, -excess if self.mode == "hard" else 0, value)

    def _needs(self, c: int, r: int) -> tuple[int, int, list[tuple[int, int, int]]]:
        """Return optimistic quotas unmet and shortfall, and (quota, low, high) still to meet.

        ``low``..``high`` is how many of the ``r`` seats left its holders must take.
        """
        unmet = short = 0
        needs = []
        for q, quota in enumerate(self.quotas):
            have = self.qcount[q]
            miss = gap(quota, have, r, self.can[c][q])
            unmet += miss > 0
            short += miss
            if miss == 0:
                low = 0 if quota.min is None else max(0, quota.min - have)
                high = r if quota.max is None else min(r, quota.max - have)
                if low > 0 or high < r:
                    needs.append((q, low, high))
        return unmet, short, needs

    def _quota_shift(self, c: int, needs: list, mu: np.ndarray) -> tuple[np.ndarray, float]:
        """Return a per-class seat bonus and a constant from quota multipliers ``mu`` (>= 0).

        For a group meeting the quota, mu_low * (holders - low) >= 0 and
        mu_high * (high - holders) >= 0, so adding them never lowers its value.
        """
        shift = np.zeros(len(self.k) - c)
        moved = 0.0
        for q, low, high in needs:
            held = self.held[c:-1, q]
            if low > 0 and mu[2 * q]:
                shift += mu[2 * q] * held
                moved -= mu[2 * q] * low
            if high < self.k.seats and mu[2 * q + 1]:
                shift -= mu[2 * q + 1] * held
                moved += mu[2 * q + 1] * high
        return shift, moved

    def _seat_values(self, c: int, r: int, nu: np.ndarray) -> tuple[np.ndarray, int, float]:
        """Return per class from ``c`` on an upper bound on its next ``r`` seats' values.

        Also the bound on the seats above even shares (hard) and a constant to add. Seat j of a
        class adds at least one seat above an even share for each of its slots with j or fewer
        seats left under the cap, whatever else joins (counts only grow). For the other slots
        a multiplier ``nu`` (0 to the diversity weight; any >= 0 under hard) moves the penalty
        onto the seats: penalty(slot) >= nu * (seats added - seats left), summed per slot.
        """
        values = self.values[c:-1, :r]
        if self.mode == "off":
            return values, 0, 0.0
        left = np.array(self.caps) - np.array(self.count)
        full = left[None, :] <= np.arange(r)[:, None]
        nu = np.where(left > 0, nu, 0.0)
        constant = float(nu @ np.maximum(left, 0))
        if self.mode == "soft":
            return values - self.incidence[c:-1] @ np.where(full, self.soft, nu).T, 0, constant
        free = (self.incidence[c:-1] @ full.T) == 0
        extra = max(0, r - int(free.sum()))
        if extra:
            return values, self.excess + extra, 0.0
        moved = values - (self.incidence[c:-1] @ nu)[:, None]
        return np.where(free, moved, -np.inf), self.excess, constant

    def _multipliers(self) -> tuple[np.ndarray, np.ndarray]:
        """Return multipliers that make the root bound tight (subgradient steps; any is valid).

        ``nu`` per even-share slot, ``mu`` per quota (low, high) side.
        """
        nu, mu = np.zeros(SLOTS), np.zeros(2 * len(self.quotas))
        seats = self.k.seats
        if len(self.k) <= seats or seats <= 2:
            return nu, mu  # two seats or fewer are solved without bounds
        _, _, needs = self._needs(0, seats)
        if self.mode == "off" and not needs:
            return nu, mu
        top = self.soft if self.mode == "soft" else np.inf
        caps = np.maximum(np.array(self.caps), 0)
        best, best_nu, best_mu = math.inf, nu, mu
        for step in range(40):
            values, _, constant = self._seat_values(0, seats, nu)
            shift, moved = self._quota_shift(0, needs, mu)
            values = values + shift[:, None]
            flat = values.ravel()
            chosen = np.argpartition(flat, flat.size - seats)[flat.size - seats :]
            bound = constant + moved + float(flat[chosen].sum())
            if bound < best:
                best, best_nu, best_mu = bound, nu, mu
            rows = chosen // values.shape[1]
            size = 0.1 / (step + 1)
            if self.mode != "off":
                slope = caps - self.incidence[rows].sum(axis=0)
                nu = np.clip(nu - size * slope, 0.0, top)
            mu = mu.copy()
            for q, low, high in needs:
                holders = int(self.held[rows, q].sum())
                if low > 0:
                    mu[2 * q] = max(0.0, mu[2 * q] - size * (holders - low))
                if high < seats:
                    mu[2 * q + 1] = max(0.0, mu[2 * q + 1] - size * (high - holders))
        return best_nu, best_mu

    def run(self) -> list[int]:
        """Return the optimal number of people per class."""
        self.nu, self.mu = self._multipliers()
        if self.k.seats > 2:
            self._start()
        root = self.bound(0, self.k.seats, 0.0, 0)
        if root is not None:
            self._visit(0, self.k.seats, 0.0, 0)
        return self.solution

    def _visit(self, c: int, r: int, psum: float, covered: int) -> None:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            self.exact_search = False
            return
        if r <= 2:
            (self._last_seat if r == 1 else self._last_two)(c, psum, covered)
            return
        children = []
        for n in range(min(r, self.sizes[c]), -1, -1):
            self.apply(c, n)
            total, mask = psum + self.prefix[c][n], covered | (self.k.cover[c] if n else 0)
            bound = self.bound(c + 1, r - n, total, mask)
            self.apply(c, -n)
            if bound is not None and self._promising(bound):
                children.append((bound, -n, total, mask))
        children.sort(key=lambda child: (child[0], child[1]), reverse=True)
        for bound, neg, total, mask in children:
            if not self._promising(bound):
                continue
            self.apply(c, -neg)
            if r + neg == 0:
                self.incumbent, self.solution = bound, list(self.x)
            else:
                self._visit(c + 1, r + neg, total, mask)
            self.apply(c, neg)

    def _start(self) -> None:
        """Find a good first group (greedy, then best single swaps) so the search prunes early."""
        nc, psum = len(self.k), 0.0
        for _ in range(self.k.seats):
            c, tiers = self._best_addition(psum)
            if c is None:
                break
            psum = self._add(c, psum, 1)
        current = self.exact(psum, self.covered())
        for _ in range(4 * self.k.seats):
            improved = False
            for out in range(nc):
                if not self.x[out]:
                    continue
                psum = self._add(out, psum, -1)
                c, tiers = self._best_addition(psum)
                if c is not None and tiers[:3] + (tiers[3] - EPS,) > current:
                    psum, current, improved = self._add(c, psum, 1), tiers, True
                else:
                    psum = self._add(out, psum, 1)
            if not improved:
                break
        if sum(self.x) == self.k.seats:
            self.incumbent, self.solution = current, list(self.x)
        for c in range(nc):
            self.apply(c, -self.x[c])

    def _add(self, c: int, psum: float, n: int) -> float:
        """Add (n=1) or remove (n=-1) the next/last person of class ``c``; return the new sum."""
        if n < 0:
            psum -= float(self.values[c, self.x[c] - 1])
        else:
            psum += float(self.values[c, self.x[c]])
        self.apply(c, n)
        return psum

    def _best_addition(self, psum: float) -> tuple[int | None, tuple]:
        """Return the class whose next person improves the current group most, and the result."""
        unmet, short, hard, value = self.one_more(0, psum, self.covered())
        nxt = np.array(self.x + [0])[:-1]
        room = nxt < np.array(self.sizes)
        if not room.any():
            return None, ()
        seat = self.values[np.arange(len(self.k)), np.minimum(nxt, self.values.shape[1] - 1)]
        value = value + seat
        ok = np.flatnonzero(room)
        order = np.lexsort((-ok, value[ok], hard[ok], -short[ok], -unmet[ok]))
        c = int(ok[order[-1]])
        return c, (-int(unmet[c]), -int(short[c]), int(hard[c]), float(value[c]))

    def _last_seat(self, c: int, psum: float, covered: int) -> None:
        """Give the last seat to the best class from ``c`` on, all classes evaluated at once."""
        unmet, short, hard, value = self.one_more(c, psum, covered)
        value = value + self.values[c:-1, 0]
        order = np.lexsort((-np.arange(len(value)), value, hard, -short, -unmet))
        best = int(order[-1])
        tiers = (-int(unmet[best]), -int(short[best]), int(hard[best]), float(value[best]))
        if self._promising(tiers):
            self.x[c + best] += 1
            self.incumbent, self.solution = tiers, list(self.x)
            self.x[c + best] -= 1

    def _last_two(self, c: int, psum: float, covered: int) -> None:
        """Give the last two seats to the best pair of classes from ``c`` on, all pairs at once."""
        k, m = self.k, len(self.k) - c
        excess = self.excess + _added(self.incidence[c:-1], self.count, self.caps)
        tover = self.tover + (
            _added(self.tincidence[c:-1], self.tcount, k.want) if k.want.size else 0.0
        )
        if self.quotas:
            have = np.array(self.qcount) + self.held[c:-1, None, :] + self.held[None, c:-1, :]
            gaps = np.maximum(self.qmin - have, 0) + np.maximum(have - self.qmax, 0)
            unmet, short = (gaps > 0).sum(axis=2), gaps.sum(axis=2)
        else:
            unmet = short = np.zeros((m, m), dtype=np.int64)
        cover = self.cover_bits[c:-1]
        areas = np.bitwise_count(cover[:, None] | cover[None, :] | covered).astype(np.int64)
        first = self.values[c:-1, 0]
        scores = first[:, None] + first[None, :]
        np.fill_diagonal(
            scores, first + self.values[c:-1, 1] if self.values.shape[1] > 1 else -np.inf
        )
        value = psum + scores + self.wcov * areas - self.soft * excess - k.tweight * tover
        hard = -excess if self.mode == "hard" else np.zeros_like(excess)
        upper = np.triu(np.ones((m, m), dtype=bool)) & np.isfinite(value)
        if not upper.any():
            return
        best = _lexmax(upper, -unmet, -short, hard, value)
        a, b = divmod(best, m)
        tiers = (-int(unmet[a, b]), -int(short[a, b]), int(hard[a, b]), float(value[a, b]))
        if self._promising(tiers):
            self.x[c + a] += 1
            self.x[c + b] += 1
            self.incumbent, self.solution = tiers, list(self.x)
            self.x[c + a] -= 1
            self.x[c + b] -= 1

    def one_more(self, c: int, psum: float, covered: int) -> tuple[np.ndarray, ...]:
        """Return per class from ``c`` on the objective if one of it joined, but their score.

        As arrays: quotas unmet, total shortfall, -seats above even shares (hard; else 0), value.
        """
        k = self.k
        if not self.quotas:
            unmet = short = np.zeros(len(k) - c, dtype=np.int64)
        else:
            have = np.array(self.qcount)[None, :] + self.held[c:-1]
            gaps = np.maximum(self.qmin - have, 0) + np.maximum(have - self.qmax, 0)
            unmet, short = (gaps > 0).sum(axis=1), gaps.sum(axis=1)
        full = (np.array(self.count) >= np.array(self.caps)).astype(np.int64)
        excess = self.excess + self.incidence[c:-1] @ full
        tover = np.full(len(k) - c, self.tover)
        if self.tincidence.shape[1]:
            now = np.array(self.tcount, dtype=float)
            step = np.maximum(now + 1 - k.want, 0) - np.maximum(now - k.want, 0)
            tover = tover + self.tincidence[c:-1] @ step
        areas = np.bitwise_count(self.cover_bits[c:-1] | covered).astype(np.int64)
        value = psum + self.wcov * areas - self.soft * excess - k.tweight * tover
        hard = -excess if self.mode == "hard" else np.zeros_like(excess)
        return unmet, short, hard, value

    def _promising(self, bound: tuple) -> bool:
        """Return whether ``bound`` may still beat the best group (ties go to the first found)."""
        if self.incumbent is None:
            return True
        if bound[:3] != self.incumbent[:3]:
            return bound[:3] > self.incumbent[:3]
        return bound[3] > self.incumbent[3] + EPS


def _added(incidence: np.ndarray, count, caps) -> np.ndarray:
    """Return per pair of classes the seats above the caps the pair adds to ``count``.

    ``incidence`` (classes x slots) is 0/1, so a pair puts 2 in the slots both classes share.
    """
    now = np.asarray(count, dtype=float)
    caps = np.asarray(caps, dtype=float)
    over = np.maximum(now - caps, 0)
    one = np.maximum(now + 1 - caps, 0) - over
    two = np.maximum(now + 2 - caps, 0) - over
    single = incidence @ one
    return single[:, None] + single[None, :] + (incidence * (two - 2 * one)) @ incidence.T


def _lexmax(mask: np.ndarray, *keys: np.ndarray) -> int:
    """Return the first flat index within ``mask`` with the lexicographically largest keys."""
    for key in keys:
        top = key[mask].max()
        mask = mask & (key == top)
    return int(np.flatnonzero(mask.ravel())[0])


def gap(quota, have: int, r: int, can: int) -> int:
    """Return the least shortfall of ``quota`` reachable from ``have`` with ``r`` more seats."""
    gap = 0
    if quota.max is not None and have > quota.max:
        gap += have - quota.max
    if quota.min is not None:
        gap += max(0, quota.min - have - min(r, can))
    return gap


def _top(values: np.ndarray, r: int) -> float:
    if values.size < r:
        return -math.inf
    return float(np.partition(values, values.size - r)[values.size - r :].sum())


def _split(held: np.ndarray, others: np.ndarray, r: int, low: int, high: int) -> float:
    """Return the best sum of ``r`` values with between ``low`` and ``high`` from ``held``."""
    h = np.concatenate(([0.0], np.cumsum(-np.sort(-held)[:r])))
    o = np.concatenate(([0.0], np.cumsum(-np.sort(-others)[:r])))
    best = -math.inf
    for t in range(low, min(high, r) + 1):
        if t < len(h) and r - t < len(o):
            best = max(best, h[t] + o[r - t])
    return float(best)
