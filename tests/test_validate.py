"""`kpartner validate`: every problem at its file and line, formats, exit codes, hostile input."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from kpartner.cli import EXIT_NOTHING, EXIT_USAGE

from .conftest import DATA as REPO_DATA
from .conftest import FIXTURES, MINI, run
from .test_bad_files import BAD, _expectation


def test_shipped_data_is_clean() -> None:
    result = run("validate")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "3 files checked: no problems\n"


@pytest.mark.parametrize("path", sorted(BAD.glob("*.yaml")), ids=lambda p: p.name)
def test_each_bad_file_fails_at_its_line(path: Path) -> None:
    code, line, words = _expectation(path)
    result = run("validate", str(path))
    assert result.exit_code == EXIT_NOTHING
    assert "Traceback" not in result.stdout + result.stderr
    expected = f"{path}:{line}:"
    hits = [
        row for row in result.stdout.splitlines() if row.startswith(expected) and f"[{code}]" in row
    ]
    assert hits, result.stdout
    assert words in hits[0]


HOSTILE: dict[str, tuple[bytes, str, int]] = {
    # name: (content, code, line)
    "nul-bytes": (b"\0" * 64, "encoding", 1),
    "nul-after-text": (b"sectors:\n  - id: x\n\0\0", "encoding", 3),
    "latin-1": ("sectors:\n  - label: caf\xe9\n".encode("latin-1"), "encoding", 2),
    "utf-16": ("sectors: []\n".encode("utf-16"), "encoding", 1),
    "deep-flow": (b"sectors: " + b"[" * 5000 + b"]" * 5000 + b"\n", "yaml-too-deep", 1),
    "deep-block": ("".join("  " * n + "k:\n" for n in range(300)).encode(), "yaml-too-deep", 65),
    "python-object": (b"sectors: !!python/object/new:os.system [echo hi]\n", "yaml-tag", 1),
    "custom-tag": (b"sectors: !include other.yaml\n", "yaml-tag", 1),
    "scalar-top": (b"42\n", "top-level", 1),
    # 0x80, after the LF at 0x0a and the lone CR at 0x0d: a line each, as YAML and editors count
    "binary-junk": (bytes(range(256)) * 4, "encoding", 3),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_input_is_a_clear_error(name: str, tmp_path: Path) -> None:
    content, code, line = HOSTILE[name]
    path = tmp_path / "sectors.yaml"
    path.write_bytes(content)
    result = run("validate", str(path))
    assert result.exit_code == EXIT_NOTHING
    out = result.stdout + result.stderr
    assert "Traceback" not in out
    assert f"sectors.yaml:{line}:" in result.stdout
    assert f"[{code}]" in result.stdout


def test_a_utf8_bom_is_fine(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(MINI, folder)
    sectors = folder / "sectors.yaml"
    sectors.write_bytes(b"\xef\xbb\xbf" + sectors.read_bytes())
    assert run("validate", str(folder)).exit_code == 0


# --- breaking the shipped data, one way at a time ---------------------------------


def _replace(old: str, new: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, 1)

    return edit


BREAKAGES: list[tuple[str, str, Callable[[str], str], str]] = [
    # (test id, file, edit, the code expected at the first edited line)
    (
        "duplicate-key",
        "companies.yaml",
        _replace("    name: LG CNS\n", "    name: LG CNS\n    name: LG\n"),
        "duplicate-key",
    ),
    (
        "unknown-field",
        "projects.yaml",
        _replace("        members:\n", "        memebers:\n"),
        "unknown-field",
    ),
    (
        "unknown-member",
        "projects.yaml",
        _replace("- company: lg-uplus", "- company: lg-upluss"),
        "unknown-reference",
    ),
    ("unknown-lead", "projects.yaml", _replace("lead: lg-cns", "lead: lgcns"), "unknown-reference"),
    (
        "unknown-sector",
        "companies.yaml",
        _replace('capabilities: ["5g", iot]', 'capabilities: ["5g", iott]'),
        "unknown-sector",
    ),
    (
        "bad-date",
        "projects.yaml",
        _replace('date: "2020-10-08"', 'date: "2020-13-08"'),
        "bad-value",
    ),
    (
        "future-as-of",
        "companies.yaml",
        _replace("as_of: 2025-11-19", "as_of: 2999-11-19"),
        "future-date",
    ),
    ("wrong-type", "projects.yaml", _replace("year: 2018", "year: soon"), "wrong-type"),
    ("yaml-1.1-no", "companies.yaml", _replace("name_ko: LG유플러스", "name_ko: NO"), "wrong-type"),
    (
        "yaml-1.1-float",
        "companies.yaml",
        _replace("name_ko: LG유플러스", "name_ko: 1.10"),
        "wrong-type",
    ),
    (
        "synonym-clash",
        "sectors.yaml",
        _replace("      - robots\n", "      - robots\n      - UAV\n"),
        "synonym-clash",
    ),
    (
        "duplicate-id",
        "companies.yaml",
        _replace("  - id: kt\n", "  - id: lg-cns\n"),
        "duplicate-id",
    ),
    (
        "sells-what-it-does-not-do",
        "companies.yaml",
        _replace('capabilities: ["5g", iot]', 'capabilities: ["5g", iot]\n    sells: [drones]'),
        "bad-value",
    ),
    ("bad-id", "companies.yaml", _replace("  - id: kt\n", "  - id: KT Corp\n"), "bad-value"),
    (
        "tab",
        "sectors.yaml",
        _replace("    kind: technology\n", "\tkind: technology\n"),
        "yaml-syntax",
    ),
]


@pytest.mark.parametrize(("name", "file", "edit", "code"), BREAKAGES, ids=[b[0] for b in BREAKAGES])
def test_breaking_the_shipped_data(
    tmp_path: Path, name: str, file: str, edit: Callable[[str], str], code: str
) -> None:
    folder = tmp_path / "data"
    shutil.copytree(REPO_DATA, folder)
    path = folder / file
    original = path.read_text(encoding="utf-8")
    text = edit(original)
    path.write_text(text, encoding="utf-8")
    pairs = zip(original.splitlines(), text.splitlines(), strict=False)
    line = next(n for n, (old, new) in enumerate(pairs, start=1) if old != new)
    result = run("validate", str(folder), "--format", "json")
    assert result.exit_code == EXIT_NOTHING, name
    found = [(p["file"], p["line"], p["code"]) for p in json.loads(result.stdout)["problems"]]
    assert (str(path), line, code) in found, found


# --- formats, options and exit codes -----------------------------------------------


def _broken_mini(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(MINI, folder)
    projects = folder / "projects.yaml"
    projects.write_text(
        projects.read_text().replace("lead: gamma-motors", "lead: gamma"), encoding="utf-8"
    )
    return folder


def test_text_format(tmp_path: Path) -> None:
    folder = _broken_mini(tmp_path)
    result = run("validate", str(folder))
    assert result.exit_code == EXIT_NOTHING
    assert result.stdout == (
        f"{folder / 'projects.yaml'}:31:9: error [unknown-reference] "
        "unknown company (lead) 'gamma'; did you mean 'gamma-motors'?\n"
    )
    assert result.stderr == "1 error, 0 warnings in 3 files\n"


def test_github_format_is_chosen_in_actions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _broken_mini(tmp_path)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    result = run("validate", str(folder))
    path = str(folder / "projects.yaml").replace(":", "%3A")
    assert result.stdout == (
        f"::error file={path},line=31,col=9,title=kpartner unknown-reference::"
        "unknown company (lead) 'gamma'; did you mean 'gamma-motors'?\n"
    )


def test_json_format(tmp_path: Path) -> None:
    data = json.loads(run("validate", str(_broken_mini(tmp_path)), "-f", "json").stdout)
    assert (data["files_checked"], data["errors"], data["warnings"]) == (3, 1, 0)
    assert data["problems"][0]["code"] == "unknown-reference"
    assert set(data["problems"][0]) == {"file", "line", "column", "level", "code", "message"}


def test_warnings_pass_unless_strict() -> None:
    old = run("validate", str(MINI), "--max-age", "30")
    assert old.exit_code == 0
    assert "warning [stale]" in old.stdout
    strict = run("validate", str(MINI), "--max-age", "30", "--strict")
    assert strict.exit_code == EXIT_NOTHING


def test_all_problems_in_one_run(tmp_path: Path) -> None:
    folder = _broken_mini(tmp_path)
    companies = folder / "companies.yaml"
    companies.write_text(
        companies.read_text().replace("type: automotive", "typ: automotive"), encoding="utf-8"
    )
    data = json.loads(run("validate", str(folder), "-f", "json").stdout)
    codes = {problem["code"] for problem in data["problems"]}
    assert {"unknown-field", "missing-field"} <= codes  # the companies file
    assert data["errors"] >= 2


def test_a_single_file_is_checked_against_its_siblings(tmp_path: Path) -> None:
    folder = _broken_mini(tmp_path)
    result = run("validate", str(folder / "projects.yaml"))
    assert result.exit_code == EXIT_NOTHING
    assert "unknown company (lead) 'gamma'" in result.stdout
    assert result.stderr == "1 error, 0 warnings in 1 file\n"


def test_a_change_that_breaks_a_sibling_is_caught(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(MINI, folder)
    companies = folder / "companies.yaml"
    companies.write_text(companies.read_text().replace("id: acme-it", "id: acme"), encoding="utf-8")
    # A pre-commit hook passes only the changed file; the members it orphans are reported.
    result = run("validate", str(companies))
    assert result.exit_code == EXIT_NOTHING
    assert f"{folder / 'projects.yaml'}:" in result.stdout
    assert "unknown company (lead) 'acme-it'" in result.stdout


def test_a_file_alone_says_what_it_could_not_check(tmp_path: Path) -> None:
    path = tmp_path / "projects.yaml"
    shutil.copy(MINI / "projects.yaml", path)
    result = run("validate", str(path))
    assert result.exit_code == 0
    assert (
        "warning [not-cross-checked] no sound companies.yaml and sectors.yaml beside"
        in result.stdout
    )


def test_missing_file_in_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(MINI, folder)
    (folder / "sectors.yaml").unlink()
    result = run("validate", str(folder))
    assert result.exit_code == EXIT_NOTHING
    assert f"{folder / 'sectors.yaml'}:1:1: error [file-missing] no such file" in result.stdout


def test_unknown_kind_of_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.yaml"
    path.write_text("title: hello\n", encoding="utf-8")
    result = run("validate", str(path))
    assert result.exit_code == EXIT_NOTHING
    assert "[top-level] not a kpartner data file" in result.stdout


def test_usage_errors() -> None:
    missing = run("validate", "no/such/folder")
    assert missing.exit_code == EXIT_USAGE
    assert missing.stderr == "kpartner: no such file or folder: no/such/folder\n"
    assert run("validate", "--format", "xml").exit_code == EXIT_USAGE
    assert run("validate", "--max-age", "0").exit_code == EXIT_USAGE


def test_the_fixture_catalog_is_clean() -> None:
    assert run("validate", str(FIXTURES / "mini")).exit_code == 0


def test_a_flood_of_broken_records_gets_a_bounded_answer(tmp_path: Path) -> None:
    from kpartner.schema import MAX_PROBLEMS_PER_FILE

    path = tmp_path / "projects.yaml"
    path.write_text("projects: [" + ",".join(["{}"] * 20_000) + "]\n", encoding="utf-8")
    result = run("validate", str(path), "-f", "json")
    data = json.loads(result.stdout)
    assert result.exit_code == EXIT_NOTHING
    assert len(data["problems"]) == MAX_PROBLEMS_PER_FILE + 1
    assert data["problems"][-1]["code"] == "too-many-problems"


def test_a_file_of_no_known_kind_still_reports_its_duplicate_keys(tmp_path: Path) -> None:
    odd = tmp_path / "dup.yaml"
    odd.write_text("a: 1\na: 2\n", encoding="utf-8")
    result = run("validate", str(odd))
    assert result.exit_code == 1
    assert "[top-level] not a kpartner data file" in result.stdout
    assert f"{odd}:2:1: error [duplicate-key] duplicate key 'a'" in result.stdout


def test_many_warnings_never_crowd_out_an_error(tmp_path: Path) -> None:
    # The shipped companies file has more than 200 records older than 30 days: their
    # warnings are capped, the cap is itself a warning, and an error is still listed.
    folder = tmp_path / "data"
    shutil.copytree(REPO_DATA, folder)
    result = run("validate", str(folder), "--max-age", "30", "-f", "json")
    assert result.exit_code == 0, result.stdout
    capped = [p for p in json.loads(result.stdout)["problems"] if p["code"] == "too-many-problems"]
    assert [p["level"] for p in capped] == ["warning"]
    companies = folder / "companies.yaml"
    text = companies.read_text(encoding="utf-8")
    companies.write_text(text.replace("[smart-grid, energy, renewable-energy", "[smart-gird", 1))
    result = run("validate", str(folder), "--max-age", "30", "-f", "json")
    assert result.exit_code == 1
    errors = [p for p in json.loads(result.stdout)["problems"] if p["level"] == "error"]
    assert [p["code"] for p in errors] == ["unknown-sector"], errors
    assert "smart-gird" in errors[0]["message"]
