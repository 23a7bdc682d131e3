"""Ranking on the small fixture catalog, where every score can be worked out by hand."""

from __future__ import annotations

import pytest

from kpartner.catalog import Catalog, UnknownName
from kpartner.matching import NoTermResolved, match
from kpartner.ranking import WEIGHTS, Filters, Kind


def _ranked(catalog: Catalog, *terms: str, **filters: object) -> list[tuple[str, float]]:
    report = match(catalog, tech=list(terms), filters=Filters(**filters))  # type: ignore[arg-type]
    return [(m.id, m.score) for m in report.results]


def test_weights_of_each_kind_add_up_to_100() -> None:
    assert {kind: sum(parts.values()) for kind, parts in WEIGHTS.items()} == {
        "project": 100,
        "consortium": 100,
        "company": 100,
    }


def test_scores_worked_out_by_hand(mini_catalog: Catalog) -> None:
    # 5G serves smart mobility (0.6); DRT is part of smart mobility (0.3 through it).
    assert _ranked(mini_catalog, "5g") == [
        (
            "acme-it",
            88.0,
        ),  # does 5G (40) + Alpha asks for it (0.6 * 30) + leads a selected consortium (30)
        ("beta-telecom", 83.5),  # the same as a member (0.85 * 30)
        ("alpha-city", 72.0),  # demand 0.6 * 70 + under way 30
        ("alpha-one", 54.0),  # demand 0.6 * 40, no gap (its members do 5G), selected 30
        ("gamma-motors", 51.0),  # works in smart mobility (0.6 * 40) + 18 + lost (0.3 * 30)
        ("beta-town", 46.5),  # demand 0.3 * 70 + selected 0.85 * 30
        ("alpha-two", 38.4),  # 24 + its gap 0.6 * 30 scaled by its standing 0.3 + lost 0.3 * 30
    ]


def test_components_reasons_and_sources(mini_catalog: Catalog) -> None:
    report = match(mini_catalog, tech=["5 G"])
    by_id = {m.id: m for m in report.results}
    loser = by_id["alpha-two"]
    assert loser.kind is Kind.CONSORTIUM
    assert [(c.name, c.points) for c in loser.components] == [
        ("demand", 24.0),
        ("complement", 5.4),
        ("standing", 9.0),
    ]
    assert loser.reasons[0] == "fills a gap: no member lists 5G, which its project asks for"
    assert (
        "Alpha Two: lost the bid 2020-10-08 for Alpha pilot city, led by Gamma Motors"
        in loser.reasons[-1]
    )
    assert [s.url for s in loser.sources] == [
        "https://example.org/alpha-two",
        "https://example.org/alpha",
    ]
    acme = by_id["acme-it"]
    assert acme.reasons[:2] == (
        "does 5G — your '5 G'",
        "lead of Alpha One for Alpha pilot city, selected 2020-10-08 — role: platform",
    )
    assert report.data_as_of.isoformat() == "2021-03-01"


def test_same_input_same_order(mini_catalog: Catalog) -> None:
    first = _ranked(mini_catalog, "drones", "5g")
    assert all(_ranked(mini_catalog, "drones", "5g") == first for _ in range(3))
    # Term order and spelling do not change the ranking.
    assert _ranked(mini_catalog, "5G", "UAV") == first


@pytest.mark.parametrize(
    ("filters", "ids"),
    [
        ({"kinds": frozenset({Kind.PROJECT})}, ["alpha-city", "beta-town"]),
        ({"projects": frozenset({"beta-town"})}, ["beta-town"]),
        (
            {"cities": ("alpha",)},
            ["acme-it", "beta-telecom", "alpha-city", "alpha-one", "gamma-motors", "alpha-two"],
        ),
        ({"top": 2}, ["acme-it", "beta-telecom"]),
        ({"min_score": 72}, ["acme-it", "beta-telecom", "alpha-city"]),
    ],
)
def test_filters(mini_catalog: Catalog, filters: dict[str, object], ids: list[str]) -> None:
    assert [i for i, _ in _ranked(mini_catalog, "5g", **filters)] == ids


def test_company_type_filters(mini_catalog: Catalog) -> None:
    from kpartner.models import CompanyType

    only = _ranked(
        mini_catalog,
        "5g",
        kinds=frozenset({Kind.COMPANY}),
        include_types=frozenset({CompanyType.TELECOM}),
    )
    assert [i for i, _ in only] == ["beta-telecom"]
    without = _ranked(
        mini_catalog,
        "5g",
        kinds=frozenset({Kind.COMPANY}),
        exclude_types=frozenset({CompanyType.TELECOM}),
    )
    assert [i for i, _ in without] == ["acme-it", "gamma-motors"]


def test_unknown_filters_are_named(mini_catalog: Catalog) -> None:
    with pytest.raises(UnknownName, match="did you mean 'alpha-city'"):
        match(mini_catalog, tech=["5g"], filters=Filters(projects=frozenset({"alpha"})))
    with pytest.raises(UnknownName, match="unknown city 'Gamma'"):
        match(mini_catalog, tech=["5g"], filters=Filters(cities=("Gamma",)))


def test_no_resolved_term_raises(mini_catalog: Catalog) -> None:
    with pytest.raises(NoTermResolved) as caught:
        match(mini_catalog, tech=["qwxz", "rail"])
    assert [u.input for u in caught.value.query.unresolved] == ["qwxz", "rail"]
