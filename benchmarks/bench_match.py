"""Time loading and matching on synthetic catalogs of 1k, 10k and 100k companies.

    python benchmarks/bench_match.py            # all sizes
    python benchmarks/bench_match.py 1000 10000 # chosen sizes

The catalog is generated (seeded, so every run builds the same one) with the shipped
taxonomy, one project per 20 companies, and consortia of 3 to 12 members; its records carry
Korean names and fields as long as the shipped catalog's on average (descriptions, notes,
sources, roles, summaries, timelines). It is written
as YAML and read back through the real loader, so the timings include parsing, line
marks, validation and cross-checks. This measures; it asserts nothing.
"""

from __future__ import annotations

import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from kpartner import load_catalog, shipped_data_dir
from kpartner.catalog import Catalog
from kpartner.matching import match
from kpartner.ranking import Filters

SIZES = (1_000, 10_000, 100_000)
QUERIES: list[tuple[str, list[str], str | None]] = [
    ("--tech drones,5g", ["drones", "5g"], None),
    ("--tech 드론,5G", ["드론", "5G"], None),
    ("--tech autonomus vehicles (typo)", ["autonomus vehicles"], None),
    ("--describe (sentence)", [], "AI-powered drones for last-mile delivery over 5G"),
]
SOURCE = {"url": "https://example.org/synthetic", "published": "2025-01-01"}


def generate(folder: Path, companies: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    shutil.copy(shipped_data_dir() / "sectors.yaml", folder / "sectors.yaml")
    sectors = yaml.safe_load((folder / "sectors.yaml").read_text(encoding="utf-8"))["sectors"]
    ids = [sector["id"] for sector in sectors]
    types = ["telecom", "it-services", "finance", "construction", "startup", "sme", "automotive"]
    company_ids = [f"company-{n}" for n in range(companies)]
    company_rows = []
    for n, company_id in enumerate(company_ids):
        capabilities = rng.sample(ids, rng.randint(0, 4))
        company_rows.append(
            {
                "id": company_id,
                "name": f"Company {n}",
                "name_ko": _hangul(rng, 2, 6),
                "type": rng.choice(types),
                "capabilities": capabilities,
                "sells": capabilities[: rng.randint(0, len(capabilities))],
                "website": f"https://www.company-{n}.example.kr",
                "description": _prose(rng, 74),
                "sources": _sources(rng, 3),
                "as_of": "2025-01-01",
                "notes": [_prose(rng, 119) for _ in range(rng.randint(0, 4))],
            }
        )
    statuses = ["selected", "selected", "lost", "replaced", "bidding"]
    project_rows = []
    for n in range(max(1, companies // 20)):
        consortia = []
        for c in range(rng.randint(1, 3)):
            members = rng.sample(company_ids, rng.randint(3, 12))
            consortia.append(
                {
                    "id": f"consortium-{n}-{c}",
                    "name": f"Consortium {n}-{c}",
                    "name_ko": f"{_hangul(rng, 2, 4)} 컨소시엄",
                    "status": rng.choice(statuses),
                    "lead": members[0],
                    "members": [{"company": member, "role": _prose(rng, 40)} for member in members],
                    "sources": _sources(rng, 2),
                    "as_of": "2025-01-01",
                }
            )
        project_rows.append(
            {
                "id": f"project-{n}",
                "name": f"Project {n}",
                "city": f"City {n % 70}",
                "programme": "small-city",
                "year": 2019 + n % 7,
                "status": rng.choice(["selected", "under-way", "planned"]),
                "status_date": "2025-01-01",
                "status_source": SOURCE,
                "focus": rng.sample(ids, rng.randint(2, 8)),
                "summary": _prose(rng, 109),
                "timeline": [
                    {"date": f"202{k}-0{k + 1}", "event": _prose(rng, 60)}
                    for k in range(rng.randint(1, 5))
                ],
                "consortia": consortia,
                "sources": _sources(rng, 5),
                "as_of": "2025-01-01",
            }
        )
    for name, rows in (("companies", company_rows), ("projects", project_rows)):
        text = yaml.safe_dump({name: rows}, allow_unicode=True, sort_keys=False)
        (folder / f"{name}.yaml").write_text(text, encoding="utf-8")


# Field sizes follow the shipped catalog's means: a company has 3.4 sources, a 74-character
# description, 2.4 notes of 119 characters and a Korean name; a project 5.2 sources, a
# 109-character summary and 3 timeline events.
_WORDS = [
    "smart",
    "city",
    "data",
    "platform",
    "pilot",
    "service",
    "drone",
    "network",
    "partner",
    "project",
]


def _hangul(rng: random.Random, low: int, high: int) -> str:
    return "".join(chr(rng.randint(0xAC00, 0xD7A3)) for _ in range(rng.randint(low, high)))


def _prose(rng: random.Random, mean: int) -> str:
    """About ``mean`` characters of English and Korean words."""
    words: list[str] = []
    while sum(len(w) + 1 for w in words) < rng.randint(mean // 2, mean * 3 // 2):
        words.append(rng.choice(_WORDS) if rng.random() < 0.7 else _hangul(rng, 2, 4))
    return " ".join(words)


def _sources(rng: random.Random, mean: int) -> list[dict[str, str]]:
    return [
        {
            "url": f"https://news.example.kr/article/{rng.randint(1, 10**9)}",
            "title": _prose(rng, 50),
            "publisher": "news.example.kr",
            "published": f"202{rng.randint(0, 5)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
        }
        for _ in range(max(1, rng.randint(mean - 2, mean + 2)))
    ]


def timed(action: Callable[[], object], repeat: int) -> float:
    """Median wall time of ``repeat`` runs, in seconds."""
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main(sizes: list[int]) -> None:
    print(f"# kpartner benchmark — Python {platform.python_version()}, {platform.machine()},")
    print(f"# {platform.processor() or platform.platform()}; median of repeated runs")
    print()
    print("| companies | projects | YAML size | load + validate | query | match |")
    print("|---:|---:|---:|---:|---|---:|")
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            generate(folder, size)
            megabytes = sum(p.stat().st_size for p in folder.glob("*.yaml")) / 1e6
            repeat = 5 if size <= 10_000 else 1
            load_time = timed(lambda folder=folder: load_catalog(folder), repeat)  # type: ignore[misc]
            result = load_catalog(folder)
            assert result.catalog is not None, result.problems[:3]
            catalog: Catalog = result.catalog
            for label, tech, describe in QUERIES:
                match_time = timed(
                    lambda tech=tech, describe=describe, catalog=catalog: match(  # type: ignore[misc]
                        catalog, tech=tech, describe=describe, filters=Filters(top=10)
                    ),
                    repeat,
                )
                print(
                    f"| {size:,} | {len(catalog.projects):,} | {megabytes:.1f} MB "
                    f"| {load_time:.2f} s | {label} | {match_time * 1000:.0f} ms |"
                )
    shipped = load_catalog(shipped_data_dir()).catalog
    assert shipped is not None
    shipped_load = timed(lambda: load_catalog(shipped_data_dir()), 10)
    shipped_match = timed(lambda: match(shipped, tech=["drones", "5g"]), 10)
    print()
    print(
        f"Shipped catalog ({len(shipped.companies)} companies): load {shipped_load * 1000:.0f} ms, "
        f"match --tech drones,5g {shipped_match * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or list(SIZES))
