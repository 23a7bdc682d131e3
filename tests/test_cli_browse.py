"""The browse commands: projects, companies, sectors, show; formats, filters, exit codes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from kpartner.cli import EXIT_DATA, EXIT_NOTHING, EXIT_USAGE

from .conftest import MINI, run

DATA = ("--data", str(MINI))


def test_projects_table_is_plain_text_when_not_a_terminal() -> None:
    result = run("projects", *DATA)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["Id", "Name", "City", "Programme", "Year", "Status", "Focus"]
    assert lines[1].split()[:2] == ["alpha-city", "Alpha"]
    assert "\x1b[" not in result.stdout  # no colour codes
    assert not any(line != line.rstrip() for line in lines)


def test_projects_json_keeps_lists() -> None:
    rows = json.loads(run("projects", *DATA, "--format", "json").stdout)
    assert rows[0] == {
        "id": "alpha-city",
        "name": "Alpha pilot city",
        "city": "Alpha",
        "programme": "national-pilot",
        "year": 2018,
        "status": "under-way",
        "focus": ["smart-mobility", "non-contact-delivery"],
    }


def test_projects_csv() -> None:
    rows = list(csv.DictReader(io.StringIO(run("projects", *DATA, "-f", "csv").stdout)))
    assert [row["id"] for row in rows] == ["alpha-city", "beta-town"]
    assert rows[0]["focus"] == "smart-mobility, non-contact-delivery"


@pytest.mark.parametrize(
    ("args", "ids"),
    [
        (("--city", "alpha"), ["alpha-city"]),
        (("--programme", "town-challenge"), ["beta-town"]),
        # A domain includes its sub-domains: DRT is smart mobility.
        (("--sector", "smart-mobility"), ["alpha-city", "beta-town"]),
        (("--sector", "수요응답형 교통"), ["beta-town"]),
        (("--sector", "contactless delivery"), ["alpha-city"]),
    ],
)
def test_projects_filters(args: tuple[str, ...], ids: list[str]) -> None:
    rows = json.loads(run("projects", *DATA, *args, "-f", "json").stdout)
    assert [row["id"] for row in rows] == ids


def test_filters_that_match_nothing_together_exit_1() -> None:
    result = run("projects", *DATA, "--city", "Alpha", "--programme", "town-challenge")
    assert result.exit_code == EXIT_NOTHING
    assert result.stdout == ""
    assert "no projects match" in result.stderr


def test_unknown_city_is_a_usage_error_with_suggestions() -> None:
    result = run("projects", *DATA, "--city", "Alpah")
    assert result.exit_code == EXIT_USAGE
    assert result.stderr == "kpartner: unknown city 'Alpah'; did you mean 'Alpha'?\n"


def test_show_suggests_by_name_and_refuses_an_empty_id() -> None:
    result = run("show", "acme", *DATA)  # the company's name, not its id
    assert result.exit_code == 0
    partial = run("show", "Bet", *DATA)
    assert partial.exit_code == EXIT_NOTHING
    assert "did you mean 'beta-telecom'?" in partial.stderr
    assert run("show", "", *DATA).exit_code == EXIT_USAGE


def test_unknown_sector_filter_suggests() -> None:
    result = run("projects", *DATA, "--sector", "dornes")
    assert result.exit_code == EXIT_USAGE
    assert "unknown sector 'dornes'; did you mean 'drones'?" in result.stderr


def test_bad_choice_is_a_usage_error() -> None:
    result = run("projects", *DATA, "--programme", "pilot")
    assert result.exit_code == EXIT_USAGE
    assert "Traceback" not in result.stderr


def test_companies_with_consortia_and_filters() -> None:
    rows = json.loads(run("companies", *DATA, "-f", "json").stdout)
    acme = rows[0]
    assert (acme["id"], acme["name_ko"], acme["consortia"]) == (
        "acme-it",
        "애크미",
        ["alpha-one (lead)"],
    )
    telecoms = json.loads(run("companies", *DATA, "--type", "telecom", "-f", "json").stdout)
    assert [row["id"] for row in telecoms] == ["beta-telecom"]
    in_alpha = json.loads(run("companies", *DATA, "--project", "alpha-city", "-f", "json").stdout)
    assert [row["id"] for row in in_alpha] == ["acme-it", "beta-telecom", "gamma-motors"]
    fiveg = json.loads(run("companies", *DATA, "--sector", "5 G", "-f", "json").stdout)
    assert [row["id"] for row in fiveg] == ["acme-it", "beta-telecom"]


def test_companies_unknown_project() -> None:
    result = run("companies", *DATA, "--project", "alpha")
    assert result.exit_code == EXIT_USAGE
    assert "did you mean 'alpha-city'" in result.stderr


def test_sectors_listing() -> None:
    rows = json.loads(run("sectors", *DATA, "-f", "json").stdout)
    drones = rows[0]
    assert drones["label_ko"] == "드론"
    assert drones["serves"] == ["non-contact-delivery"]
    technologies = json.loads(run("sectors", *DATA, "--kind", "technology", "-f", "json").stdout)
    assert [row["id"] for row in technologies] == ["drones", "5g"]


def test_show_project_in_full() -> None:
    result = run("show", "alpha-city", *DATA)
    assert result.exit_code == 0
    out = result.stdout
    assert out.startswith("Alpha pilot city (알파 시범도시)  (project)\n")
    assert (
        "Alpha One [alpha-one] — selected 2020-10-08, led by Acme IT (애크미) [acme-it], 2 members"
        in out
    )
    assert "https://example.org/alpha — Example News [2020-10-09]" in out
    assert "As of      2020-10-09" in out


def test_show_company_by_alias_and_as_json() -> None:
    data = json.loads(run("show", "BetaU+", *DATA, "-f", "json").stdout)
    assert data["kind"] == "company"
    assert data["id"] == "beta-telecom"
    assert data["consortia"] == [
        {"consortium": "alpha-one", "project": "alpha-city", "lead": False, "role": None}
    ]


def test_show_consortium_and_sector() -> None:
    consortium = run("show", "alpha-two", *DATA).stdout
    assert "Project  Alpha pilot city (알파 시범도시) [alpha-city]" in consortium
    assert "Gamma Motors [gamma-motors] — lead" in consortium
    sector = run("show", "드론", *DATA).stdout
    assert sector.startswith("Drones  (sector)")
    assert "Alpha pilot city [alpha-city]" in sector  # drones serve non-contact delivery


def test_show_unknown_id_suggests_and_exits_1() -> None:
    result = run("show", "alpa-city", *DATA)
    assert result.exit_code == EXIT_NOTHING
    assert result.stderr.strip() == "kpartner: unknown id 'alpa-city'; did you mean 'alpha-city'?"


def test_missing_data_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = run("projects", "--data", str(tmp_path / "nope"))
    assert result.exit_code == EXIT_USAGE
    assert result.stderr.strip() == f"kpartner: --data: no such folder: {tmp_path / 'nope'}"


def test_environment_variable_names_the_data(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("KPARTNER_DATA", str(MINI))
    assert json.loads(run("projects", "-f", "json").stdout)[0]["id"] == "alpha-city"
    monkeypatch.setenv("KPARTNER_DATA", str(tmp_path / "gone"))
    result = run("projects")
    assert result.exit_code == EXIT_USAGE
    assert "KPARTNER_DATA: no such folder" in result.stderr


def test_broken_data_exits_3_with_located_problems(tmp_path: Path) -> None:
    for name in ("sectors.yaml", "projects.yaml"):
        (tmp_path / name).write_text((MINI / name).read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "companies.yaml").write_text("companies:\n  - id: x\n    id: y\n", encoding="utf-8")
    result = run("companies", "--data", str(tmp_path))
    assert result.exit_code == EXIT_DATA
    assert "companies.yaml:3:5: error [duplicate-key] duplicate key 'id'" in result.stderr
    assert f"run 'kpartner validate {tmp_path}' to see them all" in result.stderr
    assert "Traceback" not in result.stderr


def test_version_and_help() -> None:
    assert run("--version").stdout.startswith("kpartner ")
    for command in ("match", "projects", "companies", "sectors", "show"):
        result = run(command, "--help")
        assert result.exit_code == 0
        assert f"kpartner {command}" in result.stdout  # every command shows an example


def test_sources_lists_records_oldest_first() -> None:
    result = run("sources", "--format", "json", "--data", str(MINI))
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert [row["as_of"] for row in rows] == sorted(row["as_of"] for row in rows)
    first = rows[0]
    assert (first["kind"], first["id"], first["sources"], first["homepages"]) == (
        "company",
        "acme-it",
        1,
        0,
    )


def test_sources_stale_and_since_filter() -> None:
    none = run("sources", "--stale", "100000", "--data", str(MINI))
    assert none.exit_code == 1
    assert "no records match these filters" in none.stderr
    since = json.loads(
        run("sources", "--since", "2021-01-01", "-f", "json", "--data", str(MINI)).stdout
    )
    assert {row["id"] for row in since} == {"beta-town"} | {
        row["id"] for row in since if row["kind"] == "company"
    }
    assert all(row["as_of"] >= "2021-01-01" for row in since)


def test_sources_bad_date_is_a_usage_error() -> None:
    result = run("sources", "--since", "yesterday", "--data", str(MINI))
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.stderr
