"""Weighted set cover: the fewest, best candidates that together cover what is asked.

Pure and generic: elements are strings, candidates carry the elements they cover, a cost
and a tie-break rank; nothing here knows about companies. :func:`solve` picks the method
by size — :func:`exact` (branch and bound) for instances as small as a real project's,
:func:`greedy` for large ones, whose cost is at most H(d) times the optimum, d being the
largest number of elements one candidate covers (H the harmonic number; Chvátal 1979).

An element no candidate covers is reported, never silently dropped. With a size limit,
an element may be left uncovered: each costs :data:`UNCOVERED_COST`, more than any
candidate, so covering always wins when the limit allows it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

UNCOVERED_COST = 100.0  # leaving an element uncovered (only under a size limit)
EXACT_LIMIT = 40  # candidates (after dominated ones are dropped) the exact search takes on
EPSILON = 1e-9
NODE_BUDGET = 200_000  # search nodes before the exact search gives way to the greedy


class BudgetExceeded(Exception):
    """The exact search would take too long: an adversarial instance."""


@dataclass(frozen=True, slots=True)
class Candidate:
    key: str
    covers: frozenset[str]
    cost: float  # > 0
    rank: int  # tie-break: lower is preferred (e.g. better standing, then id)


@dataclass(frozen=True, slots=True)
class Cover:
    chosen: tuple[Candidate, ...]  # in rank order
    covered: frozenset[str]
    uncovered: frozenset[str]  # asked, and not covered (no candidate covers it, or the limit)
    exact: bool  # proved optimal; else greedy
    bound: float  # the guaranteed ratio to the optimum: 1 when exact, H(d) for greedy

    @property
    def cost(self) -> float:
        return sum(c.cost for c in self.chosen)


def harmonic(n: int) -> float:
    """H(n) = 1 + 1/2 + ... + 1/n (0 for n = 0)."""
    return sum(1 / k for k in range(1, n + 1))


def objective(chosen: Iterable[Candidate], universe: frozenset[str]) -> float:
    """What the solvers minimise: the members' cost plus the cost of what stays uncovered."""
    picked = list(chosen)
    covered = frozenset().union(*(c.covers for c in picked)) if picked else frozenset()
    return sum(c.cost for c in picked) + UNCOVERED_COST * len(universe - covered)


def solve(
    universe: Iterable[str],
    candidates: Sequence[Candidate],
    size: int | None = None,
    exact_limit: int = EXACT_LIMIT,
) -> Cover:
    """The exact cover when the instance is small enough, else the greedy one."""
    wanted = frozenset(universe)
    useful = reduce(wanted, candidates)
    if len(useful) <= exact_limit:
        try:
            return exact(wanted, useful, size)
        except BudgetExceeded:
            pass
    return greedy(wanted, useful, size)


def reduce(universe: frozenset[str], candidates: Sequence[Candidate]) -> list[Candidate]:
    """Drop candidates no optimal cover needs: nothing asked, or a cheaper one covers as much.

    Of candidates covering the same part of ``universe``, only the best (cost, then rank)
    stays; then one whose part is inside a kept candidate's part at no lower cost goes.
    """
    best: dict[frozenset[str], Candidate] = {}
    for candidate in candidates:
        part = candidate.covers & universe
        if not part:
            continue
        kept = best.get(part)
        if kept is None or _better(candidate, kept):
            best[part] = candidate
    kept_list = sorted(best.values(), key=lambda c: (-len(c.covers & universe), c.cost, c.rank))
    result: list[Candidate] = []
    for candidate in kept_list:
        part = candidate.covers & universe
        if any(
            part < (other.covers & universe) and other.cost <= candidate.cost + EPSILON
            for other in result
        ):
            continue
        result.append(candidate)
    return sorted(result, key=lambda c: c.rank)


def _better(a: Candidate, b: Candidate) -> bool:
    return (a.cost, a.rank) < (b.cost, b.rank)


def _tie_key(chosen: Iterable[Candidate]) -> tuple[int, ...]:
    return tuple(sorted(c.rank for c in chosen))


def _cover(
    universe: frozenset[str], chosen: Iterable[Candidate], exact: bool, bound: float
) -> Cover:
    picked = tuple(sorted(chosen, key=lambda c: c.rank))
    covered = frozenset().union(*(c.covers & universe for c in picked)) if picked else frozenset()
    return Cover(picked, covered, universe - covered, exact, bound)


def exact(
    universe: frozenset[str],
    candidates: Sequence[Candidate],
    size: int | None = None,
    budget: int = NODE_BUDGET,
) -> Cover:
    """The cheapest cover, proved by branch and bound; equal costs go to the better ranks.

    Branches on the uncovered element with the fewest candidates; bounds by the cost so
    far plus, for what is left, the dearest of the cheapest ways to cover one element.
    Raises :class:`BudgetExceeded` after ``budget`` search nodes.
    """
    pool = [c for c in candidates if c.covers & universe]
    coverable = frozenset().union(*(c.covers for c in pool)) & universe if pool else frozenset()
    never = universe - coverable
    by_element: dict[str, list[Candidate]] = {
        element: sorted(
            (c for c in pool if element in c.covers),
            key=lambda c: (c.cost / len(c.covers & universe), c.rank),
        )
        for element in coverable
    }
    cheapest = {element: min(c.cost for c in found) for element, found in by_element.items()}
    best: list[Candidate] = []
    best_cost = UNCOVERED_COST * len(coverable) + EPSILON  # covering nothing
    best_key: tuple[int, ...] = ()
    limit = size if size is not None else len(pool)
    nodes = 0

    def search(left: frozenset[str], chosen: list[Candidate], cost: float) -> None:
        nonlocal best, best_cost, best_key, nodes
        nodes += 1
        if nodes > budget:
            raise BudgetExceeded
        if not left or len(chosen) >= limit:
            total = cost + UNCOVERED_COST * len(left)
            key = _tie_key(chosen)
            if total < best_cost - EPSILON or (
                abs(total - best_cost) <= EPSILON and key < best_key
            ):
                best, best_cost, best_key = list(chosen), total, key
            return
        bound = cost + max(min(cheapest[e], UNCOVERED_COST) for e in left)
        if bound > best_cost + EPSILON:
            return
        element = min(left, key=lambda e: (len(by_element[e]), e))
        taken = {c.key for c in chosen}
        for candidate in by_element[element]:
            if candidate.key in taken:
                continue
            chosen.append(candidate)
            search(left - candidate.covers, chosen, cost + candidate.cost)
            chosen.pop()
        if size is not None:  # under a limit, this element may be given up
            search(left - {element}, chosen, cost + UNCOVERED_COST)

    search(coverable, [], 0.0)
    found = _cover(universe, best, True, 1.0)
    return Cover(found.chosen, found.covered, found.uncovered | never, True, 1.0)


def greedy(
    universe: frozenset[str], candidates: Sequence[Candidate], size: int | None = None
) -> Cover:
    """Repeatedly the candidate covering the most new elements per unit of cost.

    At most H(d) times the optimal cost without a size limit, d the largest number of
    asked elements one candidate covers.
    """
    pool = sorted((c for c in candidates if c.covers & universe), key=lambda c: c.rank)
    largest = max((len(c.covers & universe) for c in pool), default=0)
    left = set(universe)
    chosen: list[Candidate] = []
    taken: set[str] = set()
    while left and (size is None or len(chosen) < size):
        pick: Candidate | None = None
        pick_value = 0.0
        for candidate in pool:
            if candidate.key in taken:
                continue
            new = len(candidate.covers & left)
            if not new:
                continue
            value = new / candidate.cost
            if value > pick_value + EPSILON:
                pick, pick_value = candidate, value
        if pick is None:
            break
        chosen.append(pick)
        taken.add(pick.key)
        left -= pick.covers
    return _cover(universe, _without_redundant(chosen, universe), False, harmonic(largest))


def _without_redundant(chosen: list[Candidate], universe: frozenset[str]) -> list[Candidate]:
    """Drop, latest first, a pick the others cover for: it only lowers the cost."""
    kept = list(chosen)
    for candidate in reversed(chosen):
        others = [c for c in kept if c is not candidate]
        rest = frozenset().union(*(c.covers for c in others)) if others else frozenset()
        if candidate.covers & universe <= rest:
            kept = others
    return kept
