"""Consultants' shortlists: the report's content, its four formats, the batch command.

Golden files (``fixtures/shortlist/golden``) hold the Markdown and CSV for a fixed profile
over the fixture catalog with a fixed date; set ``KPARTNER_UPDATE_GOLDEN=1`` to rewrite
them after a deliberate change, and read the diff.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import subprocess
import sys
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest

from kpartner.catalog import Catalog, load_catalog
from kpartner.output import OutputError, write_all_atomically
from kpartner.profile import TEMPLATE, read_profile, unknown_names, unknown_terms
from kpartner.render_shortlist import (
    CSV_COLUMNS,
    render_csv,
    render_html,
    render_json,
    render_markdown,
)
from kpartner.shortlist import ClientReport, Failure, build_batch, build_report, file_stem

from .conftest import DATA, MINI, run

HERE = Path(__file__).parent / "fixtures" / "shortlist"
GOLDEN = HERE / "golden"
TODAY = dt.date(2026, 11, 26)


def _report(catalog: Catalog, name: str = "aerolink.yaml") -> ClientReport:
    outcome = build_report(catalog, HERE / name, top=10, today=TODAY)
    assert isinstance(outcome, ClientReport), outcome
    return outcome


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("KPARTNER_UPDATE_GOLDEN"):
        path.write_bytes(text.encode("utf-8"))
    assert text == path.read_bytes().decode("utf-8")


# -- the report's content -----------------------------------------------------------------


def test_markdown_matches_golden_file(mini_catalog: Catalog) -> None:
    _golden("aerolink.md", render_markdown(_report(mini_catalog)))


def test_csv_matches_golden_file(mini_catalog: Catalog) -> None:
    _golden("aerolink.csv", render_csv(_report(mini_catalog)))


def test_report_says_what_a_client_needs(mini_catalog: Catalog) -> None:
    report = _report(mini_catalog)
    assert report.client == "AeroLink"
    assert report.generated == TODAY
    assert report.oldest_as_of == dt.date(2020, 10, 8)
    assert [lead.match.id for lead in report.leads] == ["alpha-city", "beta-town"]
    assert report.summary.startswith("Of 2 opportunities for AeroLink, the 2 best are: (1)")
    # The client already talks to Acme IT: the way in is someone else, and Acme is marked.
    alpha = report.leads[0]
    assert "Acme IT" not in alpha.way_in
    assert [m.name for m in alpha.members if m.excluded] == ["Acme IT"]
    assert any("robots" in caveat and "not understood" in caveat for caveat in report.caveats)
    assert any("more than a year old" in caveat for caveat in report.caveats)


def test_each_source_is_cited_once_and_numbered(mini_catalog: Catalog) -> None:
    report = _report(mini_catalog)
    urls = [ref.url for ref in report.references]
    assert len(urls) == len(set(urls))
    assert [ref.number for ref in report.references] == list(range(1, len(urls) + 1))
    for lead in report.leads:
        cited = {report.references[n - 1].url for n in lead.references}
        assert cited == {source.url for source in lead.match.sources}
    text = render_markdown(report)
    for url in urls:
        assert text.count(f"<{url}>") == 1


def test_markdown_has_no_scores_or_term_resolution(mini_catalog: Catalog) -> None:
    text = render_markdown(_report(mini_catalog))
    assert "demand" not in text
    assert "exact" not in text
    assert "Score" not in text


def test_json_keeps_match_field_names(mini_catalog: Catalog) -> None:
    report = _report(mini_catalog)
    data = json.loads(render_json(report))
    matched = run(
        "match", "--profile", str(HERE / "aerolink.yaml"), "--data", str(MINI), "-f", "json"
    )
    expected = json.loads(matched.stdout)
    assert set(expected) <= set(data)
    assert set(data["results"][0]) == set(expected["results"][0])
    assert data["client"]["name"] == "AeroLink"
    assert [r["number"] for r in data["references"]] == [1, 2, 3, 4]


def test_csv_opens_in_excel_with_one_row_per_lead(mini_catalog: Catalog) -> None:
    text = render_csv(_report(mini_catalog, "hangul.yaml"))
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert {row[0] for row in rows[1:]} == {"한빛 드론"}
    assert "알파 시범도시" in {row[4] for row in rows[1:]}


# -- HTML -----------------------------------------------------------------------------------


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.style = ""
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.style += data
        else:
            self.text.append(data)


def _parse(text: str) -> _Page:
    page = _Page()
    page.feed(text)
    return page


def test_html_is_one_self_contained_file(mini_catalog: Catalog) -> None:
    page = _parse(render_html(_report(mini_catalog)))
    names = [tag for tag, _ in page.tags]
    assert names.count("h1") == 1
    assert not {"script", "link", "img", "iframe", "object", "embed"} & set(names)
    assert all("src" not in attrs for _, attrs in page.tags)
    assert "@import" not in page.style
    assert "url(" not in page.style
    assert "@media print" in page.style
    assert "Noto Sans KR" in page.style  # a font stack with Hangul
    rows = [attrs["id"] for tag, attrs in page.tags if tag == "tr" and attrs.get("id")]
    assert rows == ["row-1", "row-2"]
    # Links leave the page only to the references, and no link loads anything.
    external = [
        a["href"] for t, a in page.tags if t == "a" and not (a["href"] or "").startswith("#")
    ]
    assert external == [ref.url for ref in _report(mini_catalog).references]


def test_html_escapes_hostile_names(mini_catalog: Catalog) -> None:
    report = _report(mini_catalog)
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    lead = replace(report.leads[0], match=replace(report.leads[0].match, name=hostile))
    report = replace(report, client=hostile, notes=hostile, leads=(lead, *report.leads[1:]))
    text = render_html(report)
    page = _parse(text)
    assert not {"script", "img"} & {tag for tag, _ in page.tags}
    assert hostile in "".join(page.text)  # shown, as text
    markdown = render_markdown(report)
    assert re.search(r"(?<!\\)<(script|img)", markdown) is None
    assert "\\<script\\>" in markdown


# -- file names, profiles, the template ----------------------------------------------------


@pytest.mark.parametrize(
    ("client", "taken", "expected"),
    [
        ("AeroLink", set(), "aerolink"),
        ("Aero Link GmbH & Co.", set(), "aero-link-gmbh-co"),
        ("../../etc/passwd", set(), "etc-passwd"),
        ("한빛 드론", set(), "한빛-드론"),
        ("***", set(), "client"),
        ("Index", set(), "index-2"),
        ("AeroLink", {"aerolink"}, "aerolink-2"),
        ("AeroLink", {"aerolink", "aerolink-2"}, "aerolink-3"),
        ("a\x1b[31mb\u202ec", set(), "a-31mb-c"),
    ],
)
def test_file_names_are_safe_and_unique(client: str, taken: set[str], expected: str) -> None:
    assert file_stem(client, taken) == expected


def test_batch_names_two_clients_of_one_name_apart(mini_catalog: Catalog) -> None:
    path = HERE / "aerolink.yaml"
    outcomes = list(build_batch(mini_catalog, [path, path], top=3, today=TODAY))
    assert [o.stem for o in outcomes if isinstance(o, ClientReport)] == ["aerolink", "aerolink-2"]


def test_broken_profile_is_named_at_its_line(mini_catalog: Catalog) -> None:
    outcome = build_report(mini_catalog, HERE / "broken.yaml", top=3, today=TODAY)
    assert isinstance(outcome, Failure)
    assert outcome.problems[0].startswith(f"{HERE / 'broken.yaml'}:2:1: error [unknown-field]")
    assert "did you mean 'technologies'?" in outcome.problems[0]


def test_profile_terms_and_companies_checked_with_suggestions(
    mini_catalog: Catalog, tmp_path: Path
) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("name: X\ntechnologies: [drones, teleportation]\nexclude_companies: [acme]\n")
    read = read_profile(path)
    [company] = unknown_names(read, mini_catalog)
    assert str(company).startswith(f"{path}:3:21: error [unknown-reference] unknown company")
    assert "did you mean 'acme-it'?" in str(company)
    [term] = unknown_terms(read, mini_catalog)
    assert str(term).startswith(f"{path}:2:24: warning [unknown-sector] 'teleportation'")


def test_template_is_a_valid_profile(tmp_path: Path) -> None:
    path = tmp_path / "client.yaml"
    path.write_text(TEMPLATE, encoding="utf-8")
    read = read_profile(path)
    assert read.problems == []
    assert read.profile is not None
    assert read.profile.name == "Your Client Ltd"


def test_init_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "client.yaml"
    assert run("init", str(path)).exit_code == 0
    path.write_text("name: mine\n")
    result = run("init", str(path))
    assert result.exit_code == 2
    assert "use --force" in result.stderr
    assert path.read_text() == "name: mine\n"
    assert run("init", str(path), "--force").exit_code == 0
    assert path.read_text() == TEMPLATE


# -- the command -----------------------------------------------------------------------------


def test_batch_with_a_broken_profile(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    profiles = [str(HERE / name) for name in ("aerolink.yaml", "broken.yaml", "hangul.yaml")]
    args = ["shortlist", *profiles, "--out", str(out), "--data", str(MINI)]
    result = run(*args, "--format", "md,html,csv,json")
    assert result.exit_code == 1
    assert f"{HERE / 'broken.yaml'}:2:1: error [unknown-field]" in result.stderr
    assert f"kpartner: no report for {HERE / 'broken.yaml'}" in result.stderr
    written = sorted(p.name for p in out.iterdir())
    expected = [
        f"{stem}.{ext}"
        for stem in ("aerolink", "index", "한빛-드론")
        for ext in ("csv", "html", "json", "md")
    ]
    assert written == sorted([*expected, "notes.txt"])
    assert (out / "notes.txt").read_text() == "mine"
    index = (out / "index.md").read_text(encoding="utf-8")
    assert "broken.yaml:2:1" in index
    assert "[aerolink.md](<aerolink.md>)" in index
    # Run again: nothing is replaced without --force.
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    (out / "aerolink.md").write_text("edited by hand")
    again = run(*args)
    assert again.exit_code == 2
    assert "use --force" in again.stderr
    assert (out / "aerolink.md").read_text() == "edited by hand"
    assert {p.name for p in out.iterdir()} == set(before)
    assert run(*args, "--force").exit_code == 1
    assert (out / "aerolink.md").read_text(encoding="utf-8").startswith("# Korean smart-city")


def test_batch_all_good_exits_zero(tmp_path: Path) -> None:
    out = tmp_path / "reports"  # created when missing
    result = run("shortlist", str(HERE / "aerolink.yaml"), "--out", str(out), "--data", str(MINI))
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "aerolink.html",
        "aerolink.md",
        "index.html",
        "index.md",
    ]


def test_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    result = run("shortlist", str(HERE / "aerolink.yaml"), "--out", str(tmp_path), "-f", "md,htm")
    assert result.exit_code == 2
    assert "unknown format 'htm' in --format; did you mean 'html'?" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_out_must_be_a_folder(tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("x")
    result = run("shortlist", str(HERE / "aerolink.yaml"), "--out", str(target))
    assert result.exit_code == 2
    assert "not a folder" in result.stderr


@pytest.mark.parametrize(
    ("name", "first"),
    [("x.md", "# Partner suggestions"), ("x.json", "{"), ("x.csv", "\ufeffrank,"), ("x.txt", "#")],
)
def test_match_output_format_from_extension(tmp_path: Path, name: str, first: str) -> None:
    target = tmp_path / name
    result = run("match", "--tech", "drones", "--data", str(MINI), "--output", str(target))
    assert result.exit_code == 0, result.stderr
    assert target.read_text(encoding="utf-8").startswith(first)


def test_match_format_option_beats_the_extension(tmp_path: Path) -> None:
    target = tmp_path / "x.md"
    run("match", "--tech", "drones", "--data", str(MINI), "--output", str(target), "-f", "json")
    assert target.read_text(encoding="utf-8").startswith("{")


def test_batch_write_is_all_or_nothing_before_the_renames(tmp_path: Path) -> None:
    kept = tmp_path / "kept.md"
    kept.write_text("old")
    files = {kept: "new", tmp_path / "missing-folder" / "x.md": "x"}
    with pytest.raises(OutputError, match="cannot write"):
        write_all_atomically(files)
    assert kept.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.md"]  # no temporary left
    write_all_atomically({kept: "new", tmp_path / "y.md": "y"})
    assert kept.read_text() == "new"
    assert (tmp_path / "y.md").read_text() == "y"


def test_caveats_cover_unconfirmed_unnamed_and_old_records(tmp_path: Path) -> None:
    """Over the shipped data, whose teams have reported-only and unnamed members."""
    catalog = load_catalog(DATA).catalog
    assert catalog is not None
    path = tmp_path / "client.yaml"
    path.write_text("name: C\ntechnologies: [drones, 5g, healthcare]\n", encoding="utf-8")
    outcome = build_report(catalog, path, top=10, today=TODAY)
    assert isinstance(outcome, ClientReport)
    by_kind = {caveat.split(":")[0]: caveat for caveat in outcome.caveats}
    unconfirmed = [(lead, m) for lead in outcome.leads for m in lead.members if not m.confirmed]
    assert unconfirmed, "the shipped data no longer has a reported-only member: pick another query"
    for lead, member in unconfirmed:
        assert member.name in by_kind["Team members reported by some sources only, not confirmed"]
        assert any(member.name in caveat for caveat in lead.caveats)
    for lead in outcome.leads:
        if lead.unnamed:
            assert lead.match.name in by_kind["Team members counted by the sources but not named"]
        if lead.stale:
            assert lead.match.name in by_kind["Records more than a year old"]


def test_batch_output_is_the_same_under_any_hash_seed(tmp_path: Path) -> None:
    """Two processes with different hash seeds write byte-identical reports and index."""
    root = Path(__file__).parent.parent
    client = tmp_path / "client.yaml"
    client.write_text(
        "name: C\ntechnologies: [drones, 5g, ai, healthcare]\nexclude_companies: [lg-cns]\n",
        encoding="utf-8",
    )
    profiles = [str(client), str(HERE / "hangul.yaml")]
    written = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        args = [
            "shortlist",
            *profiles,
            "--out",
            str(out),
            "--data",
            str(DATA),
            "-f",
            "md,html,csv,json",
        ]
        env = {**os.environ, "PYTHONPATH": str(root / "src"), "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-m", "kpartner", *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        written.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    assert written[0] == written[1]


def test_match_honours_the_profiles_companies_to_exclude(tmp_path: Path) -> None:
    result = run("match", "--profile", str(HERE / "aerolink.yaml"), "--data", str(MINI))
    assert result.exit_code == 0, result.stderr
    assert "Approach Beta Telecom" in result.stdout
    assert "Approach Acme IT" not in result.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: X\ntechnologies: [drones]\nexclude_companies: [acme-itt]\n")
    result = run("match", "--profile", str(bad), "--data", str(MINI))
    assert result.exit_code == 2
    assert f"{bad}:3:21: error [unknown-reference] unknown company 'acme-itt'" in result.stderr


def test_report_names_what_was_left_out(tmp_path: Path) -> None:
    # An e-government client: Taebaek asks for blockchain to track a mine's resources, no
    # lead in e-government; the report says so by name, as it names the weaker leads.
    profile = tmp_path / "estonia.yaml"
    profile.write_text(
        "name: Estonian e-government\ntechnologies: [blockchain, e-government]\n",
        encoding="utf-8",
    )
    catalog = load_catalog(DATA).catalog
    assert catalog is not None
    outcome = build_report(catalog, profile, top=10, today=TODAY)
    assert isinstance(outcome, ClientReport), outcome
    assert "taebaek-2024" not in [lead.match.id for lead in outcome.leads]
    left = [note for note in outcome.caveats if note.startswith("Asking for the client's")]
    assert left
    assert "Taebaek small-city smart-city project" in left[0]
