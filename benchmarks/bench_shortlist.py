"""Time a batch of 100 client shortlists against one `kpartner match` run.

    python benchmarks/bench_shortlist.py          # 100 profiles, md and html
    python benchmarks/bench_shortlist.py 300 md,html,csv,json

The batch loads the catalog once, so 100 profiles should cost at most 3 times one `match`
run of a single profile. Both are timed as whole processes (Python start-up, imports,
loading the shipped data), by CPU time, the median of repeated runs. This measures; it
asserts nothing.
"""

from __future__ import annotations

import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

from kpartner import shipped_data_dir

RUNS = 3
TARGET = 3.0  # the bound: a batch of 100 at most 3 times one match run


def write_profiles(folder: Path, count: int, seed: int = 7) -> list[Path]:
    """``count`` client profiles, each asking for 1-3 technologies of the shipped taxonomy."""
    rng = random.Random(seed)
    sectors = yaml.safe_load((shipped_data_dir() / "sectors.yaml").read_text(encoding="utf-8"))
    technologies = [s["id"] for s in sectors["sectors"] if s["kind"] == "technology"]
    paths = []
    for n in range(count):
        path = folder / f"client-{n:03}.yaml"
        profile = {
            "name": f"Client {n}",
            "technologies": rng.sample(technologies, rng.randint(1, 3)),
            "description": "A foreign startup looking for a Korean smart-city partner.",
        }
        path.write_text(yaml.safe_dump(profile, allow_unicode=True), encoding="utf-8")
        paths.append(path)
    return paths


def timed(args: list[str]) -> float:
    """The median CPU time (user + system) of ``kpartner ARGS`` as a fresh process.

    CPU time rather than wall time: on a shared machine the wall time of a short process
    swings with the load, its CPU time much less.
    """
    times = []
    for _ in range(RUNS):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        done = subprocess.run(
            [sys.executable, "-m", "kpartner", *args], capture_output=True, check=False
        )
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        times.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if done.returncode not in (0, 1):
            raise SystemExit(f"kpartner {' '.join(args[:3])} …: {done.stderr.decode()[-500:]}")
    return statistics.median(times)


def main(argv: list[str]) -> None:
    count = int(argv[0]) if argv else 100
    formats = argv[1] if len(argv) > 1 else "md,html"
    print(f"{platform.python_implementation()} {platform.python_version()}, {platform.machine()}")
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        profiles = write_profiles(folder, count)
        one = timed(["match", "--profile", str(profiles[0])])
        out = folder / "reports"
        batch = timed(
            [
                "shortlist",
                *map(str, profiles),
                "--out",
                str(out),
                "--format",
                formats,
                "--force",
            ]
        )
        files = len(list(out.iterdir()))
    ratio = batch / one
    print(f"one `match --profile`:          {one:6.2f} s CPU")
    print(f"`shortlist` of {count} profiles:  {batch:6.2f} s CPU ({files} files, {formats})")
    verdict = "within" if ratio <= TARGET else "OVER"
    print(f"ratio: {ratio:.1f} times ({verdict} the bound of {TARGET:g})")


if __name__ == "__main__":
    main(sys.argv[1:])
