"""Checks across the data files, one small rule per check, in the manner of yamllint.

The schema says what one record may look like; these rules say whether the records fit
together. One walker visits every record of the three files once (:func:`walk`); each
rule is a generator over those visits that yields :class:`Finding` values, and its
docstring says what it looks at, with a failing and a passing example. The driver
(:func:`cross_check`) places each finding at its YAML line, adds "did you mean" from an
index built once per run, and stops at ``MAX_PROBLEMS_PER_FILE`` a file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

from kpartner.loader import Document, YamlPath
from kpartner.models import (
    CompaniesFile,
    Company,
    Consortium,
    Project,
    ProjectsFile,
    Sector,
    SectorKind,
    SectorsFile,
    Source,
)
from kpartner.problems import At, Code, Level, Problem
from kpartner.suggest import Suggester, did_you_mean
from kpartner.text import fold

MAX_PROBLEMS_PER_FILE = 200


class Visit(StrEnum):
    SECTOR = "sector"
    PROJECT = "project"
    CONSORTIUM = "consortium"
    COMPANY = "company"


@dataclass(frozen=True, slots=True)
class Node:
    """One record of one file, and where it is (``("projects", 3, "consortia", 0)``)."""

    visit: Visit
    record: Sector | Project | Consortium | Company
    document: Document
    path: YamlPath


def walk(
    sectors: tuple[SectorsFile, Document] | None,
    projects: tuple[ProjectsFile, Document] | None,
    companies: tuple[CompaniesFile, Document] | None,
) -> Iterator[Node]:
    """Every record of the given files, in file order: the one walker of the data."""
    if sectors:
        file_s, document_s = sectors
        for i, sector in enumerate(file_s.sectors):
            yield Node(Visit.SECTOR, sector, document_s, ("sectors", i))
    if projects:
        file_p, document_p = projects
        for i, project in enumerate(file_p.projects):
            yield Node(Visit.PROJECT, project, document_p, ("projects", i))
            for j, consortium in enumerate(project.consortia):
                path = ("projects", i, "consortia", j)
                yield Node(Visit.CONSORTIUM, consortium, document_p, path)
    if companies:
        file_c, document_c = companies
        for i, company in enumerate(file_c.companies):
            yield Node(Visit.COMPANY, company, document_c, ("companies", i))


@dataclass(frozen=True, slots=True)
class Finding:
    """What a rule found: the value at fault and where; the hint is made only if shown."""

    document: Document
    path: YamlPath
    code: Code
    message: str
    level: Level = Level.ERROR
    unknown: tuple[str, Suggester] | None = None
    """For an unknown name: the name and the index to find close spellings in."""


@dataclass
class Context:
    """What the rules look at: the walked records, and indexes built once."""

    nodes: list[Node]
    have_sectors: bool
    have_companies: bool
    today: dt.date
    max_age_days: int | None
    by_visit: dict[Visit, list[Node]] = field(init=False)

    def __post_init__(self) -> None:
        self.by_visit = {visit: [] for visit in Visit}
        for node in self.nodes:
            self.by_visit[node.visit].append(node)

    def sectors(self) -> Iterator[tuple[Node, Sector]]:
        for node in self.by_visit[Visit.SECTOR]:
            assert isinstance(node.record, Sector)
            yield node, node.record

    def projects(self) -> Iterator[tuple[Node, Project]]:
        for node in self.by_visit[Visit.PROJECT]:
            assert isinstance(node.record, Project)
            yield node, node.record

    def consortia(self) -> Iterator[tuple[Node, Consortium]]:
        for node in self.by_visit[Visit.CONSORTIUM]:
            assert isinstance(node.record, Consortium)
            yield node, node.record

    def companies(self) -> Iterator[tuple[Node, Company]]:
        for node in self.by_visit[Visit.COMPANY]:
            assert isinstance(node.record, Company)
            yield node, node.record

    @cached_property
    def sector_kinds(self) -> dict[str, SectorKind]:
        return {sector.id: sector.kind for _node, sector in self.sectors()}

    @cached_property
    def sector_index(self) -> Suggester:
        return Suggester(self.sector_kinds)

    @cached_property
    def company_ids(self) -> set[str]:
        return {company.id for _node, company in self.companies()}

    @cached_property
    def company_index(self) -> Suggester:
        return Suggester(company.id for _node, company in self.companies())


Check = Callable[[Context], Iterator[Finding]]


@dataclass(frozen=True)
class Rule:
    id: str
    check: Check

    @property
    def doc(self) -> str:
        return (self.check.__doc__ or "").strip()


RULES: list[Rule] = []


def rule(rule_id: str) -> Callable[[Check], Check]:
    """Register a rule under a stable id; its docstring is its documentation."""

    def register(check: Check) -> Check:
        RULES.append(Rule(rule_id, check))
        return check

    return register


def _unknown(
    node: Node, path: YamlPath, what: str, value: str, index: Suggester, code: Code
) -> Finding:
    return Finding(node.document, path, code, f"unknown {what} '{value}'", unknown=(value, index))


# --- the taxonomy -------------------------------------------------------------------


@rule("sector-unique-id")
def sector_unique_id(ctx: Context) -> Iterator[Finding]:
    """A sector id is used once in the taxonomy.

    Fails: ``- id: drones`` twice. Passes: ``- id: drones`` and ``- id: robots``.
    """
    seen: dict[str, int] = {}
    for node, sector in ctx.sectors():
        index = node.path[-1]
        if sector.id in seen:
            yield Finding(
                node.document,
                (*node.path, "id"),
                Code.DUPLICATE_ID,
                f"duplicate sector id '{sector.id}' (also sectors[{seen[sector.id]}])",
            )
        seen.setdefault(sector.id, int(index))


@rule("sector-serves")
def sector_serves(ctx: Context) -> Iterator[Finding]:
    """A technology serves known domains; a domain serves nothing.

    Fails: ``serves: [drones]`` (a technology), or ``serves`` on a domain.
    Passes: ``{id: drones, kind: technology, serves: [logistics]}``.
    """
    kinds = ctx.sector_kinds
    for node, sector in ctx.sectors():
        for position, target in enumerate(sector.serves):
            path = (*node.path, "serves", position)
            if target not in kinds:
                yield _unknown(node, path, "sector", target, ctx.sector_index, Code.UNKNOWN_SECTOR)
            elif kinds[target] is not SectorKind.DOMAIN:
                yield Finding(
                    node.document,
                    path,
                    Code.BAD_VALUE,
                    f"'{target}' is a technology; serves lists domains",
                )
        if sector.serves and sector.kind is SectorKind.DOMAIN:
            yield Finding(
                node.document,
                (*node.path, "serves"),
                Code.BAD_VALUE,
                f"domain '{sector.id}' has 'serves'; only technologies serve domains",
            )


@rule("sector-related")
def sector_related(ctx: Context) -> Iterator[Finding]:
    """Related sectors exist and are other sectors.

    Fails: ``{id: fintech, related: [fintech]}``. Passes: ``{id: fintech, related: [blockchain]}``.
    """
    for node, sector in ctx.sectors():
        for position, target in enumerate(sector.related):
            path = (*node.path, "related", position)
            if target not in ctx.sector_kinds:
                yield _unknown(node, path, "sector", target, ctx.sector_index, Code.UNKNOWN_SECTOR)
            elif target == sector.id:
                yield Finding(
                    node.document,
                    path,
                    Code.BAD_VALUE,
                    f"sector '{sector.id}' is related to itself",
                )


@rule("sector-parent")
def sector_parent(ctx: Context) -> Iterator[Finding]:
    """A sector's parent exists, is not the sector itself, and leads to no cycle.

    Fails: ``{id: drt, parent: drt}``; ``a`` parent of ``b`` parent of ``a``.
    Passes: ``{id: drt, parent: smart-mobility}``.
    """
    parents = {sector.id: sector.parent for _node, sector in ctx.sectors()}
    for node, sector in ctx.sectors():
        if sector.parent is None:
            continue
        path = (*node.path, "parent")
        if sector.parent not in parents:
            yield _unknown(
                node, path, "parent sector", sector.parent, ctx.sector_index, Code.UNKNOWN_SECTOR
            )
        elif sector.parent == sector.id:
            yield Finding(
                node.document, path, Code.BAD_VALUE, f"sector '{sector.id}' is its own parent"
            )
        else:
            cycle = _cycle_through(sector.id, parents)
            if cycle is not None:
                yield Finding(
                    node.document,
                    path,
                    Code.BAD_VALUE,
                    f"sector '{sector.id}' has a parent cycle through '{cycle}'",
                )


def _cycle_through(start: str, parents: dict[str, str | None]) -> str | None:
    """The id at which following parents from ``start`` comes round again, if it does."""
    seen = {start}
    current = parents.get(start)
    while current is not None and current in parents:
        if current in seen:
            return current
        seen.add(current)
        current = parents[current]
    return None


@rule("synonym-clash")
def synonym_clash(ctx: Context) -> Iterator[Finding]:
    """A label or synonym names one sector only (case, width and spacing folded).

    Fails: ``UAV`` a synonym of both ``drones`` and ``robots``.
    Passes: ``UAV`` a synonym of ``drones`` alone.
    """
    claimed: dict[str, tuple[str, YamlPath, Document]] = {}
    for node, sector in ctx.sectors():
        names: list[tuple[YamlPath, str | None]] = [
            (("label",), sector.label),
            (("label_ko",), sector.label_ko),
        ]
        names += [(("synonyms", i), word) for i, word in enumerate(sector.synonyms)]
        for where, word in names:
            if word is None:
                continue
            path = (*node.path, *where)
            owner, first, document = claimed.setdefault(
                fold(word), (sector.id, path, node.document)
            )
            if owner != sector.id:
                line = document.mark_at(first).line
                yield Finding(
                    node.document,
                    path,
                    Code.SYNONYM_CLASH,
                    f"'{word}' names both '{owner}' (line {line}) and '{sector.id}'; "
                    "a term may name one sector",
                )


# --- ids and references -------------------------------------------------------------


@rule("unique-id")
def unique_id(ctx: Context) -> Iterator[Finding]:
    """Projects, consortia and companies share one id space (``kpartner show ID``).

    Fails: a company ``lg-cns`` and a consortium ``lg-cns``.
    Passes: a company ``lg-cns`` and a consortium ``lg-cns-consortium``.
    """
    first: dict[str, Node] = {}
    for node in ctx.nodes:
        if node.visit is Visit.SECTOR:
            continue
        record_id = node.record.id
        earlier = first.setdefault(record_id, node)
        if earlier is not node:
            mark = earlier.document.mark_at((*earlier.path, "id"))
            yield Finding(
                node.document,
                (*node.path, "id"),
                Code.DUPLICATE_ID,
                f"duplicate id '{record_id}' (first used at {earlier.document.file}:{mark.line})",
            )


@rule("known-sector")
def known_sector(ctx: Context) -> Iterator[Finding]:
    """Focus sectors and capabilities are in the taxonomy.

    Fails: ``focus: [dornes]``. Passes: ``focus: [drones]``.
    """
    if not ctx.have_sectors:
        return
    kinds, index = ctx.sector_kinds, ctx.sector_index
    for node, project in ctx.projects():
        for k, sector in enumerate(project.focus):
            if sector not in kinds:
                path = (*node.path, "focus", k)
                yield _unknown(node, path, "focus sector", sector, index, Code.UNKNOWN_SECTOR)
        for z, zone in enumerate(project.zones):
            for k, sector in enumerate(zone.focus):
                if sector not in kinds:
                    path = (*node.path, "zones", z, "focus", k)
                    yield _unknown(node, path, "focus sector", sector, index, Code.UNKNOWN_SECTOR)
    for node, company in ctx.companies():
        for k, sector in enumerate(company.capabilities):
            if sector not in kinds:
                path = (*node.path, "capabilities", k)
                yield _unknown(node, path, "capability", sector, index, Code.UNKNOWN_SECTOR)


@rule("sells-capability")
def sells_capability(ctx: Context) -> Iterator[Finding]:
    """What a company sells is among what it does.

    Fails: ``capabilities: [drones], sells: [robotics]``. Passes: ``sells: [drones]``.
    """
    for node, company in ctx.companies():
        for k, sector in enumerate(company.sells or ()):
            if sector not in company.capabilities:
                yield Finding(
                    node.document,
                    (*node.path, "sells", k),
                    Code.BAD_VALUE,
                    f"'{sector}' is sold but not among the capabilities of '{company.id}'",
                )


@rule("known-company")
def known_company(ctx: Context) -> Iterator[Finding]:
    """A consortium's lead and members, and a company's parent, are in companies.yaml.

    Fails: ``lead: gamma`` with no company ``gamma``. Passes: ``lead: gamma-motors``.
    """
    if not ctx.have_companies:
        return
    known, index = ctx.company_ids, ctx.company_index
    for node, consortium in ctx.consortia():
        if consortium.lead is not None and consortium.lead not in known:
            path = (*node.path, "lead")
            yield _unknown(
                node, path, "company (lead)", consortium.lead, index, Code.UNKNOWN_REFERENCE
            )
        for k, member in enumerate(consortium.members):
            if member.company not in known:
                path = (*node.path, "members", k, "company")
                yield _unknown(
                    node, path, "company (member)", member.company, index, Code.UNKNOWN_REFERENCE
                )
    for node, company in ctx.companies():
        if company.parent is not None and company.parent not in known:
            path = (*node.path, "parent")
            yield _unknown(
                node, path, "parent company", company.parent, index, Code.UNKNOWN_REFERENCE
            )


@rule("company-parent")
def company_parent(ctx: Context) -> Iterator[Finding]:
    """A company is not its own parent, nor its own ancestor.

    Fails: ``{id: lg-cns, parent: lg-cns}``; ``a`` parent ``b``, ``b`` parent ``a``.
    Passes: ``{id: lg-cns, parent: lg-corp}`` with ``lg-corp`` having no parent.
    """
    parents = {company.id: company.parent for _node, company in ctx.companies()}
    for node, company in ctx.companies():
        if company.parent is None:
            continue
        path = (*node.path, "parent")
        if company.parent == company.id:
            yield Finding(
                node.document, path, Code.BAD_VALUE, f"company '{company.id}' is its own parent"
            )
            continue
        cycle = _cycle_through(company.id, parents)
        if cycle is not None:
            yield Finding(
                node.document,
                path,
                Code.BAD_VALUE,
                f"company '{company.id}' has a parent cycle through '{cycle}'",
            )


@rule("consortium-member-once")
def consortium_member_once(ctx: Context) -> Iterator[Finding]:
    """A company is listed once among a consortium's members (the lead may be listed too).

    Fails: ``members: [{company: kt}, {company: kt}]``.
    Passes: ``lead: kt`` with ``members: [{company: kt, role: lead}, {company: lg-cns}]``.
    """
    for node, consortium in ctx.consortia():
        first: dict[str, int] = {}
        for k, member in enumerate(consortium.members):
            if member.company in first:
                earlier = node.document.mark_at((*node.path, "members", first[member.company]))
                yield Finding(
                    node.document,
                    (*node.path, "members", k, "company"),
                    Code.DUPLICATE_MEMBER,
                    f"'{member.company}' is listed twice in consortium '{consortium.id}' "
                    f"(first at line {earlier.line})",
                )
            first.setdefault(member.company, k)


# --- provenance -----------------------------------------------------------------------


def _sourced(ctx: Context) -> Iterator[tuple[Node, Project | Consortium | Company]]:
    for node in ctx.nodes:
        if isinstance(node.record, Project | Consortium | Company):
            yield node, node.record


@rule("future-date")
def future_date(ctx: Context) -> Iterator[Finding]:
    """``as_of`` and source dates are not in the future.

    Fails: ``as_of: 2099-01-01``. Passes: ``as_of: 2025-11-20``.
    """
    today = ctx.today
    for node, record in _sourced(ctx):
        if record.as_of > today:
            yield Finding(
                node.document,
                (*node.path, "as_of"),
                Code.FUTURE_DATE,
                f"'{record.id}': as_of {record.as_of} is in the future",
            )
        for index, source in enumerate(record.sources):
            if _published_after(source, today):
                yield Finding(
                    node.document,
                    (*node.path, "sources", index, "published"),
                    Code.FUTURE_DATE,
                    f"'{record.id}': source published {source.published} is in the future",
                )


def _published_after(source: Source, today: dt.date) -> bool:
    # A partial date ("2026-12") is in the future only if its earliest day is.
    return (
        source.published is not None
        and source.published > today.isoformat()[: len(source.published)]
    )


@rule("stale")
def stale(ctx: Context) -> Iterator[Finding]:
    """With ``--max-age DAYS``, a record whose ``as_of`` is older gets a warning.

    Fails (``--max-age 365``): ``as_of: 2020-01-01``. Passes: ``as_of`` within the year.
    """
    if ctx.max_age_days is None:
        return
    for node, record in _sourced(ctx):
        age = (ctx.today - record.as_of).days
        if age > ctx.max_age_days:
            yield Finding(
                node.document,
                (*node.path, "as_of"),
                Code.STALE,
                f"'{record.id}': as_of {record.as_of} is {age} days old "
                f"(more than --max-age {ctx.max_age_days}); check its sources again",
                Level.WARNING,
            )


# --- the driver -----------------------------------------------------------------------


def cross_check(
    sectors: tuple[SectorsFile, Document] | None,
    projects: tuple[ProjectsFile, Document] | None,
    companies: tuple[CompaniesFile, Document] | None,
    today: dt.date | None = None,
    max_age_days: int | None = None,
) -> list[Problem]:
    """Every cross-file problem among the files given (a missing file skips its checks).

    At most ``MAX_PROBLEMS_PER_FILE`` a file, then one ``too-many-problems``; the "did
    you mean" of an unknown name is looked up only for a problem that is reported.
    """
    ctx = Context(
        nodes=list(walk(sectors, projects, companies)),
        have_sectors=sectors is not None,
        have_companies=companies is not None,
        today=today or dt.date.today(),
        max_age_days=max_age_days,
    )
    problems: list[Problem] = []
    # Errors and warnings are capped apart: many warnings (old sources) never crowd an
    # error out of the list.
    counts: dict[tuple[str, Level], int] = {}
    last_line: dict[str, int] = {}
    for each in RULES:
        for finding in each.check(ctx):
            file = finding.document.file
            key = (file, finding.level)
            counts[key] = counts.get(key, 0) + 1
            if counts[key] <= MAX_PROBLEMS_PER_FILE:
                problem = _placed(finding)
                problems.append(problem)
                last_line[file] = max(last_line.get(file, 1), problem.line)
    for (file, level), count in counts.items():
        if count > MAX_PROBLEMS_PER_FILE:
            at = At(last_line[file], 1)
            where = "across files in this file"
            problems.append(Problem.too_many(file, at, MAX_PROBLEMS_PER_FILE, where, level))
    return problems


def _placed(finding: Finding) -> Problem:
    message = finding.message
    if finding.unknown is not None:
        value, index = finding.unknown
        message += did_you_mean(index(value))
    mark = finding.document.mark_at(finding.path)
    return Problem(
        finding.document.file, mark.line, mark.column, finding.level, finding.code, message
    )
