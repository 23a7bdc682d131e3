"""Score opportunities, projects, consortia and companies for a startup's sectors.

Every score is a sum of named components, each a value from 0 to 1 times a weight in
points (the weights of one kind add up to 100), multiplied for projects by the stage the
project is in. The weights are the :data:`WEIGHTS` table and the stage factors
:data:`STAGE`; the README shows both and a test keeps it in step.

* **demand** — the project asks for what the startup offers, and asks for little else:
  a cosine between the startup's sectors and the project's focus, each sector weighted
  by how few projects ask for it (a sector every project lists says little), with the
  links of :mod:`kpartner.taxonomy` counting partly (DRT for smart mobility). So naming
  your sector among five beats naming it among twenty-five.
* **gap** — the project names the startup's sector (or a narrower one) and no named
  member of the team building it lists it (or a narrower one): the reason a team would
  want the startup. It counts only as much as the data knows the team: members without
  known capabilities and unnamed members make a gap less certain.
* **capability** — a company does the startup's sectors or works near them: 0.6 * its
  closest capability (weighed by how telling that sector is) + 0.2 * the mean over the
  startup's sectors (rarer ones weighing more) + 0.2 * the share of its own capabilities
  that lie near them. Where the startup names its field (a domain), a firm working in none
  of it counts 0.6 as much: one doing the startup's very technology is a technology partner,
  one only near the technology is not suggested.
* **standing** — a company's place in live teams: a lead 1, a member 0.8, a member only
  some reports name 0, times the project's stage; 0.1 more for each further project
  it builds, up to 1. A company's demand is its best project's, times that project's
  stage. Demand and standing count fully for the project's way in; for
  another member, TEAM_FLOOR of them plus the rest times its closest link.

The way in — the team member working in what the startup does (a public body only for
what it runs), else the main consortium's lead — is chosen here too, but does not score:
rewarding teams that already do the startup's work would work against the gap (tried in
the offline evaluation).

Lost, replaced and withdrawn bids earn nothing: they are history. Where the startup names
its field (a domain), a project asking for none of it counts 0.6 as much, like a company
working outside it: the startup's technology in another field.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from kpartner.catalog import Catalog, in_city
from kpartner.enums import (
    CompanyType,
    ConsortiumStatus,
    ProjectProgramme,
    ProjectStatus,
    SectorKind,
)
from kpartner.query import How, Query
from kpartner.results import Kind
from kpartner.taxonomy import Link, Relation, Taxonomy
from kpartner.teams import LIVE_STATUSES, Team, TeamMember, team_of

if TYPE_CHECKING:  # pydantic's models: a catalog from the compiled cache holds their twins
    from kpartner.models import Company, Consortium, Project

WEIGHTS: dict[Kind, dict[str, int]] = {
    Kind.OPPORTUNITY: {"demand": 85, "gap": 15},
    Kind.PROJECT: {"demand": 100},
    Kind.CONSORTIUM: {"demand": 60, "gap": 40},
    Kind.COMPANY: {"capability": 60, "demand": 25, "standing": 15},
}

STAGE: dict[ProjectStatus, float] = {
    ProjectStatus.OPEN_CALL: 1.0,  # apply now
    ProjectStatus.UNDER_WAY: 1.0,  # building: the team buys now
    ProjectStatus.SELECTED: 0.85,  # chosen, building not yet reported
    ProjectStatus.PLANNED: 0.7,  # announced: worth watching
    ProjectStatus.OPERATING: 0.6,  # running: extensions and operations
    ProjectStatus.COMPLETED: 0.2,  # a reference, not a lead
    ProjectStatus.NOT_ADVANCED: 0.1,  # stopped
}

# A live project with no news in the data for more than STALE_YEARS has probably moved on
# (finished, or stalled): its stage counts STALE_FACTOR as much, and the row says so.
STALE_YEARS = 3
STALE_FACTOR = 0.5
FINISHED = frozenset({ProjectStatus.COMPLETED, ProjectStatus.NOT_ADVANCED})
# Built: what it asked for is in place; a gap there is no longer a slot to fill.
BUILT = FINISHED | {ProjectStatus.OPERATING}
# A K-City Network project is abroad and reached through a Korean firm and the programme,
# not directly: a second way in, after the projects in Korea.
OVERSEAS_FACTOR = 0.5

CONSORTIUM_STANDING: dict[ConsortiumStatus, float] = {
    ConsortiumStatus.SELECTED: 1.0,
    ConsortiumStatus.PREFERRED_BIDDER: 0.95,
    ConsortiumStatus.BIDDING: 0.7,
}

LEAD_STANDING = 1.0
MEMBER_STANDING = 0.8
NETWORK_BONUS = 0.1  # per further project whose live team the company is in
# A team member other than the way in earns this share of its team credit whatever its own
# link to the startup's work, and the rest by that link (a carmaker in a mobility team for
# traffic AI: 0.5 + 0.5 * 0.5).
TEAM_FLOOR = 0.5
UNCONFIRMED_ACCESS = 0.5  # a door that some reports only name opens less surely
UNCONFIRMED_DEMAND = 0.5  # ...and a project's demand counts this much for such a seat
ACCESS_MIN_LINK = 0.5  # the way in works in the startup's field or a broader/narrower part of it
# A company's capability: its closest capability to the startup's sectors counts most,
# then how many of the startup's sectors it covers, then how much of its own work lies
# near them (a mobility specialist knows MaaS better than a firm with one mobility line).
CAPABILITY_SHARES = {"closest": 0.6, "covers": 0.2, "specialist": 0.2}
# The demand's share that does not depend on how much of the project's focus the startup
# meets (the rest rewards a specific match: your sector among five beats it among 25).
FOCUS_FLOOR = 0.25
TEAM_SCOPE = 0.5  # what a live team member does counts this much towards what a project asks
DESCRIBED_WEIGHT = 0.5  # a sector only the --describe sentence names, beside the typed ones
# A member that does the asked sector itself (or a narrower part of it) holds that slot: its
# work shows what the project involves only where it is beside the startup's, not the same.
TAKEN = frozenset({Link.SAME, Link.NARROWER})

# Companies that sell technology as their own product: for a startup offering that very
# technology they are peers (competitors, licensees, resellers), not partners.
PRODUCT_TYPES = frozenset(
    {
        CompanyType.STARTUP,
        CompanyType.SME,
        CompanyType.SECURITY,
        CompanyType.ELECTRONICS,
        CompanyType.MOBILITY,  # mobility operators sell the service a mobility startup sells
    }
)
# Universities and institutes research and test; for a startup entering the market,
# organisations that integrate, operate, build or buy come first. (Public agencies stay:
# K-water, LH and KEPCO run what a startup sells into.)
ORGANISATION_FACTOR: dict[CompanyType, float] = {
    CompanyType.UNIVERSITY: 0.6,
    CompanyType.RESEARCH: 0.6,
}
# Public bodies and project companies are the client side of a team: the way in only for
# what they run themselves (K-water for water), not for what they merely touch.
CLIENT_SIDE = frozenset({CompanyType.PUBLIC_AGENCY, CompanyType.SPC})
# A public body buys through its projects, and so does a firm whose own service would use
# the startup's technology: one whose every team in the data has finished (a city
# corporation in a 2019 challenge, a delivery app for drones) is a reference for what it
# ran, not a buyer now, and counts this much. (A public body in no team at all runs its own
# network: KEPCO, a road authority.)
IDLE_BUYER_FACTOR = 0.7
RUNS = frozenset({Link.SAME, Link.BROADER})  # it runs the startup's field, or the whole domain
# Firms that integrate or resell what they do not make: never "a possible user" of it.
INTEGRATORS = frozenset({CompanyType.IT_SERVICES, CompanyType.TELECOM})
# A firm is the door when it works in what the startup does, a part of it or a close
# technology — not merely in the broad domain around it.
DOOR_LINKS = frozenset({Link.SAME, Link.NARROWER, Link.RELATED})
# A firm headquartered abroad may sit in a Korean team, but it is not the Korean partner a
# foreign startup is looking for, and never its way in.
FOREIGN_FACTOR = 0.5
# Links weaker than this (a domain served by the startup's technology, a chain through a
# third sector, a shared top-level field) count a little towards a score but are no
# reason on their own: a record reached only through them is not listed, and its reasons
# say they are loose. A project's focus naming a domain the technology serves is a reason;
# a company is a partner only if it does the startup's sector or one beside it.
REASON_MIN_LINK = 0.35
COMPANY_MIN_LINK = 0.4
SPECIALIST_SHARE = 2 / 3  # ...or most of its work lies in domains the technology serves
# A startup that names its field (traffic management, e-government) needs partners who work
# in it: a firm that only shares its technology (a cloud firm doing AI) is a technology
# neighbour, counted this much; one only near the technology (a bank doing fintech, for
# blockchain e-government) is no partner at all.
OUTSIDE_FIELD_FACTOR = 0.6
FIELD_LINKS = frozenset({Link.SAME, Link.NARROWER, Link.BROADER})
# A startup naming its technology with what it is used for in one term ("drone delivery")
# wants projects that would use the technology: one asking only for the use (e-motorbike
# delivery) is a lead only if it could take the technology too, counted this much. Asking for the
# technology means naming it, a part of it, the domain around it or a close technology.
USE_ONLY_FACTOR = 0.6
ASKS_LINKS = frozenset({Link.SAME, Link.NARROWER, Link.BROADER, Link.RELATED})

SectorLink = tuple[str, str, Relation]  # (asked sector, the record's sector, how they relate)
TeamLink = tuple[str, TeamMember, str, Relation]  # (asked, the member, its sector, the link)


@dataclass(frozen=True)
class Filters:
    kinds: frozenset[Kind] = frozenset({Kind.OPPORTUNITY})
    projects: frozenset[str] = frozenset()  # empty: every project
    cities: tuple[str, ...] = ()  # empty: every city; else a project in any of them
    include_types: frozenset[CompanyType] = frozenset()
    exclude_types: frozenset[CompanyType] = frozenset()
    exclude_companies: frozenset[str] = frozenset()
    min_score: float = 0.0
    # Suggestions scoring under this share of the best are left out (and counted): a weak
    # tail is padding, not advice. 0 keeps them; an explicit --min-score sets 0.
    relative_floor: float = 1 / 3
    top: int | None = 10
    abroad: bool = False  # K-City Network projects abroad too (always when named)
    research: bool = False  # universities and institutes in company lists too


@dataclass(frozen=True, slots=True)
class Fit:
    """How a list of sectors meets the asked ones: each asked sector's closest link."""

    links: tuple[SectorLink, ...]
    mean: float  # over all asked sectors; an unmet one counts 0
    closest: float  # the best single link


@dataclass(frozen=True)
class Gap:
    value: float
    sectors: tuple[str, ...]  # asked sectors the project names and no named member lists
    needs: tuple[SectorLink, ...]  # linked focus sectors that no named member lists either
    covered: tuple[tuple[str, TeamMember, str], ...]  # (asked, member, its sector)
    # Members working in a domain around a gap sector (a healthcare firm, for telemedicine):
    # the slot may be theirs, so the gap is said with them. (gap sector, member, domain)
    around: tuple[tuple[str, TeamMember, str], ...] = ()


@dataclass(frozen=True)
class Access:
    value: float
    member: TeamMember | None
    link: SectorLink | None
    # A member only reported in the team, doing the work, whose place the door (the
    # project company it has an agreement with) answers for; the link is its.
    through: TeamMember | None = None


@dataclass(frozen=True)
class Demand:
    value: float
    links: tuple[SectorLink, ...]  # asked sectors the project's focus names, or links to
    team_links: tuple[TeamLink, ...]  # asked sectors only the team's work reaches


@dataclass(frozen=True)
class ProjectScore:
    project: Project
    team: Team
    demand: float
    links: tuple[SectorLink, ...]
    team_links: tuple[TeamLink, ...]
    gap: Gap
    access: Access
    peers: tuple[TeamMember, ...]  # members selling the startup's technology in its field

    stage: float  # the project's lifecycle factor, less for a selection with no later news
    lead: TeamMember | None = None  # the team's lead, unless the client excluded it or abroad
    # The fields the startup names when the project asks for none of them (else empty).
    outside: tuple[str, ...] = ()
    # The technologies the startup sells when the project asks only for their use (else empty).
    use_only: tuple[str, ...] = ()

    @property
    def factor(self) -> float:
        """Its stage, and less for a project outside the field the startup names or asking
        only for what its technology is used for."""
        factor = self.stage * (OUTSIDE_FIELD_FACTOR if self.outside else 1.0)
        return factor * (USE_ONLY_FACTOR if self.use_only else 1.0)


@dataclass(frozen=True)
class CompanyScore:
    company: Company
    capability: float
    capability_links: tuple[SectorLink, ...]
    demand: float
    standing: float
    best: ProjectScore | None  # the live project it builds with the most demand
    builds: tuple[tuple[ProjectScore, TeamMember], ...]  # every live team it is in
    history: tuple[tuple[Project, Consortium], ...]  # lost, replaced, withdrawn bids
    peer: bool
    specialist: float = 0.0  # the share of its capabilities near the startup's sectors
    served_share: float = 0.0  # ...linked to them as closely as a served domain, or closer
    # The fields the startup names when the company works in none of them (else empty).
    outside: tuple[str, ...] = ()
    # The startup's technologies, when the company reaches them only where they serve (a
    # delivery platform, for drones): a possible user, not a partner in them (else empty).
    uses: tuple[str, ...] = ()

    @property
    def closest(self) -> float:
        """The strongest link from what the company does to what the startup offers."""
        return strongest(self.capability_links)

    @property
    def near(self) -> bool:
        """Worth suggesting at all: it is :attr:`close`, and where the startup names a field
        the company does not work in, it does the startup's very technology."""
        if self.outside:
            return any(is_same(link) for link in self.capability_links)
        return self.close

    @property
    def close(self) -> bool:
        """It does the startup's sector or one beside it — or it is a firm specialised in
        domains the startup's technology serves (a logistics firm for drones)."""
        if self.closest >= COMPANY_MIN_LINK:
            return True
        return (
            self.closest >= REASON_MIN_LINK
            and self.served_share >= SPECIALIST_SHARE
            and self.company.type not in CLIENT_SIDE
        )

    @property
    def idle_buyer(self) -> bool:
        """A buyer — a public body, a project company, or a firm whose own service would use
        the technology (a delivery app, for drones) — whose every team has finished: a
        reference for what it ran, buying nothing now. (A firm of the startup's own field,
        where the technology is used — a parking operator, for parking robots — stays a
        reference for that field.)"""
        market = any(
            asked in self.uses and relation.link is Link.SERVES
            for asked, _, relation in self.capability_links
        )
        return (
            (self.company.type in CLIENT_SIDE or market)
            and bool(self.builds)
            and all(scored.project.status in FINISHED for scored, _ in self.builds)
        )

    @property
    def factor(self) -> float:
        """Research bodies, firms from abroad, idle buyers and firms outside the startup's
        field come after Korean companies working in it."""
        factor = ORGANISATION_FACTOR.get(self.company.type, 1.0)
        if self.outside:
            factor *= OUTSIDE_FIELD_FACTOR
        if self.idle_buyer:
            factor *= IDLE_BUYER_FACTOR
        return factor * FOREIGN_FACTOR if is_foreign(self.company) else factor


@dataclass
class Scorer:
    """Scores for one query over one catalog, with what is shared between records cached."""

    catalog: Catalog
    query: Query
    excluded: frozenset[str] = frozenset()  # companies never proposed (already in talks)
    today: dt.date = field(default_factory=dt.date.today)
    taxonomy: Taxonomy = field(init=False)
    _teams: dict[str, Team] = field(init=False)
    _projects: dict[str, ProjectScore] = field(default_factory=dict)
    _fits: dict[tuple[str, ...], Fit] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.taxonomy = taxonomy_of(self.catalog)
        self._teams = self._catalog_cache("teams")

    @cached_property
    def asked(self) -> list[str]:
        return self.query.sectors

    @cached_property
    def idf(self) -> dict[str, float]:
        """How telling each sector is: the fewer projects ask for it, the more it says."""
        found = self.catalog.derived.get("idf")
        if isinstance(found, dict):
            return found
        self.catalog.derived["idf"] = computed = self._idf()
        return computed

    def _idf(self) -> dict[str, float]:
        counts: dict[str, int] = {}
        for sectors in self.catalog.project_sectors.values():
            for sector in sectors:
                counts[sector] = counts.get(sector, 0) + 1
        total = len(self.catalog.project_sectors)
        return {
            sector: math.log((1 + total) / (1 + counts.get(sector, 0))) + 1
            for sector in self.catalog.sectors
        }

    @cached_property
    def asked_weights(self) -> dict[str, float]:
        """How much each asked sector counts: its specificity, halved for a sector only the
        startup's sentence mentions (what it typed is what it does)."""
        core = set(self.query.core)
        return {
            sector: self.idf.get(sector, 1.0) * (1.0 if sector in core else DESCRIBED_WEIGHT)
            for sector in self.asked
        }

    # -- the pieces ---------------------------------------------------------------

    def fit(self, targets: Sequence[str]) -> Fit:
        key = tuple(targets)
        found = self._fits.get(key)
        if found is None:
            links = []
            for sector in self.asked:
                best = self.taxonomy.best(sector, targets)
                if best is not None:
                    links.append((sector, best[0], best[1]))
            weights = [relation.weight for _, _, relation in links]
            mean = sum(weights) / len(self.asked) if self.asked else 0.0
            found = Fit(tuple(links), mean, max(weights, default=0.0))
            self._fits[key] = found
        return found

    def demand(self, project: Project) -> Demand:
        """How much of what the startup offers the project asks for, and how specifically.

        Each asked sector takes its strongest link to the project's focus, or, at
        :data:`TEAM_SCOPE` of the strength, to what a member of its live team does (a
        project whose team includes a bank involves finance). The coverage — those
        strengths averaged with the asked sectors' specificity as weights — is scaled by
        the share of the project's focus the startup meets, so naming your sector among
        five beats naming it among twenty-five.
        """
        focus = self.catalog.project_sectors[project.id]
        team = self.team(project)
        by_asked = {asked: (target, rel) for asked, target, rel in self.fit(focus).links}
        links: list[SectorLink] = []
        team_links: list[TeamLink] = []
        strengths: dict[str, float] = {}
        for asked in self.asked:
            direct = by_asked.get(asked)
            strength = direct[1].weight if direct else 0.0
            through: TeamLink | None = None
            for member in team.members:
                found = self.taxonomy.best(asked, member.company.capabilities)
                if found is not None and found[1].link in TAKEN:
                    continue  # the member does it itself: that slot is taken, not open
                if found is not None and found[1].weight * TEAM_SCOPE > strength:
                    strength = found[1].weight * TEAM_SCOPE
                    through = (asked, member, found[0], found[1])
            if through is not None:
                team_links.append(through)
            elif direct is not None:
                links.append((asked, direct[0], direct[1]))
            strengths[asked] = strength
        weights = self.asked_weights
        coverage = sum(weights[a] * strengths[a] for a in self.asked) / sum(weights.values())
        if coverage == 0:
            return Demand(0.0, (), ())
        met = {target: rel.weight for _, target, rel in links}
        share = sum(self.idf.get(t, 1.0) * w for t, w in met.items()) / sum(
            self.idf.get(s, 1.0) for s in focus
        )
        value = coverage * (FOCUS_FLOOR + (1 - FOCUS_FLOOR) * min(1.0, share))
        return Demand(min(1.0, value), _strongest_first(links), tuple(team_links))

    def stage(self, project: Project) -> float:
        """The lifecycle factor; a live status with no news in the data for years counts less."""
        factor = STAGE[project.status]
        if project.status not in FINISHED and self.years_since_news(project) > STALE_YEARS:
            factor *= STALE_FACTOR
        if project.programme is ProjectProgramme.K_CITY_NETWORK:
            factor *= OVERSEAS_FACTOR
        return factor

    def years_since_news(self, project: Project) -> float:
        """Years since the newest dated fact about the project: its status, timeline, sources."""
        cache = self._catalog_cache("last_news")
        news = cache.get(project.id) or cache.setdefault(project.id, last_news(project))
        year, _, rest = news.partition("-")
        month = int(rest[:2]) if rest else 1
        return (self.today.year - int(year)) + (self.today.month - month) / 12

    def team(self, project: Project) -> Team:
        found = self._teams.get(project.id)
        if found is None:
            found = self._teams[project.id] = team_of(self.catalog, project)
        return found

    def _catalog_cache(self, name: str) -> dict[str, Any]:
        """A cache kept with the catalog: what does not depend on the query is worked out
        once for a whole batch of queries."""
        found = self.catalog.derived.get(name)
        if not isinstance(found, dict):
            found = self.catalog.derived[name] = {}
        return found

    def specialist(self, company: Company, at_least: float = 0.0) -> float:
        """The share of a company's capabilities that relate to any asked sector (at least
        as closely as ``at_least``)."""
        if not company.capabilities:
            return 0.0

        def near(sector: str) -> bool:
            for asked in self.asked:
                relation = self.taxonomy.relate(asked, sector)
                if relation is not None and relation.weight >= at_least:
                    return True
            return False

        return sum(1 for sector in company.capabilities if near(sector)) / len(company.capabilities)

    @cached_property
    def sold(self) -> frozenset[str]:
        """What the startup sells: its sectors, less those found only inside a longer term
        ("IoT security" sells security; IoT is where it is used); of those, its technologies
        if it names any (a parking-robot maker sells robots; parking is where they work);
        and of those the most specific."""
        whole = {term.sector for term in self.query.terms if term.how is not How.PARTIAL}
        whole = whole or set(self.asked)
        sectors = self.catalog.sectors
        technologies = {
            s for s in whole if s in sectors and sectors[s].kind is SectorKind.TECHNOLOGY
        }
        whole = technologies or whole
        # The most specific of them: a MaaS app that also says "public transport" sells MaaS.
        return frozenset(
            sector
            for sector in whole
            if not any(other != sector and other in self.within(sector) for other in whole)
        )

    def is_peer(self, company: Company) -> bool:
        """It sells what the startup sells: its product line (``sells``) holds one of those
        sectors, or a broader or narrower one; where the data does not say what a company
        sells, a product firm (by type) listing one of them."""
        if company.sells is not None:
            # Its product is what the startup sells, or a part of it. A firm selling a whole
            # domain (Hyundai Motor, smart mobility) is no rival to a startup selling one
            # part of it (a MaaS app): it may buy from it.
            return any(own in self.within(sold) for own in company.sells for sold in self.sold)
        return company.type in PRODUCT_TYPES and bool(self.sold & set(company.capabilities))

    @cached_property
    def fields(self) -> tuple[str, ...]:
        return named_fields(self.catalog, self.query)

    @cached_property
    def technologies(self) -> tuple[str, ...]:
        """The technologies the startup sells, where a term it typed names one together with
        what it is used for ("drone delivery"); else none. A use typed as a term of its own
        ("smart parking" beside "robots") is a field: a project asking for it is a lead.
        """
        sectors = self.catalog.sectors
        typed = self.query.terms[: self.query.typed] if self.query.typed else self.query.terms
        whole = {term.sector for term in typed if term.how is not How.PARTIAL}
        by_input: dict[str, set[str]] = {}
        for term in typed:
            if term.how is How.PARTIAL:
                by_input.setdefault(term.input, set()).add(term.sector)
        for parts in by_input.values():
            uses = {s for s in parts - whole if sectors[s].kind is SectorKind.DOMAIN}
            if uses and parts & self.sold:
                return tuple(sorted(self.sold))
        return ()

    def asks_technology(self, project: Project) -> bool:
        """The project's focus names a technology the startup typed, a part of it, the
        domain around it or a close technology."""
        sectors = self.catalog.sectors
        typed = [s for s in self.query.core if sectors[s].kind is SectorKind.TECHNOLOGY]
        return self._asks_for(typed, self.catalog.project_sectors[project.id])

    def use_only(self, focus: Sequence[str]) -> tuple[str, ...]:
        """The startup's technologies, when a project's focus asks for none of them (else
        empty): it asks only for what they are used for."""
        return () if self._asks_for(self.technologies, focus) else self.technologies

    def _asks_for(self, technologies: Iterable[str], focus: Sequence[str]) -> bool:
        """``focus`` names one of ``technologies``, a part of it, the domain around it or a
        close technology."""
        for technology in technologies:
            best = self.taxonomy.best(technology, focus)
            if best is not None and best[1].link in ASKS_LINKS:
                return True
        return False

    def in_field(self, sectors: Sequence[str]) -> bool:
        """A company's capabilities or a project's focus lie in a field the startup names
        — or the startup names no field."""
        return not self.fields or works_in(self.taxonomy, self.fields, sectors)

    def field_depth(self, sectors: Sequence[str]) -> float:
        """How squarely ``sectors`` lie in a field the startup names: 1 for the field itself or
        a part of it (a parking operator, for parking robots), half for only a domain around
        it (smart mobility), 0 outside; 1 when the startup names no field."""
        if not self.fields:
            return 1.0
        depth = 0.0
        for field_id in self.fields:
            related = self.taxonomy.related_to(field_id)
            for sector in sectors:
                relation = related.get(sector)
                if relation is None or relation.link not in FIELD_LINKS:
                    continue
                depth = max(depth, 0.5 if relation.link is Link.BROADER else 1.0)
        return depth

    def within(self, sector: str) -> frozenset[str]:
        """``sector`` and every domain below it: what naming it, or a narrower one, means."""
        cache = self._catalog_cache("within")
        found = cache.get(sector)
        if found is None:
            found = cache[sector] = frozenset(
                s
                for s in self.catalog.sectors
                if s == sector or sector in self.taxonomy.ancestors(s)
            )
        return found

    def gap(self, project: Project, team: Team, links: Sequence[SectorLink]) -> Gap:
        """What the project asks for and no named member of its team lists.

        A strict gap: the focus names the asked sector (or a narrower one) and no member
        lists it (or a narrower one). An open need, counted by its link's weight: the
        focus names a sector linked to the asked one, and no member lists either.
        """
        if not team.exists or team.size == 0 or project.status in BUILT:
            return Gap(0.0, (), (), ())  # a running or finished project has no slot open
        focus = set(self.catalog.project_sectors[project.id])
        gaps: list[str] = []
        needs: list[SectorLink] = []
        covered: list[tuple[str, TeamMember, str]] = []
        unmet = 0.0
        for link in links:
            asked, target, _relation = link
            scope = self.within(asked)
            strict = bool(focus & scope)
            listing = team.covers(scope if strict else scope | self.within(target))
            if listing:
                covered += [(asked, member, sector) for member, sector in listing]
            elif strict:
                gaps.append(asked)
                unmet += self.asked_weights[asked]
            else:
                # Said, so a reader sees what the team lacks, but not scored: tried in
                # the offline evaluation, counting open needs made the ranking worse.
                needs.append(link)
        weight = sum(self.asked_weights.values())
        share = unmet / weight if weight else 0.0
        around = [
            (asked, member, sector)
            for asked in gaps
            for member, sector in team.covers(frozenset(self._domains_around(asked)))
        ]
        return Gap(
            share * team.known_share, tuple(gaps), tuple(needs), tuple(covered), tuple(around)
        )

    def _domains_around(self, sector: str) -> tuple[str, ...]:
        """The domains a sector is part of, short of the top-level fields (which say little)."""
        sectors = self.catalog.sectors
        return tuple(
            a for a in self.taxonomy.ancestors(sector) if a in sectors and sectors[a].parent
        )

    def access(self, team: Team) -> Access:
        """The member to approach: the one whose work covers most of what the startup
        offers, its rarer sectors counting more (a water firm for a water-sensing startup,
        not the car-parts maker that lists IoT)."""
        best = Access(0.0, None, None)
        best_key = (0.0, 0.0, 0.0, 0.0)
        reported: Access | None = None
        reported_key = best_key
        weights = self.asked_weights
        core = set(self.query.core)
        lead = self._lead(team)
        sure_lead = lead is not None and lead.confirmed
        for member in team.members:
            company = member.company
            if self.is_peer(company) or company.id in self.excluded or is_foreign(company):
                continue
            if company.type in ORGANISATION_FACTOR:
                continue  # a university tests and teaches; it does not buy or integrate
            fit = self.fit(company.capabilities)
            if not fit.links or fit.closest < ACCESS_MIN_LINK:
                continue  # a builder "near" drones through infrastructure is no door
            strong = [link for link in fit.links if link[2].weight >= COMPANY_MIN_LINK]
            if company.type in CLIENT_SIDE:
                if not any(link[0] in core and link[2].link in RUNS for link in strong):
                    continue  # a public body is the door only for what it runs (K-water)
            elif not any(link[0] in core and link[2].link in DOOR_LINKS for link in strong):
                continue  # a carmaker "in smart mobility" is no door for traffic analytics
            link = max(strong, key=lambda found: weights[found[0]] * found[2].weight)
            sure = 1.0 if member.confirmed else UNCONFIRMED_ACCESS
            # A member working in the field the startup names first (the parking operator,
            # for parking robots, before the integrator doing robots), then what the startup
            # says it does, then everything it asked for, then the specialist (a health-data
            # firm before an integrator with one health line).
            key = (
                self.field_depth(company.capabilities),
                self._covered(strong, core) * sure,
                self._covered(strong, None) * sure,
                self.specialist(company),
            )
            if not member.confirmed and sure_lead:
                # Only reported in the team: a confirmed member is the surer door. The one
                # doing the work is remembered, for the project company it has an
                # agreement with.
                if key > reported_key:
                    reported, reported_key = Access(key[2], member, link), key
            elif key > best_key:
                best, best_key = Access(key[2], member, link), key
        if best.member is None and reported is not None and reported.member is not None:
            head = team.head_of(reported.member)
            if head is not None and head.company.type is CompanyType.SPC:
                return Access(reported.value, head, reported.link, through=reported.member)
        return best

    def _closest(self, links: Sequence[SectorLink]) -> float:
        """The strongest link, each weighed by how telling its asked sector is beside the
        most telling one: doing AI is closest for "AI", less so for "AI, traffic management"
        than doing traffic management."""
        weights = self.asked_weights
        top = max(weights.values(), default=0.0)
        if not top:
            return 0.0
        return max((rel.weight * weights[a] / top for a, _, rel in links), default=0.0)

    def _covered(self, links: Sequence[SectorLink], among: set[str] | None) -> float:
        """How much of the asked sectors (or of those ``among`` them) the links reach,
        the rarer sectors counting more."""
        weights = {a: w for a, w in self.asked_weights.items() if among is None or a in among}
        reached = sum(weights.get(a, 0.0) * relation.weight for a, _, relation in links)
        return reached / sum(weights.values()) if weights else 0.0

    def _lead(self, team: Team) -> TeamMember | None:
        lead = team.lead
        if lead is None or lead.company.id in self.excluded or is_foreign(lead.company):
            return None
        return lead

    def project(self, project: Project) -> ProjectScore:
        found = self._projects.get(project.id)
        if found is None:
            team = self.team(project)
            demand = self.demand(project)
            # Members selling the startup's technology in its field: a maker of robots for
            # other work is no rival to parking robots.
            peers = tuple(
                m
                for m in team.members
                if self.is_peer(m.company) and self.in_field(m.company.capabilities)
            )
            found = ProjectScore(
                project,
                team,
                demand.value,
                demand.links,
                demand.team_links,
                self.gap(project, team, demand.links),
                self.access(team),
                peers,
                self.stage(project),
                self._lead(team),
                () if self.in_field(self.catalog.project_sectors[project.id]) else self.fields,
                self.use_only(self.catalog.project_sectors[project.id]),
            )
            self._projects[project.id] = found
        return found

    def company(self, company: Company, in_scope: Callable[[Project], bool]) -> CompanyScore:
        own = self.fit(company.capabilities)
        specialist = self.specialist(company)
        # The mean over the asked sectors weighs the rarer ones more: a road-traffic firm
        # covers "AI, traffic management" better than a cloud firm that does AI.
        capability = (
            CAPABILITY_SHARES["closest"] * self._closest(own.links)
            + CAPABILITY_SHARES["covers"] * self._covered(own.links, None)
            + CAPABILITY_SHARES["specialist"] * specialist
        )
        builds: list[tuple[ProjectScore, TeamMember]] = []
        history: list[tuple[Project, Consortium]] = []
        for membership in self.catalog.memberships.get(company.id, []):
            project = membership.project
            if not in_scope(project):
                continue
            scored = self.project(project)
            member = next((m for m in scored.team.members if m.company.id == company.id), None)
            if member is not None and member.consortium is membership.consortium:
                builds.append((scored, member))
            elif member is None:
                history.append((project, membership.consortium))
        best: ProjectScore | None = None
        best_key = (False, False, 0.0)
        sure = 1.0
        standing = 0.0
        for scored, member in builds:
            # The project it builds that wants the startup most, as a lead today: one still
            # going before any finished one, a confirmed seat before one only reported.
            live, value = _lead_value(scored)
            key = (live, member.confirmed, value)
            if best is None or key > best_key:
                best, best_key = scored, key
                # A seat only some reports name may not be there: the project's demand
                # counts for it less surely.
                sure = 1.0 if member.confirmed else UNCONFIRMED_DEMAND
            standing = max(standing, _member_standing(member) * scored.stage)
        projects = {scored.project.id for scored, _ in builds}
        if projects:
            standing = min(1.0, standing + NETWORK_BONUS * (len(projects) - 1))
        # A place in a team counts fully for the project's way in (its door or its lead);
        # for another member, TEAM_FLOOR of it and the rest by its own link to the
        # startup's work: a carmaker in a mobility team is a weaker lead for traffic AI.
        link = 1.0 if best is not None and _opens(best, company) else strongest(own.links)
        link = TEAM_FLOOR + (1 - TEAM_FLOOR) * link
        return CompanyScore(
            company,
            capability,
            _strongest_first(own.links),
            (best.demand * best.stage * sure if best else 0.0) * link,
            standing * link,
            best,
            tuple(builds),
            tuple(history),
            self.is_peer(company),
            specialist,
            self.specialist(company, REASON_MIN_LINK),
            () if self.in_field(company.capabilities) else self.fields,
            self.uses(company, own.links),
        )

    @cached_property
    def sold_technologies(self) -> tuple[str, ...]:
        """The technologies among what the startup sells (worked out once, not per company)."""
        sectors = self.catalog.sectors
        return tuple(s for s in sorted(self.sold) if sectors[s].kind is SectorKind.TECHNOLOGY)

    def uses(self, company: Company, links: Sequence[SectorLink]) -> tuple[str, ...]:
        """The technologies the startup sells, when the company reaches them only where they
        serve (a delivery platform, for drones) or works only in another technology where
        they are used (a sensor maker, for IoT security): a possible user of them (else
        empty). An IT-services firm or a telecom integrates or resells what it does not make,
        and is no user."""
        if company.type in INTEGRATORS:
            return ()
        sectors = self.catalog.sectors
        sold = self.sold_technologies
        strong = [link for link in links if link[2].weight >= REASON_MIN_LINK]
        if not sold or not strong:
            return ()
        if any(link[0] in sold and link[2].link is not Link.SERVES for link in strong):
            return ()
        if not any(link[0] in sold for link in strong) and not any(
            sectors[link[0]].kind is SectorKind.TECHNOLOGY for link in strong
        ):
            # Only in the field the startup names (a parking operator, for parking robots):
            # a firm of its field, approached about that field, not a user of its product.
            return ()
        return tuple(sold[:2])


def works_in(taxonomy: Taxonomy, fields: Sequence[str], sectors: Iterable[str]) -> bool:
    """One of ``sectors`` lies in one of ``fields``: the field itself, a part of it, or a
    domain around it."""
    for field_id in fields:
        related = taxonomy.related_to(field_id)
        for sector in sectors:
            relation = related.get(sector)
            if relation is not None and relation.link in FIELD_LINKS:
                return True
    return False


def named_fields(catalog: Catalog, query: Query) -> tuple[str, ...]:
    """The domains the startup says it works in, typed or in its description (a startup
    typing several technologies and one domain may describe its other lines of work) — as
    whole terms: a word inside a longer one ('delivery' in 'drone delivery') says what the
    technology does, not a field the startup confines itself to."""
    sectors = catalog.sectors
    named = dict.fromkeys(term.sector for term in query.terms if term.how is not How.PARTIAL)
    return tuple(s for s in named if s in sectors and sectors[s].kind is SectorKind.DOMAIN)


def taxonomy_of(catalog: Catalog) -> Taxonomy:
    """The catalog's taxonomy, worked out once per catalog: it caches each sector's
    relations, and a batch of shortlists asks about the same sectors again and again."""
    found = catalog.derived.get("taxonomy")
    if not isinstance(found, Taxonomy):
        found = catalog.derived["taxonomy"] = Taxonomy(catalog.sectors)
    return found


def _opens(scored: ProjectScore, company: Company) -> bool:
    """The company is the project's way in: the member working nearest the startup's
    sectors, or the team's lead."""
    door = scored.access.member or scored.lead
    return door is not None and door.company.id == company.id


def _lead_value(scored: ProjectScore) -> tuple[bool, float]:
    """How good a lead a project is: live before finished, then its opportunity score (what
    it asks for, and whether its team lacks it) at its stage."""
    weights = WEIGHTS[Kind.OPPORTUNITY]
    value = weights["demand"] * scored.demand + weights["gap"] * scored.gap.value
    return scored.project.status not in FINISHED, value * scored.stage


def is_foreign(company: Company) -> bool:
    return company.country != "KR"


def is_abroad(project: Project) -> bool:
    return project.programme is ProjectProgramme.K_CITY_NETWORK


def strongest(links: Sequence[SectorLink]) -> float:
    return max((relation.weight for _, _, relation in links), default=0.0)


def last_news(project: Project) -> str:
    """The newest date the data holds about a project and its live teams (YYYY[-MM[-DD]])."""
    dates = [project.status_date]
    dates += [event.date for event in project.timeline]
    sources = [project.status_source, *project.sources]
    for consortium in project.consortia:
        if consortium.status in LIVE_STATUSES:
            sources += consortium.sources
            dates += [consortium.date] if consortium.date else []
    dates += [source.published for source in sources if source.published]
    return max(dates)


def _member_standing(member: TeamMember) -> float:
    if member.is_lead:
        return LEAD_STANDING
    # A seat only some reports name is no standing to vouch for (the members named in
    # Busan's 2022 bid withdrew): its project's demand counts half, its place nothing.
    return MEMBER_STANDING if member.confirmed else 0.0


def _strongest_first(links: Sequence[SectorLink]) -> tuple[SectorLink, ...]:
    """The closest links first, so the first reason is the best one; stable otherwise."""
    return tuple(sorted(links, key=lambda link: -link[2].weight))


def in_scope(project: Project, filters: Filters) -> bool:
    if filters.projects:
        return project.id in filters.projects
    if filters.cities:
        return any(in_city(project, city) for city in filters.cities)
    return filters.abroad or not is_abroad(project)


def listable(scored: ProjectScore, core: Collection[str]) -> bool:
    """A project is suggested only for a reason that stands on its own: its focus, or what
    a member of its team does, close to what the startup says it does (``core``: the
    sectors it typed — a sector only its description names is context, not a reason)."""
    links = [link for link in scored.links if link[0] in core]
    team_links = [
        (asked, sector, relation)
        for asked, _, sector, relation in scored.team_links
        if asked in core
    ]
    return max(strongest(links), strongest(team_links)) >= REASON_MIN_LINK


def is_same(link: SectorLink) -> bool:
    return link[2].link is Link.SAME
