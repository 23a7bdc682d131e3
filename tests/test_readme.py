"""The README's examples must keep working: every plain `kpartner …` line is run."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from .conftest import run

README = Path(__file__).parent.parent / "README.md"


def _examples() -> list[str]:
    blocks = re.findall(r"```sh\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)
    lines = [line.split("  #")[0].strip() for block in blocks for line in block.splitlines()]
    # Lines that need a shell (pipes, redirections, a client's folder) are left to people.
    return [
        line for line in lines if line.startswith("kpartner ") and not any(c in line for c in "|>~")
    ]


def test_readme_has_examples() -> None:
    assert len(_examples()) >= 5


@pytest.mark.parametrize("line", _examples())
def test_readme_example_runs(line: str) -> None:
    result = run(*shlex.split(line)[1:])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip()
