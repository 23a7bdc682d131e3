"""Word a scored record: its evidence (one record per claim), sources and next step.

Nothing here decides a score; it says, in plain words, what :mod:`kpartner.ranking` found,
and every sentence is an :class:`~kpartner.results.Evidence` record naming what it is
about, so the claim can be checked against the data.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from kpartner.catalog import Catalog
from kpartner.enums import CompanyType, ConsortiumStatus, ProjectProgramme, ProjectStatus
from kpartner.query import Query
from kpartner.ranking import (
    CLIENT_SIDE,
    ORGANISATION_FACTOR,
    REASON_MIN_LINK,
    STAGE,
    CompanyScore,
    ProjectScore,
    SectorLink,
    is_foreign,
    is_same,
    last_news,
    named_fields,
    taxonomy_of,
    works_in,
)
from kpartner.results import Evidence, EvidenceKind, ProjectRef
from kpartner.taxonomy import Link, Relation
from kpartner.teams import Team, TeamMember
from kpartner.text import join_names

if TYPE_CHECKING:  # pydantic's models: a catalog from the compiled cache holds their twins
    from kpartner.models import Consortium, Project, Source

STATUS_WORDS: dict[ConsortiumStatus, str] = {
    ConsortiumStatus.SELECTED: "selected",
    ConsortiumStatus.PREFERRED_BIDDER: "preferred bidder",
    ConsortiumStatus.BIDDING: "bidding",
    ConsortiumStatus.LOST: "lost the bid",
    ConsortiumStatus.REPLACED: "was replaced",
    ConsortiumStatus.WITHDRAWN: "withdrew",
}
STAGE_WORDS: dict[ProjectStatus, str] = {
    ProjectStatus.PLANNED: "planned",
    ProjectStatus.OPEN_CALL: "open call",
    ProjectStatus.SELECTED: "selected",
    ProjectStatus.UNDER_WAY: "under way",
    ProjectStatus.OPERATING: "operating",
    ProjectStatus.COMPLETED: "completed",
    ProjectStatus.NOT_ADVANCED: "not advanced",
}
ROLE_LIMIT = 48
SUMMARY_LIMIT = 90
# The next step names what the project asks that lies this close to the startup's sectors:
# a domain merely served by its technology is context, not the ask.
CLOSE_LINK = 0.4
FINISHED = frozenset({ProjectStatus.COMPLETED, ProjectStatus.NOT_ADVANCED})
# Words in a record's notes that mark a caveat a reader should see beside the claim.
CAVEAT_WORDS = ("uncertain", "differ", "not confirmed", "unconfirmed", "unclear", "not named")


@dataclass(frozen=True)
class Explained:
    evidence: tuple[Evidence, ...]
    sources: tuple[Source, ...]
    next_step: str
    as_of: dt.date


@dataclass(frozen=True)
class Words:
    """Labels and the user's own words for the asked sectors."""

    catalog: Catalog
    query: Query

    def label(self, sector_id: str) -> str:
        sector = self.catalog.sectors.get(sector_id)
        return sector.label if sector else sector_id

    def labels(self, sector_ids: Iterable[str]) -> str:
        return join_names([self.label(s) for s in sector_ids])

    def yours(self, sector_id: str) -> str:
        """The founder's own word for a sector: the first they used, and how many more."""
        inputs = self.query.inputs_for(sector_id)
        more = f" (+{len(inputs) - 1})" if len(inputs) > 1 else ""
        return f"'{inputs[0]}'{more}" if inputs else "''"

    @cached_property
    def fields(self) -> tuple[str, ...]:
        return named_fields(self.catalog, self.query)

    def beside_the_point(self, target: str, relation: Relation | None) -> bool:
        """A domain the startup's technology serves but outside the fields it names (smart
        parking, for blockchain e-government): context, not a reason."""
        return (
            relation is not None
            and relation.link is Link.SERVES
            and bool(self.fields)
            and not works_in(taxonomy_of(self.catalog), self.fields, [target])
        )

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
        if relation.link is Link.SIBLING:
            return f"{label} (beside {asked_label})"
        if relation.link is Link.SERVES:
            if relation.via == target:
                return f"{label} (served by {asked_label})"
            return f"{label} (near {self.label(relation.via or '')}, served by {asked_label})"
        return f"{label} (serves {asked_label})"


def project_ref(project: Project) -> ProjectRef:
    return ProjectRef(
        project.id,
        project.name,
        project.city,
        project.year,
        project.status.value,
        project.status_date,
    )


# -- opportunities, projects and consortia ---------------------------------------------


def opportunity(words: Words, scored: ProjectScore) -> Explained:
    project, team = scored.project, scored.team
    evidence = _demand(words, project, scored.links)
    evidence += _outside(words, scored)
    evidence += _involves(words, scored)
    evidence += _gaps(words, scored)
    evidence += _team(words, team)
    evidence += _way_in(words, scored)
    evidence += _peers(words, scored)
    evidence.append(_status(scored))
    evidence += _history(team)
    evidence += _caveats(team)
    sources = [project.status_source, *project.sources]
    for consortium in team.consortia:
        sources += consortium.sources
    return Explained(
        tuple(evidence),
        unique_sources(sources),
        next_step(words, scored),
        min([project.as_of, *(c.as_of for c in team.consortia)]),
    )


def project_only(words: Words, scored: ProjectScore) -> Explained:
    project = scored.project
    evidence = [*_demand(words, project, scored.links), *_outside(words, scored), _status(scored)]
    return Explained(
        tuple(evidence),
        unique_sources([project.status_source, *project.sources]),
        next_step(words, scored),
        project.as_of,
    )


def consortium(words: Words, scored: ProjectScore, record: Consortium) -> Explained:
    project = scored.project
    evidence = _demand(words, project, scored.links)
    evidence += _outside(words, scored)
    evidence += _gaps(words, scored)
    evidence.append(_consortium_line(words, record, scored.team))
    evidence.append(_status(scored))
    evidence += _caveats(scored.team, only=record)
    return Explained(
        tuple(evidence),
        unique_sources([*record.sources, project.status_source, *project.sources]),
        next_step(words, scored),
        min(record.as_of, project.as_of),
    )


def _demand(
    words: Words, project: Project, links: Sequence[SectorLink], named: bool = False
) -> list[Evidence]:
    """'asks for Drones — your 'drones''; ``named`` puts the project's name first."""
    subject = f"{project.name} asks for" if named else "the project asks for"
    # One line per sector the project asks for, through the strongest of your terms that
    # reach it (the links come strongest first).
    strong = [
        link
        for link in links
        if link[2].weight >= REASON_MIN_LINK and not words.beside_the_point(link[1], link[2])
    ]
    found = [
        Evidence(
            EvidenceKind.DEMAND,
            f"{subject} {words.phrase(asked, target, relation)} — your {words.yours(asked)}",
            sector=target,
            project=project.id,
        )
        for asked, target, relation in _first_per_target(strong)
    ]
    # Said last and plainly, so a loose link never reads as a reason of its own; a sector
    # already named for a stronger reason is not named again.
    said = {item.sector for item in found}
    loose = [
        t
        for _, t, relation in links
        if t not in said
        and (relation.weight < REASON_MIN_LINK or words.beside_the_point(t, relation))
    ]
    found += [
        Evidence(
            EvidenceKind.DEMAND,
            f"{subject} {words.label(target)}, only loosely near your sectors (counted a little)",
            sector=target,
            project=project.id,
            loose=True,
        )
        for target in dict.fromkeys(loose)
    ]
    return found


def _outside(words: Words, scored: ProjectScore) -> list[Evidence]:
    """A project asking for none of the fields the startup names, or only for what its
    technology is used for, is counted less: say so."""
    # What the project does instead, so the founder sees it for itself.
    summary = scored.project.summary
    what = f" ({_cut(summary.rstrip('.'), SUMMARY_LIMIT)})" if summary else ""
    if scored.outside:
        return [
            Evidence(
                EvidenceKind.FIELD,
                f"does not ask for {_either(words, scored.outside)}: your technology in"
                f" another field{what}, counted less",
                project=scored.project.id,
            )
        ]
    if scored.use_only:
        return [
            Evidence(
                EvidenceKind.FIELD,
                f"does not ask for {_either(words, scored.use_only)}{what}: a lead only if"
                " it would use your technology for it, counted less",
                sector=scored.use_only[0],
                project=scored.project.id,
            )
        ]
    return []


def _first_per_target(links: Sequence[SectorLink]) -> list[SectorLink]:
    """One link per target sector, the first (strongest) one."""
    first: dict[str, SectorLink] = {}
    for link in links:
        first.setdefault(link[1], link)
    return list(first.values())


def _involves(words: Words, scored: ProjectScore) -> list[Evidence]:
    """Sectors the focus does not name but a team member works in: the project involves them."""
    return [
        Evidence(
            EvidenceKind.CAPABILITY,
            f"{member.company.name} in the team works in"
            f" {words.phrase(asked, sector, relation)}: the project involves your"
            f" {words.yours(asked)}",
            sector=sector,
            project=scored.project.id,
            consortium=member.consortium.id,
            company=member.company.id,
        )
        for asked, member, sector, relation in scored.team_links
        if relation.weight >= REASON_MIN_LINK
    ]


def _gaps(words: Words, scored: ProjectScore) -> list[Evidence]:
    team = scored.team
    if not team.exists:
        return []
    unknown = ""
    if team.unknown:
        unknown = f" ({team.unknown} of {team.size} members' work unknown, so the gap is less sure)"
    # One sentence for every gap sector, kept on each sector's record so each is checkable.
    them = "them" if len(scored.gap.sectors) > 1 else "it"
    around = ""
    if scored.gap.around:
        # A member only some reports name is said to be reported (Sejong's hospital).
        names = list(
            dict.fromkeys(
                member.company.name + ("" if member.confirmed else " (reported)")
                for _, member, _ in scored.gap.around
            )
        )
        domains = words.labels(dict.fromkeys(domain for _, _, domain in scored.gap.around))
        work = "works" if len(names) == 1 else "work"
        around = (
            f"; {join_names(names[:3])} {work} in {domains}, around {them}: ask whether the slot"
            " is theirs"
        )
    said = (
        f"fills a gap: the project asks for {words.labels(scored.gap.sectors)}"
        f" and no named member of its team lists {them}{unknown}{around}"
    )
    found = [
        Evidence(
            EvidenceKind.GAP,
            said,
            sector=sector,
            project=scored.project.id,
            consortium=team.consortia[0].id,
        )
        for sector in scored.gap.sectors
    ]
    found += [
        Evidence(
            EvidenceKind.GAP,
            f"open need: the project asks for {words.phrase(asked, target, relation)}"
            f" and no named member of its team lists {words.label(target)}"
            f" or {words.label(asked)}",
            sector=target,
            project=scored.project.id,
            consortium=team.consortia[0].id,
        )
        for asked, target, relation in _first_per_target(scored.gap.needs)
        if relation.weight >= REASON_MIN_LINK
        and target not in scored.gap.sectors
        and not words.beside_the_point(target, relation)
    ]
    return found


def _team(words: Words, team: Team) -> list[Evidence]:
    if not team.exists:
        return [
            Evidence(
                EvidenceKind.CAVEAT,
                "no team is recorded for this project: the city runs it with partners not named",
                project=team.project.id,
            )
        ]
    return [_consortium_line(words, c, team) for c in team.consortia]


def _consortium_line(words: Words, record: Consortium, team: Team) -> Evidence:
    del words
    lead = next((m for m in team.members if m.is_lead and m.consortium is record), None)
    named = sum(1 for m in team.members if m.consortium is record)
    size = f"{named} members named" if named else "members not named"
    if record.unnamed_members:
        size += f", {record.unnamed_members} more not named"
    led = f", led by {lead.company.name}" if lead else ""
    return Evidence(
        EvidenceKind.TEAM,
        f"team: {record.name} ({_when(STATUS_WORDS[record.status], record.date)}){led}; {size}",
        project=team.project.id,
        consortium=record.id,
        company=lead.company.id if lead else None,
    )


def _way_in(words: Words, scored: ProjectScore) -> list[Evidence]:
    found: list[Evidence] = []
    # The member doing the work: the door itself, or the one its place goes through.
    member, link = scored.access.through or scored.access.member, scored.access.link
    if member is not None and link is not None:
        found.append(_member_capability(words, scored.project, member, link))
    taxonomy = taxonomy_of(words.catalog)
    # One line per member, the confirmed ones first: a member only reported in the team
    # may not hold the slot.
    first: dict[str, tuple[str, TeamMember, str]] = {}
    for asked, other, sector in scored.gap.covered:
        if other is not member and not words.beside_the_point(
            sector, taxonomy.relate(asked, sector)
        ):
            first.setdefault(other.company.id, (asked, other, sector))
    covered = sorted(first.values(), key=lambda found: not found[1].confirmed)
    for asked, other, sector in covered[:2]:
        # The member does your sector (or a part of it), or the domain the project asks
        # for beside it: either way that slot is filled.
        if sector == asked or asked in taxonomy.ancestors(sector):
            filled = f"no gap for {words.label(asked)}"
        else:
            filled = f"no gap there for your {words.label(asked)}"
        found.append(
            Evidence(
                EvidenceKind.CAPABILITY,
                f"{other.company.name} {'in' if other.confirmed else 'reported in'} the team"
                f" already lists {words.label(sector)}:"
                f" {filled}, come as a specialist beside it",
                sector=sector,
                project=scored.project.id,
                consortium=other.consortium.id,
                company=other.company.id,
            )
        )
    return found


def _member_capability(
    words: Words, project: Project, member: TeamMember, link: SectorLink
) -> Evidence:
    target = link[1]
    role = short_role(member.role)
    reported = "" if member.confirmed else " — named by some reports, not confirmed"
    # The way in never does what the startup sells (that member holds the slot): it works
    # in the startup's field, buys or integrates.
    said = f"{member.company.name}{role} in the team works in {words.phrase(*link)}"
    return Evidence(
        EvidenceKind.CAPABILITY,
        f"{said}{reported}",
        sector=target,
        project=project.id,
        consortium=member.consortium.id,
        company=member.company.id,
    )


def _peers(words: Words, scored: ProjectScore) -> list[Evidence]:
    return [
        Evidence(
            EvidenceKind.PEER,
            f"{member.company.name} {'in' if member.confirmed else 'reported in'} the team sells"
            f" {words.labels(s for s in member.company.capabilities if s in words.query.sectors)}"
            " itself: a possible competitor, or a licensee",
            project=scored.project.id,
            consortium=member.consortium.id,
            company=member.company.id,
        )
        for member in scored.peers
    ]


def _status(scored: ProjectScore) -> Evidence:
    project = scored.project
    stage = STAGE_WORDS[project.status]
    if project.status is ProjectStatus.OPEN_CALL:
        text = f"open call until {project.deadline} (since {project.status_date})"
    elif project.status in FINISHED:
        text = f"{stage} {project.status_date}: a reference, not a lead"
    else:
        text = f"{stage} since {project.status_date}"
        if scored.stage < STAGE[project.status]:
            text += f" — no news since {last_news(project)[:7]} in the data: check it is still on"
    return Evidence(EvidenceKind.STATUS, f"status: {text}", project=project.id)


def _history(team: Team) -> list[Evidence]:
    return [
        Evidence(
            EvidenceKind.HISTORY,
            f"history: {c.name} {_when(STATUS_WORDS[c.status], c.date)} — not counted",
            project=team.project.id,
            consortium=c.id,
        )
        for c in team.history
    ]


def _caveats(team: Team, only: Consortium | None = None) -> list[Evidence]:
    found = []
    for record in team.consortia:
        if only is not None and record is not only:
            continue
        for note in record.notes:
            if any(word in note.casefold() for word in CAVEAT_WORDS):
                found.append(
                    Evidence(
                        EvidenceKind.CAVEAT,
                        f"caveat: {note}",
                        project=team.project.id,
                        consortium=record.id,
                    )
                )
    return found


def next_step(words: Words, scored: ProjectScore) -> str:
    """One sentence: whom to approach about what."""
    step = _next_step(words, scored)
    if scored.project.status is ProjectStatus.OPERATING:
        # Built and running: what is left is extension and operation, not the build.
        return f"Running since {scored.project.status_date}, so for extensions: {step}"
    return step


def _asks(words: Words, scored: ProjectScore, at_least: float) -> list[str]:
    """The project's sectors (its focus, or its team's work) linked to the startup's at
    least this closely — and for each other sector the startup typed, reached only more
    loosely but inside its field, its closest (Energy for a VPP firm, beside EV charging for
    its storage), so the way in speaks to all of what the startup offers."""
    links = list(scored.links)
    links += [(a, s, rel) for a, _, s, rel in scored.team_links]
    found = [target for _, target, rel in links if rel.weight >= at_least]
    reached = {asked for asked, _, rel in links if rel.weight >= at_least}
    if found:
        for asked, target, rel in links:
            if (
                asked not in reached
                and asked in words.query.core
                and rel.weight >= REASON_MIN_LINK
                and not words.beside_the_point(target, rel)
            ):
                reached.add(asked)
                found.append(target)
    return found


def _next_step(words: Words, scored: ProjectScore) -> str:
    project, team = scored.project, scored.team
    # About what the project asks (its own words for it), not the founder's sectors: the
    # gap it has, else the focus sectors closest to the startup's.
    # Failing a close ask, the project's own sectors the reasons name — never the
    # founder's sector the project does not ask for.
    about = words.labels(
        scored.gap.sectors
        or _asks(words, scored, CLOSE_LINK)
        or _asks(words, scored, REASON_MIN_LINK)
        or words.query.core
    )
    member = scored.access.member
    if project.status in FINISHED:
        who = scored.lead.company.name if scored.lead else f"{project.city} (the public owner)"
        return f"A reference, not a lead: ask {who} about follow-on work in {about}."
    if project.status is ProjectStatus.OPEN_CALL:
        partner = f", with {member.company.name} as a partner" if member else ""
        return f"Apply to the open call by {project.deadline} with {about}{partner}."
    through = scored.access.through
    if member is not None and through is not None and scored.access.link is not None:
        near = words.label(scored.access.link[1])
        why = first_clause(through.note) or "reported, not confirmed in the team"
        return (
            f"Approach {member.company.name} (the project company) about {about} for"
            f" {project.name}: {through.company.name} works in {near} with it — {why}."
        )
    if member is not None and scored.access.link is not None:
        near = words.label(scored.access.link[1])
        return (
            f"Approach {member.company.name} ({'in' if member.confirmed else 'reported in'}"
            f" the team, works in {near})"
            f" about {about} for {project.name}."
        )
    if scored.lead is not None:
        spc = team.project_company_with(scored.lead)
        also = f", also in {spc.company.name} (the project company)" if spc else ""
        return (
            f"Approach {scored.lead.company.name}, lead of {scored.lead.consortium.name}{also},"
            f" about {about} for {project.name}."
        )
    # The project company that builds and runs the smart services (most of the project's
    # focus among its work) before a developer of the site (Haenam: Solaseado Smart City
    # Co. before the enterprise-city developer).
    focus = set(words.catalog.project_sectors[project.id])
    companies = [m for m in team.members if m.company.type is CompanyType.SPC]
    spc = max(companies, key=lambda m: len(focus & set(m.company.capabilities)), default=None)
    if spc is not None:
        return f"Contact {spc.company.name}'s procurement about {about} for {project.name}."
    if project.programme is ProjectProgramme.K_CITY_NETWORK:
        return (
            f"Go through the K-City Network (MOLIT, with KIND and KAIA) about {about} for"
            f" {project.name}: it pairs Korean firms with the foreign city."
        )
    if project.status in (ProjectStatus.PLANNED, ProjectStatus.OPEN_CALL):
        return (
            f"Watch {project.name}: no team is chosen yet; line up a Korean partner for"
            f" {about} before the call closes."
        )
    if team.members:
        # No lead and nobody in the startup's field: the city runs a challenge project; its
        # named partners are worth knowing, not the door.
        named = ", ".join(m.company.name for m in team.members[:3])
        more = f" and {len(team.members) - 3} more" if len(team.members) > 3 else ""
        return (
            f"Contact {project.city} (the project's owner) about {about} for {project.name};"
            f" its named partners: {named}{more}."
        )
    return (
        f"Contact {project.city} (the public owner) about {about} for {project.name}:"
        " no private partner is recorded."
    )


# -- companies ------------------------------------------------------------------------


def company(words: Words, scored: CompanyScore) -> Explained:
    record = scored.company
    # A public body or project company runs what it lists (K-water's smart farm); it does
    # not sell it.
    does = "runs " if record.type in CLIENT_SIDE else "does "
    evidence = [
        Evidence(
            EvidenceKind.CAPABILITY,
            (does if is_same(link) else "works in ")
            + f"{words.phrase(*link)} — your {words.yours(link[0])}",
            sector=link[1],
            company=record.id,
        )
        for link in scored.capability_links
        if link[2].weight >= REASON_MIN_LINK
    ]
    said = {item.sector for item in evidence}
    loose = [s for _, s, rel in scored.capability_links if rel.weight < REASON_MIN_LINK]
    evidence += [
        Evidence(
            EvidenceKind.CAPABILITY,
            f"works in {words.label(sector)}, only loosely near your sectors (counted a little)",
            sector=sector,
            company=record.id,
            loose=True,
        )
        for sector in dict.fromkeys(loose)
        if sector not in said
    ]
    if is_foreign(record):
        evidence.append(
            Evidence(
                EvidenceKind.CAVEAT,
                f"a firm from abroad ({record.country}): not the Korean partner you are"
                " looking for, so ranked after Korean firms",
                company=record.id,
            )
        )
    if scored.outside:
        evidence.append(
            Evidence(
                EvidenceKind.FIELD,
                f"does not work in {_either(words, scored.outside)}: a technology partner,"
                " ranked after firms in your field",
                company=record.id,
            )
        )
    if record.type in ORGANISATION_FACTOR:
        evidence.append(
            Evidence(
                EvidenceKind.CAVEAT,
                f"a {record.type.value.replace('-', ' ')}: a partner for research or testing"
                " rather than a customer, so ranked after companies",
                company=record.id,
            )
        )
    if scored.peer:
        offered = [s for s in record.capabilities if s in words.query.sectors]
        evidence.append(
            Evidence(
                EvidenceKind.PEER,
                f"sells {words.labels(offered)} itself: a possible competitor, licensee"
                " or reseller rather than an integrator",
                company=record.id,
            )
        )
    sources: list[Source] = list(record.sources)
    as_of = [record.as_of]
    shown = sorted(scored.builds, key=lambda pair: pair[0] is not scored.best)[:2]
    for project_score, member in shown:
        evidence.append(_membership(project_score.project, member))
        if not member.confirmed and member.note:
            evidence.append(
                Evidence(
                    EvidenceKind.CAVEAT,
                    f"caveat: {member.note}",
                    project=project_score.project.id,
                    consortium=member.consortium.id,
                    company=record.id,
                )
            )
        sources += member.consortium.sources
        as_of.append(member.consortium.as_of)
    projects = {p.project.id for p, _ in scored.builds}
    if len(projects) > 1:
        evidence.append(
            Evidence(
                EvidenceKind.TEAM,
                f"in the teams building {len(projects)} projects",
                company=record.id,
            )
        )
    if scored.best is not None:
        evidence += _demand(words, scored.best.project, scored.best.links, named=True)
    for project, bid in scored.history:
        evidence.append(
            Evidence(
                EvidenceKind.HISTORY,
                f"history: was in {bid.name} for {project.name}, which"
                f" {_when(STATUS_WORDS[bid.status], bid.date)} — not counted",
                project=project.id,
                consortium=bid.id,
                company=record.id,
            )
        )
    return Explained(
        tuple(evidence), unique_sources(sources), company_next_step(words, scored), min(as_of)
    )


def _membership(project: Project, member: TeamMember) -> Evidence:
    place = "lead" if member.is_lead else "member"
    short = first_clause(member.role)
    role = f" — role: {short}" if short else ""
    # Not confirmed: the first clause of the data's note says why ("named in the 2022
    # winning bid"), else the generic words.
    why = first_clause(member.note)
    reported = ""
    if not member.confirmed:
        reported = (
            f" (not confirmed: {why})" if why else " (reported by some sources, not confirmed)"
        )
    stage = STAGE_WORDS[project.status]
    since = "in" if project.status in FINISHED else "since"  # finished: a date, not a state
    return Evidence(
        EvidenceKind.TEAM,
        f"{place} of {member.consortium.name}{reported}, the team of {project.name}"
        f" ({stage} {since} {project.status_date}){role}",
        project=project.id,
        consortium=member.consortium.id,
        company=member.company.id,
    )


def company_next_step(words: Words, scored: CompanyScore) -> str:
    record = scored.company
    strong = [link for link in scored.capability_links if link[2].weight >= REASON_MIN_LINK]
    near = words.labels(dict.fromkeys(link[1] for link in strong[:2]))
    if scored.peer:
        return f"Talk to {record.name} about licensing, resale or white label, not integration."
    # Said, since a public body mostly buys or runs a programme rather than integrating a
    # startup's product: the founder approaches it differently.
    who = (
        f"{record.name}, a public body,"
        if record.type is CompanyType.PUBLIC_AGENCY
        else record.name
    )
    about = f"about {near}"
    if scored.uses:
        # It works only in domains the technology serves (a builder, for digital twins; a
        # delivery platform, for drones beside "delivery"): a possible user of it, not a
        # partner in it.
        about = f"as a possible user of {words.labels(scored.uses)} in {near}"
    if scored.best is not None:
        member = next(m for p, m in scored.builds if p is scored.best)
        project = scored.best.project
        stage = STAGE_WORDS[project.status]
        if project.status in FINISHED:
            was = "was in" if member.confirmed else "was reported in"
            # Its role says how far it went (a partner of the preliminary stage only).
            role = first_clause(member.role)
            role = f"; its role: {role}" if role else ""
            return (
                f"Approach {who} {about}: it {was} the team of {project.name}"
                f" ({stage} {project.status_date}{role}), a reference; ask about its next"
                " projects."
            )
        if member.confirmed:
            return f"Approach {who} {about}: it is in the team of {project.name} ({stage})."
        # Not confirmed in the team: whoever answers for its place — its consortium's
        # lead, or the project company it has an agreement with — else the team's lead,
        # is the sure way to the project.
        head = scored.best.team.head_of(member) or scored.best.lead
        sure = ""
        if head is not None and head.confirmed and head.company.id != record.id:
            title = (
                "the project company"
                if head.company.type is CompanyType.SPC
                else f"lead of {head.consortium.name}"
            )
            sure = f"; {head.company.name}, {title}, is the sure way in"
        why = first_clause(member.note)
        return (
            f"Approach {who} {about}: not confirmed in the team of {project.name}"
            f" ({stage}){f' — {why}' if why else ''}{sure}."
        )
    return f"Approach {who} {about}: the data names no project team it is in."


# -- helpers --------------------------------------------------------------------------


def unique_sources(sources: Iterable[Source]) -> tuple[Source, ...]:
    seen: dict[tuple[str, str | None], Source] = {}
    for source in sources:
        seen.setdefault((source.url, source.article_id), source)
    return tuple(seen.values())


def short_role(role: str | None) -> str:
    """' (lead)': a role as a short aside; the data's long role texts are cut at a clause."""
    first = first_clause(role)
    return f" ({first})" if first else ""


def first_clause(text: str | None) -> str:
    """A role or note's first clause, cut short: 'named in the 2022 winning bid'."""
    if not text:
        return ""
    return _cut(re.split(r"[;:(]", text, maxsplit=1)[0].strip().rstrip(","), ROLE_LIMIT)


def _cut(text: str, limit: int) -> str:
    """About ``limit`` characters, cut at a word, never inside one ("SK Securi…") nor inside
    a name of several capitalised words ("SK …" for SK Securities, "Smart …" for Smart City
    Busan): a name cut short names another firm."""
    if len(text) <= limit:
        return text
    words = text.split(" ")
    kept = text[:limit].rsplit(" ", 1)[0].split(" ")
    while len(kept) < len(words) and _capitalised(kept[-1]) and _capitalised(words[len(kept)]):
        kept.append(words[len(kept)])
    if len(kept) == len(words):
        return text
    return " ".join(kept).rstrip(",") + " …"


def _capitalised(word: str) -> bool:
    return word[:1].isupper()


def _when(what: str, date: str | None) -> str:
    return f"{what} {date}" if date else what


def _either(words: Words, sector_ids: Sequence[str]) -> str:
    """'Water management' / 'Smart parking or Robotics': any one of the fields named."""
    return " or ".join(words.label(s) for s in sector_ids)
