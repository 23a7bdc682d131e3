"""Time ``kpartner validate`` on a clean catalog and on one full of broken references.

    python benchmarks/bench_validate.py            # 10k companies
    python benchmarks/bench_validate.py 20000      # chosen sizes

Each broken reference (a parent company that does not exist) is a problem with a "did
you mean". Those used to be looked up by a pass over every known id each, so 10k broken
references took 12 times a clean run and 20k took 100 times; the suggestions now come
from an index built once and only for the problems shown, so a broken catalog costs
about what a clean one does. This measures; it asserts nothing.
"""

from __future__ import annotations

import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

from kpartner.validation import validate_paths

sys.path.insert(0, str(Path(__file__).parent))
from bench_match import generate

__all__ = ["break_references", "generate", "timed"]

SIZES = (10_000,)


def break_references(folder: Path) -> int:
    """Give every company a parent that does not exist; return how many."""
    path = folder / "companies.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for n, company in enumerate(data["companies"]):
        company["parent"] = f"missing-company-{n}"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return len(data["companies"])


def timed(folder: Path, repeat: int) -> tuple[float, int]:
    """Median seconds of ``repeat`` validations, and the problems of the last one."""
    samples = []
    problems = 0
    for _ in range(repeat):
        started = time.perf_counter()
        report = validate_paths([folder])
        samples.append(time.perf_counter() - started)
        problems = len(report.problems)
    return statistics.median(samples), problems


def main(sizes: list[int]) -> None:
    print(f"# kpartner validate — Python {platform.python_version()}, {platform.machine()}")
    print()
    print("| companies | broken references | validate | problems shown |")
    print("|---:|---:|---:|---:|")
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            generate(folder, size)
            clean, shown = timed(folder, 3)
            print(f"| {size:,} | 0 | {clean:.2f} s | {shown} |")
            broken = break_references(folder)
            slow, shown = timed(folder, 3)
            print(f"| {size:,} | {broken:,} | {slow:.2f} s ({slow / clean:.1f}x) | {shown} |")


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or list(SIZES))
