"""Every claim kpartner makes checks out against the data files.

The checker reads the YAML itself (plain ``yaml.safe_load``, none of kpartner's models,
taxonomy or ranking code) and verifies each evidence record of every result for many
founders' queries: a gap is a sector the project names and no live team member lists, a
team is a live consortium of that project, a capability is one the company lists, and a
record said to lie outside the named field asks for (or does) nothing in it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from kpartner import load_catalog
from kpartner.matching import match
from kpartner.ranking import Filters
from kpartner.results import Evidence, EvidenceKind, Kind, Match

from .conftest import DATA, MINI

LIVE = {"selected", "preferred-bidder", "bidding"}
PRODUCT_TYPES = {"startup", "sme", "security", "electronics", "mobility"}

QUERIES: list[list[str]] = [
    ["maas"],
    ["drone delivery", "BVLOS"],
    ["drones", "drone delivery", "BVLOS"],
    ["blockchain", "digital identity"],
    ["water quality", "IoT sensors"],
    ["AI", "traffic management"],
    ["robots", "smart parking"],
    ["parking robot", "smart parking", "robots"],
    ["AI", "traffic management", "computer vision"],
    ["digital twin"],
    ["autonomous shuttles"],
    ["telemedicine", "remote patient monitoring"],
    ["energy storage", "smart grid"],
    ["smart farm"],
    ["IoT security"],
    ["drones", "5g"],
    ["fintech"],
    ["cybersecurity"],
    ["smart mobility"],
    ["hydrogen"],
    ["healthcare"],
]


class Raw:
    """The data as plain YAML: what the checker trusts."""

    def __init__(self, folder: Path) -> None:
        def read(name: str) -> Any:
            return yaml.safe_load((folder / f"{name}.yaml").read_text(encoding="utf-8"))

        sectors = read("sectors")["sectors"]
        self.parents = {s["id"]: s.get("parent") for s in sectors}
        self.kinds = {s["id"]: s["kind"] for s in sectors}
        self.sectors = {s["id"]: s for s in sectors}
        self.projects = {p["id"]: p for p in read("projects")["projects"]}
        self.companies = {c["id"]: c for c in read("companies")["companies"]}
        self.consortia = {
            c["id"]: (p["id"], c) for p in self.projects.values() for c in p.get("consortia", [])
        }

    def focus(self, project: str) -> set[str]:
        record = self.projects[project]
        return set(record["focus"]) | {
            s for z in record.get("zones", []) for s in z.get("focus", [])
        }

    def within(self, sector: str) -> set[str]:
        """The sector and every domain whose chain of parents reaches it."""
        found = {sector}
        for candidate in self.parents:
            current = self.parents.get(candidate)
            seen = set()
            while current and current not in seen:
                if current == sector:
                    found.add(candidate)
                seen.add(current)
                current = self.parents.get(current)
        return found

    def field(self, sector: str) -> set[str]:
        """Working in a field: the field, a part of it, or a domain around it."""
        found = self.within(sector)
        current = self.parents.get(sector)
        while current and current not in found:
            found.add(current)
            current = self.parents.get(current)
        return found

    def live_members(self, project: str) -> set[str]:
        members = set()
        for consortium in self.projects[project].get("consortia", []):
            if consortium["status"] in LIVE:
                members |= {m["company"] for m in consortium.get("members", [])}
                if consortium.get("lead"):
                    members.add(consortium["lead"])
        return members

    def lists(self, company: str) -> set[str]:
        return set(self.companies[company].get("capabilities", []))

    def in_consortium(self, company: str, consortium: str) -> bool:
        record = self.consortia[consortium][1]
        return record.get("lead") == company or any(
            m["company"] == company for m in record.get("members", [])
        )


def check(raw: Raw, evidence: Evidence, asked: set[str]) -> None:
    kind, sector, project = evidence.kind, evidence.sector, evidence.project
    company, consortium = evidence.company, evidence.consortium
    if project is not None:
        assert project in raw.projects
    if consortium is not None:
        assert consortium in raw.consortia
        if project is not None:
            assert raw.consortia[consortium][0] == project
    if kind is EvidenceKind.DEMAND:
        assert project is not None
        assert sector in raw.focus(project)
    elif kind is EvidenceKind.GAP:
        assert project is not None
        assert sector is not None
        assert consortium is not None
        assert raw.consortia[consortium][1]["status"] in LIVE
        scope = raw.within(sector)
        assert raw.focus(project) & scope, "the project does not ask for it"
        for member in raw.live_members(project):
            assert not raw.lists(member) & scope, f"{member} lists it: no gap"
    elif kind is EvidenceKind.TEAM:
        if consortium is not None:
            assert raw.consortia[consortium][1]["status"] in LIVE
            if company is not None:
                assert raw.in_consortium(company, consortium)
    elif kind is EvidenceKind.CAPABILITY:
        assert company is not None
        assert sector in raw.lists(company)
        if project is not None:
            assert company in raw.live_members(project)
    elif kind is EvidenceKind.HISTORY:
        assert consortium is not None
        assert raw.consortia[consortium][1]["status"] not in LIVE
        if company is not None:
            assert raw.in_consortium(company, consortium)
    elif kind is EvidenceKind.PEER:
        assert company is not None
        sells = raw.companies[company].get("sells")
        if sells is None:
            assert raw.companies[company]["type"] in PRODUCT_TYPES
            assert raw.lists(company) & asked, "a peer sells one of the asked sectors"
        else:
            # Its own product line is one of the asked sectors or a narrower part of one.
            assert any(own in raw.within(s) for own in sells for s in asked), sells
    elif kind is EvidenceKind.FIELD and evidence.sector is not None:
        # Asking only for what the startup's technology is used for: the project's focus
        # names neither the technology, a part of it, the domain around it nor a technology
        # it is related to.
        technology = evidence.sector
        assert project is not None
        assert raw.kinds[technology] == "technology"
        related = set(raw.sectors[technology].get("related", []))
        related |= {s for s, r in raw.sectors.items() if technology in r.get("related", [])}
        assert not raw.focus(project) & (raw.field(technology) | related)
    elif kind is EvidenceKind.FIELD:
        # Outside the fields the startup names: the project asks for, or the company does,
        # none of them, no part of them and no domain around them.
        fields = {s for s in asked if raw.kinds.get(s) == "domain"}
        assert fields, "no field was named"
        scope = set().union(*(raw.field(f) for f in fields))
        if company is not None:
            assert not raw.lists(company) & scope
        else:
            assert project is not None
            assert not raw.focus(project) & scope
    elif kind is EvidenceKind.GROUP:
        # Folded into the row of a firm of the same business group.
        assert company is not None
        group = raw.companies[company].get("group")
        assert group
        assert f"({group})" in evidence.text
    elif kind is EvidenceKind.STATUS:
        assert project is not None
        assert str(raw.projects[project]["status_date"]) in evidence.text


def _asked(folder: Path, terms: list[str]) -> set[str]:
    catalog = load_catalog(folder).catalog
    assert catalog is not None
    return set(match(catalog, tech=terms).query.sectors)


def _results(folder: Path, terms: list[str], kinds: frozenset[Kind]) -> list[Match]:
    catalog = load_catalog(folder).catalog
    assert catalog is not None
    report = match(catalog, tech=terms, filters=Filters(kinds=kinds, top=None))
    return [*report.results, *report.peers]


@pytest.fixture(scope="module")
def raw() -> Raw:
    return Raw(DATA)


@pytest.mark.parametrize("terms", QUERIES, ids=lambda t: ",".join(t))
@pytest.mark.parametrize("kind", list(Kind), ids=str)
def test_every_claim_checks_out(raw: Raw, terms: list[str], kind: Kind) -> None:
    checked = 0
    asked = _asked(DATA, terms)
    for result in _results(DATA, terms, frozenset({kind})):
        for evidence in result.evidence:
            try:
                check(raw, evidence, asked)
            except AssertionError as exc:
                raise AssertionError(f"{result.id}: {evidence}: {exc}") from None
            checked += 1
    assert checked > 0


def test_the_checker_catches_a_false_gap() -> None:
    raw = Raw(MINI)
    false_gap = Evidence(EvidenceKind.GAP, "fills a gap", "5g", "alpha-city", "alpha-one", None)
    with pytest.raises(AssertionError):
        check(raw, false_gap, {"5g"})  # Alpha does not ask for 5G, and its members list it


def test_the_checker_catches_a_false_field_claim() -> None:
    raw = Raw(MINI)
    # Beta town asks for DRT itself: it is not outside DRT's field.
    outside = Evidence(EvidenceKind.FIELD, "does not ask for DRT", None, "beta-town", None, None)
    with pytest.raises(AssertionError):
        check(raw, outside, {"drones", "drt"})


def test_the_checker_catches_a_false_use_only_claim() -> None:
    raw = Raw(MINI)
    # Alpha asks for delivery only (no drones): true. Beta asks for DRT, a domain: a use-only
    # claim names a technology, never a domain.
    said = "does not ask for Drones: a lead only if it would use your technology for it"
    check(raw, Evidence(EvidenceKind.FIELD, said, "drones", "alpha-city"), {"drones"})
    with pytest.raises(AssertionError):
        check(raw, Evidence(EvidenceKind.FIELD, said, "drt", "beta-town"), {"drones", "drt"})


def test_the_mini_catalog_claims_check_out_too() -> None:
    raw = Raw(MINI)
    for terms in (["smart mobility"], ["5g"], ["drones"]):
        for kind in Kind:
            for result in _results(MINI, terms, frozenset({kind})):
                for evidence in result.evidence:
                    check(raw, evidence, _asked(MINI, terms))
