"""Resolving what a founder typed: normalisation, synonyms, safe fuzzy matching, sentences."""

from __future__ import annotations

import pytest

from kpartner import load_catalog
from kpartner.catalog import Catalog
from kpartner.query import (
    How,
    ResolvedTerm,
    TermIndex,
    UnresolvedTerm,
    resolve,
    singular,
    split_terms,
)

from .conftest import DATA as REPO_DATA


@pytest.fixture(scope="module")
def index() -> TermIndex:
    catalog = load_catalog(REPO_DATA).catalog
    assert catalog is not None
    return TermIndex(catalog)


def _sector(index: TermIndex, term: str) -> str | None:
    outcome = index.resolve(term)
    return outcome.sector if isinstance(outcome, ResolvedTerm) else None


@pytest.mark.parametrize(
    ("term", "sector"),
    [
        # case, width, spacing and punctuation inside a term
        ("5g", "5g"),
        ("5G", "5g"),
        ("5 G", "5g"),
        ("5-G", "5g"),
        ("\uff15\uff27", "5g"),  # full-width
        ("IoT", "iot"),
        ("IOT", "iot"),
        ("AI", "ai"),
        # plural and singular
        ("drone", "drones"),
        ("Drones", "drones"),
        ("robots", "robotics"),
        ("UAVs", "drones"),
        # English and Korean synonyms
        ("UAV", "drones"),
        ("unmanned aerial vehicle", "drones"),
        ("드론", "drones"),
        ("자율주행", "autonomous-vehicles"),
        ("self-driving", "autonomous-vehicles"),
        ("블록체인", "blockchain"),
        ("인공지능", "ai"),
        ("사물인터넷", "iot"),
        ("5세대 이동통신", "5g"),
        ("핀테크", "fintech"),
        ("물관리", "water-management"),
        # one telling word of exactly one sector's name
        ("water", "water-management"),
        # a Korean word typed with its particle
        ("드론을", "drones"),
        ("스마트팜을", "smart-farm"),
    ],
)
def test_exact_and_synonym_hits(index: TermIndex, term: str, sector: str) -> None:
    outcome = index.resolve(term)
    assert isinstance(outcome, ResolvedTerm), outcome
    assert outcome.sector == sector
    assert outcome.how is not How.FUZZY
    assert outcome.score >= 90


@pytest.mark.parametrize(
    ("typo", "sector"),
    [
        ("dornes", "drones"),
        ("blokchain", "blockchain"),
        ("autonomus vehicles", "autonomous-vehicles"),
        ("robotcs", "robotics"),
        ("telemedecine", "telemedicine"),
        ("드롬", "drones"),  # one jamo off: ㅁ for ㄴ
        ("빅데이타", "big-data"),
    ],
)
def test_typos_in_longer_words_resolve_fuzzily(index: TermIndex, typo: str, sector: str) -> None:
    outcome = index.resolve(typo)
    assert isinstance(outcome, ResolvedTerm), outcome
    assert (outcome.sector, outcome.how) == (sector, How.FUZZY)
    assert 80 <= outcome.score < 100


@pytest.mark.parametrize("term", ["rail", "mail", "4G LTE", "4g", "ia", "3g", "qwxz", "smart"])
def test_short_terms_and_near_misses_never_match(index: TermIndex, term: str) -> None:
    assert _sector(index, term) is None


def test_ai_matches_nothing_but_ai(index: TermIndex) -> None:
    words = ["ai", "Ai", "A.I.", "AI"]
    assert {_sector(index, word) for word in words} == {"ai"}
    for near in ("rail", "mail", "aim", "air"):
        assert _sector(index, near) != "ai"


def test_unresolved_term_gets_up_to_three_suggestions(index: TermIndex) -> None:
    outcome = index.resolve("vehicles")  # a word of several sectors' names
    assert isinstance(outcome, UnresolvedTerm)
    assert 1 <= len(outcome.suggestions) <= 3
    assert "autonomous vehicles" in [s.lower() for s in outcome.suggestions]
    nonsense = index.resolve("qwxz")
    assert isinstance(nonsense, UnresolvedTerm)
    assert nonsense.suggestions == ()


def test_describe_extracts_terms_in_english_and_korean(index: TermIndex) -> None:
    found = index.extract("We build AI-powered drones for last-mile delivery over 5G networks.")
    assert [term.sector for term in found] == ["ai", "drones", "non-contact-delivery", "5g"]
    korean = index.extract("자율주행 셔틀과 로봇을 개발합니다")  # particles attached: 로봇을
    assert [term.sector for term in korean] == ["autonomous-vehicles", "robotics"]
    # Whole words only: "rail" and "email" hold no "ai".
    assert index.extract("rail, e-mail and email") == []


def test_a_korean_word_is_echoed_without_its_particle(index: TermIndex) -> None:
    found = index.extract("도시 상수도의 수질을 측정하는 로봇을 만듭니다")
    assert [(term.input, term.sector) for term in found] == [
        ("수질", "water-quality"),
        ("로봇", "robotics"),
    ]


def test_describe_tolerates_a_long_misspelt_word(index: TermIndex) -> None:
    [term] = index.extract("a blokchain ledger")
    assert (term.sector, term.how) == ("blockchain", How.FUZZY)


def test_resolve_combines_terms_and_description() -> None:
    catalog: Catalog | None = load_catalog(REPO_DATA).catalog
    assert catalog is not None
    query = resolve(catalog, ["drones", "qwxz", "drones"], "we also do blockchain")
    assert [t.input for t in query.terms] == ["drones", "blockchain"]
    assert [u.input for u in query.unresolved] == ["qwxz"]
    assert query.sectors == ["drones", "blockchain"]
    # What the founder typed is what it does; the sentence adds context.
    assert query.core == ["drones"]
    assert resolve(catalog, [], "we do blockchain").core == ["blockchain"]


def test_split_terms() -> None:
    assert split_terms(["drones,5g", " iot ", "드론\uff0c5G", "a、b", ",,"]) == [
        "drones",
        "5g",
        "iot",
        "드론",
        "5G",
        "a",
        "b",
    ]


@pytest.mark.parametrize(
    ("word", "singular_form"),
    [
        ("drones", "drone"),
        ("batteries", "battery"),
        ("analytics", "analytic"),
        ("bus", "bus"),
        ("5g", "5g"),
        ("드론", "드론"),
        ("glass", "glass"),
    ],
)
def test_singular(word: str, singular_form: str) -> None:
    assert singular(word) == singular_form


def test_a_technology_inside_a_phrase_counts_too(index: TermIndex) -> None:
    found = index.extract("AI traffic signals for safer crossings")
    assert [(t.input, t.sector) for t in found] == [
        ("ai traffic", "traffic-management"),
        ("ai", "ai"),
    ]


def test_a_term_of_several_words_may_hold_a_known_one() -> None:
    catalog = load_catalog(REPO_DATA).catalog
    assert catalog is not None
    query = resolve(catalog, ["edge AI", "AI cameras", "qwxz zzz"], None)
    assert [(t.input, t.sector) for t in query.terms] == [("edge AI", "ai"), ("AI cameras", "ai")]
    assert [u.input for u in query.unresolved] == ["qwxz zzz"]
    assert query.sectors == ["ai"]


def test_a_typo_is_quoted_back_as_the_word_it_matched() -> None:
    catalog: Catalog | None = load_catalog(REPO_DATA).catalog
    assert catalog is not None
    query = resolve(catalog, ["autonomus vehicles", "드론"], None)
    assert query.terms[0].how is How.FUZZY
    assert query.inputs_for("autonomous-vehicles") == ["autonomous vehicles"]
    assert query.inputs_for("drones") == ["드론"]  # an exact hit is quoted as typed
