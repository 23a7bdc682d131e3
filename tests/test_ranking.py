"""Ranking on the small fixture catalog, where every score can be worked out by hand.

The fixture: two projects. Alpha (under way; focus smart mobility and non-contact
delivery) is built by Alpha One (Acme IT, lead, and Beta Telecom; both do 5G); Gamma
Motors (smart mobility) led Alpha Two, which lost. Beta town (selected; focus DRT) has no
recorded team. Specificity: idf = ln(3 / (1 + projects asking)) + 1, so 1.405465 for a
sector one project asks for and 2.098612 for one no project asks for.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest

from kpartner import load_catalog, ranking, taxonomy
from kpartner.catalog import Catalog, UnknownName
from kpartner.matching import NoTermResolved, match
from kpartner.models import CompanyType, ConsortiumStatus, ProjectStatus
from kpartner.ranking import WEIGHTS, Filters
from kpartner.results import EvidenceKind, Kind
from kpartner.taxonomy import Link

from .conftest import DATA

COMPANIES = frozenset({Kind.COMPANY})


# Scores depend on the date (a selection with years of silence counts less): fixed here.
TODAY = dt.date(2022, 6, 1)


def _ranked(catalog: Catalog, *terms: str, **filters: Any) -> list[tuple[str, float]]:
    # Every score, however weak: the floor is tested on its own below.
    filters.setdefault("relative_floor", 0.0)
    report = match(catalog, tech=list(terms), filters=Filters(**filters), today=TODAY)
    return [(m.id, m.score) for m in [*report.results, *report.peers]]


def test_weights_of_each_kind_add_up_to_100() -> None:
    assert {kind: sum(parts.values()) for kind, parts in WEIGHTS.items()} == dict.fromkeys(
        Kind, 100
    )


def test_opportunity_scores_worked_out_by_hand(mini_catalog: Catalog) -> None:
    # demand = coverage * (0.25 + 0.75 * focus share); opportunity = 85 demand + 15 gap.
    # Smart mobility: Alpha names it (coverage 1) and it is half of Alpha's equally specific
    # focus (share 0.5): demand 0.625. Its live team lists neither smart mobility nor DRT —
    # Gamma Motors does, but its bid lost, so it covers nothing: gap 1 (every member known).
    # Alpha: 85 * 0.625 + 15 = 68.1, under way (1).
    # Beta: DRT is narrower (0.5), its only focus (share 0.5): 0.5 * 0.625 = 0.3125;
    # 85 * 0.3125 * selected 0.85 = 22.6.
    assert _ranked(mini_catalog, "smart mobility") == [("alpha-city", 68.1), ("beta-town", 22.6)]
    # 5G: Alpha's focus names smart mobility, which 5G serves (0.35). Its lead Acme IT does
    # 5G itself: that slot is taken, so it adds no demand. Coverage 0.35; focus share
    # 0.35 / 2 = 0.175: 0.35 * (0.25 + 0.75 * 0.175) = 0.1334; 85 * 0.1334 = 11.3. Beta
    # reaches 5G only through smart mobility above its DRT (0.15): a loose link, no reason
    # on its own, so Beta is not listed.
    assert _ranked(mini_catalog, "5g") == [("alpha-city", 11.3)]


def test_company_scores_worked_out_by_hand(mini_catalog: Catalog) -> None:
    # 60 capability + 25 demand + 15 standing. Capability: 0.6 * closest + 0.2 * mean over
    # the asked sectors + 0.2 * the share of its own capabilities near them.
    # Gamma does smart mobility (60) but only lost a bid: no demand, no standing.
    # Acme and Beta do 5G, which only serves smart mobility (0.3): not near enough to
    # suggest (COMPANY_MIN_LINK 0.4), however well placed they are.
    assert _ranked(mini_catalog, "smart mobility", kinds=COMPANIES) == [("gamma-motors", 60.0)]
    # Doing 5G itself: 60 + 25 * Alpha's 0.1334 (= 3.3) + 15 or 12. Gamma works only in
    # smart mobility, which 5G serves (0.35): a specialist in a domain 5G serves, so it is
    # suggested, last: 0.6 * 0.35 + 0.2 * 0.35 + 0.2 * 1 = 0.48, 28.8 points.
    assert _ranked(mini_catalog, "5g", kinds=COMPANIES) == [
        ("acme-it", 78.3),
        ("beta-telecom", 75.3),
        ("gamma-motors", 28.8),
    ]


def test_a_firm_outside_the_field_the_startup_names_counts_less(
    mini_catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "5G, smart mobility": Acme and Beta do 5G but not smart mobility, the field the
    # startup names — technology neighbours, counted 0.6 as much and said to be; Gamma
    # works in smart mobility and keeps its score.
    report = match(
        mini_catalog,
        tech=["5g", "smart mobility"],
        filters=Filters(kinds=COMPANIES, relative_floor=0),
        today=TODAY,
    )
    scores = {m.id: m.score for m in report.results}
    monkeypatch.setattr(ranking, "OUTSIDE_FIELD_FACTOR", 1.0)
    whole = {
        m.id: m.score
        for m in match(
            mini_catalog,
            tech=["5g", "smart mobility"],
            filters=Filters(kinds=COMPANIES, relative_floor=0),
            today=TODAY,
        ).results
    }
    assert scores["acme-it"] == pytest.approx(0.6 * whole["acme-it"], abs=0.06)
    assert scores["beta-telecom"] == pytest.approx(0.6 * whole["beta-telecom"], abs=0.06)
    assert scores["gamma-motors"] == whole["gamma-motors"]
    acme = next(m for m in report.results if m.id == "acme-it")
    assert any("does not work in Smart mobility: a technology partner" in r for r in acme.reasons)
    gamma = next(m for m in report.results if m.id == "gamma-motors")
    assert not any("does not work in" in r for r in gamma.reasons)
    # Naming no field, nobody is outside it.
    assert all(
        "does not work in" not in r
        for m in match(
            mini_catalog, tech=["5g"], filters=Filters(kinds=COMPANIES), today=TODAY
        ).results
        for r in m.reasons
    )


def test_a_weak_tail_is_left_out_and_counted(mini_catalog: Catalog) -> None:
    # Alpha 68.1, Beta 22.6: Beta is under a third of the best (22.7), so it is counted,
    # not listed, unless the floor is lifted.
    report = match(mini_catalog, tech=["smart mobility"], today=TODAY)
    assert [(m.rank, m.id) for m in report.results] == [(1, "alpha-city")]
    assert report.weaker == 1
    lifted = match(
        mini_catalog, tech=["smart mobility"], filters=Filters(relative_floor=0), today=TODAY
    )
    assert [m.id for m in lifted.results] == ["alpha-city", "beta-town"]
    assert lifted.weaker == 0


def test_consortium_and_project_lists(mini_catalog: Catalog) -> None:
    # A consortium: 60 * demand + 40 * gap, times stage and its own standing (selected 1).
    # The lost bid is not listed at all.
    assert _ranked(mini_catalog, "smart mobility", kinds=frozenset({Kind.CONSORTIUM})) == [
        ("alpha-one", 77.5)
    ]
    # A project alone: 100 * demand * stage.
    assert _ranked(mini_catalog, "smart mobility", kinds=frozenset({Kind.PROJECT})) == [
        ("alpha-city", 62.5),
        ("beta-town", 26.6),
    ]


def test_evidence_of_an_opportunity(mini_catalog: Catalog) -> None:
    report = match(mini_catalog, tech=["smart mobility"], filters=Filters(relative_floor=0))
    alpha = report.results[0]
    kinds = [item.kind for item in alpha.evidence]
    assert kinds[:3] == [EvidenceKind.DEMAND, EvidenceKind.GAP, EvidenceKind.TEAM]
    # The gap says the project asks for smart mobility: the demand is not said twice.
    assert alpha.reasons[0] == (
        "fills a gap: the project asks for Smart mobility and no named member of its team lists it"
    )
    assert alpha.reasons[1] == (
        "team: Alpha One (selected 2020-10-08), led by Acme IT; 2 members named"
    )
    history = [e for e in alpha.evidence if e.kind is EvidenceKind.HISTORY]
    assert [(e.consortium, e.text) for e in history] == [
        ("alpha-two", "history: Alpha Two lost the bid 2020-10-08 — not counted")
    ]
    assert alpha.project is not None
    assert (alpha.project.status, alpha.project.status_date) == ("under-way", "2022-04-21")
    # No member works close to smart mobility (5G only serves it): the lead is the door.
    assert alpha.next_step == (
        "Approach Acme IT, lead of Alpha One, about Smart mobility for Alpha pilot city."
    )
    beta = report.results[1]
    # About what the project asks for (DRT, part of the founder's smart mobility).
    assert beta.next_step == (
        "Contact Beta (the public owner) about Demand-responsive transport for Beta town"
        " challenge: no private partner is recorded."
    )


def test_a_lost_bid_is_history_for_its_company(mini_catalog: Catalog) -> None:
    [gamma] = [
        m
        for m in match(
            mini_catalog, tech=["smart mobility"], filters=Filters(kinds=COMPANIES)
        ).results
        if m.id == "gamma-motors"
    ]
    assert [e.kind for e in gamma.evidence] == [EvidenceKind.CAPABILITY, EvidenceKind.HISTORY]
    assert gamma.evidence[1].text == (
        "history: was in Alpha Two for Alpha pilot city, which lost the bid 2020-10-08"
        " — not counted"
    )


def test_a_selection_without_news_for_years_counts_half(mini_catalog: Catalog) -> None:
    # Beta town's newest news is its 2021-03 selection; five years on it is half as good a
    # lead (22.6 in 2022 becomes 11.3), and the row says why.
    later = match(
        mini_catalog,
        tech=["smart mobility"],
        filters=Filters(relative_floor=0),
        today=dt.date(2026, 11, 26),
    )
    beta = next(m for m in later.results if m.id == "beta-town")
    assert beta.score == 11.3
    assert beta.stage == 0.425
    status = next(e for e in beta.evidence if e.kind is EvidenceKind.STATUS)
    assert status.text == (
        "status: selected since 2021-03 — no news since 2021-03 in the data: check it is still on"
    )


def test_same_input_same_order(mini_catalog: Catalog) -> None:
    first = _ranked(mini_catalog, "drones", "5g")
    assert _ranked(mini_catalog, "5G", "UAV") == first


def test_equal_scores_go_to_the_more_recent_project() -> None:
    from kpartner.matching import _ordered

    def build(name: str) -> Any:
        return lambda: ranking_match(name)

    def ranking_match(name: str) -> Any:
        from dataclasses import replace

        report = match(load_catalog(DATA).catalog, tech=["drones"])  # type: ignore[arg-type]
        return replace(report.results[0], id=name)

    ordered = _ordered(
        [
            (50.0, Kind.OPPORTUNITY, "2020-10", "a-old", build("a-old")),
            (50.0, Kind.OPPORTUNITY, "2025-06", "b-new", build("b-new")),
            (50.0, Kind.OPPORTUNITY, "2025-06", "a-new", build("a-new")),
        ],
        None,
    )
    assert [m.id for m in ordered] == ["a-new", "b-new", "a-old"]


@pytest.mark.parametrize(
    ("filters", "ids"),
    [
        ({"kinds": frozenset({Kind.PROJECT})}, ["alpha-city", "beta-town"]),
        ({"projects": frozenset({"beta-town"})}, ["beta-town"]),
        ({"cities": ("alpha",)}, ["alpha-city"]),
        ({"top": 1}, ["alpha-city"]),
        ({"min_score": 30}, ["alpha-city"]),
    ],
)
def test_filters(mini_catalog: Catalog, filters: dict[str, object], ids: list[str]) -> None:
    assert [i for i, _ in _ranked(mini_catalog, "smart mobility", **filters)] == ids


def test_company_type_and_exclusion_filters(mini_catalog: Catalog) -> None:
    only = _ranked(
        mini_catalog, "5g", kinds=COMPANIES, include_types=frozenset({CompanyType.TELECOM})
    )
    assert [i for i, _ in only] == ["beta-telecom"]
    without = _ranked(
        mini_catalog, "5g", kinds=COMPANIES, exclude_types=frozenset({CompanyType.TELECOM})
    )
    assert [i for i, _ in without] == ["acme-it", "gamma-motors"]
    excluded = _ranked(
        mini_catalog, "5g", kinds=COMPANIES, exclude_companies=frozenset({"acme-it"})
    )
    assert [i for i, _ in excluded] == ["beta-telecom", "gamma-motors"]


def test_a_company_with_nothing_near_is_not_suggested(mini_catalog: Catalog) -> None:
    # Drones serve non-contact delivery; nobody in the fixture lists either.
    assert _ranked(mini_catalog, "drones", kinds=COMPANIES) == []


def test_unknown_filters_are_named(mini_catalog: Catalog) -> None:
    with pytest.raises(UnknownName, match="did you mean 'alpha-city'"):
        match(mini_catalog, tech=["5g"], filters=Filters(projects=frozenset({"alpha"})))
    with pytest.raises(UnknownName, match="unknown city 'Gamma'"):
        match(mini_catalog, tech=["5g"], filters=Filters(cities=("Gamma",)))


def test_no_resolved_term_raises(mini_catalog: Catalog) -> None:
    with pytest.raises(NoTermResolved) as caught:
        match(mini_catalog, tech=["qwxz", "rail"])
    assert [u.input for u in caught.value.query.unresolved] == ["qwxz", "rail"]


# -- every weight and link strength matters ---------------------------------------------

PROBES: list[tuple[tuple[str, ...], frozenset[Kind]]] = [
    (terms, kinds)
    for terms in [
        ("smart mobility",),
        ("5g",),
        ("drones",),
        ("MaaS",),
        ("blockchain",),
        ("fintech",),
        ("water",),
        ("robots", "ai"),
        ("telemedicine",),
        ("cybersecurity", "iot"),
        ("drones", "tourism", "smart farm"),
        ("hydrogen", "energy storage"),
        ("drt", "smart infrastructure"),
        ("drones", "drone delivery"),
        ("ai", "traffic AI"),
    ]
    for kinds in (
        frozenset({Kind.OPPORTUNITY}),
        frozenset({Kind.PROJECT}),
        frozenset({Kind.CONSORTIUM}),
        COMPANIES,
    )
]


def _fingerprint() -> list[list[tuple[str, float]]]:
    mini = load_catalog(DATA.parent / "tests" / "fixtures" / "mini").catalog
    shipped = load_catalog(DATA).catalog
    assert mini is not None
    assert shipped is not None
    probes = [
        _probe(catalog, terms, kinds) for catalog in (mini, shipped) for terms, kinds in PROBES
    ]
    # Years later, the selections with no news have gone stale.
    for terms, kinds in PROBES[:4]:
        later = match(
            mini,
            tech=list(terms),
            filters=Filters(kinds=kinds, top=None),
            today=dt.date(2030, 1, 1),
        )
        probes.append([(m.id, m.score) for m in later.results])
    # Every lifecycle status and consortium status, whether or not the data uses it now.
    for variant in _status_variants(mini):
        probes += [_probe(variant, ("smart mobility",), kinds) for _, kinds in PROBES[:4]]
    return probes


def _status_variants(catalog: Catalog) -> Iterator[Catalog]:
    alpha = catalog.projects["alpha-city"]
    for status in ProjectStatus:
        deadline = "2027-01-31" if status is ProjectStatus.OPEN_CALL else None
        changed = alpha.model_copy(update={"status": status, "deadline": deadline})
        yield replace(catalog, projects={**catalog.projects, "alpha-city": changed})
    for consortium_status in (ConsortiumStatus.PREFERRED_BIDDER, ConsortiumStatus.BIDDING):
        team = [
            c.model_copy(update={"status": consortium_status}) if c.id == "alpha-one" else c
            for c in alpha.consortia
        ]
        changed = alpha.model_copy(update={"consortia": team})
        yield replace(catalog, projects={**catalog.projects, "alpha-city": changed})


def _probe(catalog: Catalog, terms: tuple[str, ...], kinds: frozenset[Kind]) -> Any:
    try:
        return _ranked(catalog, *terms, kinds=kinds, top=None, abroad=True, research=True)
    except NoTermResolved:
        return None


def _constants() -> Iterator[tuple[Any, str, Any]]:
    """(holder, key, mutated value) for every weight, factor and link strength."""
    for parts in WEIGHTS.values():
        for name in parts:
            yield parts, name, parts[name] + 7
    for table in (
        ranking.STAGE,
        ranking.CONSORTIUM_STANDING,
        ranking.CAPABILITY_SHARES,
        ranking.ORGANISATION_FACTOR,
        taxonomy.WEIGHTS,
    ):
        for key, value in table.items():
            yield table, key, value * 0.5 if value > 0.2 else value + 0.3
    for name in (
        "LEAD_STANDING",
        "MEMBER_STANDING",
        "UNCONFIRMED_DEMAND",
        "NETWORK_BONUS",
        "FOCUS_FLOOR",
        "TEAM_SCOPE",
        "STALE_FACTOR",
        "OVERSEAS_FACTOR",
        "FOREIGN_FACTOR",
        "REASON_MIN_LINK",
        "COMPANY_MIN_LINK",
        "SPECIALIST_SHARE",
        "OUTSIDE_FIELD_FACTOR",
        "USE_ONLY_FACTOR",
        "IDLE_BUYER_FACTOR",
        "TEAM_FLOOR",
    ):
        yield ranking, name, getattr(ranking, name) * 0.5
    # Only the very field counts as working in it (not a part of it, the domain around it
    # or another part of that domain).
    yield ranking, "FIELD_LINKS", frozenset({Link.SAME})
    yield ranking, "ASKS_LINKS", frozenset({Link.SAME})
    yield taxonomy, "INDIRECT_SERVES_WEIGHT", taxonomy.INDIRECT_SERVES_WEIGHT * 0.5
    yield taxonomy, "FIELD_WEIGHT", taxonomy.FIELD_WEIGHT * 0.5


@pytest.fixture(scope="module")
def baseline() -> list[list[tuple[str, float]]]:
    return _fingerprint()


@pytest.mark.parametrize(
    ("holder", "key", "mutated"),
    list(_constants()),
    ids=lambda v: str(v)[:30] if not isinstance(v, dict | type(ranking)) else "",
)
def test_every_weight_changes_some_score(
    monkeypatch: pytest.MonkeyPatch,
    baseline: list[list[tuple[str, float]]],
    holder: Any,
    key: Any,
    mutated: Any,
) -> None:
    if isinstance(holder, dict):
        monkeypatch.setitem(holder, key, mutated)
    else:
        monkeypatch.setattr(holder, key, mutated)
    assert _fingerprint() != baseline, f"changing {key} changed no score: a dead weight"


def test_idf_is_the_one_worked_out_in_the_docstring(mini_catalog: Catalog) -> None:
    from kpartner.query import resolve

    scorer = ranking.Scorer(mini_catalog, resolve(mini_catalog, ["drones"]))
    assert math.isclose(scorer.idf["smart-mobility"], math.log(1.5) + 1)
    assert math.isclose(scorer.idf["drones"], math.log(3) + 1)


def test_the_readme_weights_table_is_the_code() -> None:
    readme = (DATA.parent / "README.md").read_text(encoding="utf-8")
    header = "| suggestion | demand | gap | capability | standing |"
    lines = readme[readme.index(header) :].splitlines()
    columns = [c.strip() for c in lines[0].strip("|").split("|")][1:]
    table: dict[Kind, dict[str, int]] = {}
    for line in lines[2:]:
        if not line.startswith("|"):
            break
        kind, *cells = (c.strip() for c in line.strip("|").split("|"))
        table[Kind(kind)] = {
            name: int(cell) for name, cell in zip(columns, cells, strict=True) if cell != "—"
        }
    assert table == {kind: dict(parts) for kind, parts in WEIGHTS.items()}


def test_the_readme_stage_factors_are_the_code() -> None:
    readme = (DATA.parent / "README.md").read_text(encoding="utf-8")
    said = " ".join(readme[readme.index("- **stage** —") :].split("\n\n")[0].split())
    for status, factor in ranking.STAGE.items():
        words = status.value.replace("-", " ")
        assert f"{words} {factor:g}" in said, status
