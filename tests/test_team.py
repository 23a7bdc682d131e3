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
from kpartner.ranking import FINISHED, PRODUCT_TYPES
from kpartner.teambuilder import (
    NOT_RECRUITED,
    RESEARCH_TYPES,
    Builder,
    FinishedProject,
    NoProject,
    TeamKind,
    TeamOptions,
    TeamReport,
    build_teams,
)
from kpartner.teams import LIVE_STATUSES
from kpartner.teamwords import existing_role

from .conftest import run
from .test_reliability import cli_run

DRONES = ["drones"]
AI_TRAFFIC = ["ai", "traffic"]
OPEN = "smart-city-call-2026"  # planned: no builders chosen, so a new team is the way in
PARKING_ROBOTS = ["smart parking", "robots"]
STARTUPS = [DRONES, AI_TRAFFIC, PARKING_ROBOTS]
# The two national pilots and three challenge/hub projects still being built.
PROJECTS = ["sejong-5-1", "busan-eco-delta-city", "goyang-2023", "taean-2023", "cheonan-2024"]


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    found = load_catalog(shipped_data_dir()).catalog
    assert found is not None
    return found


def teams(catalog: Catalog, tech: list[str], project: str, **options: object) -> TeamReport:
    return build_teams(catalog, tech=tech, project=project, options=TeamOptions(**options))  # type: ignore[arg-type]


def incumbents(catalog: Catalog, project: str) -> set[str]:
    return {
        member.company
        for consortium in catalog.projects[project].consortia
        if consortium.status in LIVE_STATUSES
        for member in consortium.members
    } | {
        consortium.lead
        for consortium in catalog.projects[project].consortia
        if consortium.status in LIVE_STATUSES and consortium.lead
    }


@pytest.mark.parametrize("project", PROJECTS)
@pytest.mark.parametrize("tech", STARTUPS, ids=["drones", "ai-traffic", "parking-robots"])
def test_every_contribution_is_backed_and_sourced(
    catalog: Catalog, tech: list[str], project: str
) -> None:
    report = teams(catalog, tech, project)
    found = report.projects[0]
    asked = set(report.query.sectors)
    focus = set(catalog.project_sectors[project])
    inside = incumbents(catalog, project)
    for yours in found.startup:  # a sector you name, or the nearest broader one
        assert yours.via in asked
        assert yours.sector == yours.via or yours.via not in focus
    assert set(found.outside) == {s for s in asked if s not in {c.via for c in found.startup}}
    for team in found.teams:
        brought = {c.sector for m in team.members for c in m.brings}
        startup = {c.sector for c in found.startup}
        assert set(team.covered) == (brought | startup) & focus
        assert set(team.uncovered) == focus - set(team.covered)
        for member in team.members:
            assert member.sources, member.company.id
            if member.public:
                # The client side covers what it runs, but is never a rival.
                assert member.role.startswith("client/public side")
                assert member not in team.competitors
            if member.brings:
                assert member.capability_sources == tuple(member.company.sources)
            if member.in_consortium:
                assert team.consortium is not None
                assert member.membership_sources  # the consortium's own sources
                assert member.consortium is not None
                assert set(member.membership_sources) <= set(member.consortium.sources)
            for contribution in member.brings:
                assert contribution.sector in focus
                assert contribution.via in member.company.capabilities
                said = [e.text for e in member.evidence if e.sector == contribution.sector]
                assert said, (member.company.id, contribution.sector)
                if not contribution.exact:
                    assert "taxonomy link" in said[0]
        if team.kind is TeamKind.JOIN:
            assert team.recruits == ()  # joining is not recruiting
            for door in (team.door, team.nearest):
                if door is not None:
                    assert door.company.type not in NOT_RECRUITED | RESEARCH_TYPES
            assert team.door is not None or team.nearest is not None
        for recruit in team.recruits:
            company = recruit.company
            assert company.type not in NOT_RECRUITED | RESEARCH_TYPES, company.id
            assert company.country == "KR"
            assert company.id not in inside, company.id  # no rival to its own team
            peer = company.type in PRODUCT_TYPES and set(company.capabilities) & asked
            assert not peer, company.id
            assert any(c.exact for c in recruit.brings), company.id  # no loose chains
        recruited = [c.sector for m in team.recruits for c in m.brings]
        assert len(recruited) == len(set(recruited))  # each sector to one recruit
        # The uncovered sectors are all in the team (and its own line); a join's next step
        # names the first few and counts the rest.
        said = [s for s in team.uncovered if catalog.sectors[s].label in team.next_step]
        if team.kind is TeamKind.JOIN and len(team.uncovered) > len(said):
            assert f"and {len(team.uncovered) - len(said)} more focus sector" in team.next_step
        else:
            assert said == list(team.uncovered)


@pytest.mark.parametrize("project", PROJECTS)
def test_nobody_means_no_recruit(catalog: Catalog, project: str) -> None:
    found = teams(catalog, DRONES, project).projects[0]
    builder = Builder(catalog, resolve(catalog, DRONES), TeamOptions())
    inside = incumbents(catalog, project)
    for sector in found.nobody:
        assert not any(
            sector in builder.reach(sector) and sector in c.capabilities and c.id not in inside
            for c in catalog.companies.values()
            if builder.eligible(c)
        ), sector


def test_sejong_with_drones_joins_the_lg_cns_consortium_as_it_is(catalog: Catalog) -> None:
    found = teams(catalog, DRONES, "sejong-5-1").projects[0]
    best = found.teams[0]
    assert best.kind is TeamKind.JOIN
    assert best.consortium is not None
    assert best.consortium.id == "sejong-o1"
    assert best.startup_adds == ("drones",)
    assert best.recruits == ()
    assert best.door is not None
    assert best.door.company.id == "lg-cns"
    assert best.next_step.startswith("Approach LG CNS (lead of Sejong O1) as a supplier of Drones")
    assert "the consortium does not list" in best.next_step
    members = {m.company.id: m for m in best.members}
    assert {"lg-cns", "lg-uplus"} <= set(members)
    assert members["sejong-city"].public  # the client side
    assert "smart-farm" in best.uncovered
    # Its builders are chosen and can be joined: no rival team is proposed.
    assert [t.kind for t in found.teams] == [TeamKind.JOIN]


def test_sejong_with_ai_traffic_brings_what_it_names(catalog: Catalog) -> None:
    found = teams(catalog, AI_TRAFFIC, "sejong-5-1").projects[0]
    # traffic management is in the focus: not smart mobility as well
    assert [c.sector for c in found.startup] == ["traffic-management", "ai"]


def test_busan_ai_traffic_competes_with_the_lead_and_skips_the_village(
    catalog: Catalog,
) -> None:
    found = teams(catalog, AI_TRAFFIC, "busan-eco-delta-city").projects[0]
    [mobility, ai] = found.startup
    assert (mobility.sector, mobility.via, ai.sector) == (
        "smart-mobility",
        "traffic-management",
        "ai",
    )
    joins = [t for t in found.teams if t.kind is TeamKind.JOIN]
    assert [t.consortium.id for t in joins if t.consortium] == ["the-in-busan"]  # no village
    the_in = joins[0]
    assert "lg-cns" in {m.company.id for m in the_in.competitors}
    assert "you would compete with LG CNS" in the_in.next_step
    # The real consortium, though you would compete in it; no rival team for a later call.
    assert found.teams == (the_in,)
    table = run("team", "--project", "busan-eco-delta-city", "--tech", "ai,traffic")
    assert "you bring: Traffic management → Smart mobility (narrower), Artificial intelligence" in (
        table.stdout
    )
    assert "Smart Village" not in table.stdout


def test_busan_joins_the_in_with_its_project_company(catalog: Catalog) -> None:
    found = teams(catalog, ["drones"], "busan-eco-delta-city").projects[0]
    # Drones are not in Busan's focus, but they serve its smart farms: said as such.
    [served] = found.startup
    assert (served.sector, served.via, served.exact) == ("smart-farm", "drones", False)
    assert found.outside == ()
    # With a second sector, a served domain counts only beside it: not the farms here.
    found = teams(catalog, ["drones", "drone delivery"], "busan-eco-delta-city").projects[0]
    assert "smart-farm" not in {c.sector for c in found.startup}
    found = teams(catalog, ["robots", "water"], "busan-eco-delta-city").projects[0]
    join = next(t for t in found.teams if t.kind is TeamKind.JOIN)
    assert join.consortium is not None
    assert join.consortium.id == "the-in-busan"
    members = {m.company.id: m for m in join.members}
    assert {"lg-cns", "humax-mobility", "k-water"} <= set(members)  # K-water: in the SPC
    assert members["k-water"].public
    # K-water runs the water: the team covers it, and it is the door for water alone.
    assert "water-management" in {c.sector for c in members["k-water"].brings}
    assert "water-management" not in join.startup_adds or join.startup_adds
    water = teams(catalog, ["water quality", "iot"], "busan-eco-delta-city").projects[0]
    first = water.teams[0]
    assert first.nearest is not None
    assert first.nearest.company.id == "k-water"
    assert "water-management" in first.startup_adds  # the client runs it; no rival holds it


def test_taean_drones_compete_with_pablo_air(catalog: Catalog) -> None:
    found = teams(catalog, DRONES, "taean-2023").projects[0]
    join = next(t for t in found.teams if t.kind is TeamKind.JOIN)
    assert join.startup_adds == ()
    assert {"pablo-air", "hanseo-university"} <= {m.company.id for m in join.competitors}
    assert found.teams == (join,)  # the team you would compete in, said so; no rival team
    result = run("team", "--project", "taean-2023", "--tech", "drones")
    assert "you would compete with Hanseo University (Drones) and Pablo Air (Drones)" in (
        result.stdout
    )
    assert "Its members already do what you bring" in result.stdout


def test_cheonan_names_what_is_outside_its_focus() -> None:
    result = run("team", "--project", "cheonan-2024", "--tech", "ai,traffic management")
    assert result.exit_code == 0
    assert "not in Cheonan's focus: Traffic management" in result.stdout


def test_standing_sources_and_place_lower_the_cost(catalog: Catalog) -> None:
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
    assert builder.builds_in(known, "Sejong")
    assert builder.cost(known, brings, "Sejong") < builder.cost(known, brings, "Taebaek")


def test_clients_vehicles_peers_universities_and_foreign_firms_are_never_recruited(
    catalog: Catalog,
) -> None:
    builder = Builder(catalog, resolve(catalog, ["drones"]), TeamOptions())
    assert not builder.eligible(catalog.companies["k-water"])  # a public agency: the client
    assert not builder.eligible(catalog.companies["smart-city-busan"])  # a project company
    assert not builder.eligible(catalog.companies["pablo-air"])  # sells drones: a peer
    assert not builder.eligible(catalog.companies["jeonju-university"])  # no filler
    assert not builder.eligible(catalog.companies["postech"])
    assert builder.eligible(catalog.companies["lg-uplus"])
    abroad = catalog.companies["lg-uplus"].model_copy(update={"country": "US"})
    assert not builder.eligible(abroad)
    assert (
        existing_role("global partner", False, abroad) == "member: global partner (foreign partner)"
    )
    assert existing_role("public shareholder", False, catalog.companies["sejong-city"]) == (
        "client/public side: public shareholder"
    )
    forced = teams(catalog, ["ai"], OPEN, must=("postech",)).projects[0]
    new = next(t for t in forced.teams if t.kind is TeamKind.NEW)
    assert "postech" in {m.company.id for m in new.members}  # --must overrides


def test_a_foreign_member_is_labelled(catalog: Catalog) -> None:
    companies = dict(catalog.companies)
    companies["dassault-systemes"] = companies["dassault-systemes"].model_copy(
        update={"country": "FR"}
    )
    abroad = Catalog(catalog.sectors, catalog.projects, companies, catalog.data_dir)
    found = teams(abroad, ["ai"], "cheonan-2024").projects[0]
    join = next(t for t in found.teams if t.kind is TeamKind.JOIN)
    member = next(m for m in join.members if m.company.id == "dassault-systemes")
    assert member.foreign
    assert member.role.endswith("(foreign partner)")
    assert any("a foreign partner, not a Korean one" in e.text for e in member.evidence)


def test_a_completed_project_is_a_reference(catalog: Catalog) -> None:
    with pytest.raises(FinishedProject):
        teams(catalog, DRONES, "daejeon-2019")
    result = run("team", "--project", "daejeon-2019", "--tech", "drones")
    assert result.exit_code == EXIT_NOTHING
    assert result.stdout == ""
    assert "daejeon-2019 is completed" in result.stderr
    assert "a reference" in result.stderr


def test_goyang_challenge_joins_its_builders(
    catalog: Catalog,
) -> None:
    found = teams(catalog, DRONES, "goyang-2023").projects[0]
    best = found.teams[0]
    assert best.consortium is not None  # under way: joining the chosen builders comes first
    assert best.startup_adds == ("drones",)
    assert best.door is None  # a city-led partner list: no lead to approach
    assert best.nearest is not None
    assert best.nearest.company.type not in NOT_RECRUITED | RESEARCH_TYPES
    if not best.near:
        assert "no member works near your field" in best.next_step
    assert [t.kind for t in found.teams] == [TeamKind.JOIN]  # no rival to a chosen team


def test_a_project_past_its_call_with_no_builders_recorded_sends_you_to_the_city(
    catalog: Catalog,
) -> None:
    found = teams(catalog, ["ai"], "suncheon-2026").projects[0]
    [new] = found.teams
    assert new.kind is TeamKind.NEW
    assert new.next_stage
    assert new.unrecorded
    assert new.members[0].role.startswith("proposed lead")
    assert new.next_step.startswith("The data names no builders")
    assert "ask the city who builds it" in new.next_step


def test_a_planned_project_gets_a_new_team(catalog: Catalog) -> None:
    found = teams(catalog, ["ai"], OPEN).projects[0]
    [new] = found.teams
    assert new.kind is TeamKind.NEW
    assert not new.next_stage
    assert new.next_step.startswith("Form a team led by")


def test_every_live_shipped_project_is_solved_exactly(catalog: Catalog) -> None:
    """The README's claim: the shipped catalog never needs the greedy."""
    for project in sorted(catalog.projects):
        if catalog.projects[project].status in FINISHED:
            continue
        for tech in STARTUPS:
            found = teams(catalog, tech, project).projects[0]
            assert all(team.exact for team in found.teams), (project, tech)


def test_size_must_and_exclude(catalog: Catalog) -> None:
    limited = teams(catalog, ["ai"], OPEN, size=1).projects[0]
    assert all(len(t.recruits) <= 1 for t in limited.teams)
    new = limited.teams[-1]
    assert new.limited  # the limit leaves more out, and says which
    assert "your --size limit leaves out" in new.next_step
    assert all(catalog.sectors[s].label in new.next_step for s in new.uncovered)
    excluded = teams(catalog, ["ai"], OPEN, exclude=frozenset({"kt"})).projects[0]
    assert all(m.company.id != "kt" for t in excluded.teams for m in t.recruits)
    forced = teams(catalog, ["ai"], OPEN, must=("kt",)).projects[0]
    assert all(
        "kt" in {m.company.id for m in t.members} for t in forced.teams if t.kind is TeamKind.NEW
    )
    with pytest.raises(UnknownName):
        teams(catalog, DRONES, "goyang-2023", must=("no-such-firm",))
    with pytest.raises(NoTermResolved):
        teams(catalog, ["qqqqq"], "goyang-2023")


def test_size_zero_blames_the_limit_not_the_catalog() -> None:
    result = run("team", "--project", OPEN, "--tech", "인공지능", "--size", "0")
    assert result.exit_code == 0
    assert "no recruits within your --size limit" in result.stdout
    assert "your --size limit leaves out" in result.stdout
    assert "no company you could recruit covers Smart-city data platform" not in result.stdout


def test_idle_members_are_named() -> None:
    result = run("team", "--project", "sejong-5-1", "--tech", "drones")
    assert "more members bringing no focus sector: KB Financial Group" in result.stdout


def test_without_a_project_the_best_live_opportunities(catalog: Catalog) -> None:
    report = build_teams(catalog, tech=DRONES, options=TeamOptions(top=2))
    assert len(report.projects) == 2
    assert not report.single
    for found in report.projects:
        assert found.teams
        assert found.startup  # you bring something to each
        assert found.project.status not in FINISHED
    only_finished = frozenset({"daejeon-2019"})
    with pytest.raises(NoProject):
        build_teams(catalog, tech=DRONES, options=TeamOptions(projects=only_finished))


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
    assert data["startup"] == {
        "sectors": ["drones"],
        "brings": ["drones"],
        "through": {},
        "outside_focus": [],
    }
    team = data["teams"][0]
    assert team["kind"] == "join"
    assert team["consortium"] == "sejong-o1"
    assert team["approach"] == ["lg-cns"]
    assert team["competitors"] == []
    assert "kb-financial-group" in team["idle_members"]
    assert {"company", "brings", "role", "evidence", "sources"} <= set(team["members"][0])
    assert {"kind", "text", "sector", "company"} <= set(team["members"][0]["evidence"][0])
    assert team["uncovered"][-1] == "smart-farm"  # what the consortium does not list
    assert [t["kind"] for t in data["teams"]] == ["join"]  # no rival to a chosen team
    planned = json.loads(run("team", "--project", OPEN, "--tech", "ai", "--format", "json").stdout)
    assert planned["teams"][0]["kind"] == "new"
    assert planned["teams"][0]["consortium"] is None


def test_every_format() -> None:
    args = ("team", "--project", "goyang-2023", "--tech", "drones")
    table = run(*args)
    assert table.exit_code == 0
    assert "Join Goyang hub partners" in table.stdout
    assert "Form a new team" in run("team", "--project", OPEN, "--tech", "ai").stdout
    rows = list(csv.DictReader(io.StringIO(run(*args, "--format", "csv").stdout.lstrip("\ufeff"))))
    assert rows
    assert rows[0]["company"] == "goyang-business-promotion-agency"
    assert rows[0]["role"].startswith("client/public side")
    assert rows[0]["sources"].startswith("http")
    markdown = run(*args, "--format", "markdown").stdout
    assert markdown.startswith("# Proposed teams")
    assert "Your terms: drones (read as Drones)." in markdown
    # Each member cites its own sources by number; the numbers are listed once per team.
    assert "| company | role | brings | evidence | sources |" in markdown
    assert "| [1]" in markdown
    assert "\n1. http" in markdown


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
    args = ("team", "--project", "goyang-2023", "--tech", "drones")
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
