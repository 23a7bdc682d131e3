"""The YAML loader: marks, duplicate keys, plain types only, bounded work."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kpartner.loader import MAX_DEPTH, Mark, load_file, load_text
from kpartner.problems import Code


def test_keeps_a_mark_for_every_key_and_item() -> None:
    document = load_text("a: 1\nb:\n  - x\n  - y: 2\n", "f.yaml").document
    assert document is not None
    assert document.data == {"a": 1, "b": ["x", {"y": 2}]}
    assert document.marks[("a",)] == Mark(1, 1)
    assert document.marks[("b", 1)] == Mark(4, 5)
    assert document.marks[("b", 1, "y")] == Mark(4, 5)
    # An unknown path falls back to its closest ancestor.
    assert document.mark_at(("b", 1, "nope", 3)) == Mark(4, 5)


def test_plain_yaml_types_are_constructed() -> None:
    document = load_text("n: 3\nf: 1.5\nb: true\nd: 2020-10-08\nz: ~\ns: '7'\n", "f").document
    assert document is not None
    assert document.data == {
        "n": 3,
        "f": 1.5,
        "b": True,
        "d": dt.date(2020, 10, 8),
        "z": None,
        "s": "7",
    }
    # Only unquoted scalars are remembered as written (for the YAML 1.1 hints).
    assert document.plain_scalars[("b",)] == "true"
    assert ("s",) not in document.plain_scalars


def test_duplicate_key_is_an_error_at_the_second_occurrence() -> None:
    result = load_text("x: 1\ny:\n  a: 1\n  a: 2\nz: !!bool maybe\n", "f.yaml")
    # The load goes on, so the file's other problems are reported in the same run.
    [problem, other] = result.problems
    assert (other.code, other.line) == (Code.BAD_VALUE, 5)
    assert (problem.code, problem.line, problem.column) == (Code.DUPLICATE_KEY, 4, 3)
    assert "first at line 3" in problem.message


def test_same_key_in_different_mappings_is_fine() -> None:
    assert load_text("- a: 1\n- a: 2\n", "f").problems == []


def test_aliases_are_expanded_within_bounds() -> None:
    document = load_text("a: &x [1, 2]\nb: *x\n", "f").document
    assert document is not None
    assert document.data["b"] == [1, 2]


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 10_000])
def test_deep_nesting_is_refused(depth: int) -> None:
    [problem] = load_text("[" * depth + "]" * depth, "deep.yaml").problems
    assert problem.code is Code.YAML_TOO_DEEP


def test_block_nesting_is_refused_at_the_limit() -> None:
    text = "".join("  " * level + "k:\n" for level in range(200))
    [problem] = load_text(text, "deep.yaml").problems
    assert (problem.code, problem.line) == (Code.YAML_TOO_DEEP, MAX_DEPTH + 1)


def test_nul_bytes() -> None:
    [problem] = load_text("a: 1\n\0\0", "f").problems
    assert (problem.code, problem.line) == (Code.ENCODING, 2)


def test_non_utf8_file_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("a: ok\nb: caf\xe9\n".encode("latin-1"))
    [problem] = load_file(path, "latin1.yaml").problems
    assert (problem.code, problem.line, problem.column) == (Code.ENCODING, 2, 7)
    assert "UTF-8" in problem.message


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes("\ufeffa: 세종\n".encode())
    result = load_file(path)
    assert result.problems == []
    assert result.document is not None
    assert result.document.data == {"a": "세종"}


def test_missing_file_and_folder(tmp_path: Path) -> None:
    assert load_file(tmp_path / "nope.yaml").problems[0].code is Code.FILE_MISSING
    assert load_file(tmp_path).problems[0].code is Code.FILE_UNREADABLE


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", Code.EMPTY_FILE),
        ("# only a comment\n", Code.EMPTY_FILE),
        ("a: 1\n---\nb: 2\n", Code.YAML_SYNTAX),
        ("a: !!binary aGk=\n", Code.YAML_TAG),
        ("a: !!bool maybe\n", Code.BAD_VALUE),
        ("a: !!int ''\n", Code.BAD_VALUE),
        ("a: !!float ''\n", Code.BAD_VALUE),
        ("a: !!timestamp yesterday\n", Code.BAD_VALUE),
        ("a: !!timestamp 2020-01-01T25:00:00\n", Code.BAD_VALUE),
        ("a: !!python/name:os.system\n", Code.YAML_TAG),
        ("a: !!set {x, y}\n", Code.YAML_TAG),
        ("a: " + "9" * 5000 + "\n", Code.BAD_VALUE),
        ("a: 한국 \x1b[2J\n", Code.ENCODING),
        ("? [a, b]\n: 1\n", Code.YAML_SYNTAX),
        ("a: *nowhere\n", Code.YAML_SYNTAX),
        ("a: &x 1\n*x : 2\n", Code.YAML_SYNTAX),
    ],
)
def test_refused_documents(text: str, code: Code) -> None:
    result = load_text(text, "f.yaml")
    assert [p.code for p in result.problems] == [code]
