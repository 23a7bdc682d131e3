"""`kpartner match` through the CLI: formats, profile files, exit codes, determinism."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import pytest
import typer

from kpartner.cli import EXIT_NOTHING, EXIT_USAGE

from .conftest import DATA as REPO_DATA
from .conftest import MINI, run

DATA = ("--data", str(MINI))


@pytest.fixture(autouse=True)
def _the_fixtures_year(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fixture catalog's news is from 2020-2022: judged from mid-2022."""
    monkeypatch.setenv("KPARTNER_TODAY", "2022-06-01")


def test_table_with_terms_on_stderr() -> None:
    result = run("match", "--tech", "smart mobility", *DATA)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["#", "Name", "Score", "Why,", "and", "the", "way", "in"]
    assert lines[1].split()[:4] == ["1", "Alpha", "pilot", "city"]
    assert "68.1 ██████▊" in lines[1]
    assert "Alpha · 2018 · under way" in lines[2]
    # The row resting on an old record says how old.
    assert "oldest record 2020-10-08" in lines[3]
    assert "→ Approach Acme IT" in result.stdout
    # The terms as understood on stderr; what the list leaves out and how old its data is
    # end the report itself.
    assert result.stderr == "'smart mobility' → smart-mobility (exact, matched 'smart-mobility')\n"
    assert result.stdout.endswith(
        "\nNotes:\n"
        "- 1 weaker suggestion (Beta town challenge) under a third of the best score left out:"
        " --min-score 0 lists it\n"
        "- data as of 2022-04-21 (its newest source); 1 of 1 rows rely on records more than a"
        " year old on 2022-06-01 (the oldest 2020-10-08; each such row names its oldest"
        " record): check their sources before you call\n"
    )


def test_json_shape() -> None:
    data = json.loads(run("match", "-t", "smart mobility,qwxz", "-f", "json", *DATA).stdout)
    assert data["query"] == {
        "terms": [
            {
                "input": "smart mobility",
                "sector": "smart-mobility",
                "how": "exact",
                "score": 100.0,
                "matched": "smart-mobility",
            }
        ],
        "unresolved": [{"input": "qwxz", "suggestions": [], "ambiguous": False}],
    }
    first = data["results"][0]
    assert {k: first[k] for k in ("rank", "type", "id", "name", "name_ko", "score")} == {
        "rank": 1,
        "type": "opportunity",
        "id": "alpha-city",
        "name": "Alpha pilot city",
        "name_ko": "알파 시범도시",
        "score": 68.1,
    }
    assert first["components"]["gap"] == {"value": 1.0, "weight": 15, "points": 15.0}
    assert first["project"] == {
        "id": "alpha-city",
        "name": "Alpha pilot city",
        "city": "Alpha",
        "year": 2018,
        "status": "under-way",
        "status_date": "2022-04-21",
    }
    assert first["next_step"].startswith("Approach Acme IT")
    assert first["as_of"] == "2020-10-08"  # the oldest record the row relies on
    gap = next(e for e in first["evidence"] if e["kind"] == "gap")
    assert gap == {
        "kind": "gap",
        "text": "fills a gap: the project asks for Smart mobility and no named member of"
        " its team lists it",
        "sector": "smart-mobility",
        "project": "alpha-city",
        "consortium": "alpha-one",
        "company": None,
    }
    # The reasons are the evidence's texts, each said once; a demand a gap repeats is left
    # to the gap.
    gaps = {e["sector"] for e in first["evidence"] if e["kind"] == "gap"}
    said = [
        e["text"] for e in first["evidence"] if e["kind"] != "demand" or e["sector"] not in gaps
    ]
    assert first["reasons"] == list(dict.fromkeys(said))
    assert first["sources"][0] == {
        "url": "https://example.org/alpha-agreement",
        "published": "2022-04-21",
    }
    assert data["peers"] == []
    assert data["data_as_of"] == "2022-04-21"  # the newest dated source


def test_csv_has_a_bom_for_excel() -> None:
    out = run("match", "-t", "5g", "--type", "company", "-f", "csv", *DATA).stdout
    assert out.startswith("\ufeffrank,type,id,name,name_ko,score,demand,gap,capability,standing,")
    rows = list(csv.DictReader(io.StringIO(out.removeprefix("\ufeff"))))
    assert rows[0]["name_ko"] == "애크미"
    assert rows[0]["capability"] == "60.0"
    assert rows[0]["next_step"].startswith("Approach Acme IT about 5G")


def test_markdown_report_to_a_file(tmp_path: Path) -> None:
    target = tmp_path / "shortlist.md"
    result = run("match", "-t", "smart mobility", "-f", "markdown", "-o", str(target), *DATA)
    assert result.exit_code == 0
    assert result.stdout == ""
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Partner suggestions\n")
    assert "| 1 | Alpha pilot city (알파 시범도시) | opportunity | 68.1 | Approach Acme IT" in text
    assert "## 1. Alpha pilot city (알파 시범도시) — opportunity, 68.1" in text
    assert "- <https://example.org/alpha>" in text


def test_korean_query_gives_the_same_list() -> None:
    english = json.loads(run("match", "-t", "drones,5g", "-f", "json", *DATA).stdout)["results"]
    korean = json.loads(run("match", "-t", "드론,5G", "-f", "json", *DATA).stdout)["results"]
    assert [(r["id"], r["score"]) for r in korean] == [(r["id"], r["score"]) for r in english]


def test_output_is_deterministic() -> None:
    outputs = {
        run("match", "-t", "drones", "-t", "5g", "-f", "json", *DATA).stdout for _ in range(3)
    }
    assert len(outputs) == 1


def test_nothing_resolves_exits_2_with_suggestions() -> None:
    result = run("match", "--tech", "qwxz,rail", *DATA)
    assert result.exit_code == EXIT_USAGE
    assert result.stdout == ""
    assert "'qwxz' → not a known technology or domain" in result.stderr
    assert "none of your terms names a known technology or domain" in result.stderr


def test_no_terms_at_all_is_a_usage_error() -> None:
    result = run("match", *DATA)
    assert result.exit_code == EXIT_USAGE
    assert "--tech" in result.stderr


def test_nothing_above_min_score_exits_1() -> None:
    result = run("match", "-t", "5g", "--min-score", "99", *DATA)
    assert result.exit_code == EXIT_NOTHING
    assert result.stdout == ""
    assert "nothing scored 99 or more" in result.stderr
    as_json = run("match", "-t", "5g", "--min-score", "99", "-f", "json", *DATA)
    assert as_json.exit_code == EXIT_NOTHING
    assert json.loads(as_json.stdout)["results"] == []


def test_filters_and_bad_values() -> None:
    projects = json.loads(run("match", "-t", "5g", "--type", "project", "-f", "json", *DATA).stdout)
    assert {r["type"] for r in projects["results"]} == {"project"}
    top = json.loads(run("match", "-t", "5g", "--top", "1", "-f", "json", *DATA).stdout)
    assert len(top["results"]) == 1
    assert run("match", "-t", "5g", "--type", "person", *DATA).exit_code == EXIT_USAGE
    assert run("match", "-t", "5g", "--top", "0", *DATA).exit_code == EXIT_USAGE
    unknown = run("match", "-t", "5g", "--project", "alpha", *DATA)
    assert unknown.exit_code == EXIT_USAGE
    assert "unknown project 'alpha'; did you mean 'alpha-city'?" in unknown.stderr


def test_profile_file(tmp_path: Path) -> None:
    profile = tmp_path / "startup.yaml"
    profile.write_text(
        "name: AeroLink\ntechnologies: [5g]\ndescription: we fly drones\n"
        "exclude_types: [telecom]\n",
        encoding="utf-8",
    )
    data = json.loads(run("match", "--profile", str(profile), "-f", "json", *DATA).stdout)
    assert [t["sector"] for t in data["query"]["terms"]] == ["5g", "drones"]
    assert "beta-telecom" not in {r["id"] for r in data["results"]}


def test_bad_profile_is_reported_at_its_line(tmp_path: Path) -> None:
    profile = tmp_path / "startup.yaml"
    profile.write_text("name: AeroLink\ntechnologys: [5g]\n", encoding="utf-8")
    result = run("match", "--profile", str(profile), *DATA)
    assert result.exit_code == EXIT_USAGE
    assert "startup.yaml:2:1: error [unknown-field] unknown field 'technologys'" in result.stderr
    assert "did you mean 'technologies'?" in result.stderr
    missing = run("match", "--profile", str(tmp_path / "nope.yaml"), *DATA)
    assert missing.exit_code == EXIT_USAGE
    assert missing.stderr.endswith("nope.yaml: no such file\n")
    assert missing.stderr.count("\n") == 1


def test_unwritable_output(tmp_path: Path) -> None:
    result = run("match", "-t", "5g", "-o", str(tmp_path / "no" / "such" / "dir.md"), *DATA)
    assert result.exit_code == EXIT_USAGE
    assert "cannot write" in result.stderr


def test_command_line_filters_win_over_the_profile(tmp_path: Path) -> None:
    profile = tmp_path / "startup.yaml"
    profile.write_text("technologies: [smart mobility]\ncities: [Beta]\n", encoding="utf-8")
    from_profile = json.loads(run("match", "-p", str(profile), "-f", "json", *DATA).stdout)
    assert {r["id"] for r in from_profile["results"]} == {"beta-town"}
    overridden = json.loads(
        run("match", "-p", str(profile), "--city", "Alpha", "-f", "json", *DATA).stdout
    )
    assert "alpha-city" in {r["id"] for r in overridden["results"]}
    assert "beta-town" not in {r["id"] for r in overridden["results"]}


def test_csv_sources_are_the_first_few_and_a_pointer_to_the_rest(tmp_path: Path) -> None:
    from kpartner import load_catalog
    from kpartner.matching import match
    from kpartner.render_browse import Style
    from kpartner.render_match import render_csv, source_text

    catalog = load_catalog(REPO_DATA).catalog
    assert catalog is not None
    report = match(catalog, tech=["water"])
    rows = list(csv.DictReader(io.StringIO(render_csv(report, Style()).removeprefix("\ufeff"))))
    busan = next(row for row in rows if row["id"] == "busan-eco-delta-city")
    match_ = next(m for m in report.results if m.id == "busan-eco-delta-city")
    cell = busan["sources"].split(" | ")
    # The status source first, then the project's: a cell a consultant can read; the
    # JSON and Markdown reports, and `kpartner show`, hold every source.
    assert cell[0] == match_.sources[0].url
    assert len(cell) == 4
    assert cell[-1] == f"+{len(match_.sources) - 3} more: kpartner show busan-eco-delta-city"
    # A source whose article address was not found keeps its id beside the homepage.
    molit = next(s for s in match_.sources if s.article_id)
    assert source_text(molit) == f"{molit.url} ({molit.article_id})"


def test_ambiguous_word_is_named_as_such() -> None:
    result = run("match", "-t", "vehicles,drones")
    assert "'vehicles' → names more than one sector; did you mean" in result.stderr


def test_a_full_or_closed_stdout_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from kpartner import cli

    class Full(io.StringIO):
        def write(self, text: str) -> int:
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(sys, "stdout", Full())
    with pytest.raises(typer.Exit) as stopped:
        cli._emit("x")
    assert stopped.value.exit_code == EXIT_USAGE


def test_a_terminal_reporting_no_width_still_gets_output(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "0")
    result = run("match", "-t", "5g", "--top", "1", *DATA)
    assert "Acme IT" in result.stdout


def test_markdown_report_names_the_startup_of_the_profile(tmp_path: Path) -> None:
    profile = tmp_path / "startup.yaml"
    profile.write_text("name: AeroLink\ntechnologies: [5g]\n", encoding="utf-8")
    out = run("match", "-p", str(profile), "-f", "markdown", *DATA).stdout
    assert out.startswith("# Partner suggestions for AeroLink\n")


def test_firms_outside_the_named_field_are_named_not_listed() -> None:
    # Blockchain e-government: banks do fintech, close to blockchain, but no e-government.
    args = ("match", "--tech", "blockchain,digital identity", "--type", "company")
    table = run(*args)
    assert table.exit_code == 0
    listed, notes = table.stdout.split("\nNotes:\n")
    assert "Shinhan Bank" not in listed
    line = next(x for x in notes.splitlines() if "near your technology" in x)
    assert "not in Digital governance" in line
    assert "Daily Blockchain" in line  # sells blockchain, for other fields: no rival either
    data = json.loads(run(*args, "--format", "json").stdout)
    assert "Shinhan Bank" in data["outside"]
    assert not {"shinhan-bank", "kb-financial-group"} & {r["id"] for r in data["results"]}
    # The technology alone lists them.
    alone = json.loads(
        run(
            "match", "--tech", "blockchain", "--type", "company", "--format", "json", "--top", "30"
        ).stdout
    )
    assert "shinhan-bank" in {r["id"] for r in alone["results"]}
    assert alone["outside"] == []


def test_a_line_break_in_a_term_cannot_pose_as_a_line_of_ours() -> None:
    result = run("match", "--tech", "qwxz\nkpartner: all good")
    assert result.exit_code == 2
    assert "'qwxz\\nkpartner: all good' → not a known" in result.stderr
    assert not any(line.startswith("kpartner: all good") for line in result.stderr.splitlines())
