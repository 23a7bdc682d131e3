"""The consortium builder: teams that an expert would put forward, backed by the data."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from kpartner import load_catalog, shipped_data_dir
from kpartner.catalog import Catalog, UnknownName
from kpartner.cli import EXIT_NOTHING, EXIT_USAGE
from kpartner.matching import NoTermResolved
from kpartner.models import Source
from kpartner.query import resolve
from kpartner.ranking import PRODUCT_TYPES
from kpartner.teambuilder import (
    NOT_RECRUITED,
    Builder,
    TeamKind,
    TeamOptions,
    TeamReport,
    build_teams,
)

from .conftest import run
from .test_reliability import cli_run

DRONES = ["drones"]
AI_TRAFFIC = ["ai", "traffic"]
PARKING_ROBOTS = ["smart parking", "robots"]
STARTUPS = [DRONES, AI_TRAFFIC, PARKING_ROBOTS]
PROJECTS = ["sejong-5-1", "busan-eco-delta-city", "daegu-2021", "goyang-2023", "daejeon-2019"]


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    found = load_catalog(shipped_data_dir()).catalog
    assert found is not None
    return found


def teams(catalog: Catalog, tech: list[str], project: str, **options: object) -> TeamReport:
    return build_teams(catalog, tech=tech, project=project, options=TeamOptions(**options))  # type: ignore[arg-type]


@pytest.mark.parametrize("project", PROJECTS)
@pytest.mark.parametrize("tech", STARTUPS, ids=["drones", "ai-traffic", "parking-robots"])
def test_every_contribution_is_backed_and_sourced(
    catalog: Catalog, tech: list[str], project: str
) -> None:
    report = teams(catalog, tech, project)
    found = report.projects[0]
    asked = set(report.query.sectors)
    focus = set(catalog.project_sectors[project])
    assert all(c.exact for c in found.startup)  # you bring what you name, or narrower
    for team in found.teams:
        brought = {c.sector for m in team.members for c in m.brings}
        startup = {c.sector for c in found.startup}
        assert set(team.covered) == (brought | startup) & focus
        assert set(team.uncovered) == focus - set(team.covered)
        for member in team.members:
            assert member.sources, member.company.id
            for contribution in member.brings:
                assert contribution.sector in focus
                assert contribution.via in member.company.capabilities
                said = [e.text for e in member.evidence if e.sector == contribution.sector]
                assert said, (member.company.id, contribution.sector)
                if not contribution.exact:
                    assert "taxonomy link" in said[0]
        for recruit in team.recruits:
            company = recruit.company
            assert company.type not in NOT_RECRUITED, company.id
            peer = company.type in PRODUCT_TYPES and set(company.capabilities) & asked
            assert not peer, company.id
        recruited = [c.sector for m in team.recruits for c in m.brings]
        assert len(recruited) == len(set(recruited))  # each sector to one recruit
        assert all(m.brings for m in team.recruits)  # no --must here: none is idle
        for sector in team.uncovered:
            assert sector in team.next_step or catalog.sectors[sector].label in team.next_step


@pytest.mark.parametrize("project", PROJECTS)
def test_nobody_means_nobody(catalog: Catalog, project: str) -> None:
    found = teams(catalog, DRONES, project).projects[0]
    for sector in found.nobody:
        assert not any(sector in c.capabilities for c in catalog.companies.values()), sector


def test_sejong_with_drones_joins_the_lg_cns_consortium(catalog: Catalog) -> None:
    found = teams(catalog, DRONES, "sejong-5-1").projects[0]
    best = found.teams[0]
    assert best.kind is TeamKind.JOIN
    assert best.consortium is not None
    assert best.consortium.id == "sejong-o1"
    assert best.startup_adds == ("drones",)
    members = {m.company.id for m in best.members}
    assert {"lg-cns", "lg-uplus"} <= members
    # a drone maker sells what the startup sells: never recruited
    assert all(m.company.id != "pablo-air" for t in found.teams for m in t.recruits)
    assert "smart-farm" in found.nobody
    assert "smart-farm" in best.uncovered
    assert found.teams[-1].kind is TeamKind.NEW


def test_sejong_with_ai_traffic_recruits_a_drone_firm(catalog: Catalog) -> None:
    found = teams(catalog, AI_TRAFFIC, "sejong-5-1").projects[0]
    assert {c.sector for c in found.startup} >= {"ai", "traffic-management"}
    best = found.teams[0]
    assert best.consortium is not None
    assert best.consortium.id == "sejong-o1"
    assert "pablo-air" in {m.company.id for m in best.recruits}


def test_busan_joins_the_in_with_its_project_company(catalog: Catalog) -> None:
    found = teams(catalog, PARKING_ROBOTS, "busan-eco-delta-city").projects[0]
    best = found.teams[0]
    assert best.consortium is not None
    assert best.consortium.id == "the-in-busan"
    members = {m.company.id for m in best.members}
    assert {"lg-cns", "humax-mobility", "k-water"} <= members  # K-water: the project company
    assert {c.sector for c in found.startup} >= {"robotics", "smart-parking"}


def test_the_startup_brings_no_linked_sector(catalog: Catalog) -> None:
    found = teams(catalog, AI_TRAFFIC, "busan-eco-delta-city").projects[0]
    assert [c.sector for c in found.startup] == ["smart-mobility", "ai"]  # not big data


def test_standing_and_sources_lower_the_cost(catalog: Catalog) -> None:
    builder = Builder(catalog, resolve(catalog, ["drones"]), TeamOptions())
    known = catalog.companies["lg-cns"]
    stranger = known.model_copy(update={"id": "lg-cns-stranger"})  # in no live team
    unsourced = known.model_copy(
        update={"id": "lg-cns-homepage", "sources": [Source(url="https://www.lgcns.com/")]}
    )
    brings = list(builder.contributions(["ai", "big-data"], known.capabilities).values())
    assert builder.standing(known) > 0
    assert builder.cost(known, brings) < builder.cost(stranger, brings)
    assert builder.cost(stranger, brings) < builder.cost(unsourced, brings)


def test_clients_vehicles_and_peers_are_never_recruited(catalog: Catalog) -> None:
    builder = Builder(catalog, resolve(catalog, ["drones"]), TeamOptions())
    assert not builder.eligible(catalog.companies["k-water"])  # a public agency: the client
    assert not builder.eligible(catalog.companies["smart-city-busan"])  # a project company
    assert not builder.eligible(catalog.companies["pablo-air"])  # sells drones: a peer
    assert builder.eligible(catalog.companies["lg-uplus"])


def test_busan_says_when_the_startup_brings_nothing(catalog: Catalog) -> None:
    found = teams(catalog, DRONES, "busan-eco-delta-city").projects[0]
    assert found.startup == ()
    assert "not in" in found.teams[0].next_step


def test_a_team_of_one_is_said(catalog: Catalog) -> None:
    result = run("team", "--project", "daegu-2021", "--tech", "ai,traffic")
    assert "nobody else needed" in result.stdout
    table = run("team", "--project", "daegu-2021", "--tech", "ai,traffic", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(table.stdout.lstrip("\ufeff"))))
    assert {row["team"] for row in rows} == {"1", "2"}  # the new team, of you alone, too
    data = json.loads(
        run("team", "--project", "sejong-5-1", "-t", "ai,traffic", "-f", "json").stdout
    )
    assert data["startup"]["sectors"] == ["ai", "traffic-management"]
    assert data["startup"]["brings"] == ["smart-mobility", "traffic-management", "ai"]


def test_daegu_challenge_needs_nobody_else_for_ai_traffic(catalog: Catalog) -> None:
    found = teams(catalog, AI_TRAFFIC, "daegu-2021").projects[0]
    assert {c.sector for c in found.startup} == {"ai", "traffic-management"}
    assert found.teams[0].recruits == ()
    assert found.teams[0].uncovered == ()


def test_goyang_challenge_joins_its_builders_and_proposes_a_new_team(catalog: Catalog) -> None:
    found = teams(catalog, DRONES, "goyang-2023").projects[0]
    best = found.teams[0]
    assert best.consortium is not None  # under way: joining the chosen builders comes first
    assert best.startup_adds == ("drones",)
    assert best.uncovered == ()
    new = found.teams[-1]
    assert new.kind is TeamKind.NEW
    assert new.members[0].role.startswith("proposed lead")
    assert new.members[0].company.id == "lg-cns"
    assert "next stage" in new.next_step


def test_daejeon_challenge_for_parking_robots(catalog: Catalog) -> None:
    found = teams(catalog, PARKING_ROBOTS, "daejeon-2019").projects[0]
    assert "smart-parking" in {c.sector for c in found.startup}
    assert found.teams[0].uncovered == ()


def test_every_shipped_project_is_solved_exactly(catalog: Catalog) -> None:
    """The README's claim: the shipped catalog never needs the greedy."""
    for project in sorted(catalog.projects):
        for tech in STARTUPS:
            found = teams(catalog, tech, project).projects[0]
            assert all(team.exact for team in found.teams), (project, tech)


def test_size_must_and_exclude(catalog: Catalog) -> None:
    limited = teams(catalog, DRONES, "sejong-5-1", size=1).projects[0]
    assert all(len(t.recruits) <= 1 for t in limited.teams)
    new = limited.teams[-1]
    assert new.uncovered != ("smart-farm",)  # the limit leaves more out, and says which
    assert all(catalog.sectors[s].label in new.next_step for s in new.uncovered)
    excluded = teams(catalog, DRONES, "goyang-2023", exclude=frozenset({"lg-cns"})).projects[0]
    assert all(m.company.id != "lg-cns" for t in excluded.teams for m in t.members)
    forced = teams(catalog, DRONES, "goyang-2023", must=("kt",)).projects[0]
    assert all("kt" in {m.company.id for m in t.members} for t in forced.teams)
    with pytest.raises(UnknownName):
        teams(catalog, DRONES, "goyang-2023", must=("no-such-firm",))
    with pytest.raises(NoTermResolved):
        teams(catalog, ["qqqqq"], "goyang-2023")


def test_without_a_project_the_best_opportunities(catalog: Catalog) -> None:
    report = build_teams(catalog, tech=DRONES, options=TeamOptions(top=2))
    assert len(report.projects) == 2
    assert not report.single
    assert all(p.teams for p in report.projects)


def test_json_shape() -> None:
    result = run("team", "--project", "sejong-5-1", "--tech", "drones", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["project"] == {
        "id": "sejong-5-1",
        "name": data["project"]["name"],
        "city": "Sejong",
        "year": data["project"]["year"],
        "status": data["project"]["status"],
    }
    assert data["startup"] == {"sectors": ["drones"], "brings": ["drones"]}
    team = data["teams"][0]
    assert team["kind"] == "join"
    assert team["consortium"] == "sejong-o1"
    assert {"company", "brings", "role", "evidence", "sources"} <= set(team["members"][0])
    assert {"kind", "text", "sector", "company"} <= set(team["members"][0]["evidence"][0])
    assert team["uncovered"] == ["smart-farm"]
    assert data["teams"][-1]["kind"] == "new"
    assert data["teams"][-1]["consortium"] is None


def test_every_format() -> None:
    args = ("team", "--project", "goyang-2023", "--tech", "drones")
    table = run(*args)
    assert table.exit_code == 0
    assert "Form a new team" in table.stdout
    assert "Join Goyang hub partners" in table.stdout
    rows = list(csv.DictReader(io.StringIO(run(*args, "--format", "csv").stdout.lstrip("\ufeff"))))
    assert rows
    assert rows[0]["company"] == "kakao-enterprise"
    assert rows[0]["sources"].startswith("http")
    markdown = run(*args, "--format", "markdown").stdout
    assert markdown.startswith("# Proposed teams")
    assert "Sources:" in markdown


@pytest.mark.parametrize(
    "args",
    [
        ("team", "--tech", "ai,traffic", "--top", "2", "--format", "json"),
        ("team", "--project", "busan-eco-delta-city", "--tech", "robots"),
    ],
)
def test_output_is_the_same_across_hash_seeds(args: tuple[str, ...]) -> None:
    runs = [cli_run(*args, seed=seed) for seed in ("0", "1", "12345")]
    assert all(run.returncode == 0 for run in runs), runs[0].stderr
    assert len({run.stdout for run in runs}) == 1


def test_errors_are_one_line_with_exit_codes() -> None:
    unknown = run("team", "--project", "sejong-5-2", "--tech", "drones")
    assert unknown.exit_code == EXIT_USAGE
    assert "did you mean" in unknown.stderr
    assert "Traceback" not in unknown.stderr
    assert run("team", "--project", "sejong-5-1").exit_code == EXIT_USAGE
    assert run("team", "--tech", "qqqqq").exit_code == EXIT_USAGE
    assert EXIT_NOTHING == 1


def test_output_file_and_conflicting_options(tmp_path: Path) -> None:
    target = tmp_path / "teams.md"
    args = ("team", "--project", "daegu-2021", "--tech", "ai,traffic")
    written = run(*args, "--format", "markdown", "--output", str(target))
    assert written.exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("# Proposed teams")
    both = run(*args, "--must", "kt", "--exclude", "kt")
    assert both.exit_code == EXIT_USAGE
    assert "both" in both.stderr


def test_a_startup_bringing_nothing_to_the_project_gets_no_team() -> None:
    result = run("team", "--project", "jeonju-2025", "--tech", "drones")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "you bring none of jeonju-2025's focus sectors" in result.stderr


def test_a_rival_inside_the_team_you_would_join_is_named() -> None:
    """Pablo Air sells drones and is in Taean's consortium: joining means competing with it."""
    result = run("team", "--project", "taean-2023", "--tech", "drones")
    assert result.exit_code == 0
    assert "Pablo Air in it already sells what you sell: a rival for the slot" in result.stdout
