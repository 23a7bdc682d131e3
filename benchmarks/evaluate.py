"""Offline evaluation of the advice against the real consortia in the data.

    python benchmarks/evaluate.py            # the shipped data
    python benchmarks/evaluate.py DATA_DIR   # another catalog

For every member of a live team whose capabilities the data knows: hide it from that
project's consortia, ask for its capabilities as a startup would, and see where its
project lands among all projects. Measured twice: over the projects still going (the
leads a founder can act on, which kpartner is for) and over every project. A good
ranking puts the project the member really joined near the top. Results are averaged
per project first (so the two big pilots, with most members, cannot carry the score),
then over projects, and printed beside naive baselines. This measures; it asserts
nothing (tests/test_evaluation.py checks the claims the README makes about it).
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kpartner import load_catalog, shipped_data_dir
from kpartner.catalog import Catalog
from kpartner.matching import data_as_of, rank
from kpartner.models import Consortium, Project
from kpartner.query import How, Query, ResolvedTerm
from kpartner.ranking import FINISHED, Filters
from kpartner.results import Kind
from kpartner.teams import team_of

Ranker = Callable[[Catalog, list[str]], list[str]]  # (catalog, asked sectors) → project ids


@dataclass(frozen=True)
class Case:
    project: str
    company: str
    sectors: tuple[str, ...]
    catalog: Catalog  # the catalog with the company hidden from the project's consortia


@dataclass(frozen=True)
class Score:
    hit_at_3: float
    mrr: float
    projects: int
    cases: int


def cases(catalog: Catalog, going_only: bool = False) -> Iterator[Case]:
    """Every held-out member; ``going_only``: only of projects still going (not completed
    or stopped) — the leads a founder can act on."""
    for project in catalog.projects.values():
        if going_only and project.status in FINISHED:
            continue
        team = team_of(catalog, project)
        for member in team.members:
            if member.company.capabilities:
                yield Case(
                    project.id,
                    member.company.id,
                    tuple(member.company.capabilities),
                    _without(catalog, project, member.company.id),
                )


def _without(catalog: Catalog, project: Project, company: str) -> Catalog:
    def strip(consortium: Consortium) -> Consortium:
        return consortium.model_copy(
            update={
                "lead": None if consortium.lead == company else consortium.lead,
                "members": [m for m in consortium.members if m.company != company],
            }
        )

    hidden = project.model_copy(update={"consortia": [strip(c) for c in project.consortia]})
    projects = {**catalog.projects, project.id: hidden}
    return Catalog(catalog.sectors, projects, catalog.companies, catalog.data_dir)


def kpartner(catalog: Catalog, sectors: list[str]) -> list[str]:
    query = Query(tuple(ResolvedTerm(s, s, How.EXACT, 100.0, s) for s in sectors), ())
    # "Today" is the catalog's own date, so the same data always evaluates the same.
    # Projects abroad are candidates too: the question is which project fits a member.
    filters = Filters(kinds=frozenset({Kind.OPPORTUNITY}), top=None, abroad=True)
    results = rank(catalog, query, filters, data_as_of(catalog)).results
    listed = [match.id for match in results]
    # Projects kpartner does not list (nothing relevant) follow in id order, as ties do
    # in the baselines, so every ranker ranks every project.
    return listed + sorted(set(catalog.projects) - set(listed))


def kpartner_fit_only(catalog: Catalog, sectors: list[str]) -> list[str]:
    """kpartner with every project's stage, route and open slots counted alike: how well it
    knows who fits, apart from what is a live lead in Korea today."""
    from kpartner import ranking

    saved, stale, overseas = dict(ranking.STAGE), ranking.STALE_FACTOR, ranking.OVERSEAS_FACTOR
    built, taken = ranking.BUILT, ranking.TAKEN
    ranking.STAGE.update(dict.fromkeys(ranking.STAGE, 1.0))
    ranking.STALE_FACTOR = ranking.OVERSEAS_FACTOR = 1.0
    ranking.BUILT = frozenset()  # a built project's gaps count as if it were still building
    # A member doing the asked sector shows the project is in that line of work (fit), even
    # though the slot is no opening for a founder (a lead judgement, left out here).
    ranking.TAKEN = frozenset()
    try:
        return kpartner(catalog, sectors)
    finally:
        ranking.STAGE.update(saved)
        ranking.STALE_FACTOR, ranking.OVERSEAS_FACTOR = stale, overseas
        ranking.BUILT, ranking.TAKEN = built, taken


def _by(catalog: Catalog, key: Callable[[Project], float]) -> list[str]:
    return [p.id for p in sorted(catalog.projects.values(), key=lambda p: (-key(p), p.id))]


def biggest_focus(catalog: Catalog, sectors: list[str]) -> list[str]:
    return _by(catalog, lambda p: len(catalog.project_sectors[p.id]))


def most_members(catalog: Catalog, sectors: list[str]) -> list[str]:
    return _by(catalog, lambda p: team_of(catalog, p).size)


def most_shared(catalog: Catalog, sectors: list[str]) -> list[str]:
    asked = set(sectors)
    return _by(catalog, lambda p: len(asked & set(catalog.project_sectors[p.id])))


def tfidf_cosine(catalog: Catalog, sectors: list[str]) -> list[str]:
    total = len(catalog.projects)
    counts: dict[str, int] = {}
    for focus in catalog.project_sectors.values():
        for sector in focus:
            counts[sector] = counts.get(sector, 0) + 1

    def idf(sector: str) -> float:
        return math.log((1 + total) / (1 + counts.get(sector, 0))) + 1

    asked = set(sectors)
    asked_norm = math.sqrt(sum(idf(s) ** 2 for s in asked))

    def cosine(project: Project) -> float:
        focus = set(catalog.project_sectors[project.id])
        norm = math.sqrt(sum(idf(s) ** 2 for s in focus))
        shared = sum(idf(s) ** 2 for s in asked & focus)
        return shared / (asked_norm * norm) if norm and asked_norm else 0.0

    return _by(catalog, cosine)


RANKERS: dict[str, Ranker] = {
    "kpartner": kpartner,
    "kpartner, fit only": kpartner_fit_only,
    "biggest focus first": biggest_focus,
    "most members first": most_members,
    "most shared sectors first": most_shared,
    "tf-idf cosine": tfidf_cosine,
}


def evaluate(catalog: Catalog, ranker: Ranker, going_only: bool = False) -> Score:
    per_project: dict[str, list[tuple[float, float]]] = {}
    for case in cases(catalog, going_only):
        ranked = ranker(case.catalog, list(case.sectors))
        position = ranked.index(case.project) + 1 if case.project in ranked else None
        hit = 1.0 if position is not None and position <= 3 else 0.0
        reciprocal = 1 / position if position else 0.0
        per_project.setdefault(case.project, []).append((hit, reciprocal))
    if not per_project:
        return Score(0.0, 0.0, 0, 0)
    hits = [sum(h for h, _ in rows) / len(rows) for rows in per_project.values()]
    mrrs = [sum(r for _, r in rows) / len(rows) for rows in per_project.values()]
    return Score(
        sum(hits) / len(hits),
        sum(mrrs) / len(mrrs),
        len(per_project),
        sum(len(rows) for rows in per_project.values()),
    )


def main(argv: list[str]) -> int:
    data = Path(argv[0]) if argv else shipped_data_dir()
    catalog = load_catalog(data).catalog
    if catalog is None:
        print(f"{data}: the data has errors; run kpartner validate", file=sys.stderr)
        return 3
    print(f"(data: {data})")
    for going_only, title in ((True, "projects still going"), (False, "every project")):
        print(f"\n{title}:\n")
        print("| ranking | hit@3 | MRR |")
        print("|---|---:|---:|")
        score = Score(0.0, 0.0, 0, 0)
        for name, ranker in RANKERS.items():
            score = evaluate(catalog, ranker, going_only)
            print(f"| {name} | {score.hit_at_3:.0%} | {score.mrr:.2f} |")
        print(f"\n{score.cases} held-out members of {score.projects} projects' live teams")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
