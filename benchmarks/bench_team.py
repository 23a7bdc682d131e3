"""Time `kpartner team` on the shipped catalog and on synthetic catalogs of 1k and 10k companies.

    python benchmarks/bench_team.py            # shipped, 1,000 and 10,000 companies
    python benchmarks/bench_team.py 10000      # chosen sizes

The synthetic catalogs are those of ``bench_match.py`` (seeded), with one project given
25 focus sectors, as many as the Sejong pilot's, so that the cover has work to do. The
timings are of building the teams (scoring, the set cover, the wording), after loading;
``match`` on the same catalog is timed beside it. It measures; it asserts nothing.
"""

from __future__ import annotations

import platform
import random
import sys
import tempfile
from pathlib import Path

import yaml

from bench_match import generate, timed
from kpartner import load_catalog, shipped_data_dir
from kpartner.catalog import Catalog
from kpartner.matching import match
from kpartner.setcover import Candidate, exact, greedy
from kpartner.teambuilder import TeamOptions, build_teams

SIZES = (1_000, 10_000)
SHIPPED_CASES = [
    ("sejong-5-1", ["drones"]),
    ("busan-eco-delta-city", ["smart parking", "robots"]),
    (None, ["ai", "traffic"]),  # the best 3 opportunities, each with its teams
]
WIDE_FOCUS = 25


def widen(folder: Path, seed: int = 11) -> None:
    """Give project-0 as many focus sectors as the Sejong pilot has."""
    path = folder / "projects.yaml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    sectors = yaml.safe_load((folder / "sectors.yaml").read_text(encoding="utf-8"))["sectors"]
    ids = [sector["id"] for sector in sectors]
    document["projects"][0]["focus"] = random.Random(seed).sample(ids, WIDE_FOCUS)
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), "utf-8")


def solver_sizes() -> None:
    """Exact against greedy on one random instance of each size: time and cost."""
    print("| candidates | elements | exact | cost | greedy | cost (bound) |")
    print("|---:|---:|---:|---:|---:|---:|")
    for count, elements in ((20, 15), (40, 25), (60, 25)):
        rng = random.Random(count)
        universe = frozenset(f"s{n}" for n in range(elements))
        candidates = [
            Candidate(
                f"c{n}",
                frozenset(rng.sample(sorted(universe), rng.randint(1, 5))),
                1 + rng.random() * 0.5,
                n,
            )
            for n in range(count)
        ]
        exact_time = timed(lambda u=universe, c=candidates: exact(u, c), 3)  # type: ignore[misc]
        greedy_time = timed(lambda u=universe, c=candidates: greedy(u, c), 3)  # type: ignore[misc]
        best, quick = exact(universe, candidates), greedy(universe, candidates)
        print(
            f"| {count} | {elements} | {exact_time * 1000:.1f} ms | {best.cost:.2f} "
            f"| {greedy_time * 1000:.2f} ms | {quick.cost:.2f} ({quick.bound:.2f}) |"
        )


def main(sizes: list[int]) -> None:
    print(f"# kpartner team benchmark — Python {platform.python_version()}, {platform.machine()}")
    print()
    shipped = load_catalog(shipped_data_dir()).catalog
    assert shipped is not None
    print(f"Shipped catalog ({len(shipped.companies)} companies):")
    print()
    print("| command | team | match |")
    print("|---|---:|---:|")
    for project, tech in SHIPPED_CASES:
        label = f"--project {project}" if project else "(no project: top 3)"
        team_time = timed(
            lambda p=project, t=tech: build_teams(shipped, tech=t, project=p),  # type: ignore[misc]
            10,
        )
        match_time = timed(lambda t=tech: match(shipped, tech=t), 10)  # type: ignore[misc]
        print(
            f"| {label} --tech {','.join(tech)} | {team_time * 1000:.0f} ms "
            f"| {match_time * 1000:.0f} ms |"
        )
    print()
    print("| companies | load | team, 25-sector project | team, top 3 | exact? |")
    print("|---:|---:|---:|---:|---|")
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            generate(folder, size)
            widen(folder)
            load_time = timed(lambda folder=folder: load_catalog(folder), 1)  # type: ignore[misc]
            catalog: Catalog | None = load_catalog(folder).catalog
            assert catalog is not None
            wide = timed(
                lambda c=catalog: build_teams(c, tech=["drones"], project="project-0"),  # type: ignore[misc]
                3,
            )
            top = timed(
                lambda c=catalog: build_teams(c, tech=["drones"], options=TeamOptions(top=3)),  # type: ignore[misc]
                3,
            )
            report = build_teams(catalog, tech=["drones"], project="project-0")
            exactness = "yes" if all(t.exact for t in report.projects[0].teams) else "greedy"
            print(f"| {size:,} | {load_time:.2f} s | {wide:.2f} s | {top:.2f} s | {exactness} |")
    print()
    solver_sizes()


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or list(SIZES))
