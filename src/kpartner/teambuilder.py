"""The consortium builder: with whom, together, a startup can deliver a project.

    from kpartner import load_catalog, shipped_data_dir
    from kpartner.teambuilder import build_teams

    catalog = load_catalog(shipped_data_dir()).catalog
    report = build_teams(catalog, tech=["drones", "5g"], project="busan-eco-delta-city")
    for team in report.projects[0].teams:
        print(team.kind, [member.company.id for member in team.members], team.uncovered)

A project's focus sectors are the elements to cover. The startup covers what its own
sectors reach; each company in the catalog brings the focus sectors it does — the sector
or a narrower one, exactly, or through a taxonomy link (a broader domain, a close or
serving technology, a sibling domain), which costs more. The smallest, best team is a
weighted set cover (:mod:`kpartner.setcover`): a member costs 1, plus up to
:data:`EXTRA` for low standing, a record citing only homepages, links instead of
listed capabilities, or a research organisation; equal costs go to the better standing,
then the id. Peers (product firms selling the startup's own sectors), public agencies
and project companies are never recruited — they are rivals, clients or the vehicle.

**Join or form**: for each live consortium of the project, the team built around it
(its members count as they are; what the startup adds; whom it would still need), beside
the best new team. Nothing here prints; renderers take the :class:`TeamReport`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import cached_property, partial

from kpartner import teamwords
from kpartner.catalog import Catalog, UnknownName, members_of
from kpartner.matching import NoTermResolved, data_as_of, match
from kpartner.models import Company, CompanyType, Consortium, Project, Source
from kpartner.query import Query, resolve, split_terms
from kpartner.ranking import (
    CONSORTIUM_STANDING,
    LEAD_STANDING,
    MEMBER_STANDING,
    NETWORK_BONUS,
    ORGANISATION_FACTOR,
    STAGE,
    UNCONFIRMED_STANDING,
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
# healthcare and water), not a sibling, not a top-level field. The startup brings only
# what it names, or a narrower sector.
COVER_LINKS = frozenset({Link.BROADER, Link.RELATED})
NOT_RECRUITED = frozenset({CompanyType.PUBLIC_AGENCY, CompanyType.SPC})
EXTRA = {"standing": 0.2, "homepages": 0.15, "links": 0.15, "research": 0.1}
TOP = 5  # opportunities shown when no project is given
# A new team can still win a planned project or an open call; a project past them has
# its builders, so joining them comes first (a new team is for its next stage).
OPEN_TO_NEW_TEAMS = teamwords.OPEN_TO_NEW_TEAMS


class TeamKind(StrEnum):
    JOIN = "join"  # built around a live consortium of the project
    NEW = "new"  # formed from scratch


class NoProject(Exception):
    """Without --project, no opportunity matched the startup's sectors."""


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
    sources: tuple[Source, ...] = ()
    consortium: Consortium | None = None  # the consortium it is listed in, if any


@dataclass(frozen=True)
class ProposedTeam:
    kind: TeamKind
    consortium: Consortium | None  # the consortium to join (the private one, with a lead)
    startup_adds: tuple[str, ...]  # focus sectors the startup brings that the members do not
    members: tuple[Member, ...]  # who brings something, existing members first
    others: int  # existing members bringing no focus sector
    covered: tuple[str, ...]
    uncovered: tuple[str, ...]
    exact: bool  # the recruits are a proved optimum (else greedy within ``bound``)
    bound: float
    cost: float
    next_step: str = ""

    @property
    def recruits(self) -> tuple[Member, ...]:
        return tuple(m for m in self.members if not m.in_consortium)


@dataclass(frozen=True)
class ProjectTeams:
    project: Project
    ref: ProjectRef
    focus: tuple[str, ...]
    startup: tuple[Contribution, ...]
    nobody: tuple[str, ...]  # focus sectors neither the startup nor any eligible company covers
    teams: tuple[ProposedTeam, ...]  # the best first


@dataclass(frozen=True)
class TeamReport:
    query: Query
    projects: tuple[ProjectTeams, ...]
    data_as_of: dt.date
    single: bool = False  # one project asked for: JSON is that project's object


@dataclass(frozen=True)
class TeamOptions:
    size: int | None = None  # at most this many recruits per team
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
    an unknown project or company, and :class:`NoProject` when no opportunity matches.
    """
    options = options or TeamOptions()
    for company_id in (*options.must, *options.exclude):
        company_id_known(catalog, company_id)
    query = resolve(catalog, split_terms(tech or []), describe)
    if not query.terms:
        raise NoTermResolved(query)
    if project is not None:
        if project not in catalog.projects:
            raise UnknownName("project", project, suggest(project, list(catalog.projects)))
        projects = [catalog.projects[project]]
    else:
        found = match(
            catalog,
            tech=tech,
            describe=describe,
            filters=Filters(
                kinds=frozenset({Kind.OPPORTUNITY}),
                projects=options.projects,
                cities=options.cities,
                top=options.top,
            ),
            today=today,
        )
        projects = [catalog.projects[m.id] for m in found.results]
        if not projects:
            raise NoProject("no opportunity matches these sectors")
    builder = Builder(catalog, query, options)
    teams = tuple(builder.for_project(p) for p in projects)
    return TeamReport(query, teams, data_as_of(catalog), single=project is not None)


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
                    place = MEMBER_STANDING if member.confirmed else UNCONFIRMED_STANDING
                found = max(found, place * STAGE[membership.project.status])
                projects.add(membership.project.id)
            if projects:
                found = min(1.0, found + NETWORK_BONUS * (len(projects) - 1))
            self._standing[company.id] = found
        return found

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
        """Every sector any organisation in the catalog lists."""
        return frozenset(s for c in self.catalog.companies.values() for s in c.capabilities)

    def eligible(self, company: Company) -> bool:
        options = self.options
        return (
            bool(company.capabilities)
            and company.id not in options.exclude
            and company.type not in NOT_RECRUITED
            and (not options.include_types or company.type in options.include_types)
            and company.type not in options.exclude_types
            and not self.scorer.is_peer(company)
        )

    def cost(self, company: Company, brings: Iterable[Contribution]) -> float:
        brought = list(brings)
        links = sum(1 - c.relation.weight for c in brought if not c.exact)
        sourced = any(not is_homepage(source.url) for source in company.sources)
        return (
            1.0
            + EXTRA["standing"] * (1 - self.standing(company))
            + EXTRA["homepages"] * (0 if sourced else 1)
            + EXTRA["links"] * (links / len(brought) if brought else 0)
            + EXTRA["research"] * (1 if company.type in ORGANISATION_FACTOR else 0)
        )

    # -- a project --------------------------------------------------------------------

    def for_project(self, project: Project) -> ProjectTeams:
        focus = tuple(dict.fromkeys(self.catalog.project_sectors[project.id]))
        startup = self.contributions(focus, self.query.sectors, links=False)
        rest = [s for s in focus if s not in startup]
        offering: dict[str, Company] = {}
        for sector in rest:
            for own in self.reach(sector):
                for company in self.offering.get(own, []):
                    offering[company.id] = company
        offers: dict[str, dict[str, Contribution]] = {}
        for company_id in sorted(offering):
            brought = self.contributions(rest, offering[company_id].capabilities)
            if brought:
                offers[company_id] = brought
        nobody = tuple(s for s in rest if not self.listed & set(self.reach(s)))
        teams = [self.join(project, group, focus, startup, offers) for group in _groups(project)]
        teams.append(self.new(project, focus, startup, offers))
        teams.sort(key=partial(_team_order, project.status in OPEN_TO_NEW_TEAMS))
        return ProjectTeams(
            project,
            teamwords.project_ref(project),
            focus,
            tuple(startup.values()),
            nobody,
            tuple(teams),
        )

    def join(
        self,
        project: Project,
        group: tuple[Consortium, ...],
        focus: tuple[str, ...],
        startup: dict[str, Contribution],
        offers: dict[str, dict[str, Contribution]],
    ) -> ProposedTeam:
        existing: list[Member] = []
        others = 0
        inside: set[str] = set()
        consortium = group[0]
        listed = [(c, *entry) for c in group for entry in members_of(c)]
        for listed_in, company_id, role, is_lead in listed:
            company = self.catalog.companies.get(company_id)
            if company is None or company_id in inside:
                continue
            inside.add(company_id)
            brought = self.contributions(focus, company.capabilities)
            if not brought:
                others += 1
                continue
            role_text = teamwords.existing_role(role, is_lead)
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
        by_members = {c.sector for m in existing for c in m.brings}
        adds = tuple(s for s in focus if s in startup and s not in by_members)
        return self.assemble(
            project, consortium, focus, startup, offers, existing, inside, others, adds
        )

    def new(
        self,
        project: Project,
        focus: tuple[str, ...],
        startup: dict[str, Contribution],
        offers: dict[str, dict[str, Contribution]],
    ) -> ProposedTeam:
        adds = tuple(s for s in focus if s in startup)
        return self.assemble(project, None, focus, startup, offers, [], set(), 0, adds)

    def assemble(
        self,
        project: Project,
        consortium: Consortium | None,
        focus: tuple[str, ...],
        startup: dict[str, Contribution],
        offers: dict[str, dict[str, Contribution]],
        existing: list[Member],
        inside: set[str],
        others: int,
        adds: tuple[str, ...],
    ) -> ProposedTeam:
        """The team: who is in already, the companies that must be, and the best recruits."""
        covered = set(startup) | {c.sector for m in existing for c in m.brings}
        forced: list[Member] = []
        for company_id in dict.fromkeys(self.options.must):
            if company_id in inside:
                continue
            company = self.catalog.companies[company_id]
            brought = tuple(c for s, c in offers.get(company_id, {}).items() if s not in covered)
            covered |= {c.sector for c in brought}
            role = self.words.recruit_role(brought)
            forced.append(Member(company, brought, role, False, self.standing(company)))
        left = [s for s in focus if s not in covered]
        size = None if self.options.size is None else max(0, self.options.size - len(forced))
        taken = inside | set(self.options.must)
        recruits, cover = self.recruit(left, offers, taken, size)
        added = [*forced, *recruits]
        if consortium is None:
            added = teamwords.with_lead(added)
        members = [
            self.words.explained(project, member, member.consortium)
            for member in [*existing, *added]
        ]
        covered |= set(cover.covered)
        cost = sum(self.cost(m.company, m.brings) for m in forced) + cover.cost
        team = ProposedTeam(
            TeamKind.JOIN if consortium else TeamKind.NEW,
            consortium,
            adds,
            tuple(members),
            others,
            tuple(s for s in focus if s in covered),
            tuple(s for s in focus if s not in covered),
            cover.exact,
            cover.bound,
            round(cost, 6),
        )
        return replace(team, next_step=self.words.next_step(project, team, startup))

    def recruit(
        self,
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
                if cid not in taken and set(brought) & wanted and cid not in self.options.must
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
                        self.cost(company, part.values()),
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


def _team_order(
    open_to_new: bool, team: ProposedTeam
) -> tuple[bool, int, int, float, int, float, str]:
    """Joining first once the project has chosen its builders; then fewest sectors left
    uncovered, fewest recruits, cheapest; joining before forming; the surer consortium."""
    standing = CONSORTIUM_STANDING[team.consortium.status] if team.consortium else 0.0
    return (
        not open_to_new and team.kind is TeamKind.NEW,
        len(team.uncovered),
        len(team.recruits),
        team.cost,
        0 if team.kind is TeamKind.JOIN else 1,
        -standing,
        team.consortium.id if team.consortium else "",
    )
