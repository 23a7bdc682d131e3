"""Every file under fixtures/bad/ must fail with its expected code, at its expected line.

A file's first line says what to expect: ``# expect: CODE LINE [words in the message]``.
Its name starts with the kind of data file it pretends to be (sectors/projects/companies).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kpartner.catalog import FileKind, read_data_file

BAD = Path(__file__).parent / "fixtures" / "bad"


def _expectation(path: Path) -> tuple[str, int, str]:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# expect: "), f"{path.name}: first line must say what to expect"
    code, line, *words = first.removeprefix("# expect: ").split(" ")
    return code, int(line), " ".join(words)


@pytest.mark.parametrize("path", sorted(BAD.glob("*.yaml")), ids=lambda p: p.name)
def test_bad_file_reports_its_problem_at_its_line(path: Path) -> None:
    code, line, words = _expectation(path)
    kind = FileKind(path.name.split("-")[0])
    loaded, problems = read_data_file(path, kind)
    assert loaded is None
    found = [(p.code.value, p.line) for p in problems]
    assert (code, line) in found, f"expected {code} at line {line}, got {found}"
    matching = [p for p in problems if (p.code.value, p.line) == (code, line)]
    assert any(words in p.message for p in matching), [p.message for p in matching]
    assert all(p.file.endswith(path.name) for p in problems)
