"""The catalog: the three data files read, validated, cross-checked and indexed.

``load_catalog`` is the one way in, for browsing, matching and validating alike:
it returns the catalog when the data is sound, and every problem found either way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from kpartner.suggest import did_you_mean
from kpartner.text import fold

if TYPE_CHECKING:  # the YAML reader, pydantic's models, the checks and their problems load
    # when files are read, not when a catalog comes from the compiled cache
    from pydantic import BaseModel

    from kpartner.loader import Document
    from kpartner.models import (
        CompaniesFile,
        Company,
        Consortium,
        Project,
        ProjectsFile,
        Sector,
        SectorsFile,
    )
    from kpartner.problems import Problem

_ModelT = TypeVar("_ModelT", bound="BaseModel")


class FileKind(StrEnum):
    SECTORS = "sectors"
    PROJECTS = "projects"
    COMPANIES = "companies"

    @property
    def file_name(self) -> str:
        return f"{self.value}.yaml"

    @property
    def model(self) -> type[BaseModel]:
        from kpartner.models import CompaniesFile, ProjectsFile, SectorsFile

        models: dict[FileKind, type[BaseModel]] = {
            FileKind.SECTORS: SectorsFile,
            FileKind.PROJECTS: ProjectsFile,
            FileKind.COMPANIES: CompaniesFile,
        }
        return models[self]


class UnknownName(Exception):
    """A filter or id names nothing in the catalog."""

    def __init__(self, what: str, value: str, suggestions: list[str]) -> None:
        super().__init__(f"unknown {what} '{value}'{did_you_mean(suggestions)}")
        self.what = what
        self.value = value
        self.suggestions = suggestions


@dataclass(frozen=True, slots=True, eq=False)  # identity: comparing whole records is slow
class Membership:
    """A company's place in one consortium of one project."""

    project: Project
    consortium: Consortium
    role: str | None
    is_lead: bool


@dataclass(frozen=True)
class Catalog:
    """Validated records, in file order, with indexes by id."""

    sectors: dict[str, Sector]
    projects: dict[str, Project]
    companies: dict[str, Company]
    data_dir: Path
    consortia: dict[str, tuple[Project, Consortium]] = field(init=False)
    sector_names: dict[str, str] = field(init=False)
    """Every folded id, label and synonym → its sector id."""
    project_sectors: dict[str, tuple[str, ...]] = field(init=False)
    """Each project's focus sectors and its zones', once each."""
    derived: dict[str, Any] = field(default_factory=dict, init=False, compare=False, repr=False)
    """What later steps work out once per catalog (the term index), kept with it."""

    def __post_init__(self) -> None:
        consortia: dict[str, tuple[Project, Consortium]] = {}
        for project in self.projects.values():
            for consortium in project.consortia:
                consortia[consortium.id] = (project, consortium)
        names: dict[str, str] = {}
        for sector in self.sectors.values():
            for word in (sector.id, sector.label, sector.label_ko, *sector.synonyms):
                if word:
                    names.setdefault(fold(word), sector.id)
        object.__setattr__(self, "consortia", consortia)
        object.__setattr__(self, "sector_names", names)
        focus = {
            project.id: tuple(
                dict.fromkeys([*project.focus, *(s for zone in project.zones for s in zone.focus)])
            )
            for project in self.projects.values()
        }
        object.__setattr__(self, "project_sectors", focus)

    @cached_property
    def memberships(self) -> dict[str, list[Membership]]:
        """Each company's places in consortia. Worked out on first use: ranking projects
        needs none, and a 100k-company catalog loads faster from the cache without them."""
        memberships: dict[str, list[Membership]] = {company: [] for company in self.companies}
        for project in self.projects.values():
            for consortium in project.consortia:
                for company_id, role, is_lead in members_of(consortium):
                    memberships.setdefault(company_id, []).append(
                        Membership(project, consortium, role, is_lead)
                    )
        return memberships

    def sector_named(self, term: str) -> Sector | None:
        """The sector whose id, label or synonym is ``term`` (case and spacing ignored)."""
        sector_id = self.sector_names.get(fold(term))
        return self.sectors[sector_id] if sector_id else None

    def with_subdomains(self, sector_id: str) -> set[str]:
        """``sector_id`` and every domain below it (``smart-mobility`` includes ``drt``)."""
        found = {sector_id}
        changed = True
        while changed:
            below = {s.id for s in self.sectors.values() if s.parent in found}
            changed = not below <= found
            found |= below
        return found

    @property
    def data_as_of(self) -> dt.date:
        """The newest ``as_of`` of any record: how current the data is.

        A catalog without projects or companies (valid, if useless) has no such date:
        ``date.min`` then, rather than a crash.
        """
        return max((record.as_of for record in self.sourced_records()), default=dt.date.min)

    @property
    def is_empty(self) -> bool:
        """No project and no company: nothing to suggest."""
        return not self.projects and not self.companies

    def sourced_records(self) -> Iterator[Project | Consortium | Company]:
        for project in self.projects.values():
            yield project
            yield from project.consortia
        yield from self.companies.values()

    def all_ids(self) -> list[str]:
        return [*self.projects, *self.consortia, *self.companies, *self.sectors]


def in_city(project: Project, city: str) -> bool:
    """``city`` names the project's city: part of its English name, or its Korean name."""
    key = fold(city)
    return key in fold(project.city) or key == fold(project.city_ko or "")


def members_of(consortium: Consortium) -> Iterator[tuple[str, str | None, bool]]:
    """(company id, role, is lead) for the lead and every member, each once."""
    seen: set[str] = set()
    listed = {member.company: member.role for member in consortium.members}
    if consortium.lead is not None:
        seen.add(consortium.lead)
        yield consortium.lead, listed.get(consortium.lead), True
    for member in consortium.members:
        if member.company not in seen:
            seen.add(member.company)
            yield member.company, member.role, False


@dataclass(frozen=True)
class LoadedFile:
    kind: FileKind
    document: Document
    model: BaseModel


@dataclass
class CatalogResult:
    catalog: Catalog | None
    problems: list[Problem]


def detect_kind(path: Path, document: Document) -> FileKind | None:
    """A data file's kind from its name (``projects.yaml``, ``projects-2024.yaml``) or
    its one top-level key."""
    for kind in FileKind:
        if path.stem == kind.value or path.stem.startswith((f"{kind}-", f"{kind}_", f"{kind}.")):
            return kind
    if isinstance(document.data, dict):
        keys = [kind for kind in FileKind if kind.value in document.data]
        if len(keys) == 1:
            return keys[0]
    return None


def read_data_file(
    path: Path, kind: FileKind | None = None
) -> tuple[LoadedFile | None, list[Problem]]:
    """Load and schema-check one data file; its kind is detected when not given."""
    from kpartner.loader import load_file
    from kpartner.problems import START, Code, Problem, has_errors
    from kpartner.schema import validate

    result = load_file(path)  # problems name the path as the user gave it
    if result.document is None:
        return None, result.problems
    kind = kind or detect_kind(path, result.document)
    if kind is None:
        expected = ", ".join(f"'{k.value}:'" for k in FileKind)
        # The loader's own findings (a duplicate key...) stand beside it: nothing dropped.
        not_ours = Problem.error(
            result.document.file,
            START,
            Code.TOP_LEVEL,
            "not a kpartner data file: name it sectors.yaml, projects.yaml or "
            f"companies.yaml, or give it one top-level key of {expected}",
        )
        return None, sorted([not_ours, *result.problems], key=Problem.sort_key)
    model, problems = validate(result.document, kind.model)
    problems = sorted([*result.problems, *problems], key=Problem.sort_key)
    if model is None or has_errors(problems):
        return None, problems
    return LoadedFile(kind, result.document, model), problems


def data_files(data_dir: Path) -> list[Path]:
    """The three data files of a folder, in the order they are read."""
    return [data_dir / kind.file_name for kind in FileKind]


def load_catalog(
    data_dir: Path, today: dt.date | None = None, max_age_days: int | None = None
) -> CatalogResult:
    """Read ``sectors.yaml``, ``projects.yaml`` and ``companies.yaml`` from ``data_dir``.

    ``today`` and ``max_age_days`` drive the provenance checks (future dates, stale records).
    """
    from kpartner.models import CompaniesFile, ProjectsFile, SectorsFile
    from kpartner.problems import Problem, has_errors
    from kpartner.rules import cross_check

    problems: list[Problem] = []
    loaded: dict[FileKind, LoadedFile] = {}
    for kind in FileKind:
        file, file_problems = read_data_file(data_dir / kind.file_name, kind)
        problems.extend(file_problems)
        if file is not None:
            loaded[kind] = file
    problems.extend(cross_check(*loaded_documents(loaded), today=today, max_age_days=max_age_days))
    problems.sort(key=Problem.sort_key)
    if has_errors(problems) or len(loaded) < len(FileKind):
        return CatalogResult(None, problems)
    sectors = _as(loaded[FileKind.SECTORS].model, SectorsFile).sectors
    projects = _as(loaded[FileKind.PROJECTS].model, ProjectsFile).projects
    companies = _as(loaded[FileKind.COMPANIES].model, CompaniesFile).companies
    catalog = Catalog(
        sectors={sector.id: sector for sector in sectors},
        projects={project.id: project for project in projects},
        companies={company.id: company for company in companies},
        data_dir=data_dir,
    )
    return CatalogResult(catalog, problems)


def loaded_documents(
    loaded: dict[FileKind, LoadedFile],
) -> tuple[
    tuple[SectorsFile, Document] | None,
    tuple[ProjectsFile, Document] | None,
    tuple[CompaniesFile, Document] | None,
]:
    """The validated files as (model, document) pairs for the cross-file checks."""
    from kpartner.models import CompaniesFile, ProjectsFile, SectorsFile

    sectors = loaded.get(FileKind.SECTORS)
    projects = loaded.get(FileKind.PROJECTS)
    companies = loaded.get(FileKind.COMPANIES)
    return (
        (_as(sectors.model, SectorsFile), sectors.document) if sectors else None,
        (_as(projects.model, ProjectsFile), projects.document) if projects else None,
        (_as(companies.model, CompaniesFile), companies.document) if companies else None,
    )


def _as(model: BaseModel, cls: type[_ModelT]) -> _ModelT:
    assert isinstance(model, cls)
    return model
