"""The catalog: indexes over the records, and the checks across the three files."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from kpartner.catalog import Catalog, load_catalog
from kpartner.problems import Code, Problem

from .conftest import MINI


def test_indexes(mini_catalog: Catalog) -> None:
    assert list(mini_catalog.projects) == ["alpha-city", "beta-town"]
    project, consortium = mini_catalog.consortia["alpha-one"]
    assert (project.id, consortium.lead) == ("alpha-city", "acme-it")
    [membership] = mini_catalog.memberships["acme-it"]
    assert (membership.consortium.id, membership.is_lead, membership.role) == (
        "alpha-one",
        True,
        "platform",
    )
    assert mini_catalog.data_as_of == dt.date(2021, 3, 1)


def test_sector_names_fold_case_space_and_script(mini_catalog: Catalog) -> None:
    for term in ("drones", "Drones", "UAV", "uav", "드론", "unmanned-aerial vehicle"):
        sector = mini_catalog.sector_named(term)
        assert sector is not None
        assert sector.id == "drones"
    assert mini_catalog.sector_named("helicopter") is None
    assert mini_catalog.with_subdomains("smart-mobility") == {"smart-mobility", "drt"}


def _broken(tmp_path: Path, file: str, old: str, new: str) -> list[Problem]:
    """The problems of the mini catalog after one text edit to one of its files."""
    folder = tmp_path / "data"
    shutil.copytree(MINI, folder)
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = load_catalog(folder)
    assert result.catalog is None
    return result.problems


@pytest.mark.parametrize(
    ("file", "old", "new", "code", "line", "words"),
    [
        (
            "projects.yaml",
            "- company: beta-telecom",
            "- company: beta-telcom",
            Code.UNKNOWN_REFERENCE,
            22,
            "did you mean 'beta-telecom'",
        ),
        (
            "projects.yaml",
            "lead: gamma-motors",
            "lead: nobody",
            Code.UNKNOWN_REFERENCE,
            31,
            "nobody",
        ),
        ("projects.yaml", "focus: [drt]", "focus: [dtr]", Code.UNKNOWN_SECTOR, 51, "'drt'"),
        (
            "companies.yaml",
            "capabilities: [smart-mobility]",
            "capabilities: [smart-mobilty]",
            Code.UNKNOWN_SECTOR,
            23,
            "'smart-mobility'",
        ),
        (
            "companies.yaml",
            "id: gamma-motors",
            "id: acme-it",
            Code.DUPLICATE_ID,
            20,
            "first used at",
        ),
        ("projects.yaml", "id: alpha-two", "id: beta-town", Code.DUPLICATE_ID, 43, "first used at"),
        (
            "sectors.yaml",
            "synonyms: [DRT,",
            "synonyms: [UAV,",
            Code.SYNONYM_CLASH,
            21,
            "'UAV' names both 'drones' (line 7) and 'drt'",
        ),
        (
            "sectors.yaml",
            "parent: smart-mobility",
            "parent: smart",
            Code.UNKNOWN_SECTOR,
            22,
            "parent",
        ),
        (
            "sectors.yaml",
            "serves: [smart-mobility]",
            "serves: [drones]",
            Code.BAD_VALUE,
            13,
            "is a technology",
        ),
        (
            "companies.yaml",
            "as_of: 2020-10-08",
            "as_of: 2999-01-01",
            Code.FUTURE_DATE,
            11,
            "future",
        ),
        (
            "projects.yaml",
            'published: "2020-10-09"',
            'published: "2999"',
            Code.FUTURE_DATE,
            41,
            "future",
        ),
    ],
)
def test_cross_file_problems(
    tmp_path: Path, file: str, old: str, new: str, code: Code, line: int, words: str
) -> None:
    problems = _broken(tmp_path, file, old, new)
    found = [(p.code, p.file.rsplit("/", 1)[-1], p.line) for p in problems]
    assert (code, file, line) in found, found
    assert any(words in p.message for p in problems if p.code is code)


def test_missing_file_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(MINI, folder)
    (folder / "companies.yaml").unlink()
    result = load_catalog(folder)
    assert result.catalog is None
    assert [p.code for p in result.problems] == [Code.FILE_MISSING]
    assert result.problems[0].file.endswith("companies.yaml")


def test_all_problems_are_reported_in_one_run(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(MINI, folder)
    (folder / "sectors.yaml").write_text("sectors: [\n", encoding="utf-8")
    projects = folder / "projects.yaml"
    projects.write_text(projects.read_text().replace("city: Beta", "cty: Beta"), encoding="utf-8")
    codes = {p.code for p in load_catalog(folder).problems}
    assert {Code.YAML_SYNTAX, Code.UNKNOWN_FIELD, Code.MISSING_FIELD} <= codes
