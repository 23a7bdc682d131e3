"""The README's examples must keep working: every plain `kpartner …` line is run.

They run in a folder holding the README's own profile example as startup.yaml and a copy
of the shipped data as data/, so `--profile`, `--output` and `validate data/` are tried for real.
"""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest

from .conftest import DATA as REPO_DATA
from .conftest import run

README = Path(__file__).parent.parent / "README.md"
TEXT = README.read_text(encoding="utf-8")


def _examples() -> list[str]:
    blocks = re.findall(r"```sh\n(.*?)```", TEXT, flags=re.S)
    lines = [line.split("  #")[0].strip() for block in blocks for line in block.splitlines()]
    # Lines that need a shell (pipes, redirections, a client's folder) are left to people.
    return [
        line for line in lines if line.startswith("kpartner ") and not any(c in line for c in "|>~")
    ]


def test_readme_has_examples() -> None:
    assert len(_examples()) >= 10


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with the README's profile as startup.yaml and the shipped data as data/."""
    [profile] = re.findall(r"```yaml\n(name: .*?)```", TEXT, flags=re.S)
    (tmp_path / "startup.yaml").write_text(profile, encoding="utf-8")
    shutil.copytree(REPO_DATA, tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("line", _examples())
def test_readme_example_runs(line: str, workdir: Path) -> None:
    args = shlex.split(line)[1:]
    result = run(*args)
    assert result.exit_code == 0, result.stderr
    if "--output" in args:
        assert (workdir / args[args.index("--output") + 1]).read_text(encoding="utf-8").strip()
    elif args[0] == "shortlist":
        assert list((workdir / args[args.index("--out") + 1]).glob("index.*"))
    elif args[0] == "init":
        assert (workdir / args[1]).read_text(encoding="utf-8").strip()
    elif args[0] == "validate":
        assert "no problems" in result.stderr or result.stderr.startswith("0 errors")
    else:
        assert result.stdout.strip()


def _help_examples() -> list[str]:
    from kpartner.cli import app

    lines = []
    for command in app.registered_commands:
        doc = (command.callback.__doc__ or "") if command.callback else ""
        lines += [line.strip() for line in doc.splitlines() if line.strip().startswith("kpartner ")]
    return [line for line in lines if not any(c in line for c in "|>~")]


def test_every_command_has_help_examples() -> None:
    from kpartner.cli import app

    named = {line.split()[1] for line in _help_examples()}
    commands = {
        command.name or (command.callback.__name__ if command.callback else "")
        for command in app.registered_commands
    }
    assert named == commands


@pytest.mark.parametrize("line", _help_examples())
@pytest.mark.usefixtures("workdir")
def test_help_example_runs(line: str) -> None:
    result = run(*shlex.split(line)[1:])
    assert result.exit_code == 0, result.stderr


PYTHON_BLOCKS = re.findall(r"```python\n(.*?)```", TEXT, flags=re.S)


@pytest.mark.parametrize(
    "code", PYTHON_BLOCKS, ids=[f"python-{n}" for n in range(len(PYTHON_BLOCKS))]
)
@pytest.mark.usefixtures("workdir")
def test_readme_python_runs(code: str, capsys: pytest.CaptureFixture[str]) -> None:
    exec(compile(code, "README.md", "exec"), {})
    assert capsys.readouterr().out.strip()


def test_the_first_example_table_is_what_match_prints(monkeypatch: pytest.MonkeyPatch) -> None:
    # The table a founder sees first in the README is the real output, as of a fixed day.
    [block] = re.findall(r"```text\n(#  Name .*?)…\n```", TEXT, flags=re.S)
    monkeypatch.setenv("COLUMNS", "112")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("KPARTNER_TODAY", "2026-11-26")
    printed = [line.rstrip() for line in run("match", "--tech", "drones,5g").stdout.splitlines()]
    assert block.splitlines() == printed[: len(block.splitlines())]
