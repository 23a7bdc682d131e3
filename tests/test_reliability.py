"""Safe output files, bounded inputs, terminal safety, the rules and their index, and
determinism across processes."""

from __future__ import annotations

import importlib.util
import os
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

import kpartner
from kpartner import cli
from kpartner.inputs import InputError, read_bytes
from kpartner.loader import load_text
from kpartner.output import OutputError, write_atomically
from kpartner.problems import Code
from kpartner.rules import RULES
from kpartner.suggest import Suggester, suggest
from kpartner.text import escape_controls, escape_for_terminal

from .conftest import MINI

ROOT = Path(__file__).resolve().parent.parent


def test_the_suite_tests_src_not_an_installed_copy() -> None:
    assert Path(kpartner.__file__).resolve().is_relative_to(ROOT / "src")


# --- output files -------------------------------------------------------------------


def test_output_replaces_the_file_whole_and_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "out.md"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    old_inode = target.stat().st_ino
    write_atomically(target, "new 한국어")
    assert target.read_text(encoding="utf-8") == "new 한국어"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert target.stat().st_ino != old_inode  # a new file renamed into place
    assert [p.name for p in tmp_path.iterdir()] == ["out.md"]


def test_output_refuses_an_input_even_through_a_hard_link(tmp_path: Path) -> None:
    source = tmp_path / "profile.yaml"
    source.write_text("name: x\n", encoding="utf-8")
    os.link(source, tmp_path / "other-name.yaml")
    with pytest.raises(OutputError, match="it is the input"):
        write_atomically(tmp_path / "other-name.yaml", "report", [source])
    assert source.read_text(encoding="utf-8") == "name: x\n"


def test_output_through_a_symlink_replaces_the_file_and_keeps_the_link(tmp_path: Path) -> None:
    real = tmp_path / "real.md"
    real.write_text("old", encoding="utf-8")
    (tmp_path / "link.md").symlink_to("real.md")
    write_atomically(tmp_path / "link.md", "new")
    assert (tmp_path / "link.md").is_symlink()
    assert real.read_text(encoding="utf-8") == "new"


def test_output_refuses_a_folder_and_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="a folder"):
        write_atomically(tmp_path, "x")
    with pytest.raises(OutputError, match="cannot write"):
        write_atomically(tmp_path / "no" / "such.md", "x")


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.md"
    target.write_text("old", encoding="utf-8")

    def no_space(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", no_space)
    with pytest.raises(OutputError, match="No space left"):
        write_atomically(target, "new")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.md"]


# --- inputs ------------------------------------------------------------------------------


def test_reads_stop_at_the_limit_whatever_the_size_says(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"x" * 2000)
    with pytest.raises(InputError) as refused:
        read_bytes(path, limit=1000)
    assert refused.value.code is Code.FILE_TOO_LARGE
    assert read_bytes(path, limit=2000) == b"x" * 2000


def test_a_file_whose_size_says_zero_is_still_bounded() -> None:
    status = Path("/proc/self/status")  # a regular file of size 0 that holds a page
    if not status.exists() or status.stat().st_size != 0:
        pytest.skip("no /proc here")
    with pytest.raises(InputError) as refused:
        read_bytes(status, limit=100)
    assert refused.value.code is Code.FILE_TOO_LARGE
    assert b"Name:" in read_bytes(status)


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null", "/dev/urandom"])
def test_devices_are_refused_at_once(device: str) -> None:
    if not Path(device).exists():
        pytest.skip(f"no {device} here")
    started = time.monotonic()
    with pytest.raises(InputError, match="device"):
        read_bytes(Path(device))
    assert time.monotonic() - started < 1


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "data.yaml"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="FIFO"):
        read_bytes(fifo)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads everything")
def test_a_folder_without_search_permission_is_a_usage_error(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "projects.yaml").write_text("projects: []\n", encoding="utf-8")
    locked.chmod(0)
    try:
        result = cli_run("validate", str(locked / "projects.yaml"))
    finally:
        locked.chmod(0o755)
    assert result.returncode == cli.EXIT_USAGE
    assert "Permission denied" in result.stderr


# --- the terminal ---------------------------------------------------------------------


def test_control_characters_are_escaped_but_layout_stays() -> None:
    assert escape_controls("a\x1b[2Jb\u202ec\td\r\ne\rf") == "a\\x1b[2Jb\\u202ec\td\r\ne\\x0df"
    assert escape_controls("\udcff") == "\\udcff"


def test_our_colours_pass_and_only_they() -> None:
    coloured = "\x1b[1mname\x1b[0m \x1b]0;title\x07"
    assert escape_for_terminal(coloured, keep_colours=True) == (
        "\x1b[1mname\x1b[0m \\x1b]0;title\\x07"
    )
    assert "\x1b" not in escape_for_terminal(coloured)


@pytest.mark.parametrize(("value", "colour"), [("", True), ("1", False), ("0", False)])
def test_an_empty_no_color_is_unset(
    monkeypatch: pytest.MonkeyPatch, value: str, colour: bool
) -> None:
    monkeypatch.setenv("NO_COLOR", value)
    monkeypatch.delenv("TERM", raising=False)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert cli._style().color is colour


def test_the_loader_flags_control_characters_written_as_escapes() -> None:
    problems = load_text('a: "x\\e[31my"\nb: "\\u202e"\nc: "tab\\tok"\n', "f.yaml").problems
    assert [(p.code, p.line) for p in problems] == [
        (Code.CONTROL_CHARACTER, 1),
        (Code.CONTROL_CHARACTER, 2),
    ]


# --- the rules and the suggestion index -------------------------------------------------


def test_every_rule_documents_a_failing_and_a_passing_example() -> None:
    ids = [each.id for each in RULES]
    assert len(ids) == len(set(ids))
    for each in RULES:
        assert "Fails" in each.doc, each.id
        assert "Passes" in each.doc, each.id


WORDS = ["alpha-city", "alpha-one", "beta-town", "gamma-motors", "acme-it", "Beta Telecom"]


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("alpa-city", ["alpha-city"]),
        ("alpha", ["alpha-city", "alpha-one"]),
        ("beta telecom", ["Beta Telecom"]),
        ("gama-motors", ["gamma-motors"]),
        ("zz", []),
    ],
)
def test_suggestions(word: str, expected: list[str]) -> None:
    assert suggest(word, WORDS)[: len(expected) or None] == expected
    assert Suggester(WORDS)(word) == suggest(word, WORDS)


def test_broken_references_are_suggested_from_one_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each broken reference used to fold and scan every known id: quadratic. Now the ids
    are indexed once and only reported problems are looked up (the timing is measured in
    benchmarks/bench_validate.py, not here)."""
    from kpartner import suggest

    bench = _load_benchmark("bench_validate")
    bench.generate(tmp_path, 2000)
    builds: list[int] = []
    lookups: list[str] = []
    build, look_up = suggest.Suggester.__init__, suggest.Suggester._suggest

    def counting_build(self: suggest.Suggester, choices: Any) -> None:
        builds.append(1)
        build(self, choices)

    def counting_look_up(self: suggest.Suggester, word: str, limit: int) -> list[str]:
        lookups.append(word)
        return look_up(self, word, limit)

    monkeypatch.setattr(suggest.Suggester, "__init__", counting_build)
    monkeypatch.setattr(suggest.Suggester, "_suggest", counting_look_up)
    broken = bench.break_references(tmp_path)
    _, shown = bench.timed(tmp_path, 1)
    assert (broken, shown) == (2000, 201)  # 200 problems and "too many problems"
    assert len(builds) <= 10, "one index per kind of name, not one per reference"
    # A few look-ups per reported problem (the reference, in each index that may hold it),
    # never one per broken reference: 2000 of them would be quadratic again.
    assert len(lookups) <= 4 * 201, "only reported problems are looked up"


def _load_benchmark(name: str) -> Any:
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


# --- determinism ------------------------------------------------------------------------


def cli_run(*args: str, seed: str = "0") -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src"),
        "PYTHONHASHSEED": seed,
        # Each process builds its own indexes: a cache filled by the first would hide
        # an order that depends on the hash seed.
        "KPARTNER_NO_CACHE": "1",
        "COLUMNS": "120",
        "NO_COLOR": "1",
        "PYTHONIOENCODING": "utf-8",
    }
    return subprocess.run(
        [sys.executable, "-m", "kpartner", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    "args",
    [
        ("match", "-t", "drones,5g", "-f", "json"),
        ("match", "--describe", "AI traffic signals for safer crossings", "-f", "csv"),
        ("match", "--describe", "drones over 5G and IoT with AI", "-f", "json"),
        ("match", "-t", "5G", "--type", "companies", "-f", "json"),
        ("companies", "-f", "json"),
    ],
)
def test_output_is_the_same_across_processes_and_hash_seeds(args: tuple[str, ...]) -> None:
    runs = [cli_run(*args, seed=seed) for seed in ("0", "1", "12345")]
    assert all(run.returncode == 0 for run in runs), runs[0].stderr
    assert len({run.stdout for run in runs}) == 1
    assert len({run.stderr for run in runs}) == 1


def test_validate_output_is_the_same_across_hash_seeds(tmp_path: Path) -> None:
    for name in ("sectors.yaml", "projects.yaml", "companies.yaml"):
        text = (MINI / name).read_text(encoding="utf-8")
        (tmp_path / name).write_text(
            text.replace("lead: acme-it", "lead: acme-itt").replace("[5g]", "[5gg, drone]"),
            encoding="utf-8",
        )
    runs = [cli_run("validate", str(tmp_path), seed=seed) for seed in ("0", "7", "99")]
    assert runs[0].returncode == 1
    assert "did you mean 'acme-it'" in runs[0].stdout
    assert len({run.stdout for run in runs}) == 1


def test_the_readme_documents_every_problem_code() -> None:
    from kpartner.problems import Code

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert [code.value for code in Code if f"`{code.value}`" not in readme] == []


def test_a_single_value_option_given_twice_is_refused_but_not_a_value_like_an_option() -> None:
    from .conftest import run

    data = ("--data", str(MINI))
    twice = run("match", "-t", "5g", "--top", "1", "--top=2", *data)
    assert twice.exit_code == cli.EXIT_USAGE
    assert "given more than once" in twice.stderr
    short = run("match", "-t", "5g", "-fjson", "-f", "csv", *data)
    assert short.exit_code == cli.EXIT_USAGE
    # "--top" here is the text of --describe, not a second --top.
    fine = run("match", "--top", "1", "--describe", "--top", "-t", "5g", *data)
    assert fine.exit_code == 0, fine.stderr
    repeatable = run("match", "-t", "5g", "--city", "Alpha", "--city", "Beta", *data)
    assert repeatable.exit_code == 0, repeatable.stderr
