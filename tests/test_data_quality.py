"""The shipped catalog keeps the quality the 2026-11 audit asked for (issue 8).

These tests read the repository's ``data/`` as it is shipped: every source is an address a
reader can open, no organisation is filed twice under two ids, most organisations carry
their Korean name and what they do, and bare homepages stay the exception.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from kpartner import load_catalog
from kpartner.catalog import Catalog
from kpartner.models import Company

from .conftest import DATA

DATA_FILES = ("sectors.yaml", "projects.yaml", "companies.yaml")

MIN_KOREAN_NAME_SHARE = 0.85
MIN_CAPABILITY_SHARE = 0.80
MAX_BARE_HOMEPAGE_SHARE = 0.15


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    result = load_catalog(DATA)
    assert [str(p) for p in result.problems] == []
    assert result.catalog is not None
    return result.catalog


@pytest.fixture(scope="module")
def companies(catalog: Catalog) -> list[Company]:
    return list(catalog.companies.values())


def _source_urls(node: Any, where: str) -> Iterator[tuple[str, str]]:
    """Every ``url`` of a source mapping in a parsed data file, with where it was found."""
    if isinstance(node, dict):
        label = node.get("id", where) if isinstance(node.get("id"), str) else where
        url = node.get("url")
        if isinstance(url, str):
            yield label, url
        for key, value in node.items():
            yield from _source_urls(value, f"{label}.{key}")
    elif isinstance(node, list):
        for item in node:
            yield from _source_urls(item, where)


@pytest.fixture(scope="module")
def source_urls() -> list[tuple[str, str, str]]:
    """(file, record path, url) for every source in the three data files."""
    found: list[tuple[str, str, str]] = []
    for name in DATA_FILES:
        document = yaml.safe_load(Path(DATA, name).read_text(encoding="utf-8"))
        found.extend((name, where, url) for where, url in _source_urls(document, name))
    return found


def _is_address(url: str) -> bool:
    parts = urlsplit(url)
    host = parts.hostname or ""
    return (
        parts.scheme in ("http", "https")
        and "." in host
        and not host.startswith(".")
        and not host.endswith(".")
        and not any(ch.isspace() for ch in url)
    )


def _is_bare_homepage(url: str) -> bool:
    parts = urlsplit(url)
    return parts.path in ("", "/") and not parts.query


_LEGAL_FORMS = re.compile(r"\(주\)|\(재\)|\(사\)|주식회사|재단법인|사단법인")


def fold(name: str) -> str:
    """A name as compared for duplicates: width, case, legal form, spacing and punctuation
    do not matter (``㈜텔레칩스`` and ``텔레칩스``, ``LG U+`` and ``lgu``)."""
    text = unicodedata.normalize("NFKC", name)
    text = _LEGAL_FORMS.sub("", text)
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def test_the_checks_themselves() -> None:
    assert fold("㈜텔레칩스") == fold("텔레칩스")
    assert fold("(재)대구테크노파크") == fold("대구 테크노파크")
    assert fold("LG U+") == fold("lg u")
    assert fold("KB금융지주") != fold("KB금융그룹")
    assert _is_address("https://www.kmib.co.kr/article/view.asp?arcid=0029276807")
    for not_an_address in ("donga", "https://localhost/x", "https://a b.com/x", "ftp://x.kr/y"):
        assert not _is_address(not_an_address), not_an_address
    assert _is_bare_homepage("https://busan.com")
    assert _is_bare_homepage("https://www.lgcns.com/")
    assert not _is_bare_homepage("https://etnews.com/20231024000159")
    assert not _is_bare_homepage("https://jnilbo.com/print.php?aid=70410155884")


def test_every_source_is_an_address(source_urls: list[tuple[str, str, str]]) -> None:
    assert source_urls, "no sources found in data/"
    bad = [f"{name}: {where}: {url!r}" for name, where, url in source_urls if not _is_address(url)]
    assert bad == []


def test_every_organisation_is_sourced(companies: list[Company]) -> None:
    assert [c.id for c in companies if not c.sources] == []


def test_no_organisation_is_filed_twice(companies: list[Company]) -> None:
    owners: dict[str, set[str]] = {}
    for company in companies:
        for name in [company.name_ko, *company.aliases]:
            if name and fold(name):
                owners.setdefault(fold(name), set()).add(company.id)
    clashes = {name: sorted(ids) for name, ids in owners.items() if len(ids) > 1}
    assert clashes == {}, "the same Korean name or alias under two ids"


def test_most_organisations_have_a_korean_name(companies: list[Company]) -> None:
    missing = sorted(c.id for c in companies if not c.name_ko)
    share = 1 - len(missing) / len(companies)
    assert share >= MIN_KOREAN_NAME_SHARE, (
        f"{share:.1%} of {len(companies)} organisations have a Korean name; missing: {missing}"
    )


def test_most_organisations_say_what_they_do(companies: list[Company]) -> None:
    unknown = sorted(c.id for c in companies if not c.capabilities)
    share = 1 - len(unknown) / len(companies)
    assert share >= MIN_CAPABILITY_SHARE, (
        f"{share:.1%} of {len(companies)} organisations have capabilities; none: {unknown}"
    )


def test_bare_homepages_are_the_exception(source_urls: list[tuple[str, str, str]]) -> None:
    per_file = {
        name: (
            sum(1 for n, _, url in source_urls if n == name and _is_bare_homepage(url)),
            sum(1 for n, _, _ in source_urls if n == name),
        )
        for name in DATA_FILES
    }
    bare = sum(count for count, _ in per_file.values())
    share = bare / len(source_urls)
    detail = ", ".join(f"{name} {count}/{total}" for name, (count, total) in per_file.items())
    assert share <= MAX_BARE_HOMEPAGE_SHARE, (
        f"{share:.1%} of {len(source_urls)} sources are bare homepages ({detail})"
    )


@pytest.mark.parametrize(
    ("company_id", "english", "korean"),
    [
        ("daily-blockchain", "Daily Blockchain", "데일리블록체인"),
        ("olulo", "Olulo", "올룰로"),
        ("supermove", "Super Move", "슈퍼무브"),
        ("vincen", "Vinssen", "빈센"),
        ("keumkang-industrial", "Kumkang Kind", "금강공업"),
        (
            "seonamhaean-enterprise-city",
            "Southwest Coast Enterprisecity Development",
            "서남해안기업도시개발",
        ),
    ],
)
def test_english_name_where_a_source_gives_one(
    companies: list[Company], company_id: str, english: str, korean: str
) -> None:
    """Issue 8 follow-up: the English name an own site or English source uses; Korean in name_ko."""
    (company,) = [c for c in companies if c.id == company_id]
    assert (company.name, company.name_ko) == (english, korean)
    assert not any("No English name was found" in note for note in company.notes)
