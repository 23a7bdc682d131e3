"""Rank projects, consortia and companies for a startup's resolved sectors.

Every score is a sum of named components, each a value from 0 to 1 times a weight in
points; the weights of one kind of record add up to 100:

================  ======  ==========  ==========  ========
record            demand  capability  complement  standing
================  ======  ==========  ==========  ========
project             70        —           —          30
consortium          40        —           30         30
company             30        40          —          30
================  ======  ==========  ==========  ========

* **demand** — the project's focus asks for what the startup offers: the mean, over
  the startup's sectors, of the closest focus sector (1 the same sector, 0.8 a broader
  or narrower domain, 0.6 a domain the technology serves, 0.5 looser links; see
  :mod:`kpartner.taxonomy`). For a company, the demand of the project it works on.
* **capability** — the company already does it or works nearby: 0.7 * its closest
  capability to any of the startup's sectors + 0.3 * the mean over all of them. It knows
  the field and can integrate the startup.
* **complement** — the consortium's project asks for the sector and no member lists it:
  the gap the startup fills, the reason a consortium would want it. Counted in
  proportion to the consortium's standing: a consortium that lost needs no one.
* **standing** — a consortium that was selected and is building outranks one that lost;
  a replaced one counts little. For a project, its stage; for a company, its best
  consortium (a lead counts more than a member), plus 0.1 for each further selected
  consortium it is in (a well-connected partner), up to 1.

Only records with some relevance (demand, capability or complement above 0) are
returned. Ties are broken by kind (company, consortium, project), then id.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import cached_property, partial

from kpartner.catalog import Catalog, Membership, in_city, members_of
from kpartner.models import (
    Company,
    CompanyType,
    Consortium,
    ConsortiumStatus,
    Project,
    ProjectStatus,
    Source,
)
from kpartner.query import Query
from kpartner.taxonomy import Link, Relation, Taxonomy


class Kind(StrEnum):
    """What a suggestion is; also the tie-break order."""

    COMPANY = "company"
    CONSORTIUM = "consortium"
    PROJECT = "project"


KINDS = tuple(Kind)

WEIGHTS: dict[str, dict[str, int]] = {
    "project": {"demand": 70, "standing": 30},
    "consortium": {"demand": 40, "complement": 30, "standing": 30},
    "company": {"capability": 40, "demand": 30, "standing": 30},
}

CONSORTIUM_STANDING: dict[ConsortiumStatus, float] = {
    ConsortiumStatus.SELECTED: 1.0,
    ConsortiumStatus.PREFERRED_BIDDER: 0.9,
    ConsortiumStatus.BIDDING: 0.8,
    ConsortiumStatus.LOST: 0.3,
    ConsortiumStatus.REPLACED: 0.15,
    ConsortiumStatus.WITHDRAWN: 0.15,
}
PROJECT_STANDING: dict[ProjectStatus, float] = {
    ProjectStatus.OPEN_CALL: 1.0,
    ProjectStatus.UNDER_WAY: 1.0,
    ProjectStatus.SELECTED: 0.85,
    ProjectStatus.OPERATING: 0.7,
    ProjectStatus.PLANNED: 0.6,
    ProjectStatus.COMPLETED: 0.3,
    ProjectStatus.NOT_ADVANCED: 0.3,
}
MEMBER_FACTOR = 0.85  # a lead is the first door to knock on
NO_CONSORTIUM_STANDING = 0.2  # a company with no recorded consortium
CAPABILITY_CLOSEST_SHARE = 0.7
NETWORK_BONUS = 0.1  # per further selected consortium: a company in many is well connected

STATUS_WORDS: dict[ConsortiumStatus, str] = {
    ConsortiumStatus.SELECTED: "selected",
    ConsortiumStatus.PREFERRED_BIDDER: "preferred bidder",
    ConsortiumStatus.BIDDING: "bidding",
    ConsortiumStatus.LOST: "lost the bid",
    ConsortiumStatus.REPLACED: "replaced",
    ConsortiumStatus.WITHDRAWN: "withdrew",
}


@dataclass(frozen=True, slots=True)
class Component:
    name: str
    value: float  # 0..1
    weight: int  # points at value 1

    @property
    def points(self) -> float:
        return round(self.value * self.weight, 1)


@dataclass(frozen=True)
class Match:
    """One suggestion: what it is, its score and why, with the sources behind the why."""

    kind: Kind
    id: str
    name: str
    name_ko: str | None
    components: tuple[Component, ...]
    reasons: tuple[str, ...]
    sources: tuple[Source, ...]
    rank: int = 0

    @cached_property
    def score(self) -> float:
        return round(sum(component.points for component in self.components), 1)


@dataclass(frozen=True)
class Filters:
    kinds: frozenset[Kind] = frozenset(Kind)
    projects: frozenset[str] = frozenset()  # empty: every project
    cities: tuple[str, ...] = ()  # empty: every city; else a project in any of them
    include_types: frozenset[CompanyType] = frozenset()
    exclude_types: frozenset[CompanyType] = frozenset()
    min_score: float = 0.0
    top: int | None = 10


@dataclass
class _Sectors:
    """Labels and the inputs behind each asked sector, for wording reasons."""

    catalog: Catalog
    query: Query
    explain: bool = True  # False: score only, no reasons or sources
    taxonomy: Taxonomy = field(init=False)
    fits: dict[tuple[str, ...], Fit] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.taxonomy = Taxonomy(self.catalog.sectors)

    def label(self, sector_id: str) -> str:
        sector = self.catalog.sectors.get(sector_id)
        return sector.label if sector else sector_id

    def yours(self, sector_id: str) -> str:
        return ", ".join(f"'{term}'" for term in self.query.inputs_for(sector_id))

    def phrase(self, asked: str, target: str, relation: Relation) -> str:
        """'Robotics' / 'Public safety (served by Drones)': the link in words."""
        label, asked_label = self.label(target), self.label(asked)
        if relation.link is Link.SAME:
            return label
        if relation.link is Link.BROADER:
            return f"{label} (includes {asked_label})"
        if relation.link is Link.NARROWER:
            return f"{label} (part of {asked_label})"
        if relation.link is Link.RELATED:
            return f"{label} (close to {asked_label})"
        if relation.link is Link.SERVES:
            if relation.via == target:
                return f"{label} (served by {asked_label})"
            return f"{label} (near {self.label(relation.via or '')}, served by {asked_label})"
        return f"{label} (serves {asked_label})"


@dataclass(frozen=True, slots=True)
class Fit:
    """How a list of sectors meets the asked ones: each asked sector's closest link."""

    links: tuple[tuple[str, str, Relation], ...]  # (asked, target, relation)
    mean: float  # over all asked sectors; an unmet one counts 0
    closest: float  # the best single link


def _fit(words: _Sectors, targets: Sequence[str]) -> Fit:
    key = tuple(targets)
    if key not in words.fits:  # projects recur in every member's memberships
        words.fits[key] = _compute_fit(words, targets)
    return words.fits[key]


def _compute_fit(words: _Sectors, targets: Sequence[str]) -> Fit:
    asked = words.query.sectors
    links = []
    for sector in asked:
        best = words.taxonomy.best(sector, targets)
        if best is not None:
            links.append((sector, best[0], best[1]))
    weights = [relation.weight for _, _, relation in links]
    mean = sum(weights) / len(asked) if asked else 0.0
    return Fit(tuple(links), mean, max(weights, default=0.0))


def _demand_reasons(
    words: _Sectors, links: Sequence[tuple[str, str, Relation]], project: Project | None = None
) -> list[str]:
    """'focuses on Drones — your 'drones'' (prefixed with the project's name if given)."""
    subject = f"{project.name} focuses on" if project else "focuses on"
    return [
        f"{subject} {words.phrase(asked, target, relation)} — your {words.yours(asked)}"
        for asked, target, relation in links
    ]


def _status(consortium: Consortium) -> str:
    when = f" {consortium.date}" if consortium.date else ""
    return f"{STATUS_WORDS[consortium.status]}{when}"


def _unique_sources(sources: Iterable[Source]) -> tuple[Source, ...]:
    seen: dict[tuple[str, str | None], Source] = {}
    for source in sources:
        seen.setdefault((source.url, source.article_id), source)
    return tuple(seen.values())


def _components(kind: Kind, **values: float) -> tuple[Component, ...]:
    """The kind's components, named and weighted as in ``WEIGHTS``."""
    return tuple(Component(name, values[name], weight) for name, weight in WEIGHTS[kind].items())


def _result(
    words: _Sectors,
    kind: Kind,
    record: Project | Consortium | Company,
    components: tuple[Component, ...],
    why: Callable[[], tuple[list[str], list[Source]]],
) -> Match:
    """A match; its reasons and sources are worded only when ``words.explain``."""
    reasons, sources = why() if words.explain else ([], [])
    return Match(
        kind,
        record.id,
        record.name,
        record.name_ko,
        components,
        tuple(reasons),
        _unique_sources(sources),
    )


def _project_match(words: _Sectors, project: Project) -> Match | None:
    fit = _fit(words, words.catalog.project_sectors[project.id])
    demand, links = fit.mean, fit.links
    if demand == 0:
        return None
    standing = PROJECT_STANDING[project.status]

    def why() -> tuple[list[str], list[Source]]:
        reasons = _demand_reasons(words, links)
        selected = [c for c in project.consortia if c.status is ConsortiumStatus.SELECTED]
        stage = f"status: {project.status.value}"
        if selected:
            stage += f" — partner: {selected[-1].name} ({_status(selected[-1])})"
        return [*reasons, stage], list(project.sources)

    components = _components(Kind.PROJECT, demand=demand, standing=standing)
    return _result(words, Kind.PROJECT, project, components, why)


def _consortium_match(words: _Sectors, project: Project, consortium: Consortium) -> Match | None:
    fit = _fit(words, words.catalog.project_sectors[project.id])
    demand, links = fit.mean, fit.links
    if demand == 0:
        return None
    members = [
        words.catalog.companies[c]
        for c, _, _ in members_of(consortium)
        if c in words.catalog.companies
    ]
    has = {s for member in members for s in member.capabilities}
    gaps = [(asked, relation) for asked, _, relation in links if asked not in has]
    standing = CONSORTIUM_STANDING[consortium.status] * PROJECT_STANDING[project.status]
    # A gap matters as much as the consortium is still building: one that lost needs no one.
    gap = sum(relation.weight for _, relation in gaps) / len(words.query.sectors)
    complement = gap * standing

    def why() -> tuple[list[str], list[Source]]:
        reasons = _demand_reasons(words, links, project)
        if gaps:
            missing = ", ".join(words.label(asked) for asked, _ in gaps)
            reasons.insert(0, f"fills a gap: no member lists {missing}, which its project asks for")
        lead = words.catalog.companies.get(consortium.lead or "")
        reasons.append(
            f"{consortium.name}: {_status(consortium)} for {project.name}"
            + (f", led by {lead.name}" if lead else "")
            + (f", {len(members)} members" if members else ", members not named in the sources")
        )
        return reasons, [*consortium.sources, *project.sources]

    components = _components(
        Kind.CONSORTIUM, demand=demand, complement=complement, standing=standing
    )
    return _result(words, Kind.CONSORTIUM, consortium, components, why)


def _membership_standing(membership: Membership) -> float:
    factor = 1.0 if membership.is_lead else MEMBER_FACTOR
    return (
        CONSORTIUM_STANDING[membership.consortium.status]
        * PROJECT_STANDING[membership.project.status]
        * factor
    )


def _company_match(
    words: _Sectors, company: Company, memberships: list[Membership]
) -> Match | None:
    """Capability from its own sectors; demand and standing from its best consortia.

    Demand and standing each take the company's best membership, which may be two
    different ones (KT lost the Sejong bid that asked for 5G, and works on Chuncheon).
    """
    own = _fit(words, company.capabilities)
    capability_links = own.links
    # A specialist in one of the startup's technologies is a real partner: the closest
    # capability counts most, covering all of them adds the rest.
    capability = CAPABILITY_CLOSEST_SHARE * own.closest + (1 - CAPABILITY_CLOSEST_SHARE) * own.mean
    by_demand: tuple[float, Membership, tuple[tuple[str, str, Relation], ...]] | None = None
    by_standing: tuple[float, Membership] | None = None
    demand_standing = 0.0
    for membership in memberships:  # first in file order wins full ties
        fit = _fit(words, words.catalog.project_sectors[membership.project.id])
        standing = _membership_standing(membership)
        # Between equally relevant projects, name the consortium still building, not one replaced.
        if fit.mean > 0 and (
            by_demand is None or (fit.mean, standing) > (by_demand[0], demand_standing)
        ):
            by_demand = (fit.mean, membership, fit.links)
            demand_standing = standing
        if by_standing is None or standing > by_standing[0]:
            by_standing = (standing, membership)
    demand = by_demand[0] if by_demand else 0.0
    if capability == 0 and demand == 0:
        return None
    standing = by_standing[0] if by_standing else NO_CONSORTIUM_STANDING
    active = [m for m in memberships if m.consortium.status is ConsortiumStatus.SELECTED]
    further = len(active) - 1 if by_standing and by_standing[1] in active else len(active)
    standing = min(1.0, standing + NETWORK_BONUS * further)

    def why() -> tuple[list[str], list[Source]]:
        reasons = [
            ("does " if relation.link is Link.SAME else "works in ")
            + f"{words.phrase(asked, target, relation)} — your {words.yours(asked)}"
            for asked, target, relation in capability_links
        ]
        sources: list[Source] = list(company.sources)
        shown = [by_standing[1]] if by_standing else []
        if by_demand is not None and by_demand[1] not in shown:
            shown.append(by_demand[1])
        for membership in shown:
            reasons.append(_membership_reason(membership))
            sources += membership.consortium.sources
        if further > 0:
            reasons.append(f"works on {len(active)} projects with selected consortia")
        if by_demand is not None:
            reasons += _demand_reasons(words, by_demand[2], by_demand[1].project)
        return reasons, sources

    components = _components(Kind.COMPANY, capability=capability, demand=demand, standing=standing)
    return _result(words, Kind.COMPANY, company, components, why)


def _membership_reason(membership: Membership) -> str:
    consortium, project = membership.consortium, membership.project
    role = f" — role: {membership.role}" if membership.role else ""
    return (
        f"{'lead' if membership.is_lead else 'member'} of {consortium.name} for {project.name},"
        f" {_status(consortium)}{role}"
    )


def _in_scope(project: Project, filters: Filters) -> bool:
    if filters.projects and project.id not in filters.projects:
        return False
    return not filters.cities or any(in_city(project, city) for city in filters.cities)


def rank(catalog: Catalog, query: Query, filters: Filters = Filters()) -> list[Match]:
    """Every relevant record, best first, numbered; cut at ``filters.top``.

    Scores are computed for every record; reasons and sources only for those kept,
    since wording them costs more than scoring on a large catalog.
    """
    scoring = _Sectors(catalog, query, explain=False)
    explaining = _Sectors(catalog, query, explain=True)
    explaining.fits = scoring.fits
    scoped = bool(filters.projects or filters.cities)
    projects = [p for p in catalog.projects.values() if _in_scope(p, filters)]
    in_scope = {p.id for p in projects}
    candidates: list[tuple[Match, Callable[[_Sectors], Match | None]]] = []

    def consider(build: Callable[[_Sectors], Match | None]) -> None:
        found = build(scoring)
        if found is not None and found.score >= filters.min_score:
            candidates.append((found, build))

    if Kind.PROJECT in filters.kinds:
        for project in projects:
            consider(partial(_project_match, project=project))
    if Kind.CONSORTIUM in filters.kinds:
        for project in projects:
            for consortium in project.consortia:
                consider(partial(_consortium_match, project=project, consortium=consortium))
    if Kind.COMPANY in filters.kinds:
        for company in catalog.companies.values():
            if filters.include_types and company.type not in filters.include_types:
                continue
            if company.type in filters.exclude_types:
                continue
            memberships = [
                m for m in catalog.memberships.get(company.id, []) if m.project.id in in_scope
            ]
            if scoped and not memberships:
                continue
            consider(partial(_company_match, company=company, memberships=memberships))
    candidates.sort(key=lambda pair: (-pair[0].score, KINDS.index(pair[0].kind), pair[0].id))
    kept = candidates[: filters.top] if filters.top is not None else candidates
    explained = [build(explaining) for _, build in kept]
    return [
        replace(match, rank=position)
        for position, match in enumerate(filter(None, explained), start=1)
    ]
