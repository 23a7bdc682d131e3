"""The matching API: what a founder asks, in; a ranked, explained report, out.

    from kpartner import load_catalog, shipped_data_dir
    from kpartner.matching import match

    catalog = load_catalog(shipped_data_dir()).catalog
    report = match(catalog, tech=["drones", "5g"])
    for result in report.results:
        print(result.rank, result.name, result.score, result.next_step)

The CLI's ``kpartner match`` is a thin layer over :func:`match`. The flow is
query (terms → sectors) → ranking (scores) → reasons (words) → a :class:`MatchReport`.
"""

from __future__ import annotations

import datetime as dt
import heapq
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import TYPE_CHECKING, NamedTuple

from kpartner import index, reasons
from kpartner.catalog import Catalog, UnknownName, in_city
from kpartner.enums import SectorKind
from kpartner.query import How, Query, resolve, split_terms
from kpartner.ranking import (
    COMPANY_MIN_LINK,
    CONSORTIUM_STANDING,
    FINISHED,
    ORGANISATION_FACTOR,
    WEIGHTS,
    CompanyScore,
    Filters,
    ProjectScore,
    Scorer,
    in_scope,
    is_abroad,
    listable,
    named_fields,
    taxonomy_of,
)
from kpartner.results import KINDS, Component, Evidence, EvidenceKind, Kind, Match, Relation
from kpartner.suggest import suggest
from kpartner.text import join_names

if TYPE_CHECKING:  # pydantic's models: a catalog from the compiled cache holds their twins
    from kpartner.models import Caveat, Company, Consortium, Project

STALE_DAYS = 365


class NoTermResolved(Exception):
    """None of the startup's terms named a sector: nothing to match on."""

    def __init__(self, query: Query) -> None:
        super().__init__("none of the terms names a known technology or domain")
        self.query = query


@dataclass(frozen=True)
class MatchReport:
    query: Query
    results: list[Match]
    peers: list[Match]  # companies selling the startup's own technology
    data_as_of: dt.date  # the newest dated source in the catalog: what the data knows
    today: dt.date
    startup: str | None = None  # the profile's name, for the report's title
    unlisted: tuple[str, ...] = ()  # asked sectors no project or company names as such
    abroad: tuple[tuple[str, str], ...] = ()  # (id, city) of projects abroad not asked for
    research: tuple[str, ...] = ()  # names of universities and institutes not listed
    weaker: int = 0  # suggestions left out for scoring under the relative floor
    # ...their (id, name), best first: named, so a thin list still shows what else is there.
    weaker_left: tuple[tuple[str, str], ...] = ()
    # (id, name) of the next suggestions after --top, above the floor: a close call is named.
    below: tuple[tuple[str, str], ...] = ()
    # ...of those, the projects whose live team already does what the startup does: no gap
    # to fill, which is why a flagship project can sit there.
    below_done: tuple[str, ...] = ()
    # Firms left out for working only near the startup's technology, outside the fields it
    # names (a bank doing fintech, for blockchain e-government), and those fields.
    outside: tuple[str, ...] = ()
    # (id, name) of projects asking for the startup's technology for another field: not
    # listed, named.
    outside_projects: tuple[tuple[str, str], ...] = ()
    field_labels: tuple[str, ...] = ()
    technology_terms: tuple[str, ...] = ()  # the founder's words for its technologies
    companies: int = 0  # organisations in the catalog: a --top that lists every one
    # Labels of the typed technologies no partner listed does itself (its peers do).
    undone: tuple[str, ...] = ()
    # Ids of the projects listed that ask only for a domain around what the startup typed
    # (EV charging, for energy storage), not for it or a part of it: weaker leads.
    around: tuple[str, ...] = ()
    typed_labels: tuple[str, ...] = ()  # the labels of the sectors the startup typed
    caveats: tuple[SectorRule, ...] = ()  # what to know before going
    # Notes a table ends with (what was left out, how old the data is): set by the CLI.
    notes: tuple[str, ...] = ()

    @property
    def oldest_as_of(self) -> dt.date | None:
        """The oldest record any listed suggestion relies on."""
        return min((m.as_of for m in [*self.results, *self.peers]), default=None)

    @property
    def stale(self) -> list[Match]:
        """Suggestions whose records are more than a year old."""
        return [m for m in [*self.results, *self.peers] if (self.today - m.as_of).days > STALE_DAYS]


def match(
    catalog: Catalog,
    tech: list[str] | None = None,
    describe: str | None = None,
    filters: Filters | None = None,
    today: dt.date | None = None,
) -> MatchReport:
    """Resolve ``tech`` (and the terms ``describe`` mentions) and rank partners for them.

    Raises :class:`NoTermResolved` when nothing the user gave names a sector, and
    :class:`UnknownName` when a project or city filter names nothing in the catalog.
    """
    filters = filters or Filters()
    _check_filters(catalog, filters)
    query = resolve(catalog, split_terms(tech or []), describe)
    if not query.terms:
        raise NoTermResolved(query)
    today = today or dt.date.today()
    # A few more than asked for, to name what sits just below the cut.
    wider = replace(filters, top=filters.top + BELOW_THE_CUT) if filters.top else filters
    ranked = rank(catalog, query, wider, today)
    shown = ranked.results[: filters.top] if filters.top else ranked.results
    results, weaker = _above_the_floor(shown, filters.relative_floor)
    floor = results[0].score * filters.relative_floor if results else 0.0
    below = [m for m in ranked.results[len(shown) :] if m.score >= floor]
    return MatchReport(
        query,
        results,
        ranked.peers[: filters.top] if filters.top else ranked.peers,
        data_as_of(catalog),
        today,
        unlisted=unlisted(catalog, query),
        abroad=left_abroad(catalog, query, filters, today),
        caveats=caveats(catalog, query),
        research=ranked.research,
        weaker=len(weaker),
        weaker_left=tuple((m.id, m.name) for m in weaker),
        below=tuple((m.id, m.name) for m in below),
        below_done=tuple(m.id for m in below if _team_does_it(m)),
        outside=ranked.outside,
        outside_projects=ranked.outside_projects,
        field_labels=tuple(catalog.sectors[s].label for s in named_fields(catalog, query)),
        technology_terms=technology_terms(catalog, query),
        companies=len(catalog.companies),
        undone=undone(catalog, query, results, ranked.peers),
        around=around_only(catalog, query, results),
        typed_labels=tuple(dict.fromkeys(catalog.sectors[s].label for s in query.core)),
    )


def _team_does_it(match: Match) -> bool:
    """An opportunity with no gap whose team has a member working in what the startup does."""
    gap = next((c.value for c in match.components if c.name == "gap"), None)
    return (
        match.kind is Kind.OPPORTUNITY
        and gap == 0
        and any(e.kind is EvidenceKind.CAPABILITY and e.company for e in match.evidence)
    )


def undone(
    catalog: Catalog, query: Query, results: list[Match], peers: list[Match]
) -> tuple[str, ...]:
    """The labels of the technologies the startup typed that no partner listed does itself,
    when peers do (drones, for drone delivery: the delivery firms listed do not fly them):
    said, so the partners are not read as doing it."""
    partners = [m for m in results if m.kind is Kind.COMPANY]
    if not partners or not peers:
        return ()
    ancestors = taxonomy_of(catalog).ancestors
    found = []
    for sector in dict.fromkeys(query.core):
        if catalog.sectors[sector].kind is not SectorKind.TECHNOLOGY:
            continue
        does = any(
            own == sector or sector in ancestors(own)
            for m in partners
            for own in catalog.companies[m.id].capabilities
        )
        if not does:
            found.append(catalog.sectors[sector].label)
    return tuple(found)


def around_only(catalog: Catalog, query: Query, results: list[Match]) -> tuple[str, ...]:
    """The projects listed whose focus names none of the sectors the startup typed, nor a
    part of one: they ask only for a domain around them (EV charging or energy, for energy
    storage). Said, so a short list of direct asks is not read as a long one."""
    ancestors = taxonomy_of(catalog).ancestors
    typed = set(query.core)

    def itself(sector: str | None) -> bool:
        return sector is not None and (sector in typed or bool(typed & set(ancestors(sector))))

    return tuple(
        m.id
        for m in results
        if m.kind in (Kind.OPPORTUNITY, Kind.PROJECT)
        and not any(
            itself(e.sector)
            for e in m.evidence
            if e.kind in (EvidenceKind.DEMAND, EvidenceKind.GAP)
        )
    )


BELOW_THE_CUT = 2  # suggestions named after the list, when they would pass the floor


def technology_terms(catalog: Catalog, query: Query) -> tuple[str, ...]:
    """The founder's own words for the technologies it asked for, one per technology: what
    to ask for alone to list the firms left out for working outside its field."""
    found: dict[str, str] = {}
    # A whole term first ("robots"), else the word a longer term matched ("robot" in
    # "parking robot": the whole of it would name the field again).
    for term in sorted(query.terms, key=lambda t: t.how is How.PARTIAL):
        sector = catalog.sectors.get(term.sector)
        if sector is not None and sector.kind is SectorKind.TECHNOLOGY:
            word = term.input if term.how not in (How.PARTIAL, How.FUZZY) else term.matched
            found.setdefault(term.sector, word)
    return tuple(dict.fromkeys(found.values()))


class SectorRule(NamedTuple):
    """A market rule recorded for one of the asked sectors (or a domain above one)."""

    sector: str
    label: str
    rule: Caveat


def caveats(catalog: Catalog, query: Query) -> tuple[SectorRule, ...]:
    """The market rules recorded for the sectors the startup typed and the domains above
    them. A sector only its --describe sentence names is how it works, not what it sells
    ("…with IoT sensors", for water quality): the IP-camera rule is not its rule."""
    ancestors = taxonomy_of(catalog).ancestors
    sectors = [s for asked in query.core for s in (asked, *ancestors(asked))]
    found: dict[tuple[str, str], SectorRule] = {}
    for sector in dict.fromkeys(sectors):
        if sector in catalog.sectors:
            for caveat in catalog.sectors[sector].caveats:
                # One rule recorded on two asked sectors (IP cameras: IoT and public
                # safety) is said once, under the first.
                key = (caveat.text, caveat.source.url)
                found.setdefault(key, SectorRule(sector, catalog.sectors[sector].label, caveat))
    return tuple(found.values())


def _above_the_floor(results: list[Match], share: float) -> tuple[list[Match], list[Match]]:
    """The results scoring at least ``share`` of the best, renumbered; and those that fell."""
    if not results or share <= 0:
        return results, []
    floor = results[0].score * share
    kept = [m for m in results if m.score >= floor]
    fell = [m for m in results if m.score < floor]
    return [replace(m, rank=n) for n, m in enumerate(kept, start=1)], fell


def left_abroad(
    catalog: Catalog, query: Query, filters: Filters, today: dt.date
) -> tuple[tuple[str, str], ...]:
    """The K-City Network projects abroad that would be suggested had they been asked for:
    a foreign startup looks for a way into Korea first, so they are named, not listed."""
    if filters.abroad or filters.projects or filters.cities or Kind.COMPANY in filters.kinds:
        return ()
    scorer = Scorer(catalog, query, excluded=filters.exclude_companies, today=today)
    found = []
    for project in catalog.projects.values():
        if is_abroad(project) and project.status not in FINISHED:
            scored = scorer.project(project)
            if scored.demand > 0 and listable(scored, query.core):
                found.append((project.id, project.city))
    return tuple(sorted(found))


def unlisted(catalog: Catalog, query: Query) -> tuple[str, ...]:
    """The asked sectors that no project's focus and no organisation's capabilities name:
    whatever is suggested for them only works near them."""
    named = catalog.derived.get("named_sectors")
    if not isinstance(named, frozenset):
        named = catalog.derived["named_sectors"] = _named_sectors(catalog)
    return tuple(sector for sector in query.sectors if sector not in named)


def _named_sectors(catalog: Catalog) -> frozenset[str]:
    named = {s for sectors in catalog.project_sectors.values() for s in sectors}
    named |= {s for company in catalog.companies.values() for s in company.capabilities}
    return frozenset(named)


def data_as_of(catalog: Catalog) -> dt.date:
    """The newest full date of any source: the latest fact the catalog can vouch for.
    Worked out once per catalog (and kept in the compiled cache)."""
    found = catalog.derived.get("data_as_of")
    if not isinstance(found, dt.date):
        found = catalog.derived["data_as_of"] = _data_as_of(catalog)
    return found


def _data_as_of(catalog: Catalog) -> dt.date:
    sources = [source for record in catalog.sourced_records() for source in record.sources]
    for project in catalog.projects.values():
        sources.append(project.status_source)
        sources += [event.source for event in project.timeline if event.source]
    dates = [s.published for s in sources if s.published and len(s.published) == 10]
    if not dates:
        return min((r.as_of for r in catalog.sourced_records()), default=dt.date.min)
    return dt.date.fromisoformat(max(dates))


_Candidate = tuple[float, Kind, str, str, Callable[[], Match]]  # score, kind, recency, id, build


class Ranked(NamedTuple):
    results: list[Match]
    peers: list[Match]
    research: tuple[str, ...]  # universities and institutes left out of a company list
    outside: tuple[str, ...]  # firms only near the technology, outside the startup's field
    # (id, name) of projects asking for the technology but for none of the startup's field
    outside_projects: tuple[tuple[str, str], ...] = ()


def rank(catalog: Catalog, query: Query, filters: Filters, today: dt.date | None = None) -> Ranked:
    """Every relevant record, best first, numbered and cut at ``filters.top``; the peers;
    and the names of the organisations left out of a company list (research bodies, firms
    outside the startup's field).

    Projects are scored best ceiling first and no further than can change the list
    (:mod:`kpartner.index`); reasons are worded only for those kept, since wording costs
    more than scoring on a large catalog.
    """
    scorer = Scorer(
        catalog, query, excluded=filters.exclude_companies, today=today or dt.date.today()
    )
    words = reasons.Words(catalog, query)
    candidates: list[_Candidate] = []
    peers: list[_Candidate] = []
    research: list[str] = []
    outside: list[tuple[float, str]] = []
    outside_projects: list[tuple[float, str, str]] = []

    def consider(
        into: list[_Candidate],
        kind: Kind,
        key: str,
        recency: str,
        score: Scored,
        build: Callable[[], Match],
    ) -> None:
        value = score.value
        if value > 0 and value >= filters.min_score:
            into.append((value, kind, recency, key, build))

    per_project = bool(filters.kinds - {Kind.COMPANY})
    kept: list[float] = []  # the best `top` scores so far, least first (a heap)
    for bound, project in _projects_to_score(scorer, catalog, filters):
        if filters.top and len(kept) >= filters.top and bound < kept[0]:
            break  # no project from here on can enter the list (see kpartner.index)
        listed = len(candidates)
        scored = scorer.project(project)
        if not listable(scored, query.core):
            continue
        if scored.outside:
            # The technology for another field (blockchain to track a mine's resources, for
            # blockchain e-government): no lead for this startup; named, best first, when
            # it asks for the technology itself.
            if per_project and scorer.asks_technology(project):
                value = _opportunity_score(scored).value
                if value >= filters.min_score:
                    outside_projects.append((-value, project.id, project.name))
            continue
        recency = project.status_date
        for kind, score, build in _PER_PROJECT:
            if kind in filters.kinds:
                consider(
                    candidates,
                    kind,
                    project.id,
                    recency,
                    score(scored),
                    partial(build, words, scored),
                )
        if Kind.CONSORTIUM in filters.kinds:
            for record in scored.team.consortia:
                consider(
                    candidates,
                    Kind.CONSORTIUM,
                    record.id,
                    recency,
                    _consortium_score(scored, record),
                    partial(_consortium, words, scored, record),
                )
        if filters.top:
            for candidate in candidates[listed:]:
                heapq.heappush(kept, candidate[0])
                if len(kept) > filters.top:
                    heapq.heappop(kept)
    if Kind.COMPANY in filters.kinds:
        scoped = bool(filters.projects or filters.cities)
        for company in catalog.companies.values():
            if not _wanted(company, filters):
                continue
            found = scorer.company(company, partial(in_scope, filters=filters))
            if scoped and not found.builds:
                continue  # outside the projects or cities asked about
            if not found.near or (found.peer and found.outside):
                # Near the technology but not in the field the startup names — nor a rival
                # there, if it sells the technology for other fields: named, closest first.
                # Close to the field alone says nothing of the technology (a drone firm
                # near smart parking through mobility): not named.
                if (
                    found.close
                    and company.type not in ORGANISATION_FACTOR
                    and _near_technology(catalog, found)
                ):
                    outside.append((-_company_score(found).value, company.name))
                continue
            if company.type in ORGANISATION_FACTOR and not _research_wanted(filters):
                # Research and testing partners, not the integrators and buyers a founder
                # needs first: named, and listed on request.
                research.append(company.name)
                continue
            recency = found.best.project.status_date if found.best else ""
            consider(
                peers if found.peer else candidates,
                Kind.COMPANY,
                company.id,
                recency,
                _company_score(found),
                partial(_company, words, found),
            )
    # Firms of one group fold into one row in a company list (a mixed list stops scoring
    # projects early, counting on the rows it has: folding there would leave gaps).
    grouping = catalog if filters.kinds == {Kind.COMPANY} else None
    return Ranked(
        _ordered(candidates, filters.top, grouping),
        _ordered(peers, filters.top, grouping),
        tuple(research),
        tuple(name for _, name in sorted(outside)),
        tuple((id_, name) for _, id_, name in sorted(outside_projects)),
    )


def _near_technology(catalog: Catalog, found: CompanyScore) -> bool:
    """The company does a technology the startup asked for, or one beside it."""
    return any(
        catalog.sectors[asked].kind is SectorKind.TECHNOLOGY and relation.weight >= COMPANY_MIN_LINK
        for asked, _, relation in found.capability_links
    )


def _research_wanted(filters: Filters) -> bool:
    return filters.research or bool(filters.include_types & ORGANISATION_FACTOR.keys())


def _projects_to_score(
    scorer: Scorer, catalog: Catalog, filters: Filters
) -> list[tuple[float, Project]]:
    """The projects in scope with a ceiling on their scores: best first when the list is
    cut at ``top`` (then scoring can stop early), else in file order."""
    projects = [p for p in catalog.projects.values() if in_scope(p, filters)]
    if not filters.top:
        return [(math.inf, project) for project in projects]
    kinds = filters.kinds
    standing = max(CONSORTIUM_STANDING.values())

    def ceiling(demand: float, gap: float, stage: float) -> float:
        scores = [0.0]
        if Kind.OPPORTUNITY in kinds:
            parts = _components(Kind.OPPORTUNITY, demand=demand, gap=gap)
            scores.append(Scored(parts, stage).value)
        if Kind.PROJECT in kinds:
            scores.append(Scored(_components(Kind.PROJECT, demand=demand), stage).value)
        if Kind.CONSORTIUM in kinds:
            parts = _components(Kind.CONSORTIUM, demand=demand, gap=gap)
            scores.append(Scored(parts, stage * standing).value)
        return max(scores)

    return index.by_bound(scorer, projects, ceiling)


def _ordered(
    candidates: list[_Candidate], top: int | None, catalog: Catalog | None = None
) -> list[Match]:
    # Equal scores: the more recent project first, then by id, so runs are reproducible.
    candidates.sort(key=lambda c: c[3])
    candidates.sort(key=lambda c: c[2], reverse=True)
    candidates.sort(key=lambda c: (-c[0], KINDS.index(c[1])))
    kept, folded = _fold_groups(candidates, top, catalog)
    return [
        _with_group(replace(c[4](), rank=position), folded.get(c[3], ()), catalog)
        for position, c in enumerate(kept, start=1)
    ]


def _fold_groups(
    candidates: list[_Candidate], top: int | None, catalog: Catalog | None
) -> tuple[list[_Candidate], dict[str, list[str]]]:
    """The first ``top`` rows, firms of one business group taking one row, the best one's
    (Kia and 42dot under Hyundai Motor): the list makes room for independent firms. Only
    firms that would be listed are folded; {the kept firm's id: the folded ids}."""
    kept: list[_Candidate] = []
    holder: dict[str, str] = {}  # group → the id of its firm in the list
    folded: dict[str, list[str]] = {}
    for candidate in candidates:
        if top is not None and len(kept) >= top:
            break
        company = None
        if catalog is not None and candidate[1] is Kind.COMPANY:
            company = catalog.companies.get(candidate[3])
        group = company.group if company is not None else None
        if group and group in holder:
            folded.setdefault(holder[group], []).append(candidate[3])
            continue
        if group:
            holder[group] = candidate[3]
        kept.append(candidate)
    return kept, folded


def _with_group(match: Match, others: Sequence[str], catalog: Catalog | None) -> Match:
    """The row, saying which firms of its group it stands for."""
    if not others or catalog is None or match.group is None:
        return match
    names = [catalog.companies[other].name for other in others]
    said = Evidence(
        EvidenceKind.GROUP,
        f"one business group ({match.group}) with {join_names(names)}, folded into"
        " this row: related firms, each still its own company",
        company=match.id,
    )
    return replace(match, evidence=(*match.evidence, said), also=tuple(others))


@dataclass(frozen=True)
class Scored:
    """A record's components and stage factor, before any reason is worded."""

    components: tuple[Component, ...]
    stage: float

    @property
    def value(self) -> float:
        return round(sum(c.value * c.weight for c in self.components) * self.stage, 1)


def _components(kind: Kind, **values: float) -> tuple[Component, ...]:
    return tuple(Component(name, values[name], weight) for name, weight in WEIGHTS[kind].items())


def _opportunity_score(scored: ProjectScore) -> Scored:
    values = {"demand": scored.demand, "gap": scored.gap.value}
    return Scored(_components(Kind.OPPORTUNITY, **values), scored.factor)


def _project_score(scored: ProjectScore) -> Scored:
    return Scored(_components(Kind.PROJECT, demand=scored.demand), scored.factor)


def _consortium_score(scored: ProjectScore, record: Consortium) -> Scored:
    components = _components(Kind.CONSORTIUM, demand=scored.demand, gap=scored.gap.value)
    return Scored(components, scored.factor * CONSORTIUM_STANDING[record.status])


def _company_score(scored: CompanyScore) -> Scored:
    values = {
        "capability": scored.capability,
        "demand": scored.demand,
        "standing": scored.standing,
    }
    return Scored(_components(Kind.COMPANY, **values), scored.factor)


def _opportunity(words: reasons.Words, scored: ProjectScore) -> Match:
    explained = reasons.opportunity(words, scored)
    return _project_match(Kind.OPPORTUNITY, scored.project, _opportunity_score(scored), explained)


def _project(words: reasons.Words, scored: ProjectScore) -> Match:
    explained = reasons.project_only(words, scored)
    return _project_match(Kind.PROJECT, scored.project, _project_score(scored), explained)


def _project_match(
    kind: Kind, project: Project, score: Scored, explained: reasons.Explained
) -> Match:
    return _built(kind, project, score, explained, project)


def _consortium(words: reasons.Words, scored: ProjectScore, record: Consortium) -> Match:
    explained = reasons.consortium(words, scored, record)
    score = _consortium_score(scored, record)
    return _built(Kind.CONSORTIUM, record, score, explained, scored.project)


def _company(words: reasons.Words, scored: CompanyScore) -> Match:
    record = scored.company
    explained = reasons.company(words, scored)
    project = scored.best.project if scored.best else None
    match = _built(Kind.COMPANY, record, _company_score(scored), explained, project)
    return replace(
        match,
        company_type=record.type.value,
        group=record.group,
        website=record.website,
        relation=Relation.PEER if scored.peer else Relation.PARTNER,
    )


def _built(
    kind: Kind,
    record: Project | Consortium | Company,
    score: Scored,
    explained: reasons.Explained,
    project: Project | None,
) -> Match:
    """A result: the record's names, its score, and what the reasons said of it."""
    return Match(
        kind,
        record.id,
        record.name,
        record.name_ko,
        score.components,
        score.stage,
        explained.evidence,
        explained.sources,
        reasons.project_ref(project) if project else None,
        explained.as_of,
        explained.next_step,
    )


def _wanted(company: Company, filters: Filters) -> bool:
    if company.id in filters.exclude_companies:
        return False
    if filters.include_types and company.type not in filters.include_types:
        return False
    return company.type not in filters.exclude_types


def _check_filters(catalog: Catalog, filters: Filters) -> None:
    for project in sorted(filters.projects):
        if project not in catalog.projects:
            raise UnknownName("project", project, suggest(project, list(catalog.projects)))
    cities = list(dict.fromkeys(p.city for p in catalog.projects.values()))
    for city in filters.cities:
        if not any(in_city(project, city) for project in catalog.projects.values()):
            raise UnknownName("city", city, suggest(city, cities))


# The records every project yields, each with its score and its (lazily worded) match.
_PER_PROJECT: tuple[
    tuple[Kind, Callable[[ProjectScore], Scored], Callable[[reasons.Words, ProjectScore], Match]],
    ...,
] = (
    (Kind.OPPORTUNITY, _opportunity_score, _opportunity),
    (Kind.PROJECT, _project_score, _project),
)
