"""The consortium builder: with whom, together, a startup can deliver a project.

    from kpartner import load_catalog, shipped_data_dir
    from kpartner.teambuilder import build_teams

    catalog = load_catalog(shipped_data_dir()).catalog
    report = build_teams(catalog, tech=["drones", "5g"], project="busan-eco-delta-city")
    for team in report.projects[0].teams:
        print(team.kind, [member.company.id for member in team.members], team.uncovered)

A project's focus sectors are the elements to cover. The startup brings the sectors it
names that the focus names, or, for a sector the focus does not name, the nearest
broader one it does (traffic management → smart mobility, said as such).

**Joining is not recruiting.** A foreign startup joins a chosen consortium as a supplier
to its lead: the join team is the consortium as it is, plus the startup — the gap it
fills, whom to approach (the lead, or the private member nearest its field; never a
university or a public body), and which members already do its sectors (competitors).
Public bodies in a consortium (the city, the project company, K-water) are the client or
public side: they cover what they run, but are no rival to a supplier and the door only for
what they run themselves. Only private-led, live consortia of a project
still being built are offered; a finished project is a reference, not a team.

**A new team** is a weighted set cover (:mod:`kpartner.setcover`) of what the startup
leaves: a member costs 1, plus up to :data:`EXTRA` for low standing, a record citing only
homepages, links instead of listed capabilities, or no live work in the project's city;
equal costs go to the better standing, then the id. Never recruited: a company already in
a live consortium of the project (it would lead a rival to its own team), a peer (a
product firm selling the startup's sectors), a public agency or project company, a
university or research institute (unless ``--must``), a firm from abroad, or a company
bringing no focus sector exactly. Nothing here prints; renderers take the
:class:`TeamReport`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import cached_property

from kpartner import teamwords
from kpartner.catalog import Catalog, UnknownName, members_of
from kpartner.matching import NoTermResolved, data_as_of, match
from kpartner.models import (
    Company,
    CompanyType,
    Consortium,
    Project,
    ProjectStatus,
    Sector,
    Source,
)
from kpartner.query import Query, resolve, split_terms
from kpartner.ranking import (
    ACCESS_MIN_LINK,
    CONSORTIUM_STANDING,
    FINISHED,
    LEAD_STANDING,
    MEMBER_STANDING,
    NETWORK_BONUS,
    ORGANISATION_FACTOR,
    STAGE,
    Filters,
    Scorer,
)
from kpartner.results import Evidence, Kind, ProjectRef
from kpartner.setcover import Candidate, Cover, solve
from kpartner.suggest import suggest
from kpartner.taxonomy import FIELD_WEIGHT, Link, Relation
from kpartner.teams import LIVE_STATUSES
from kpartner.views import is_homepage

# Links through which a company brings a focus sector it does not list: a broader domain
# (a mobility firm for DRT) or a close technology (blockchain for fintech). Not a
# technology serving the domain (AI serves nearly every domain: an AI firm would "bring"
# healthcare and water), not a sibling, not a top-level field.
COVER_LINKS = frozenset({Link.BROADER, Link.RELATED})
# The client or public side: a city, a public agency, a project company. Never recruited,
# never a rival; the door only for what it runs itself.
PUBLIC_SIDE = teamwords.PUBLIC_SIDE
NOT_RECRUITED = PUBLIC_SIDE
# Research and teaching: never a filler in a new team (unless --must), never the door.
RESEARCH_TYPES = frozenset(ORGANISATION_FACTOR)
HOME = teamwords.HOME  # a firm headquartered elsewhere is a foreign partner, not a Korean one
EXTRA = {"standing": 0.2, "homepages": 0.15, "links": 0.15, "elsewhere": 0.2}
TOP = 5  # opportunities shown when no project is given
# A new team can still win a planned project or an open call; a project past them has
# its builders, so a new team is for its next call or stage.
OPEN_TO_NEW_TEAMS = teamwords.OPEN_TO_NEW_TEAMS
BUILT = frozenset({ProjectStatus.OPERATING})  # finished projects never get this far


class TeamKind(StrEnum):
    JOIN = "join"  # a live consortium of the project as it is, plus the startup
    NEW = "new"  # formed from scratch


class NoProject(Exception):
    """Without --project, no opportunity matched the startup's sectors."""


class FinishedProject(Exception):
    """The project asked for is completed or did not advance: a reference, not a team."""

    def __init__(self, project: Project) -> None:
        self.project = project
        super().__init__(teamwords.finished_message(project))


@dataclass(frozen=True, slots=True)
class Contribution:
    """A focus sector brought: through which of one's own sectors, and how closely."""

    sector: str  # the project's focus sector
    via: str  # the contributor's own sector (a capability, or the startup's sector)
    relation: Relation  # SAME or NARROWER count as exact

    @property
    def exact(self) -> bool:
        return self.relation.link in (Link.SAME, Link.NARROWER)


@dataclass(frozen=True)
class Member:
    company: Company
    brings: tuple[Contribution, ...]
    role: str
    in_consortium: bool  # already in the consortium the team is built around
    standing: float
    evidence: tuple[Evidence, ...] = ()
    sources: tuple[Source, ...] = ()  # all of them: membership, then capability
    consortium: Consortium | None = None  # the consortium it is listed in, if any
    membership_sources: tuple[Source, ...] = ()  # where its place in the team is read
    capability_sources: tuple[Source, ...] = ()  # where what it does is read

    @property
    def public(self) -> bool:
        """The client or public side (a city, an agency, the project company)."""
        return self.company.type in PUBLIC_SIDE

    @property
    def foreign(self) -> bool:
        return self.company.country != HOME


@dataclass(frozen=True)
class ProposedTeam:
    kind: TeamKind
    consortium: Consortium | None  # the consortium to join (the private one, with a lead)
    startup_adds: tuple[str, ...]  # focus sectors the startup brings that the members do not
    members: tuple[Member, ...]  # who brings something, or is the public side; existing first
    idle: tuple[Company, ...]  # existing private members bringing no focus sector
    covered: tuple[str, ...]
    uncovered: tuple[str, ...]
    exact: bool  # the recruits are a proved optimum (else greedy within ``bound``)
    bound: float
    cost: float
    next_step: str = ""
    competitors: tuple[Member, ...] = ()  # members already doing the startup's sectors
    door: Member | None = None  # whom to approach: the lead
    nearest: Member | None = None  # the private member nearest the startup's field, if not the lead
    near: bool = True  # ``nearest`` works near the startup's field (else: the best standing)
    next_stage: bool = False  # a new team for a project whose builders are chosen
    unrecorded: bool = False  # ...chosen, though the data does not name them
    limited: tuple[str, ...] = ()  # uncovered because of --size, not for want of a company

    @property
    def recruits(self) -> tuple[Member, ...]:
        return tuple(m for m in self.members if not m.in_consortium)

    @property
    def others(self) -> int:
        return len(self.idle)


@dataclass(frozen=True)
class ProjectTeams:
    project: Project
    ref: ProjectRef
    focus: tuple[str, ...]
    startup: tuple[Contribution, ...]
    nobody: tuple[str, ...]  # focus sectors neither the startup nor any eligible company covers
    teams: tuple[ProposedTeam, ...]  # the best first
    outside: tuple[str, ...] = ()  # the startup's sectors its focus does not name


@dataclass(frozen=True)
class TeamReport:
    query: Query
    projects: tuple[ProjectTeams, ...]
    data_as_of: dt.date
    single: bool = False  # one project asked for: JSON is that project's object
    sectors: Mapping[str, Sector] = field(default_factory=dict)  # the taxonomy, for labels

    def label(self, sector: str) -> str:
        found = self.sectors.get(sector)
        return found.label if found else sector

    def labelled(self, sectors: Iterable[str]) -> str:
        return ", ".join(self.label(sector) for sector in sectors)


@dataclass(frozen=True)
class TeamOptions:
    size: int | None = None  # at most this many recruits per new team
    must: tuple[str, ...] = ()  # company ids every new team includes
    exclude: frozenset[str] = frozenset()  # company ids never recruited
    include_types: frozenset[CompanyType] = frozenset()
    exclude_types: frozenset[CompanyType] = frozenset()
    cities: tuple[str, ...] = ()  # without a project: only opportunities in these cities
    projects: frozenset[str] = frozenset()  # without a project: only these projects
    top: int = TOP


def build_teams(
    catalog: Catalog,
    tech: list[str] | None = None,
    describe: str | None = None,
    project: str | None = None,
    options: TeamOptions | None = None,
    today: dt.date | None = None,
) -> TeamReport:
    """Teams for ``project``, or for the best opportunities for the startup's sectors.

    Raises :class:`NoTermResolved` when no term names a sector, :class:`UnknownName` for
    an unknown project or company, :class:`FinishedProject` for a completed project, and
    :class:`NoProject` when no opportunity matches.
    """
    options = options or TeamOptions()
    for company_id in (*options.must, *options.exclude):
        company_id_known(catalog, company_id)
    query = resolve(catalog, split_terms(tech or []), describe)
    if not query.terms:
        raise NoTermResolved(query)
    builder = Builder(catalog, query, options)
    if project is not None:
        if project not in catalog.projects:
            raise UnknownName("project", project, suggest(project, list(catalog.projects)))
        if catalog.projects[project].status in FINISHED:
            raise FinishedProject(catalog.projects[project])
        asked = builder.for_project(catalog.projects[project])
        return TeamReport(
            query, (asked,), data_as_of(catalog), single=True, sectors=catalog.sectors
        )
    found = match(
        catalog,
        tech=tech,
        describe=describe,
        filters=Filters(
            kinds=frozenset({Kind.OPPORTUNITY}),
            projects=options.projects,
            cities=options.cities,
            top=None,
        ),
        today=today,
    )
    # A finished project is a reference; one whose focus the startup does not reach has
    # no team for it. Built in the order of the match, until ``top`` are found.
    built: list[ProjectTeams] = []
    for result in found.results:
        if len(built) == options.top:
            break
        candidate = catalog.projects[result.id]
        if candidate.status in FINISHED:
            continue
        found_teams = builder.for_project(candidate)
        if found_teams.startup:
            built.append(found_teams)
    teams = tuple(built)
    if not teams:
        raise NoProject("no live opportunity asks for these sectors")
    return TeamReport(query, teams, data_as_of(catalog), sectors=catalog.sectors)


def company_id_known(catalog: Catalog, company_id: str) -> None:
    if company_id not in catalog.companies:
        raise UnknownName("company", company_id, suggest(company_id, list(catalog.companies)))


@dataclass
class Builder:
    """Teams for one query: standing and candidates worked out once per company."""

    catalog: Catalog
    query: Query
    options: TeamOptions
    scorer: Scorer = field(init=False)
    words: teamwords.TeamWords = field(init=False)
    _standing: dict[str, float] = field(default_factory=dict)
    _reach: dict[str, dict[str, Relation]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.scorer = Scorer(self.catalog, self.query, excluded=self.options.exclude)
        self.words = teamwords.TeamWords(self.catalog, self.query)

    # -- what a sector list brings to a focus ---------------------------------------

    def reach(self, sector: str) -> dict[str, Relation]:
        """Every sector through which one brings ``sector``: itself or a narrower one
        (exact), else a link of :data:`COVER_LINKS`. Worked out once per sector."""
        found = self._reach.get(sector)
        if found is None:
            found = {}
            for own in sorted(self.scorer.within(sector)):
                relation = self.scorer.taxonomy.relate(sector, own)
                assert relation is not None  # the sector itself or a narrower one
                found[own] = relation
            for own, relation in self.scorer.taxonomy.related_to(sector).items():
                linked = relation.link in COVER_LINKS and relation.weight > FIELD_WEIGHT
                if own not in found and linked:
                    found[own] = relation
            self._reach[sector] = found
        return found

    def contributions(
        self, focus: Iterable[str], own: Sequence[str], links: bool = True
    ) -> dict[str, Contribution]:
        """Each focus sector ``own`` reaches: exactly if it can (the first such own sector),
        else through the strongest link (the first on ties)."""
        found: dict[str, Contribution] = {}
        for sector in focus:
            reach = self.reach(sector)
            best: Contribution | None = None
            for mine in own:
                relation = reach.get(mine)
                if relation is None:
                    continue
                candidate = Contribution(sector, mine, relation)
                if candidate.exact:
                    best = candidate
                    break
                if links and (best is None or relation.weight > best.relation.weight):
                    best = candidate
            if best is not None:
                found[sector] = best
        return found

    def startup_brings(self, focus: Sequence[str]) -> tuple[dict[str, Contribution], list[str]]:
        """What the startup brings, and which of its sectors the focus does not name.

        A sector it names, when the focus names it; else the nearest broader sector the
        focus names, through its own (narrower) one; else, for a technology, the first
        domain in the focus it directly serves (IoT sensing for Environment) — never more
        than one sector for one of its own.
        """
        found: dict[str, Contribution] = {}
        outside: list[str] = []
        sectors = self.catalog.sectors
        for own in self.query.sectors:
            if own in focus:
                target = own
            else:
                above = [a for a in self.scorer.taxonomy.ancestors(own) if a in focus]
                served = sorted(
                    (s for s in focus if own in sectors and s in sectors[own].serves),
                    key=lambda s: (not self._beside_the_rest(s, own), focus.index(s)),
                )
                if not above and not served:
                    outside.append(own)
                    continue
                if not above and len(self.query.sectors) > 1:
                    # With several sectors, a domain your technology serves counts only
                    # beside your others (water sensing for Environment, not for parking).
                    served = [s for s in served if self._beside_the_rest(s, own)]
                    if not served:
                        outside.append(own)
                        continue
                target = above[0] if above else served[0]
            relation = self.scorer.taxonomy.relate(target, own)
            assert relation is not None  # the sector itself or one above it
            if target not in found or found[target].via != target:
                found[target] = Contribution(target, own, relation)
        ordered = {sector: found[sector] for sector in focus if sector in found}
        return ordered, outside

    def _beside_the_rest(self, domain: str, own: str) -> bool:
        """The domain shares a top-level field with another of the startup's sectors: water
        sensing with IoT serves the environment before it serves parking."""
        tops = self.scorer.taxonomy.ancestors
        field = set(tops(domain)) | {domain}
        return any(
            field & (set(tops(other)) | {other}) for other in self.query.sectors if other != own
        )

    def standing(self, company: Company) -> float:
        """Its place in live teams, as the company score has it: a lead 1, a member 0.8,
        a member only some reports name 0.5, times the project's stage; 0.1 more for each
        further project it builds, up to 1."""
        found = self._standing.get(company.id)
        if found is None:
            found = 0.0
            projects: set[str] = set()
            for membership in self.catalog.memberships.get(company.id, []):
                team = self.scorer.team(membership.project)
                member = next((m for m in team.members if m.company.id == company.id), None)
                if member is None or member.consortium is not membership.consortium:
                    continue  # a lost, replaced or withdrawn bid: no standing
                if member.is_lead:
                    place = LEAD_STANDING
                else:
                    place = MEMBER_STANDING if member.confirmed else 0.0  # as in ranking
                found = max(found, place * STAGE[membership.project.status])
                projects.add(membership.project.id)
            if projects:
                found = min(1.0, found + NETWORK_BONUS * (len(projects) - 1))
            self._standing[company.id] = found
        return found

    def builds_in(self, company: Company, city: str) -> bool:
        """Whether it is in a live team of a project in ``city``."""
        return any(
            m.project.city == city
            and m.consortium.status in LIVE_STATUSES
            and m.project.status not in FINISHED
            for m in self.catalog.memberships.get(company.id, [])
        )

    @cached_property
    def offering(self) -> dict[str, list[Company]]:
        """Companies that may be proposed, by each sector they list (in id order)."""
        found: dict[str, list[Company]] = {}
        for company in sorted(self.catalog.companies.values(), key=lambda c: c.id):
            if self.eligible(company) or company.id in self.options.must:
                for sector in company.capabilities:
                    found.setdefault(sector, []).append(company)
        return found

    @cached_property
    def listed(self) -> frozenset[str]:
        """Every sector an eligible company lists."""
        return frozenset(self.offering)

    def eligible(self, company: Company) -> bool:
        """Whether it may be recruited into a new team (``--must`` aside)."""
        options = self.options
        return (
            bool(company.capabilities)
            and company.id not in options.exclude
            and company.type not in PUBLIC_SIDE
            and company.type not in RESEARCH_TYPES
            and company.country == HOME
            and (not options.include_types or company.type in options.include_types)
            and company.type not in options.exclude_types
            and not self.scorer.is_peer(company)
        )

    def cost(
        self, company: Company, brings: Iterable[Contribution], city: str | None = None
    ) -> float:
        brought = list(brings)
        links = sum(1 - c.relation.weight for c in brought if not c.exact)
        sourced = any(not is_homepage(source.url) for source in company.sources)
        far = city is not None and not self.builds_in(company, city)
        return (
            1.0
            + EXTRA["standing"] * (1 - self.standing(company))
            + EXTRA["homepages"] * (0 if sourced else 1)
            + EXTRA["links"] * (links / len(brought) if brought else 0)
            + EXTRA["elsewhere"] * (1 if far else 0)
        )

    # -- a project --------------------------------------------------------------------

    def for_project(self, project: Project) -> ProjectTeams:
        focus = tuple(dict.fromkeys(self.catalog.project_sectors[project.id]))
        startup, outside = self.startup_brings(focus)
        rest = [s for s in focus if s not in startup]
        live = [c for c in project.consortia if c.status in LIVE_STATUSES]
        incumbents = {cid for c in live for cid, _, _ in members_of(c)}
        offers = self.offers(rest, incumbents)
        nobody = tuple(s for s in rest if not any(s in o for o in offers.values()))
        teams = [
            team
            for group in _groups(project)
            for team in [self.join(project, group, focus, startup)]
            if team is not None
        ]
        # Past its call, a project has builders, named in the data or not: a new team is for
        # a later call or stage.
        next_stage = project.status not in OPEN_TO_NEW_TEAMS
        if project.status not in BUILT and not (next_stage and teams):
            # A rival team has no call to bid for where the builders are chosen and can be
            # joined, nor where the project is built and running.
            teams.append(self.new(project, focus, startup, offers, next_stage))
        teams.sort(key=_team_order)
        return ProjectTeams(
            project,
            teamwords.project_ref(project),
            focus,
            tuple(startup.values()),
            nobody,
            tuple(teams),
            tuple(outside),
        )

    def offers(
        self, rest: Sequence[str], incumbents: set[str]
    ) -> dict[str, dict[str, Contribution]]:
        """What each company that may join a new team brings of ``rest``: at least one
        sector exactly (a company linked to the focus only through the taxonomy is no
        partner for it). The project's incumbents are in their own team already."""
        offering: dict[str, Company] = {}
        for sector in rest:
            for own in self.reach(sector):
                for company in self.offering.get(own, []):
                    offering[company.id] = company
        found: dict[str, dict[str, Contribution]] = {}
        for company_id in sorted(offering):
            if company_id in incumbents and company_id not in self.options.must:
                continue
            brought = self.contributions(rest, offering[company_id].capabilities)
            if any(c.exact for c in brought.values()) or company_id in self.options.must:
                found[company_id] = brought
        return found

    def join(
        self,
        project: Project,
        group: tuple[Consortium, ...],
        focus: tuple[str, ...],
        startup: dict[str, Contribution],
    ) -> ProposedTeam | None:
        """The consortium as it is, plus the startup; None when no private member leads it
        or could be approached."""
        existing: list[Member] = []
        idle: list[Company] = []
        inside: set[str] = set()
        consortium = group[0]
        listed = [(c, *entry) for c in group for entry in members_of(c)]
        for listed_in, company_id, role, is_lead in listed:
            company = self.catalog.companies.get(company_id)
            if company is None or company_id in inside:
                continue
            inside.add(company_id)
            public = company.type in PUBLIC_SIDE
            # The client side runs what it lists (K-water the water): the team covers it,
            # though it is no rival for a supplier's slot.
            brought = self.contributions(focus, company.capabilities)
            if not brought and not public and not is_lead:
                idle.append(company)
                continue
            role_text = teamwords.existing_role(role, is_lead, company)
            existing.append(
                Member(
                    company,
                    tuple(brought.values()),
                    role_text,
                    True,
                    self.standing(company),
                    consortium=listed_in,
                )
            )
        lead = next(
            (m for m in existing if m.role.startswith("lead") and _can_be_door(m.company)),
            None,
        )
        if lead is None and consortium.lead is not None:
            return None  # led by a public body: a client's build, not a consortium to join
        startup_via = {c.via for c in startup.values()}
        doing = set().union(*(self.scorer.within(s) for s in startup_via)) if startup_via else set()
        competitors = tuple(
            m
            for m in existing
            if not m.public
            and (
                self.scorer.is_peer(m.company)
                or bool(doing & set(m.company.capabilities))
                or self._sells_the_field(m.company, startup_via)
            )
        )
        nearest = self.nearest(m for m in existing if m not in competitors)
        if lead is None and nearest is None:
            # A city-led team with nobody near the startup's field: the project company's
            # procurement is the door, if there is one; else there is nobody to approach.
            nearest = next((m for m in existing if m.company.type is CompanyType.SPC), None)
            if nearest is None:
                return None
        if lead is not None and (
            nearest is lead
            or nearest is None
            or self.scorer.fit(nearest.company.capabilities).closest < ACCESS_MIN_LINK
        ):
            nearest = None  # beside the lead, only a member that works near the startup
        exactly = {c.sector for m in existing if not m.public for c in m.brings if c.exact}
        # A domain you only serve is no gap you fill when members already do your own
        # sector for the team (IoT "for Energy" beside two IoT firms).
        rivals_do = {own for m in competitors for own in m.company.capabilities}
        adds = tuple(
            s
            for s in focus
            if s in startup
            and s not in exactly
            and (startup[s].exact or startup[s].via not in rivals_do)
        )
        covered = set(startup) | {c.sector for m in existing for c in m.brings}
        members = [self.words.explained(project, m, m.consortium) for m in existing]
        by_id = {m.company.id: m for m in members}
        team = ProposedTeam(
            TeamKind.JOIN,
            consortium,
            adds,
            tuple(members),
            tuple(idle),
            tuple(s for s in focus if s in covered),
            tuple(s for s in focus if s not in covered),
            True,
            1.0,
            0.0,
            competitors=tuple(by_id[m.company.id] for m in competitors),
            door=by_id[lead.company.id] if lead else None,
            nearest=by_id[nearest.company.id] if nearest else None,
            near=nearest is None
            or self.scorer.fit(nearest.company.capabilities).closest >= ACCESS_MIN_LINK,
        )
        step = self.words.next_step(team, startup)
        if project.status in BUILT:
            step = f"Running since {project.status_date}, so for extensions: {step}"
        return replace(team, next_step=step)

    def _sells_the_field(self, company: Company, startup: set[str]) -> bool:
        """It sells the whole domain the startup's sector is part of (a digital-health firm
        for a telemedicine startup): inside a team it holds that slot."""
        ancestors = self.scorer.taxonomy.ancestors
        return any(own in ancestors(mine) for own in company.sells or () for mine in startup)

    def nearest(self, members: Iterable[Member]) -> Member | None:
        """The private member nearest the startup's field: the closest link (any link
        counts), then the better standing, then the id. A city-led partner list has no
        lead: this member is the way in."""
        best: tuple[float, float, str] | None = None
        found: Member | None = None
        core = set(self.scorer.query.core)
        for member in members:
            company = member.company
            # A public body or project company is the door only for what it runs itself
            # (K-water for water; Solaseado's project company for healthcare).
            runs = company.type in PUBLIC_SIDE and any(
                own == sector or own in self.scorer.taxonomy.ancestors(sector)
                for own in company.capabilities
                for sector in core
            )
            if not _can_be_door(company) and not runs:
                continue
            closest = self.scorer.fit(company.capabilities).closest
            key = (-closest, -member.standing, member.company.id)
            if best is None or key < best:
                best, found = key, member
        return found

    def new(
        self,
        project: Project,
        focus: tuple[str, ...],
        startup: dict[str, Contribution],
        offers: dict[str, dict[str, Contribution]],
        next_stage: bool,
    ) -> ProposedTeam:
        """The cheapest new team: the companies that must be in it, then the best recruits."""
        covered = set(startup)
        forced: list[Member] = []
        for company_id in dict.fromkeys(self.options.must):
            company = self.catalog.companies[company_id]
            brought = tuple(c for s, c in offers.get(company_id, {}).items() if s not in covered)
            covered |= {c.sector for c in brought}
            role = self.words.recruit_role(brought)
            forced.append(Member(company, brought, role, False, self.standing(company)))
        left = [s for s in focus if s not in covered]
        size = None if self.options.size is None else max(0, self.options.size - len(forced))
        recruits, cover = self.recruit(project, left, offers, set(self.options.must), size)
        members = [
            self.words.explained(project, member, None)
            for member in teamwords.with_lead([*forced, *recruits])
        ]
        covered |= set(cover.covered)
        cost = sum(self.cost(m.company, m.brings, project.city) for m in forced) + cover.cost
        uncovered = tuple(s for s in focus if s not in covered)
        reachable = {s for brought in offers.values() for s in brought}
        limited = tuple(s for s in uncovered if s in reachable) if size is not None else ()
        team = ProposedTeam(
            TeamKind.NEW,
            None,
            tuple(s for s in focus if s in startup),
            tuple(members),
            (),
            tuple(s for s in focus if s in covered),
            uncovered,
            cover.exact,
            cover.bound,
            round(cost, 6),
            next_stage=next_stage,
            unrecorded=next_stage and not any(c.status in LIVE_STATUSES for c in project.consortia),
            limited=limited,
        )
        return replace(team, next_step=self.words.next_step(team, startup))

    def recruit(
        self,
        project: Project,
        left: Sequence[str],
        offers: dict[str, dict[str, Contribution]],
        taken: set[str],
        size: int | None,
    ) -> tuple[list[Member], Cover]:
        """The cheapest companies covering ``left``; each brings what it is there for."""
        wanted = frozenset(left)
        ordered = sorted(
            (
                self.catalog.companies[cid]
                for cid, brought in offers.items()
                if cid not in taken and set(brought) & wanted
            ),
            key=lambda c: (-self.standing(c), c.id),
        )
        candidates: list[Candidate] = []
        for rank, company in enumerate(ordered):
            brought = offers[company.id]
            exact = {s: c for s, c in brought.items() if s in wanted and c.exact}
            linked = {s: c for s, c in brought.items() if s in wanted}
            for part in (exact, linked) if exact != linked and exact else (linked,):
                candidates.append(
                    Candidate(
                        company.id,
                        frozenset(part),
                        self.cost(company, part.values(), project.city),
                        rank,
                    )
                )
        cover = solve(wanted, candidates, size)
        # Each sector to the recruit bringing it most closely (exactly, then the stronger
        # link, then the better rank): a recruit is said to bring what it is there for.
        owner: dict[str, str] = {}
        for sector in left:
            bringing = [c for c in cover.chosen if sector in c.covers]
            if bringing:
                best = min(
                    bringing,
                    key=lambda c, s=sector: (  # type: ignore[misc]
                        not offers[c.key][s].exact,
                        -offers[c.key][s].relation.weight,
                        c.rank,
                    ),
                )
                owner[sector] = best.key
        members = []
        for chosen in cover.chosen:
            company = self.catalog.companies[chosen.key]
            brought = offers[company.id]
            brings = tuple(brought[s] for s in left if owner.get(s) == company.id)
            role = self.words.recruit_role(brings)
            members.append(Member(company, brings, role, False, self.standing(company)))
        return members, cover


def _can_be_door(company: Company) -> bool:
    """A startup approaches a company that buys or integrates: not the client side, not a
    university or institute."""
    return company.type not in PUBLIC_SIDE and company.type not in RESEARCH_TYPES


def _groups(project: Project) -> list[tuple[Consortium, ...]]:
    """Each live consortium with the project company (SPC) that holds its lead.

    A project company and the consortium behind it are one team (see
    :mod:`kpartner.teams`): a founder joins them as one. A project company holding no
    live consortium's lead stands on its own.
    """
    live = sorted(
        (c for c in project.consortia if c.status in LIVE_STATUSES),
        key=lambda c: (c.lead is None, -CONSORTIUM_STANDING[c.status], c.id),
    )
    led = [c for c in live if c.lead is not None]
    holders: dict[str, list[Consortium]] = {c.id: [] for c in led}
    alone: list[Consortium] = []
    for spc in (c for c in live if c.lead is None):
        inside = {m.company for m in spc.members}
        # The consortium sharing the most members with it, its lead among them.
        shared = [
            (len(inside & {company for company, _, _ in members_of(c)}), -index, c)
            for index, c in enumerate(led)
            if c.lead in inside
        ]
        if shared:
            holders[max(shared, key=lambda found: found[:2])[2].id].append(spc)
        else:
            alone.append(spc)
    groups: list[tuple[Consortium, ...]] = [(c, *holders[c.id]) for c in led]
    groups += [(spc,) for spc in alone]
    return groups


def _team_order(team: ProposedTeam) -> tuple[int, int, int, float, str]:
    """Joining where the startup fills a gap first (without a competitor inside, then with
    one); then a new team for a project whose builders are not chosen; then a join whose
    members already do what the startup brings; last a rival team for the next call or
    stage. Then fewest sectors left uncovered, the surer consortium, the cheaper team, the
    id."""
    if team.kind is TeamKind.JOIN:
        assert team.consortium is not None
        tier = (0 if not team.competitors else 1) if team.startup_adds else 4
        standing = CONSORTIUM_STANDING[team.consortium.status]
        return (tier, len(team.uncovered), len(team.competitors), -standing, team.consortium.id)
    # A rival team for a project whose builders are chosen is a thought for a later call:
    # after every team that can be joined today.
    tier = 5 if team.next_stage else 2
    return (tier, len(team.uncovered), 0, team.cost, "")
