"""The set-cover solvers: exact proved optimal by brute force, greedy within its bound."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpartner.setcover import (
    UNCOVERED_COST,
    BudgetExceeded,
    Candidate,
    exact,
    greedy,
    harmonic,
    objective,
    reduce,
    solve,
)

ELEMENTS = [f"s{n}" for n in range(7)]


@st.composite
def instances(draw: st.DrawFn) -> tuple[frozenset[str], list[Candidate]]:
    universe = frozenset(draw(st.sets(st.sampled_from(ELEMENTS), min_size=1, max_size=7)))
    count = draw(st.integers(min_value=0, max_value=8))
    candidates = [
        Candidate(
            f"c{n}",
            frozenset(draw(st.sets(st.sampled_from(ELEMENTS), min_size=1, max_size=4))),
            draw(st.sampled_from([1.0, 1.05, 1.1, 1.2, 1.35, 1.5])),
            n,
        )
        for n in range(count)
    ]
    return universe, candidates


def brute_force(
    universe: frozenset[str], candidates: list[Candidate], size: int | None = None
) -> float:
    best = UNCOVERED_COST * len(universe) + 1
    limit = len(candidates) if size is None else min(size, len(candidates))
    for k in range(limit + 1):
        for chosen in itertools.combinations(candidates, k):
            best = min(best, objective(chosen, universe))
    return best


@settings(max_examples=300, deadline=None)
@given(instances())
def test_exact_is_optimal(instance: tuple[frozenset[str], list[Candidate]]) -> None:
    universe, candidates = instance
    cover = exact(universe, candidates)
    assert abs(objective(cover.chosen, universe) - brute_force(universe, candidates)) < 1e-9
    coverable = frozenset().union(*(c.covers for c in candidates)) & universe
    assert cover.covered == coverable
    assert cover.uncovered == universe - coverable  # named, never dropped
    assert cover.exact
    assert cover.bound == 1.0


@settings(max_examples=200, deadline=None)
@given(instances(), st.integers(min_value=0, max_value=3))
def test_exact_is_optimal_under_a_size_limit(
    instance: tuple[frozenset[str], list[Candidate]], size: int
) -> None:
    universe, candidates = instance
    cover = exact(universe, candidates, size)
    assert len(cover.chosen) <= size
    expected = brute_force(universe, candidates, size)
    assert abs(objective(cover.chosen, universe) - expected) < 1e-9


@settings(max_examples=300, deadline=None)
@given(instances())
def test_greedy_stays_within_its_bound(instance: tuple[frozenset[str], list[Candidate]]) -> None:
    universe, candidates = instance
    cover = greedy(universe, candidates)
    optimum = exact(universe, candidates)
    assert cover.covered == optimum.covered
    largest = max((len(c.covers & universe) for c in candidates), default=0)
    assert cover.bound == harmonic(largest)
    assert cover.cost <= cover.bound * optimum.cost + 1e-9


@settings(max_examples=200, deadline=None)
@given(instances())
def test_reduce_keeps_the_optimum(instance: tuple[frozenset[str], list[Candidate]]) -> None:
    universe, candidates = instance
    reduced = reduce(universe, candidates)
    assert abs(exact(universe, reduced).cost - exact(universe, candidates).cost) < 1e-9


def test_ties_go_to_the_better_rank() -> None:
    universe = frozenset({"a", "b"})
    candidates = [
        Candidate("worse", frozenset({"a", "b"}), 1.0, 1),
        Candidate("better", frozenset({"a", "b"}), 1.0, 0),
    ]
    assert [c.key for c in exact(universe, candidates).chosen] == ["better"]
    assert [c.key for c in greedy(universe, candidates).chosen] == ["better"]


def test_the_size_decides_the_method() -> None:
    universe = frozenset(ELEMENTS)
    candidates = [
        Candidate(f"c{n}", frozenset({e}), 1.0 + n / 100, n) for n, e in enumerate(ELEMENTS)
    ]
    assert solve(universe, candidates).exact
    assert not solve(universe, candidates, exact_limit=3).exact


def test_a_search_over_budget_gives_way_to_the_greedy() -> None:
    universe = frozenset(ELEMENTS)
    candidates = [
        Candidate(f"c{n}", frozenset({a, b}), 1.0, n)
        for n, (a, b) in enumerate(itertools.combinations(ELEMENTS, 2))
    ]
    with pytest.raises(BudgetExceeded):
        exact(universe, candidates, budget=5)
    assert solve(universe, candidates).exact  # within the real budget
    assert exact(universe, candidates).cost == 4.0


def test_harmonic() -> None:
    assert harmonic(0) == 0
    assert harmonic(3) == 1 + 1 / 2 + 1 / 3


@settings(max_examples=200, deadline=None)
@given(instances())
def test_greedy_keeps_no_redundant_pick(instance: tuple[frozenset[str], list[Candidate]]) -> None:
    universe, candidates = instance
    chosen = greedy(universe, candidates).chosen
    for pick in chosen:
        others = [c for c in chosen if c is not pick]
        rest = frozenset().union(*(c.covers for c in others)) if others else frozenset()
        assert not (pick.covers & universe) <= rest
