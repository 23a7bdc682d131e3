"""How close two sectors are: the graph that lets a drone startup find a delivery project.

Domains form a tree (``drt`` is part of ``smart-mobility``); technologies point at the
domains they serve (``drones`` serve ``non-contact-delivery``). ``relate`` says how a
sector the user asked for stands to a sector a project or company lists, and how much
that counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pydantic's models: a catalog from the compiled cache holds their twins
    from kpartner.models import Sector


class Link(StrEnum):
    SAME = "same"  # the very sector
    BROADER = "broader"  # the target is a broader domain ("smart mobility" for DRT)
    NARROWER = "narrower"  # the target is part of the asked domain
    SERVES = "serves"  # the asked technology serves the target domain
    SERVED_BY = "served-by"  # the target technology serves the asked domain
    RELATED = "related"  # a close technology (blockchain and fintech)
    SIBLING = "sibling"  # another part of the same domain (MaaS and shared mobility)


# An exact hit is strong evidence; a link much less. Halving the links' first weights
# (0.8 for a broader domain, 0.6 for a served one) ranked the real consortia better in
# the offline evaluation (benchmarks/evaluate.py).
WEIGHTS: dict[Link, float] = {
    Link.SAME: 1.0,
    Link.BROADER: 0.5,
    Link.NARROWER: 0.5,
    Link.RELATED: 0.4,
    Link.SERVES: 0.35,
    Link.SIBLING: 0.35,
    Link.SERVED_BY: 0.3,
}
INDIRECT_SERVES_WEIGHT = 0.15  # serves a domain broader or narrower than the target
FIELD_WEIGHT = 0.2  # the target is the asked domain's top-level field


@dataclass(frozen=True, slots=True)
class Relation:
    link: Link
    weight: float
    via: str | None = None  # for SERVES/SERVED_BY: the domain in between


class Taxonomy:
    def __init__(self, sectors: dict[str, Sector]) -> None:
        self.sectors = sectors
        self._ancestors = {sector_id: self._walk_up(sector_id) for sector_id in sectors}
        self._relations: dict[str, dict[str, Relation]] = {}
        self._related: set[tuple[str, str]] = set()
        for sector in sectors.values():
            for other in sector.related:
                self._related |= {(sector.id, other), (other, sector.id)}

    def _walk_up(self, sector_id: str) -> tuple[str, ...]:
        chain: list[str] = []
        current = self.sectors[sector_id].parent
        while current is not None and current in self.sectors and current not in chain:
            chain.append(current)
            current = self.sectors[current].parent
        return tuple(chain)

    def ancestors(self, sector_id: str) -> tuple[str, ...]:
        return self._ancestors.get(sector_id, ())

    def _tree_link(self, asked: str, target: str) -> Link | None:
        if asked == target:
            return Link.SAME
        if target in self.ancestors(asked):
            return Link.BROADER
        if asked in self.ancestors(target):
            return Link.NARROWER
        parent = self.sectors[asked].parent if asked in self.sectors else None
        # Parts of one domain are close (MaaS, shared mobility); parts of one of the five
        # top-level fields (mobility, logistics) are not.
        if (
            parent is not None
            and self.ancestors(parent)
            and target in self.sectors
            and self.sectors[target].parent == parent
        ):
            return Link.SIBLING
        return None

    def relate(self, asked: str, target: str) -> Relation | None:
        """How ``target`` (a project's or company's sector) stands to ``asked``, if at all."""
        return self.related_to(asked).get(target)

    def related_to(self, asked: str) -> dict[str, Relation]:
        """Every sector related to ``asked``, worked out once: a large catalog asks often."""
        found = self._relations.get(asked)
        if found is None:
            found = {}
            for target in self.sectors:
                relation = self._relate(asked, target)
                if relation is not None:
                    found[target] = relation
            self._relations[asked] = found
        return found

    def _relate(self, asked: str, target: str) -> Relation | None:
        link = self._tree_link(asked, target)
        if link is Link.BROADER and self.sectors[target].parent is None:
            # One of the five top-level fields ("transport and logistics") says little.
            return Relation(link, FIELD_WEIGHT)
        if link is not None:
            return Relation(link, WEIGHTS[link])
        best: Relation | None = None
        if (asked, target) in self._related:
            best = Relation(Link.RELATED, WEIGHTS[Link.RELATED])
        for domain in self._served(asked):
            tree = self._tree_link(domain, target)
            if tree is not None:
                weight = WEIGHTS[Link.SERVES] if tree is Link.SAME else INDIRECT_SERVES_WEIGHT
                best = _better(best, Relation(Link.SERVES, weight, domain))
        for domain in self._served(target):
            tree = self._tree_link(asked, domain)
            if tree is Link.SAME:
                best = _better(best, Relation(Link.SERVED_BY, WEIGHTS[Link.SERVED_BY], domain))
        return best

    def _served(self, sector_id: str) -> list[str]:
        sector = self.sectors.get(sector_id)
        return list(sector.serves) if sector else []

    def best(self, asked: str, targets: Sequence[str]) -> tuple[str, Relation] | None:
        """The closest of ``targets`` to ``asked`` (first in list order on ties)."""
        related = self.related_to(asked)
        found: tuple[str, Relation] | None = None
        for target in targets:
            relation = related.get(target)
            if relation is not None and (found is None or relation.weight > found[1].weight):
                found = (target, relation)
        return found


def _better(current: Relation | None, candidate: Relation) -> Relation:
    return candidate if current is None or candidate.weight > current.weight else current
