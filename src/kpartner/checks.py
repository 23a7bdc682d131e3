"""Checks across the three data files: ids, references, taxonomy terms, provenance dates.

The schema says what one record may look like; these checks say whether the records
fit together. Each problem points at the YAML line of the offending value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from kpartner.loader import Document, YamlPath
from kpartner.models import (
    CompaniesFile,
    ProjectsFile,
    SectorKind,
    SectorsFile,
    Source,
    Sourced,
)
from kpartner.problems import Code, Level, Problem
from kpartner.schema import suggest
from kpartner.text import fold


@dataclass(frozen=True, slots=True)
class _Ref:
    """One id used somewhere, and where."""

    value: str
    document: Document
    path: YamlPath


def _problem(ref: _Ref, code: Code, message: str, level: Level = Level.ERROR) -> Problem:
    mark = ref.document.mark_at(ref.path)
    return Problem(ref.document.file, mark.line, mark.column, level, code, message)


def _unknown(ref: _Ref, what: str, known: list[str], code: Code) -> Problem:
    close = suggest(ref.value, known)
    hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    return _problem(ref, code, f"unknown {what} '{ref.value}'{hint}")


def cross_check(
    sectors: tuple[SectorsFile, Document] | None,
    projects: tuple[ProjectsFile, Document] | None,
    companies: tuple[CompaniesFile, Document] | None,
    today: dt.date | None = None,
    max_age_days: int | None = None,
) -> list[Problem]:
    """Every cross-file problem among the files given (a missing file skips its checks).

    With ``max_age_days``, records whose ``as_of`` is older than that get a warning.
    """
    today = today or dt.date.today()
    problems: list[Problem] = []
    if sectors:
        problems.extend(_check_sectors(*sectors))
    problems.extend(_check_ids(projects, companies))
    sector_ids = {s.id: s.kind for s in sectors[0].sectors} if sectors else None
    company_ids = [c.id for c in companies[0].companies] if companies else None
    known_companies = set(company_ids or ())
    for ref, what in _sector_refs(projects, companies):
        if sector_ids is not None and ref.value not in sector_ids:
            problems.append(_unknown(ref, what, list(sector_ids), Code.UNKNOWN_SECTOR))
    for ref, what in _company_refs(projects, companies):
        if company_ids is not None and ref.value not in known_companies:
            problems.append(_unknown(ref, what, company_ids, Code.UNKNOWN_REFERENCE))
    for ref, record in _sourced(projects, companies):
        problems.extend(_check_dates(ref, record, today))
        if max_age_days is not None and (today - record.as_of).days > max_age_days:
            where = _Ref(ref.value, ref.document, (*ref.path, "as_of"))
            age = (today - record.as_of).days
            problems.append(
                _problem(
                    where,
                    Code.STALE,
                    f"'{ref.value}': as_of {record.as_of} is {age} days old "
                    f"(more than --max-age {max_age_days}); check its sources again",
                    Level.WARNING,
                )
            )
    return problems


def _check_sectors(file: SectorsFile, document: Document) -> Iterator[Problem]:
    kinds = {sector.id: sector.kind for sector in file.sectors}
    ids = list(kinds)
    seen: dict[str, int] = {}
    claimed: dict[str, tuple[str, YamlPath]] = {}
    for index, sector in enumerate(file.sectors):
        path: YamlPath = ("sectors", index)
        if sector.id in seen:
            yield _problem(
                _Ref(sector.id, document, (*path, "id")),
                Code.DUPLICATE_ID,
                f"duplicate sector id '{sector.id}' (also sectors[{seen[sector.id]}])",
            )
        seen.setdefault(sector.id, index)
        for position, target in enumerate(sector.serves):
            ref = _Ref(target, document, (*path, "serves", position))
            if target not in kinds:
                yield _unknown(ref, "sector", ids, Code.UNKNOWN_SECTOR)
            elif kinds[target] is not SectorKind.DOMAIN:
                yield _problem(
                    ref, Code.BAD_VALUE, f"'{target}' is a technology; serves lists domains"
                )
        if sector.serves and sector.kind is SectorKind.DOMAIN:
            yield _problem(
                _Ref(sector.id, document, (*path, "serves")),
                Code.BAD_VALUE,
                f"domain '{sector.id}' has 'serves'; only technologies serve domains",
            )
        for position, target in enumerate(sector.related):
            ref = _Ref(target, document, (*path, "related", position))
            if target not in kinds:
                yield _unknown(ref, "sector", ids, Code.UNKNOWN_SECTOR)
            elif target == sector.id:
                yield _problem(ref, Code.BAD_VALUE, f"sector '{sector.id}' is related to itself")
        if sector.parent is not None:
            ref = _Ref(sector.parent, document, (*path, "parent"))
            if sector.parent not in kinds:
                yield _unknown(ref, "parent sector", ids, Code.UNKNOWN_SECTOR)
            elif sector.parent == sector.id:
                yield _problem(ref, Code.BAD_VALUE, f"sector '{sector.id}' is its own parent")
        names: list[tuple[YamlPath, str | None]] = [
            (("label",), sector.label),
            (("label_ko",), sector.label_ko),
        ]
        names += [(("synonyms", i), word) for i, word in enumerate(sector.synonyms)]
        for where, word in names:
            if word is None:
                continue
            owner, first = claimed.setdefault(fold(word), (sector.id, (*path, *where)))
            if owner != sector.id:
                line = document.mark_at(first).line
                yield _problem(
                    _Ref(word, document, (*path, *where)),
                    Code.SYNONYM_CLASH,
                    f"'{word}' names both '{owner}' (line {line}) and '{sector.id}'; "
                    "a term may name one sector",
                )
    yield from _parent_cycles(file, document)


def _parent_cycles(file: SectorsFile, document: Document) -> Iterator[Problem]:
    parents = {sector.id: sector.parent for sector in file.sectors}
    for index, sector in enumerate(file.sectors):
        seen = {sector.id}
        current = sector.parent
        while current is not None and current in parents:
            if current in seen:
                yield _problem(
                    _Ref(sector.id, document, ("sectors", index, "parent")),
                    Code.BAD_VALUE,
                    f"sector '{sector.id}' has a parent cycle through '{current}'",
                )
                break
            seen.add(current)
            current = parents[current]


def _check_ids(
    projects: tuple[ProjectsFile, Document] | None,
    companies: tuple[CompaniesFile, Document] | None,
) -> Iterator[Problem]:
    """Projects, consortia and companies share one id space (``kpartner show ID``)."""
    first: dict[str, _Ref] = {}
    refs: list[_Ref] = []
    if projects:
        file, document = projects
        for i, project in enumerate(file.projects):
            refs.append(_Ref(project.id, document, ("projects", i, "id")))
            for j, consortium in enumerate(project.consortia):
                refs.append(_Ref(consortium.id, document, ("projects", i, "consortia", j, "id")))
    if companies:
        file_c, document_c = companies
        refs += [
            _Ref(company.id, document_c, ("companies", i, "id"))
            for i, company in enumerate(file_c.companies)
        ]
    for ref in refs:
        earlier = first.setdefault(ref.value, ref)
        if earlier is not ref:
            mark = earlier.document.mark_at(earlier.path)
            yield _problem(
                ref,
                Code.DUPLICATE_ID,
                f"duplicate id '{ref.value}' (first used at {earlier.document.file}:{mark.line})",
            )


def _sector_refs(
    projects: tuple[ProjectsFile, Document] | None,
    companies: tuple[CompaniesFile, Document] | None,
) -> Iterator[tuple[_Ref, str]]:
    if projects:
        file, document = projects
        for i, project in enumerate(file.projects):
            for k, sector in enumerate(project.focus):
                yield _Ref(sector, document, ("projects", i, "focus", k)), "focus sector"
            for z, zone in enumerate(project.zones):
                for k, sector in enumerate(zone.focus):
                    path = ("projects", i, "zones", z, "focus", k)
                    yield _Ref(sector, document, path), "focus sector"
    if companies:
        file_c, document_c = companies
        for i, company in enumerate(file_c.companies):
            for k, sector in enumerate(company.capabilities):
                yield _Ref(sector, document_c, ("companies", i, "capabilities", k)), "capability"


def _company_refs(
    projects: tuple[ProjectsFile, Document] | None,
    companies: tuple[CompaniesFile, Document] | None,
) -> Iterator[tuple[_Ref, str]]:
    if projects:
        file, document = projects
        for i, project in enumerate(file.projects):
            for j, consortium in enumerate(project.consortia):
                base: YamlPath = ("projects", i, "consortia", j)
                if consortium.lead is not None:
                    yield _Ref(consortium.lead, document, (*base, "lead")), "company (lead)"
                for k, member in enumerate(consortium.members):
                    path = (*base, "members", k, "company")
                    yield _Ref(member.company, document, path), "company (member)"
    if companies:
        file_c, document_c = companies
        for i, company in enumerate(file_c.companies):
            if company.parent is not None:
                yield _Ref(company.parent, document_c, ("companies", i, "parent")), "parent company"


def _sourced(
    projects: tuple[ProjectsFile, Document] | None,
    companies: tuple[CompaniesFile, Document] | None,
) -> Iterator[tuple[_Ref, Sourced]]:
    if projects:
        file, document = projects
        for i, project in enumerate(file.projects):
            yield _Ref(project.id, document, ("projects", i)), project
            for j, consortium in enumerate(project.consortia):
                yield _Ref(consortium.id, document, ("projects", i, "consortia", j)), consortium
    if companies:
        file_c, document_c = companies
        for i, company in enumerate(file_c.companies):
            yield _Ref(company.id, document_c, ("companies", i)), company


def _check_dates(ref: _Ref, record: Sourced, today: dt.date) -> Iterator[Problem]:
    if record.as_of > today:
        where = _Ref(ref.value, ref.document, (*ref.path, "as_of"))
        yield _problem(
            where, Code.FUTURE_DATE, f"'{ref.value}': as_of {record.as_of} is in the future"
        )
    for index, source in enumerate(record.sources):
        if _published_after(source, today):
            where = _Ref(ref.value, ref.document, (*ref.path, "sources", index, "published"))
            yield _problem(
                where,
                Code.FUTURE_DATE,
                f"'{ref.value}': source published {source.published} is in the future",
            )


def _published_after(source: Source, today: dt.date) -> bool:
    # A partial date ("2026-12") is in the future only if its earliest day is.
    return (
        source.published is not None
        and source.published > today.isoformat()[: len(source.published)]
    )
