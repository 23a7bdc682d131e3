"""Who is building a project now: its live team, and the bids that are history.

A project's project company (SPC) and the consortium behind it are one team: a founder
approaches them as one. A lost, replaced or withdrawn bid is history — it is shown as such
and earns nobody credit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kpartner.catalog import Catalog, members_of
from kpartner.enums import ConsortiumStatus

if TYPE_CHECKING:  # pydantic's models: a catalog from the compiled cache holds their twins
    from kpartner.models import Company, Consortium, Project

LIVE_STATUSES = frozenset(
    {ConsortiumStatus.SELECTED, ConsortiumStatus.PREFERRED_BIDDER, ConsortiumStatus.BIDDING}
)


@dataclass(frozen=True, slots=True)
class TeamMember:
    company: Company
    consortium: Consortium
    role: str | None
    is_lead: bool
    confirmed: bool
    note: str | None

    @property
    def known(self) -> bool:
        """Whether the data says what this member does."""
        return bool(self.company.capabilities)


@dataclass(frozen=True)
class Team:
    """The live consortia of one project, their members once each, and its history."""

    project: Project
    consortia: tuple[Consortium, ...]
    members: tuple[TeamMember, ...]
    unnamed: int  # members the sources count but do not name
    history: tuple[Consortium, ...]

    @property
    def exists(self) -> bool:
        return bool(self.consortia)

    @property
    def size(self) -> int:
        return len(self.members) + self.unnamed

    @property
    def unknown(self) -> int:
        """Members whose line of business the data does not know: unnamed, or no capabilities."""
        return self.unnamed + sum(1 for member in self.members if not member.known)

    @property
    def known_share(self) -> float:
        """How much of the team the data can speak for (1 when every member is known)."""
        return 1 - self.unknown / self.size if self.size else 0.0

    @property
    def lead(self) -> TeamMember | None:
        """The lead of the main consortium: the one with the most members named (a small
        sub-build, such as Busan's Smart Village, is not the team's lead); a private firm
        before a public body."""
        leads = [member for member in self.members if member.is_lead]
        if not leads:
            return None

        def size(member: TeamMember) -> int:
            return sum(1 for other in self.members if other.consortium is member.consortium)

        public = ("public-agency", "spc")
        return min(leads, key=lambda m: (m.company.type.value in public, -size(m)))

    def head_of(self, member: TeamMember) -> TeamMember | None:
        """Who answers for a member's place in the team: the confirmed lead of its
        consortium, else the project company it belongs to (KEPCO KDN's energy MoU is with
        Smart City Busan), else none."""
        own = [
            other
            for other in self.members
            if other.consortium is member.consortium and other.confirmed and other is not member
        ]
        lead = next((other for other in own if other.is_lead), None)
        return lead or next((other for other in own if other.company.type.value == "spc"), None)

    def project_company_with(self, member: TeamMember) -> TeamMember | None:
        """The project company, when ``member`` sits in its consortium too (LG CNS in Smart
        City Busan as well as leading The 인): the lead and the company are one door."""
        for company in self.members:
            if company.company.type.value != "spc" or company is member:
                continue
            listed = {company_id for company_id, _, _ in members_of(company.consortium)}
            if member.company.id in listed:
                return company
        return None

    def covers(self, sectors: frozenset[str]) -> list[tuple[TeamMember, str]]:
        """Members listing any of ``sectors``, with the sector each lists."""
        return [
            (member, sector)
            for member in self.members
            for sector in member.company.capabilities
            if sector in sectors
        ]


def team_of(catalog: Catalog, project: Project) -> Team:
    live = tuple(c for c in project.consortia if c.status in LIVE_STATUSES)
    history = tuple(c for c in project.consortia if c.status not in LIVE_STATUSES)
    members: dict[str, TeamMember] = {}
    # The private consortium before the project company: its lead is the first door.
    for consortium in sorted(live, key=_private_first):
        listed = {member.company: member for member in consortium.members}
        for company_id, role, is_lead in members_of(consortium):
            company = catalog.companies.get(company_id)
            if company is None or company_id in members:
                continue
            entry = listed.get(company_id)
            members[company_id] = TeamMember(
                company,
                consortium,
                role,
                is_lead,
                entry.confirmed if entry else True,
                entry.note if entry else None,
            )
    unnamed = sum(consortium.unnamed_members for consortium in live)
    return Team(project, live, tuple(members.values()), unnamed, history)


def _private_first(consortium: Consortium) -> tuple[bool, str]:
    return (consortium.lead is None, consortium.id)
