"""Scoring stops early (kpartner.index) and the list is exactly the one scoring all gives."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace

import pytest

from kpartner.catalog import Catalog, load_catalog
from kpartner.index import by_bound
from kpartner.matching import rank
from kpartner.models import Company, Project
from kpartner.query import resolve, split_terms
from kpartner.ranking import Filters, ProjectScore, Scorer
from kpartner.results import Kind, Match

from .conftest import DATA

TODAY = dt.date(2026, 1, 1)
SOURCE = {"url": "https://example.org/synthetic", "published": "2025-01-01"}
QUERIES = [
    ["drones", "5g"],
    ["ai"],
    ["blockchain", "fintech"],
    ["smart mobility"],
    ["energy storage", "iot"],
    ["water management", "ai", "drones"],
]
KINDS = [
    frozenset({Kind.OPPORTUNITY}),
    frozenset({Kind.PROJECT}),
    frozenset({Kind.CONSORTIUM}),
    frozenset({Kind.OPPORTUNITY, Kind.PROJECT, Kind.CONSORTIUM, Kind.COMPANY}),
]


@pytest.fixture(scope="module")
def shipped() -> Catalog:
    catalog = load_catalog(DATA).catalog
    assert catalog is not None
    return catalog


@pytest.fixture(scope="module")
def generated(shipped: Catalog) -> Catalog:
    """Many projects with random focus and teams: ties, near-ties and empty teams."""
    rng = random.Random(11)
    sectors = list(shipped.sectors)
    types = ["telecom", "it-services", "finance", "construction", "startup", "sme", "university"]
    companies = [
        Company.model_validate(
            {
                "id": f"company-{n}",
                "name": f"Company {n}",
                "type": rng.choice(types),
                "capabilities": rng.sample(sectors, rng.randint(0, 4)),
                "sources": [SOURCE],
                "as_of": "2025-01-01",
            }
        )
        for n in range(600)
    ]
    projects = []
    for n in range(150):
        consortia = []
        for c in range(rng.randint(0, 3)):
            members = rng.sample(companies, rng.randint(1, 8))
            consortia.append(
                {
                    "id": f"consortium-{n}-{c}",
                    "name": f"Consortium {n}-{c}",
                    "status": rng.choice(["selected", "lost", "bidding", "preferred-bidder"]),
                    "lead": members[0].id,
                    "members": [
                        {"company": m.id, "confirmed": rng.random() > 0.2} for m in members
                    ],
                    "unnamed_members": rng.choice([0, 0, 2]),
                    "sources": [SOURCE],
                    "as_of": "2025-01-01",
                }
            )
        projects.append(
            Project.model_validate(
                {
                    "id": f"project-{n}",
                    "name": f"Project {n}",
                    "city": f"City {n % 9}",
                    "programme": rng.choice(["small-city", "k-city-network", "city-challenge"]),
                    "status": rng.choice(["selected", "under-way", "planned", "completed"]),
                    "status_date": rng.choice(["2019-03", "2025-01-01"]),
                    "status_source": SOURCE,
                    "focus": rng.sample(sectors, rng.randint(1, 6)),
                    "consortia": consortia,
                    "sources": [SOURCE],
                    "as_of": "2025-01-01",
                }
            )
        )
    return Catalog(
        sectors=dict(shipped.sectors),
        projects={p.id: p for p in projects},
        companies={c.id: c for c in companies},
        data_dir=DATA,
    )


def cut_and_full(catalog: Catalog, terms: list[str], filters: Filters) -> tuple[Ranked, Ranked]:
    query = resolve(catalog, split_terms(terms), None)
    assert query.terms, terms
    cut = rank(catalog, query, filters, TODAY)
    full = rank(catalog, query, replace(filters, top=None), TODAY)
    top = filters.top or 0
    return (cut[0], cut[1]), (full[0][:top], full[1][:top])


Ranked = tuple[list[Match], list[Match]]


@pytest.mark.parametrize("terms", QUERIES, ids=",".join)
@pytest.mark.parametrize("kinds", KINDS, ids=lambda k: "+".join(sorted(k)))
@pytest.mark.parametrize("top", [1, 3, 10])
def test_stopping_early_lists_what_scoring_all_lists(
    generated: Catalog, shipped: Catalog, terms: list[str], kinds: frozenset[Kind], top: int
) -> None:
    for catalog in (generated, shipped):
        cut, full = cut_and_full(catalog, terms, Filters(kinds=kinds, top=top))
        assert cut == full


@pytest.mark.parametrize("terms", QUERIES[:3], ids=",".join)
def test_filters_and_a_floor_keep_the_same_list(generated: Catalog, terms: list[str]) -> None:
    for filters in (
        Filters(cities=("City 3",), top=5),
        Filters(min_score=20.0, top=5),
        Filters(exclude_companies=frozenset({"company-1", "company-2"}), top=5),
    ):
        cut, full = cut_and_full(generated, terms, filters)
        assert cut == full


def test_the_ceiling_is_never_below_the_score(generated: Catalog) -> None:
    """Each project's ceiling against the opportunity score it really gets."""
    query = resolve(generated, ["drones", "5g"], None)
    scorer = Scorer(generated, query, today=TODAY)
    bounds = by_bound(scorer, generated.projects.values(), lambda d, g, s: (85 * d + 15 * g) * s)
    assert [b for b, _ in bounds] == sorted((b for b, _ in bounds), reverse=True)
    for bound, project in bounds:
        scored = scorer.project(project)
        assert bound >= (85 * scored.demand + 15 * scored.gap.value) * scored.stage


def test_scoring_stops_before_the_last_project(
    generated: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The point of it: with a short list, most projects are never scored."""
    scored: set[str] = set()

    class Counting(Scorer):
        def project(self, project: Project) -> ProjectScore:
            scored.add(project.id)
            return super().project(project)

    monkeypatch.setattr("kpartner.matching.Scorer", Counting)
    query = resolve(generated, ["drones", "5g"], None)
    rank(generated, query, Filters(top=3), TODAY)
    assert 0 < len(scored) < len(generated.projects) // 2
