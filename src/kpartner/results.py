"""The records a match produces: what renderers and scripts consume.

Every claim a result makes is an :class:`Evidence` record naming the sector, project,
consortium and company it is about, so a script can check it against the data files;
``reasons`` are the same claims as sentences.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pydantic's models: a catalog from the compiled cache holds their twins
    from kpartner.models import Source


class Kind(StrEnum):
    """What a suggestion is; also the tie-break order."""

    OPPORTUNITY = "opportunity"  # a project with the team building it and the way in
    COMPANY = "company"
    CONSORTIUM = "consortium"
    PROJECT = "project"


KINDS = tuple(Kind)


class Relation(StrEnum):
    """How a company stands to the startup."""

    PARTNER = "partner"  # integrates, operates or builds near the startup's sectors
    PEER = "peer"  # sells the startup's own technology: competitor, licensee or reseller


class EvidenceKind(StrEnum):
    DEMAND = "demand"  # a project asks for a sector near the startup's
    CAPABILITY = "capability"  # a company does a sector near the startup's
    GAP = "gap"  # a project asks for the sector and no named member of its team lists it
    TEAM = "team"  # who builds the project now, and in what role
    STATUS = "status"  # where the project stands
    HISTORY = "history"  # a lost, replaced or withdrawn bid: no credit
    PEER = "peer"  # the company sells the startup's own technology
    FIELD = "field"  # the record lies outside the field the startup names: counted less
    CAVEAT = "caveat"  # what the data does not know or does not confirm
    GROUP = "group"  # other firms of the company's business group, folded into its row


@dataclass(frozen=True, slots=True)
class Evidence:
    kind: EvidenceKind
    text: str
    sector: str | None = None
    project: str | None = None
    consortium: str | None = None
    company: str | None = None
    loose: bool = False  # counted a little, no reason on its own: kept out of a table row


@dataclass(frozen=True, slots=True)
class ProjectRef:
    id: str
    name: str
    city: str
    year: int | None
    status: str
    status_date: str


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
    stage: float  # the project's lifecycle factor the components are multiplied by
    evidence: tuple[Evidence, ...]
    sources: tuple[Source, ...]
    project: ProjectRef | None
    as_of: dt.date
    next_step: str
    company_type: str | None = None
    group: str | None = None  # the business group a company belongs to (one door with its kin)
    also: tuple[str, ...] = ()  # ids of the group's other firms folded into this row
    website: str | None = None
    relation: Relation | None = None
    rank: int = 0

    @cached_property
    def score(self) -> float:
        return round(sum(c.value * c.weight for c in self.components) * self.stage, 1)

    @property
    def reasons(self) -> tuple[str, ...]:
        """The claims in words, each said once: a claim about several sectors is one
        evidence record per sector with one text; "the project asks for Drones" is left to
        the gap that says it too."""
        gaps = {item.sector for item in self.evidence if item.kind is EvidenceKind.GAP}
        said = (
            item.text
            for item in self.evidence
            if not (item.kind is EvidenceKind.DEMAND and item.sector in gaps)
        )
        return tuple(dict.fromkeys(said))
