"""Relevance on the shipped catalog: realistic founders' queries and whom they must find.

Each row: the arguments a founder types, the records that must appear within the top k,
and k. Every row runs through the CLI and through the library API, which must agree.
"""

from __future__ import annotations

import json

import pytest

from kpartner import load_catalog
from kpartner.cli import EXIT_USAGE
from kpartner.matching import NoTermResolved, match
from kpartner.query import split_terms
from kpartner.ranking import Filters

from .conftest import DATA as REPO_DATA
from .conftest import run

RELEVANCE: list[tuple[tuple[str, ...], list[str], int]] = [
    # autonomous vehicles → Hyundai Motor and the mobility-focused projects
    (("--tech", "autonomous vehicles"), ["hyundai-motor", "busan-eco-delta-city", "sejong-5-1"], 5),
    (("--tech", "자율주행"), ["hyundai-motor", "busan-eco-delta-city", "sejong-5-1"], 5),
    (("--tech", "self-driving cars"), ["hyundai-motor", "42dot"], 6),
    (("--tech", "autonomus vehicles"), ["hyundai-motor", "lg-cns"], 5),  # typo
    # blockchain / fintech → the banks, and the blockchain projects
    (("--tech", "blockchain"), ["bucheon-2019", "taebaek-2024", "shinhan-bank"], 10),
    (
        ("--tech", "blockchain", "--type", "company"),
        ["shinhan-bank", "kona-i", "kb-financial-group"],
        8,
    ),
    (("--tech", "블록체인"), ["bucheon-2019", "shinhan-bank"], 10),
    (("--tech", "blokchain"), ["bucheon-2019", "taebaek-2024"], 6),  # typo
    (("--tech", "fintech"), ["kona-i", "kb-financial-group", "shinhan-bank"], 6),
    (("--tech", "payments"), ["kona-i", "shinhan-financial-group"], 8),
    # 5G → the telecom operators
    (("--tech", "5g"), ["lg-uplus", "kt"], 6),
    (("--tech", "5 G"), ["lg-uplus", "kt"], 6),
    (("--tech", "5세대 이동통신"), ["lg-uplus", "kt"], 6),
    (("--tech", "5g", "--type", "company"), ["lg-uplus", "kt", "samsung-electronics"], 3),
    # water → Busan Eco Delta City and K-water
    (("--tech", "water"), ["busan-eco-delta-city", "k-water"], 3),
    (("--tech", "smart water"), ["busan-eco-delta-city", "k-water"], 3),
    (("--tech", "물관리"), ["busan-eco-delta-city", "k-water"], 3),
    # robots → Busan, LG CNS (its robot platform), LG Electronics
    (("--tech", "robots"), ["busan-eco-delta-city", "lg-cns"], 3),
    (("--tech", "로봇"), ["busan-eco-delta-city", "lg-cns", "lg-electronics"], 8),
    (("--tech", "delivery robots", "--type", "company"), ["lg-cns", "lg-electronics"], 3),
    # drones
    (("--tech", "drones"), ["sejong-5-1", "daejeon-2019", "gimcheon-2025"], 10),
    (("--tech", "드론"), ["sejong-5-1", "daejeon-2019"], 10),
    (("--tech", "UAV", "--type", "company"), ["pablo-air"], 5),
    (("--tech", "dornes"), ["sejong-5-1"], 3),  # typo
    (("--tech", "드롬"), ["sejong-5-1"], 3),  # Hangul typo (one jamo)
    (("--tech", "drones,5g"), ["sejong-5-1", "lg-uplus", "kt"], 6),
    (("--tech", "드론,5G"), ["sejong-5-1", "lg-uplus", "kt"], 6),
    # AI and data
    (("--tech", "ai"), ["lg-cns", "busan-eco-delta-city", "sejong-5-1"], 5),
    (("--tech", "인공지능"), ["lg-cns", "busan-eco-delta-city"], 5),
    (("--tech", "digital twin"), ["e8", "lg-cns", "busan-eco-delta-city"], 5),
    # other domains
    (("--tech", "iot"), ["lg-hellovision", "busan-eco-delta-city"], 5),
    (("--tech", "사물인터넷"), ["lg-hellovision"], 5),
    (("--tech", "telemedicine"), ["sejong-5-1", "healthconnect", "sejong-cnu-hospital"], 8),
    (("--tech", "cybersecurity"), ["wins", "busan-eco-delta-city"], 3),
    (("--tech", "smart parking"), ["humax-mobility", "kakao-mobility"], 10),
    (("--tech", "ev charging"), ["busan-eco-delta-city", "jeju-2020"], 5),
    (("--tech", "DRT"), ["incheon-2019", "sejong-5-1", "sejong-o1"], 10),
    (("--tech", "UAM"), ["goyang-2023"], 3),
    (("--tech", "recycling"), ["cheonan-2024", "pyeongtaek-2023"], 8),
    # described in a sentence
    (
        ("--describe", "AI-powered drones for last-mile delivery over 5G"),
        ["sejong-5-1", "lg-cns"],
        3,
    ),
    (
        ("--describe", "자율주행 셔틀과 로봇 배송"),
        ["lg-cns", "busan-eco-delta-city", "hyundai-motor"],
        5,
    ),
    (
        ("--describe", "IoT sensors for smart water metering"),
        ["busan-eco-delta-city", "k-water"],
        3,
    ),
    # filters
    (("--tech", "ai", "--city", "Busan", "--type", "consortium"), ["the-in-busan"], 3),
    # KT does 5G but lost the Sejong bid: inside Sejong, LG U+ and LG CNS come first.
    (("--tech", "5g", "--project", "sejong-5-1", "--type", "company"), ["lg-uplus", "lg-cns"], 3),
]

NONSENSE = [
    ("--tech", "qwxz"),
    ("--tech", "rail"),  # must never become "ai"
    ("--tech", "mail"),
    ("--tech", "4G LTE"),  # must never become "5g"
    ("--tech", "asdf,zzz"),
]


def _ids(args: tuple[str, ...], k: int) -> list[str]:
    result = run("match", *args, "--top", str(k), "--format", "json")
    assert result.exit_code == 0, result.stderr
    return [row["id"] for row in json.loads(result.stdout)["results"]]


@pytest.mark.parametrize(("args", "expected", "k"), RELEVANCE, ids=lambda v: str(v))
def test_expected_records_in_top_k_through_the_cli(
    args: tuple[str, ...], expected: list[str], k: int
) -> None:
    top = _ids(args, k)
    missing = [record for record in expected if record not in top]
    assert not missing, f"{missing} not in top {k}: {top}"


def _api_ids(args: tuple[str, ...], k: int) -> list[str]:
    catalog = load_catalog(REPO_DATA).catalog
    assert catalog is not None
    options = dict(zip(args[::2], args[1::2], strict=True))
    filters = Filters(
        top=k,
        cities=(options["--city"],) if "--city" in options else (),
        projects=frozenset({options["--project"]}) if "--project" in options else frozenset(),
        kinds=frozenset({options["--type"]}) if "--type" in options else Filters().kinds,  # type: ignore[arg-type]
    )
    tech = split_terms([options["--tech"]]) if "--tech" in options else []
    report = match(catalog, tech=tech, describe=options.get("--describe"), filters=filters)
    return [m.id for m in report.results]


@pytest.mark.parametrize(("args", "expected", "k"), RELEVANCE, ids=lambda v: str(v))
def test_library_api_agrees_with_the_cli(
    args: tuple[str, ...], expected: list[str], k: int
) -> None:
    assert _api_ids(args, k) == _ids(args, k)


@pytest.mark.parametrize("args", NONSENSE, ids=str)
def test_nonsense_exits_2(args: tuple[str, ...]) -> None:
    result = run("match", *args)
    assert result.exit_code == EXIT_USAGE
    assert result.stdout == ""
    catalog = load_catalog(REPO_DATA).catalog
    assert catalog is not None
    with pytest.raises(NoTermResolved):
        match(catalog, tech=[args[1]])


def test_enough_realistic_queries() -> None:
    assert len(RELEVANCE) + len(NONSENSE) >= 30
