"""Word a proposed team: each member's role, evidence and sources, and the next step.

Nothing here decides who is in a team (:mod:`kpartner.teambuilder` does); it says what
each member brings — the capability it lists, or the taxonomy link it brings a sector
through, said as such — where it builds now, and what the data does not confirm.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from kpartner.models import Company, CompanyType, Consortium, Project, ProjectStatus, Source
from kpartner.ranking import FINISHED, ORGANISATION_FACTOR
from kpartner.reasons import (
    STAGE_WORDS,
    STATUS_WORDS,
    Words,
    first_clause,
    project_ref,
    unique_sources,
)
from kpartner.results import Evidence, EvidenceKind
from kpartner.taxonomy import Link
from kpartner.teams import LIVE_STATUSES
from kpartner.views import is_homepage

OPEN_TO_NEW_TEAMS = frozenset({ProjectStatus.PLANNED, ProjectStatus.OPEN_CALL})

if TYPE_CHECKING:
    from kpartner.teambuilder import Contribution, Member, ProposedTeam

__all__ = ["TeamWords", "existing_role", "finished_message", "names", "project_ref", "with_lead"]

MEMBERSHIPS_SHOWN = 2
IDLE_SHOWN = 5  # members bringing no focus sector, named before "and N others"
HOME = "KR"
PUBLIC_SIDE = frozenset({CompanyType.PUBLIC_AGENCY, CompanyType.SPC})
UNCOVERED_SAID = 3  # focus sectors a join's next step names as not listed; the rest counted
ROLE_SECTORS = 3  # sectors named in a recruit's role; its brings list them all
# Who leads a new team: a firm that integrates or builds, before anyone else.
LEAD_TYPES = frozenset(
    {
        CompanyType.IT_SERVICES,
        CompanyType.TELECOM,
        CompanyType.CONSTRUCTION,
        CompanyType.AUTOMOTIVE,
        CompanyType.ENERGY,
        CompanyType.PLATFORM,
    }
)


def existing_role(role: str | None, is_lead: bool, company: Company | None = None) -> str:
    """'lead', 'lead: platform operator', 'member: traffic systems' from a consortium record;
    'client/public side: …' for a city, an agency or the project company; '(foreign partner)'
    for a firm headquartered abroad."""
    said = first_clause(role)
    public = company is not None and company.type in PUBLIC_SIDE
    head = "client/public side" if public else "lead" if is_lead else "member"
    plain = not said or said.casefold().startswith(head)
    text = (said or head) if plain else f"{head}: {said}"
    if company is not None and company.country != HOME:
        text += " (foreign partner)"
    return text


def with_lead(members: Sequence[Member]) -> list[Member]:
    """A new team's members with a proposed lead first: the best standing that can lead."""
    if not members:
        return []
    lead = min(
        members,
        key=lambda m: (m.company.type not in LEAD_TYPES, -m.standing, m.company.id),
    )
    rest = [m for m in members if m is not lead]
    return [replace(lead, role=f"proposed lead; {lead.role}"), *rest]


def finished_message(project: Project) -> str:
    """Why a finished project gets no team."""
    stage = STAGE_WORDS[project.status]
    return (
        f"{project.id} is {stage} (since {project.status_date}): a reference for what was"
        " built, not a team to join; 'kpartner match' lists the live projects"
    )


def names(companies: Sequence[str], shown: int = IDLE_SHOWN) -> str:
    """'A, B and C'; past ``shown``: 'A, B, C, D, E and 4 others'."""
    if len(companies) <= shown:
        return _join(list(companies))
    rest = len(companies) - shown
    return ", ".join(companies[:shown]) + f" and {rest} other{'s' if rest > 1 else ''}"


@dataclass(frozen=True)
class TeamWords(Words):
    def recruit_role(self, brings: Iterable[Contribution]) -> str:
        """'partner for 5G'; a long list is cut ('…, Big data and 9 more')."""
        sectors = [c.sector for c in brings]
        if not sectors:
            return "partner (asked for)"
        if len(sectors) > ROLE_SECTORS:
            shown = ", ".join(self.label(s) for s in sectors[:ROLE_SECTORS])
            return f"partner for {shown} and {len(sectors) - ROLE_SECTORS} more"
        return f"partner for {self.labels(sectors)}"

    def contribution(self, project: Project, member: Member, brought: Contribution) -> Evidence:
        name, label = member.company.name, self.label(brought.sector)
        if brought.via == brought.sector:
            text = f"{name} lists {label}, which the project asks for"
        elif brought.exact:
            text = f"{name} lists {self.label(brought.via)}, part of {label}"
        else:
            phrase = self.phrase(brought.sector, brought.via, brought.relation)
            text = (
                f"{name} brings {label} through {phrase} — a taxonomy link,"
                " not a capability it lists"
            )
        return Evidence(
            EvidenceKind.CAPABILITY,
            text,
            sector=brought.sector,
            project=project.id,
            company=member.company.id,
        )

    def explained(self, project: Project, member: Member, consortium: Consortium | None) -> Member:
        """The member with its evidence: each contribution from the company's own record,
        its place in the team from the consortium's sources."""
        company = member.company
        evidence = [self.contribution(project, member, brought) for brought in member.brings]
        membership: list[Source] = []
        if consortium is not None and member.in_consortium:
            status = STATUS_WORDS[consortium.status]
            if member.public:
                text = (
                    f"{company.name} is the client/public side of {consortium.name} ({status}):"
                    " it runs what it lists, buys rather than competes"
                )
            else:
                text = f"{company.name} is in {consortium.name} ({status}) as {member.role}"
            evidence.append(
                Evidence(
                    EvidenceKind.TEAM,
                    text,
                    project=project.id,
                    consortium=consortium.id,
                    company=company.id,
                )
            )
            membership += consortium.sources
            listed = next((m for m in consortium.members if m.company == company.id), None)
            if listed is not None and not listed.confirmed:
                evidence.append(
                    Evidence(
                        EvidenceKind.CAVEAT,
                        f"only some reports name {company.name} in {consortium.name}",
                        consortium=consortium.id,
                        company=company.id,
                    )
                )
        else:
            builds, membership = self._builds(company.id)
            evidence += builds
        if company.country != HOME:
            evidence.append(
                Evidence(
                    EvidenceKind.CAVEAT,
                    f"{company.name} is headquartered abroad ({company.country}):"
                    " a foreign partner, not a Korean one",
                    company=company.id,
                )
            )
        if not any(not is_homepage(source.url) for source in company.sources):
            evidence.append(
                Evidence(
                    EvidenceKind.CAVEAT,
                    f"{company.name}'s record cites only homepages: check what it does",
                    company=company.id,
                )
            )
        if company.type in ORGANISATION_FACTOR:
            evidence.append(
                Evidence(
                    EvidenceKind.CAVEAT,
                    f"{company.name} is a {company.type.value} organisation:"
                    " a partner for research or testing more than for delivery",
                    company=company.id,
                )
            )
        capability = list(company.sources) if member.brings or not membership else []
        return replace(
            member,
            evidence=tuple(evidence),
            sources=unique_sources([*membership, *capability]),
            membership_sources=unique_sources(membership),
            capability_sources=unique_sources(capability),
        )

    def _builds(self, company_id: str) -> tuple[list[Evidence], list[Source]]:
        """Where a recruit builds now, and the sources of those teams."""
        found: list[Evidence] = []
        sources: list[Source] = []
        memberships = [
            m
            for m in self.catalog.memberships.get(company_id, [])
            if m.consortium.status in LIVE_STATUSES and m.project.status not in FINISHED
        ]
        for membership in memberships[:MEMBERSHIPS_SHOWN]:
            found.append(
                Evidence(
                    EvidenceKind.TEAM,
                    f"builds {membership.project.name}"
                    f" as {'lead' if membership.is_lead else 'member'} of"
                    f" {membership.consortium.name}",
                    project=membership.project.id,
                    consortium=membership.consortium.id,
                    company=company_id,
                )
            )
            sources += membership.consortium.sources
        more = len(memberships) - MEMBERSHIPS_SHOWN
        if more > 0:
            found.append(
                Evidence(
                    EvidenceKind.TEAM,
                    f"and {more} more live team{'s' if more > 1 else ''}",
                    company=company_id,
                )
            )
        if not memberships:
            found.append(
                Evidence(
                    EvidenceKind.CAVEAT,
                    "in no live team in the catalog: no standing to vouch for it",
                    company=company_id,
                )
            )
        return found, sources

    def offer(self, sectors: Iterable[str], startup: dict[str, Contribution]) -> str:
        """'Drones', or 'Smart parking (part of Smart mobility)': what you offer, in your terms."""
        said = []
        for sector in sectors:
            brought = startup[sector]
            label, via = self.label(sector), self.label(brought.via)
            if brought.via == sector:
                said.append(label)
            elif brought.relation.link is Link.NARROWER:
                said.append(f"{via} (part of {label})")
            else:
                said.append(f"{via} (for {label})")
        return _join(said)

    def _competition(self, team: ProposedTeam, startup: dict[str, Contribution]) -> str:
        """'you would compete with Pablo Air and Hanseo University (Drones)'."""
        if not team.competitors:
            return ""
        sold = [c.via for c in startup.values()]
        doing = {
            m.company.name: [s for s in sold if s in m.company.capabilities]
            for m in team.competitors
        }
        said = [f"{name} ({self.labels(s)})" if s else name for name, s in doing.items()]
        return f"you would compete with {_join(said)}"

    def next_step(self, team: ProposedTeam, startup: dict[str, Contribution]) -> str:
        if team.consortium is not None:
            return self._join_step(team, startup)
        return self._new_step(team, startup)

    def _join_step(self, team: ProposedTeam, startup: dict[str, Contribution]) -> str:
        assert team.consortium is not None
        doors = []
        if team.door is not None:
            doors.append(f"{team.door.company.name} (lead of {team.consortium.name})")
        if team.nearest is not None:
            why = (
                "the project company's procurement"
                if team.nearest.company.type is CompanyType.SPC and not team.near
                else "the member nearest your field"
                if team.near
                else "the best placed of the members who do not do what you do"
                if team.competitors
                else "no member works near your field; the best placed"
            )
            doors.append(f"{team.nearest.company.name} ({why})")
        door = " or ".join(doors)
        parts: list[str] = []
        if team.startup_adds:
            near = [
                f"{m.company.name} works in {self.label(c.via)}"
                for m in team.members
                for c in m.brings
                if c.sector in team.startup_adds and not c.exact
            ]
            beside = f" ({_join(list(dict.fromkeys(near))[:2])})" if near else ""
            parts.append(
                f"Approach {door} as a supplier of {self.offer(team.startup_adds, startup)},"
                f" which no member lists as such{beside}"
            )
            competition = self._competition(team, startup)
            if competition:
                parts.append(competition)
        else:
            mine = self.labels(dict.fromkeys(c.via for c in startup.values()))
            competition = self._competition(team, startup)
            parts.append(
                f"Its members already cover {mine}: {competition or 'you would add little'};"
                f" approach {door} only with what they lack"
            )
        if team.uncovered:
            # A few, not all: what the team lacks beyond your offer is context, not the ask.
            more = len(team.uncovered) - UNCOVERED_SAID
            if more > 0:
                listed = ", ".join(self.label(s) for s in team.uncovered[:UNCOVERED_SAID])
                listed += f" and {more} more focus sector{'s' if more > 1 else ''}"
            else:
                listed = self.labels(team.uncovered)
            parts.append(f"the consortium does not list {listed}")
        return "; ".join(parts) + "."

    def _new_step(self, team: ProposedTeam, startup: dict[str, Contribution]) -> str:
        if team.unrecorded:
            head = (
                "The data names no builders, though the project is past its call: ask the city"
                " who builds it; for a later call or stage, form"
            )
        elif team.next_stage:
            head = "For the next call or stage (its builders are chosen): form"
        else:
            head = "Form"
        if team.members:
            lead, *rest = [m.company.name for m in team.members]
            with_ = f" with {_join(rest)}" if rest else ""
            mine = self.offer(startup, startup)
            text = f"{head} a team led by {lead}{with_}, you offering {mine}"
        elif team.uncovered:
            text = f"{head} a team: you offer {self.offer(startup, startup)}"
        else:
            text = (
                f"{head} a team of your own: you offer {self.offer(startup, startup)}, all it asks"
            )
        parts = [text]
        nobody = [s for s in team.uncovered if s not in team.limited]
        if team.limited:
            parts.append(f"your --size limit leaves out {self.labels(team.limited)}")
        if nobody:
            parts.append(f"no company you could recruit covers {self.labels(nobody)}")
        return "; ".join(parts) + "."


def _join(items: Sequence[str]) -> str:
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
