"""Measure every ratio of the speed targets (issue 11) as whole processes, in one run.

    python benchmarks/bench_targets.py               # 10k and 100k companies
    python benchmarks/bench_targets.py --no-100k     # skip the 100k catalog (minutes to build)
    python benchmarks/bench_targets.py --start-up    # only the start-up ratio, more runs

Every measure runs a fresh Python process (``python -m kpartner ...`` or a one-line
``python -c``), side by side in the same run — the measures of a ratio take turns, so a
swing in a shared machine's load falls on both sides — and takes the median wall time of
a few runs; peak memory is the child's maximum resident set (``wait4``). Each run gets its own
empty cache folder (``XDG_CACHE_HOME``): a *first* run starts from an empty cache, a
*repeated* run follows one that filled it. The catalogs come from ``bench_match.generate``
(seeded, so every run builds the same ones). This measures; it asserts nothing.

kpartner's modules are byte-compiled first, as installing kpartner does: in a checkout
installed for development (``pip install -e``) with ``PYTHONDONTWRITEBYTECODE`` set, every
run would otherwise compile them from source again (about 30 ms), which no installed
kpartner does — and the baseline's packages, installed, are byte-compiled.
"""

from __future__ import annotations

import compileall
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import kpartner
from kpartner import shipped_data_dir

PYTHON = sys.executable
IMPORTS = "import typer, rich, pydantic, yaml, rapidfuzz"
PARSE = (
    "import sys, yaml\n"
    "for path in sys.argv[1:]:\n"
    "    with open(path, 'rb') as f: yaml.load(f, Loader=yaml.CSafeLoader)\n"
)
GENERATE = (
    f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r})\n"
    "from pathlib import Path; from bench_match import generate\n"
    "generate(Path(sys.argv[1]), int(sys.argv[2]))\n"
)
MATCH = ["-m", "kpartner", "match", "--tech", "drones,5g", "--format", "json"]
# The same options parsed by a typer command that does nothing: the start-up floor.
FLOOR = [str(Path(__file__).parent / "typer_floor.py"), *MATCH[2:]]


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mb: float


def run(args: list[str], env: dict[str, str]) -> Run:
    """One process: wall time and peak resident memory. Fails loudly on a bad exit."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [PYTHON, *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
    if process.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(args)} exited {process.returncode}: {stderr[-500:]}")
    return Run(seconds, usage.ru_maxrss / 1024)


def summary(runs: list[Run]) -> Run:
    """The median time and the largest peak of a measure's runs."""
    return Run(statistics.median(r.seconds for r in runs), max(r.peak_mb for r in runs))


def side_by_side(measures: dict[str, Callable[[], Run]], repeat: int) -> dict[str, Run]:
    """Each measure ``repeat`` times, taking turns: a swing in the machine's load (it is
    shared) falls on every side of a ratio alike, not on one measure's whole series."""
    runs: dict[str, list[Run]] = {name: [] for name in measures}
    for _ in range(repeat):
        for name, measure in measures.items():
            runs[name].append(measure())
    return {name: summary(found) for name, found in runs.items()}


def environment(cache: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["XDG_CACHE_HOME"] = str(cache)
    env["KPARTNER_TODAY"] = "2026-01-01"
    env.pop("KPARTNER_DATA", None)
    return env


def warm(args: list[str], cache: Path) -> Callable[[], Run]:
    """A repeated run: one run fills ``cache`` now, each measured run reads it."""
    env = environment(cache)
    run(args, env)
    return lambda: run(args, env)


def cold(args: list[str], root: Path) -> Callable[[], Run]:
    """A first run: each measured run starts from a new, empty cache folder."""
    count = iter(range(1_000_000))
    return lambda: run(args, environment(root / f"cache-cold-{next(count)}"))


def plain(args: list[str], root: Path) -> Callable[[], Run]:
    env = environment(root / "cache-plain")
    return lambda: run(args, env)


def machine() -> str:
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    # typer's version matters: from 0.29 it builds a pydantic adapter per option on every run.
    return (
        f"Python {platform.python_version()}, {platform.system()} {platform.machine()}, "
        f"{model}, {os.cpu_count()} cores, typer {version('typer')}, pydantic {version('pydantic')}"
    )


def row(measure: str, value: str, target: str, holds: bool | None = None) -> None:
    verdict = "" if holds is None else ("yes" if holds else "**no**")
    print(f"| {measure} | {value} | {target} | {verdict} |")


def byte_compile() -> None:
    """kpartner's modules compiled to bytecode beside them, as an install compiles them."""
    package = Path(kpartner.__file__).parent
    if not compileall.compile_dir(package, quiet=1, maxlevels=0):
        print(f"# could not byte-compile every module in {package}: runs compile them again")


START_UP_RUNS = 9
START_UP_RUNS_ALONE = 21


def start_up(root: Path, repeat: int) -> dict[str, Run]:
    """The shipped-data run, the typer floor and the dependencies' import, taking turns."""
    shipped_args = [*MATCH, "--data", str(shipped_data_dir())]
    return side_by_side(
        {
            "imports": plain(["-c", IMPORTS], root),
            "shipped": warm(shipped_args, root / "cache-shipped"),
            "floor": plain(FLOOR, root),
        },
        repeat,
    )


def start_up_rows(start: dict[str, Run]) -> None:
    imports, shipped, floor = start["imports"], start["shipped"], start["floor"]
    ratio = shipped.seconds / imports.seconds
    row(
        f"`match` on the shipped data ({shipped.seconds * 1000:.0f} ms) ÷ importing the "
        f"dependencies ({imports.seconds * 1000:.0f} ms)",
        f"{ratio:.2f}x",
        "≤ 1.3x",
        ratio <= 1.3,
    )
    row(
        f"(floor: a typer command with `match`'s options and an empty body "
        f"({floor.seconds * 1000:.0f} ms) ÷ importing the dependencies)",
        f"{floor.seconds / imports.seconds:.2f}x",
        "—",
    )


def main_start_up() -> None:
    """Only the start-up ratio, with more runs: what a change to start-up is judged by."""
    byte_compile()
    print(f"# kpartner start-up — {machine()}")
    print(f"# whole processes, median wall time of {START_UP_RUNS_ALONE} runs each, taking turns")
    print()
    with tempfile.TemporaryDirectory() as tmp:
        start = start_up(Path(tmp), START_UP_RUNS_ALONE)
    print("| measure | now | target | holds |")
    print("|---|---:|---:|---|")
    start_up_rows(start)


def main(with_100k: bool) -> None:
    byte_compile()
    print(f"# kpartner speed targets — {machine()}")
    print("# whole processes, median wall time; peak = the largest resident set")
    print()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        folders = {10_000: root / "10k", 100_000: root / "100k"}
        sizes = [10_000, 100_000] if with_100k else [10_000]
        for size in sizes:
            folders[size].mkdir()
            # In a child process: a child forked from a parent holding a 100k catalog
            # would count the parent's pages in its own peak memory.
            subprocess.run([PYTHON, "-c", GENERATE, str(folders[size]), str(size)], check=True)
        files = {
            size: [str(folders[size] / f"{n}.yaml") for n in ("sectors", "projects", "companies")]
            for size in sizes
        }

        start = start_up(root, START_UP_RUNS)
        args10 = [*MATCH, "--data", str(folders[10_000])]
        tenk = side_by_side(
            {
                "parse": plain(["-c", PARSE, *files[10_000]], root),
                "first": cold(args10, root),
                "validate": plain(["-m", "kpartner", "validate", str(folders[10_000])], root),
            },
            3,
        )
        repeats = {"10k": warm(args10, root / "cache-10k")}
        if with_100k:
            args100 = [*MATCH, "--data", str(folders[100_000])]
            repeats["100k"] = warm(args100, root / "cache-100k")
        repeated = side_by_side(repeats, 5)
    shipped = start["shipped"]
    parse10, first10, validate10 = tenk["parse"], tenk["first"], tenk["validate"]
    repeat10, repeat100 = repeated["10k"], repeated.get("100k")

    print("| measure | now | target | holds |")
    print("|---|---:|---:|---|")
    start_up_rows(start)
    ratio = first10.seconds / parse10.seconds
    row(
        f"first run, 10k ({first10.seconds:.2f} s) ÷ C loader parse ({parse10.seconds:.2f} s)",
        f"{ratio:.2f}x",
        "≤ 1.3x",
        ratio <= 1.3,
    )
    ratio = repeat10.seconds / shipped.seconds
    row(
        f"repeated run, 10k ({repeat10.seconds * 1000:.0f} ms) ÷ shipped-data run",
        f"{ratio:.2f}x",
        "≤ 3x",
        ratio <= 3,
    )
    if repeat100 is not None:
        row(
            "repeated run, 100k",
            f"{repeat100.seconds:.2f} s, {repeat100.peak_mb:.0f} MB peak",
            "< 1 s, < 1 GB",
            repeat100.seconds < 1 and repeat100.peak_mb < 1024,
        )
        ratio = repeat100.seconds / repeat10.seconds
        row("repeated runs, 100k ÷ 10k", f"{ratio:.1f}", "≤ 12", ratio <= 12)
    ratio = validate10.seconds / parse10.seconds
    row(
        f"`validate`, 10k ({validate10.seconds:.2f} s) ÷ C loader parse",
        f"{ratio:.2f}x",
        "≤ 1.5x",
        ratio <= 1.5,
    )


if __name__ == "__main__":
    if "--start-up" in sys.argv[1:]:
        main_start_up()
    else:
        main(with_100k="--no-100k" not in sys.argv[1:])
