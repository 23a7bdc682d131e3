"""Word a proposed team: each member's role, evidence and sources, and the next step.

Nothing here decides who is in a team (:mod:`kpartner.teambuilder` does); it says what
each member brings — the capability it lists, or the taxonomy link it brings a sector
through, said as such — where it builds now, and what the data does not confirm.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from kpartner.models import CompanyType, Consortium, Project, ProjectStatus
from kpartner.query import How, Query
from kpartner.ranking import ORGANISATION_FACTOR, PRODUCT_TYPES
from kpartner.reasons import (
    STAGE_WORDS,
    STATUS_WORDS,
    Words,
    project_ref,
    short_role,
    unique_sources,
)
from kpartner.results import Evidence, EvidenceKind
from kpartner.teams import LIVE_STATUSES
from kpartner.views import is_homepage

OPEN_TO_NEW_TEAMS = frozenset({ProjectStatus.PLANNED, ProjectStatus.OPEN_CALL})

if TYPE_CHECKING:
    from kpartner.teambuilder import Contribution, Member, ProposedTeam

__all__ = ["TeamWords", "existing_role", "project_ref", "with_lead"]

MEMBERSHIPS_SHOWN = 2
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


def existing_role(role: str | None, is_lead: bool) -> str:
    """'lead', 'lead: platform operator', 'member: traffic systems' from a consortium record."""
    said = short_role(role).strip()[1:-1] if role else ""
    head = "lead" if is_lead else "member"
    if not said or said.casefold().startswith(head):
        return said or head
    return f"{head}: {said}"


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
        """The member with its evidence and the sources behind it."""
        company = member.company
        evidence = [self.contribution(project, member, brought) for brought in member.brings]
        sources = list(company.sources)
        if consortium is not None and member.in_consortium:
            evidence.append(
                Evidence(
                    EvidenceKind.TEAM,
                    f"{company.name} is in {consortium.name} ({STATUS_WORDS[consortium.status]})"
                    f" as {member.role}",
                    project=project.id,
                    consortium=consortium.id,
                    company=company.id,
                )
            )
            sources += consortium.sources
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
            evidence += self._builds(company.id)
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
        return replace(member, evidence=tuple(evidence), sources=unique_sources(sources))

    def _builds(self, company_id: str) -> list[Evidence]:
        found: list[Evidence] = []
        memberships = [
            m
            for m in self.catalog.memberships.get(company_id, [])
            if m.consortium.status in LIVE_STATUSES
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
        return found

    def _rivals(self, team: ProposedTeam) -> str:
        """'; Pablo Air in it already sells Drones': a peer inside the team you would join."""
        sold = _sold(self.query)
        rivals = [
            m.company.name
            for m in team.members
            if m.company.type in PRODUCT_TYPES and sold & set(m.company.capabilities)
        ]
        if not rivals:
            return ""
        verb = "sells" if len(rivals) == 1 else "sell"
        return f"; {_join(rivals)} in it already {verb} what you sell: a rival for the slot"

    def next_step(
        self, project: Project, team: ProposedTeam, startup: dict[str, Contribution]
    ) -> str:
        recruits = [m.company.name for m in team.recruits]
        need = f"; recruit {_join(recruits)}" if recruits else ""
        gaps = (
            f"; no company you could recruit covers {self.labels(team.uncovered)}"
            if team.uncovered
            else ""
        )
        offer = self.labels(team.startup_adds)
        if not startup:
            what = f" (your sectors are not in {project.name}'s focus)"
        elif offer:
            what = f" offering {offer}"
        else:
            what = " (its members already cover your sectors)"
        if team.consortium is not None:
            lead = next((m for m in team.members if m.role.startswith("lead")), None)
            door = f"{lead.company.name} ({team.consortium.name})" if lead else team.consortium.name
            return f"Approach {door}{what}{need}{gaps}{self._rivals(team)}."
        if project.consortia and project.status not in OPEN_TO_NEW_TEAMS:
            stage = STAGE_WORDS[project.status]
            return (
                f"Form a team for {project.name}'s next stage or a project like it ({stage}:"
                f" its builders are chosen){what}{need}{gaps}."
            )
        return f"Form a team for {project.name}{what}{need}{gaps}."


def _sold(query: Query) -> set[str]:
    """What the startup sells: sectors found only inside a longer term are context."""
    whole = {term.sector for term in query.terms if term.how is not How.PARTIAL}
    return whole or set(query.sectors)


def _join(items: Sequence[str]) -> str:
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
