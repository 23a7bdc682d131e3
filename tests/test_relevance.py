"""Advice an expert would send: twelve realistic foreign startups and whom they must (and
must not) be sent to, judged against the shipped catalog.

Each case is what a founder types, the records that must appear in the top 5 (an expert
would put them there), the ones that must not (dead bids, competitors, the wrong kind of
partner), and the companies that must be shown as peers rather than partners. Every case
runs through the CLI; the library API must give the same lists.
"""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass, field
from typing import Any

import pytest

from kpartner import load_catalog
from kpartner.cli import EXIT_USAGE
from kpartner.matching import NoTermResolved, match
from kpartner.query import split_terms
from kpartner.ranking import Filters
from kpartner.results import Kind

from .conftest import DATA as REPO_DATA
from .conftest import run

PILOTS = {"sejong-5-1", "busan-eco-delta-city"}
BANKS = ["shinhan-bank", "kb-kookmin-bank", "kb-financial-group", "shinhan-financial-group"]


@dataclass(frozen=True)
class Case:
    startup: str
    args: tuple[str, ...]
    top5: list[str]  # must be among the first five results
    never: list[str] = field(default_factory=list)  # must not be among the first five
    peers: list[str] = field(default_factory=list)  # shown as peers, never as partners
    first: str | None = None  # must be first


CASES: list[Case] = [
    # 1. Finnish MaaS app: the MaaS projects and the mobility integrators, not the banks.
    Case("Finnish MaaS app", ("--tech", "maas"), ["gimcheon-2025", "ansan-2025"]),
    Case(
        "Finnish MaaS app",
        ("--tech", "maas", "--type", "company"),
        ["lg-cns", "hyundai-motor"],
        never=BANKS,
        peers=["kst-intelligence"],
    ),
    # 2. Israeli drone delivery: the projects asking for drones (Goyang's drone cluster too:
    # "delivery" inside "drone delivery" says what the drones do, not a field that rules
    # drone projects out); delivery and logistics integrators as partners; drone makers are
    # peers.
    Case(
        "Israeli drone delivery",
        ("--tech", "drone delivery,BVLOS"),
        ["gimcheon-2025", "sejong-5-1", "taean-2023", "goyang-2023"],
    ),
    # Gwangmyeong's delivery is by e-motorbike: asking only for what drones would do there,
    # it is no drone lead.
    Case(
        "Israeli drone delivery",
        ("--tech", "drones,drone delivery,BVLOS"),
        ["gimcheon-2025", "sejong-5-1", "taean-2023", "goyang-2023"],
        never=["gwangmyeong-2024"],
    ),
    Case(
        "Israeli drone delivery",
        ("--tech", "drone delivery,BVLOS", "--type", "company"),
        ["woowa-brothers", "lg-cns"],
        never=["hanseo-university", "kyungpook-national-university"],
        peers=["pablo-air", "doosan-mobility-innovation"],
    ),
    # 3. Estonian blockchain e-government: the blockchain and digital-governance projects,
    # the national e-government agency.
    # Taebaek's blockchain tracks a closed mine's resources: blockchain for another field,
    # no lead for e-government (named in a note); asked for blockchain alone, it is one.
    Case(
        "Estonian blockchain e-government",
        ("--tech", "blockchain,digital identity"),
        ["sejong-5-1"],
        never=["taebaek-2024"],
    ),
    Case(
        "Estonian blockchain e-government",
        ("--tech", "blockchain"),
        ["taebaek-2024"],
    ),
    # Banks and parking operators only work near blockchain, not in e-government.
    Case(
        "Estonian blockchain e-government",
        ("--tech", "blockchain,digital identity", "--type", "company"),
        ["nia", "kakao-enterprise"],
        never=[*BANKS, "kona-i", "parking-cloud", "modu-company", "daily-blockchain"],
    ),
    # 4. Dutch water sensing, described in a sentence: Busan (the water pilot) and K-water.
    Case(
        "Dutch water sensing",
        ("--describe", "We measure water quality in city water networks"),
        ["busan-eco-delta-city"],
        first="busan-eco-delta-city",
    ),
    # Typed, water is what it does; the IoT sensors its sentence mentions are how: a project
    # asking only for IoT or sensors is no lead on its own.
    Case(
        "Dutch water sensing",
        (
            "--tech",
            "water quality,smart water",
            "--describe",
            "We measure water quality in city water networks with IoT sensors",
        ),
        ["busan-eco-delta-city", "pyeongtaek-2023"],
        never=["gyeongsan-2024", "cheonan-2024", "pohang-2021"],
        first="busan-eco-delta-city",
    ),
    Case(
        "Dutch water sensing",
        ("--describe", "We measure water quality in city water networks", "--type", "company"),
        ["k-water"],
        first="k-water",
    ),
    # 5. US traffic-vision AI: Jeonju's AI road safety and Sejong's AI traffic; Daegu's AI
    # signals finished in 2023 (a reference, not a lead). The AI integrators; Citylabs and
    # Pintel sell AI traffic analytics themselves (peers); Microsoft is no Korean partner.
    Case(
        "US traffic-vision AI",
        ("--tech", "AI,traffic management,computer vision"),
        ["jeonju-2025", "sejong-5-1"],
        never=["daegu-2021"],
    ),
    # Cloud firms that do AI but not traffic, and carmakers in mobility teams, come after
    # the road-traffic firms.
    Case(
        "US traffic-vision AI",
        ("--tech", "AI,traffic management,computer vision", "--type", "company"),
        ["lg-cns", "rapiece"],
        never=[
            "microsoft",
            "naver-cloud",
            "cj-olivenetworks",
            "kakao-enterprise",
            "kia",
            "hyundai-motor",
        ],
        peers=["pintel", "citylabs"],
    ),
    # 6. German parking robots: the parking projects (Haenam's self-parking gap); LG CNS runs
    # Busan's robots; the parking operators buy robots; Taean's robots are market carts (no
    # lead in parking); makers of robots for other work (delivery, service) are no rivals in
    # parking, and no partners either.
    Case(
        "German parking robots",
        ("--tech", "robots,smart parking"),
        ["busan-eco-delta-city", "daegu-suseong-alpha-city-2025", "haenam-solaseado-2021"],
        never=["taean-2023"],
    ),
    Case(
        "German parking robots",
        ("--tech", "robots,smart parking", "--type", "company"),
        ["lg-cns", "humax-mobility"],
        never=["lg-electronics", "und", "woowa-brothers"],
    ),
    # 7. Singapore digital twins: Cheonan's and Busan's digital twins; the integrators and
    # LX (the national spatial-data agency); E8, Dassault and Team Naver (Naver Cloud's
    # Saudi joint venture runs a twin platform) sell digital twins themselves.
    Case(
        "Singapore digital twins",
        ("--tech", "digital twin"),
        ["cheonan-2024", "busan-eco-delta-city"],
    ),
    Case(
        "Singapore digital twins",
        ("--tech", "digital twin", "--type", "company"),
        ["lg-cns", "lx"],
        peers=["e8", "dassault-systemes", "naver-cloud", "naver"],
    ),
    # 8. French autonomous shuttles: the shuttle projects; the integrators; Hyundai Motor
    # and the autonomous-driving firms sell self-driving vehicles themselves (peers).
    Case(
        "French autonomous shuttles",
        ("--tech", "autonomous shuttles"),
        ["cheonan-2024", "mokpo-2023"],
    ),
    Case(
        "French autonomous shuttles",
        ("--tech", "autonomous shuttles", "--type", "company"),
        ["lg-cns"],
        peers=["hyundai-motor", "42dot", "autonomous-a2z"],
    ),
    # 9. Canadian telemedicine: Sejong's telemedicine; the healthcare members. Hyundai E&C
    # and Hyundai Motor only bid for Sejong in the consortium that lost: no credit.
    Case(
        "Canadian telemedicine",
        ("--tech", "telemedicine,remote patient monitoring"),
        ["sejong-5-1"],
    ),
    Case(
        "Canadian telemedicine",
        ("--tech", "telemedicine,remote patient monitoring", "--type", "company"),
        ["healthconnect"],
        never=["hyundai-ec", "hyundai-motor"],
    ),
    # 10. Swedish energy storage: Haenam's EV charging is solar- and ESS-linked, run by its
    # project company; Busan's energy goes through its project company. The grid
    # companies, not the partners Busan replaced; the VPP firms are peers.
    Case(
        "Swedish energy storage",
        ("--tech", "energy storage,virtual power plant"),
        ["haenam-solaseado-2021", "busan-eco-delta-city"],
        first="haenam-solaseado-2021",
    ),
    Case(
        "Swedish energy storage",
        ("--tech", "energy storage,ESS,battery,virtual power plant"),
        ["haenam-solaseado-2021", "busan-eco-delta-city"],
    ),
    # LS Electric has its own ESS platform: a peer (licensee or reseller), not an integrator.
    Case(
        "Swedish energy storage",
        ("--tech", "energy storage,virtual power plant", "--type", "company"),
        ["kepco-kdn", "kepco", "solaseado-smart-city"],
        peers=["ls-electric", "h-energy", "sixty-hertz"],
    ),
    # 11. Japanese smart farms: the two pilots are the only projects naming smart farms.
    Case(
        "Japanese smart farms",
        ("--tech", "smart farm"),
        ["sejong-5-1", "busan-eco-delta-city"],
    ),
    # 12. UK IoT security: Busan asks for cybersecurity; the telecom and IoT operators are
    # partners, the security vendor WINS a peer.
    Case("UK IoT security", ("--tech", "IoT security"), ["busan-eco-delta-city"]),
    # LG U+ has a confirmed seat in Sejong's team; LG HelloVision was only named in Busan's
    # 2022 bid: the confirmed member first.
    Case(
        "UK IoT security",
        ("--tech", "IoT security", "--type", "company"),
        ["lg-hellovision", "lg-uplus", "kt"],
        peers=["wins"],
        first="lg-uplus",
    ),
]


def _cli(args: tuple[str, ...], top: int = 5) -> tuple[list[str], list[str]]:
    """The ids listed, each row's folded group firms (``also``) right after it."""
    result = run("match", *args, "--top", str(top), "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)

    def ids(rows: list[dict[str, Any]]) -> list[str]:
        return [id_ for row in rows for id_ in (row["id"], *row.get("also", []))]

    return ids(data["results"]), ids(data["peers"])


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.startup}: {' '.join(c.args)}")
def test_an_expert_would_send_the_top_5(case: Case) -> None:
    top, peers = _cli(case.args)
    missing = [record for record in case.top5 if record not in top]
    assert not missing, f"{case.startup}: {missing} not in the top 5: {top}"
    wrong = [record for record in case.never if record in top]
    assert not wrong, f"{case.startup}: {wrong} should not be in the top 5: {top}"
    if case.first is not None:
        assert top[0] == case.first, top
    all_results, all_peers = _cli(case.args, top=200)
    for peer in case.peers:
        assert peer in all_peers, f"{peer} should be shown as a peer: {all_peers}"
        assert peer not in all_results
    del peers


def test_one_entry_per_project() -> None:
    for case in CASES:
        if "--type" not in case.args:
            top, _ = _cli(case.args, top=20)
            assert len(top) == len(set(top)), top


def test_the_two_pilots_do_not_win_everything() -> None:
    """Across the founders' opportunity lists the two pilots hold at most 40 % of the top-3
    places (the issue measured 57 %: 63 of 111). They still lead where they alone ask for a
    sector (smart farms) or are its pilot (Busan's water)."""
    opportunities = [case for case in CASES if "--type" not in case.args]
    places = [_cli(case.args, top=3)[0] for case in opportunities]
    pilots = sum(1 for top in places for record in top if record in PILOTS)
    assert pilots <= 0.4 * 3 * len(opportunities), places


def test_dead_bids_give_no_credit() -> None:
    """Hyundai Motor and KT lost Sejong: no telemedicine demand for its members through it."""
    catalog = load_catalog(REPO_DATA).catalog
    assert catalog is not None
    report = match(
        catalog, tech=["telemedicine"], filters=Filters(kinds=frozenset({Kind.COMPANY}), top=None)
    )
    for result in [*report.results, *report.peers]:
        if result.id in ("hyundai-ec", "hyundai-motor"):
            assert result.project is None or result.project.id != "sejong-5-1"
            history = [e for e in result.evidence if e.consortium == "hyundai-kt-sejong"]
            assert all(e.kind.value == "history" for e in history)


def test_replaced_partners_earn_nothing_from_the_replaced_bid() -> None:
    """KHNP and Hanwha Energy led Busan bids that were replaced: listed at all, it is for
    their own work, never as builders of Busan."""
    catalog = load_catalog(REPO_DATA).catalog
    assert catalog is not None
    report = match(
        catalog,
        tech=["energy storage", "ESS", "battery"],
        filters=Filters(kinds=frozenset({Kind.COMPANY}), top=None),
    )
    for result in [*report.results, *report.peers]:
        if result.id in ("khnp", "hanwha-energy"):
            assert result.project is None
            for evidence in result.evidence:
                if evidence.consortium in ("khnp-busan", "the-grand-busan"):
                    assert evidence.kind.value == "history"


def _api_ids(args: tuple[str, ...], top: int) -> list[str]:
    catalog = load_catalog(REPO_DATA).catalog
    assert catalog is not None
    options = dict(zip(args[::2], args[1::2], strict=True))
    kinds = frozenset({Kind(options["--type"])}) if "--type" in options else Filters().kinds
    tech = split_terms([options["--tech"]]) if "--tech" in options else []
    report = match(
        catalog,
        tech=tech,
        describe=options.get("--describe"),
        filters=Filters(top=top, kinds=kinds),
    )
    return [id_ for m in report.results for id_ in (m.id, *m.also)]


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.startup}: {' '.join(c.args)}")
def test_library_api_agrees_with_the_cli(case: Case) -> None:
    assert _api_ids(case.args, 10) == _cli(case.args, top=10)[0]


NONSENSE = [
    ("--tech", "qwxz"),
    ("--tech", "rail"),  # must never become "ai"
    ("--tech", "mail"),
    ("--tech", "4G LTE"),  # must never become "5g"
    ("--tech", "asdf,zzz"),
    ("--tech", "cities"),  # a common word is never a typo of "city OS"
    ("--describe", "We are a company that helps people in cities"),  # only common words
]


@pytest.mark.parametrize("args", NONSENSE, ids=str)
def test_nonsense_exits_2(args: tuple[str, ...]) -> None:
    result = run("match", *args)
    assert result.exit_code == EXIT_USAGE
    assert result.stdout == ""
    catalog = load_catalog(REPO_DATA).catalog
    assert catalog is not None
    tech, describe = ([args[1]], None) if args[0] == "--tech" else ([], args[1])
    with pytest.raises(NoTermResolved):
        match(catalog, tech=tech, describe=describe)


def test_twelve_startups() -> None:
    assert len({case.startup for case in CASES}) == 12


def test_a_company_row_cites_the_project_that_wants_the_startup_most() -> None:
    # Hyundai Motor is in Jeonju's team (selected; asks for smart mobility among much else)
    # and Gimcheon's (under way; asks for MaaS, which no member lists): Gimcheon is the
    # lead for a MaaS app.
    result = run(
        "match", "--tech", "maas,public transport", "--type", "company", "--format", "json"
    )
    rows = {row["id"]: row for row in json.loads(result.stdout)["results"]}
    assert rows["hyundai-motor"]["project"]["id"] == "gimcheon-2025"
    assert "Gimcheon" in rows["hyundai-motor"]["next_step"]


def test_a_member_only_reported_in_the_team_is_not_the_way_in() -> None:
    # Busan: LG HelloVision (IoT) and WINS (security) were named in the 2022 bid, but the
    # project company's named shareholders are LG CNS, Shinhan Bank and Hyundai E&C. The
    # way in is LG CNS, the confirmed lead; a row for a reported member says so.
    data = json.loads(
        run("match", "--tech", "IoT security,cybersecurity", "--format", "json").stdout
    )
    busan = next(r for r in data["results"] if r["id"] == "busan-eco-delta-city")
    assert busan["next_step"].startswith("Approach LG CNS, lead of")
    assert any("WINS reported in the team" in reason for reason in busan["reasons"])
    # Healthconnect was named in 2020 reports of Sejong's team only.
    companies = json.loads(
        run("match", "--tech", "telemedicine", "--type", "company", "--format", "json").stdout
    )
    reported = next(r for r in companies["results"] if r["id"] == "healthconnect")
    assert (
        "not confirmed in the team of Sejong 5-1 living zone national pilot smart city"
        " (under way) — named in 2020 reports" in reported["next_step"]
    )
    assert "LG CNS, lead of Sejong O1, is the sure way in" in reported["next_step"]
    # Humax Mobility is confirmed in Sejong's team, only reported in Busan's: its row cites
    # the confirmed seat.
    parking = json.loads(
        run(
            "match", "--tech", "robots,smart parking", "--type", "company", "--format", "json"
        ).stdout
    )
    humax = next(r for r in parking["results"] if r["id"] == "humax-mobility")
    assert humax["project"]["id"] == "sejong-5-1"
    assert "it is in the team of Sejong" in humax["next_step"]


def test_a_project_asking_only_for_the_use_of_the_technology_says_so() -> None:
    # "drone delivery": Gwangmyeong asks for delivery (by e-motorbike), not for drones.
    data = json.loads(
        run(
            "match",
            "--tech",
            "drones,drone delivery",
            "--min-score",
            "0",
            "--top",
            "40",
            "--format",
            "json",
        ).stdout
    )
    rows = {row["id"]: row for row in data["results"]}
    said = [e for e in rows["gwangmyeong-2024"]["evidence"] if e["kind"] == "field"]
    assert [e["sector"] for e in said] == ["drones"]
    assert "does not ask for Drones" in said[0]["text"]
    assert not [e for e in rows["gimcheon-2025"]["evidence"] if e["kind"] == "field"]
    # A use typed as a term of its own is a field: Haenam's parking gap is a lead for a
    # parking-robot maker, said without the caveat.
    data = json.loads(
        run("match", "--tech", "parking robot,smart parking,robots", "--format", "json").stdout
    )
    haenam = next(r for r in data["results"] if r["id"] == "haenam-solaseado-2021")
    assert not [e for e in haenam["evidence"] if e["kind"] == "field"]


def test_an_mou_partner_of_the_project_company_goes_through_it() -> None:
    # KEPCO KDN's smart-energy MoU is with Smart City Busan, not with The 인: for storage
    # the way into Busan is the project company, and KEPCO KDN's row says so.
    data = json.loads(
        run("match", "--tech", "energy storage,virtual power plant", "--format", "json").stdout
    )
    busan = next(r for r in data["results"] if r["id"] == "busan-eco-delta-city")
    assert busan["next_step"].startswith("Approach Smart City Busan (the project company)")
    assert "KEPCO KDN works in" in busan["next_step"]
    assert "reported as an MoU partner" in busan["next_step"]
    way_in = [e for e in busan["evidence"] if e["company"] == "kepco-kdn"]
    assert [e["kind"] for e in way_in][:1] == ["capability"]
    companies = json.loads(
        run("match", "--tech", "energy storage", "--type", "company", "--format", "json").stdout
    )
    kdn = next(r for r in companies["results"] if r["id"] == "kepco-kdn")
    assert kdn["next_step"].endswith("Smart City Busan, the project company, is the sure way in.")


def test_a_thin_list_names_what_fell_under_the_floor() -> None:
    args = ("match", "--tech", "telemedicine,remote patient monitoring")
    result = run(*args)
    assert "weaker suggestions (Jeonju regional-hub smart-city project, Taean" in result.stdout
    data = json.loads(run(*args, "--format", "json").stdout)
    assert data["weaker_left"][:2] == ["jeonju-2025", "taean-2023"]
    assert data["weaker"] == len(data["weaker_left"])


def test_a_finished_reference_says_its_role() -> None:
    # Bucheon Urban Corporation was a partner of the 2019 preliminary stage only.
    data = json.loads(
        run(
            "match",
            "--tech",
            "smart parking",
            "--type",
            "company",
            "--top",
            "20",
            "--format",
            "json",
        ).stdout
    )
    bucheon = next(r for r in data["results"] if r["id"] == "bucheon-urban-corporation")
    assert (
        "its role: public partner in the 2019 preliminary stage), a reference"
        in (bucheon["next_step"])
    )


PARKING_ROBOTS = ("match", "--tech", "parking robot,smart parking,robots")


def _row(args: tuple[str, ...], id_: str) -> dict[str, Any]:
    """One result of a JSON run, by id."""
    data = json.loads(run(*args, "--format", "json").stdout)
    return next(row for row in data["results"] if row["id"] == id_)


def test_the_way_in_works_in_the_field_itself_before_the_domain_around_it() -> None:
    # Parking robots: in Sejong's team Humax Mobility runs parking; LG CNS does robots and
    # smart mobility around parking. The parking operator is the door.
    sejong = _row(PARKING_ROBOTS, "sejong-5-1")
    assert sejong["next_step"].startswith("Approach Humax Mobility (in the team")


def test_a_public_body_is_approached_as_a_client() -> None:
    data = json.loads(
        run(
            "match",
            "--tech",
            "ai,traffic management",
            "--type",
            "company",
            "--top",
            "10",
            "--format",
            "json",
        ).stdout
    )
    rows = {row["id"]: row for row in data["results"]}
    # It runs roads that would use traffic AI: a client, and a user of the technology.
    assert rows["korea-expressway-corporation"]["next_step"].startswith(
        "Approach Korea Expressway Corporation, a public body, as a possible user of"
        " Artificial intelligence in Traffic management:"
    )
    assert "public body" not in rows["lg-cns"]["next_step"]


def _suggested(stdout: str, marker: str) -> list[str]:
    """The command a note suggests, as arguments after 'kpartner'."""
    line = next(line for line in stdout.splitlines() if marker in line)
    return shlex.split(line.split(": kpartner ", 1)[1])


@pytest.mark.parametrize(
    "terms", ["blockchain,e-government", "robots,smart parking", "ai,traffic management"]
)
def test_firms_left_out_of_the_field_come_with_the_command_that_lists_them(terms: str) -> None:
    args = ("match", "--tech", terms, "--type", "company")
    result = run(*args)
    named = json.loads(run(*args, "--format", "json").stdout)["outside"]
    assert named
    command = _suggested(result.stdout, "work in or near your technology")
    listed = json.loads(run(*command, "--format", "json").stdout)
    rows = [*listed["results"], *listed["peers"]]
    names = {row["name"] for row in rows} | {
        name
        for row in rows
        for evidence in row["evidence"]
        if evidence["kind"] == "group"
        for name in named
        if name in evidence["text"]
    }
    assert set(named) <= names


def test_a_firm_working_only_where_the_technology_serves_is_a_possible_user() -> None:
    # Builders for a digital-twin startup: users of digital twins in construction, not
    # partners in them.
    rows = _company_rows("digital twin")
    assert rows["hyundai-ec"]["next_step"].startswith(
        "Approach Hyundai E&C as a possible user of Digital twin in Housing and construction:"
    )
    assert "possible user" not in rows["lg-cns"]["next_step"]


def test_with_a_technology_and_its_use_typed_apart_a_platform_of_the_use_is_a_user() -> None:
    # "드론,배송": a delivery platform would use drones, an IT-services firm integrates them.
    rows = _company_rows("드론,배송")
    assert rows["woowa-brothers"]["next_step"].startswith(
        "Approach Woowa Brothers as a possible user of Drones in Non-contact delivery:"
    )
    assert rows["lg-cns"]["next_step"].startswith("Approach LG CNS about Logistics:")


def test_a_firm_working_only_where_the_technology_is_used_is_a_possible_user() -> None:
    # IoT security: a sensor maker would build the security into its devices; a telecom
    # integrates or resells it.
    rows = _company_rows("IoT security")
    assert rows["senko"]["next_step"].startswith(
        "Approach Senko as a possible user of Cybersecurity in Internet of Things:"
    )
    assert rows["lg-uplus"]["next_step"].startswith("Approach LG U+ about Internet of Things:")


def test_a_firm_of_the_startups_own_field_is_no_user_of_its_product() -> None:
    # Parking robots: a parking operator works in the founder's field (smart parking) and is
    # approached about it; a sensor maker, for IoT security, works in another technology
    # where security is used, and is a possible user.
    rows = _company_rows("parking robot,smart parking,robots")
    assert rows["humax-mobility"]["next_step"].startswith(
        "Approach Humax Mobility about Smart parking:"
    )


def test_notes_end_the_table_with_what_was_not_understood_and_korean_only_names() -> None:
    result = run("match", "--tech", "water quality,qwxz", "--type", "company")
    listed, notes = result.stdout.split("\nNotes:\n")
    assert "- not used: 'qwxz', not a known technology or domain" in notes
    # 대한계전 has no English name on record: said, so it is not read as an omission.
    row = listed[listed.index("대한계전") :]
    assert "no English name on record" in "\n".join(row.splitlines()[:4])
    assert "K-water" in listed
    assert "no English name on record" not in listed.split("대한계전")[0]


def _company_rows(tech: str) -> dict[str, dict[str, Any]]:
    """The rows of a company list for ``tech``, by id."""
    data = json.loads(run("match", "--tech", tech, "--type", "company", "--format", "json").stdout)
    return {row["id"]: row for row in data["results"]}


def test_a_buyer_whose_every_team_has_finished_comes_after_live_ones() -> None:
    # Meokkaebi's delivery app ran in a challenge finished in 2023: a possible user of drones
    # buying nothing now, after LG CNS, which builds Sejong's logistics. 부천도시공사's one
    # seat was a 2019 preliminary stage: Lotte Innovate, in no team, takes its place in a
    # MaaS list.
    drones = _company_ids("드론,배송")
    assert drones.index("lg-cns") < drones.index("meokkaebi")
    maas = _company_ids("maas,public transport", top=5)
    assert "bucheon-urban-corporation" not in maas
    assert "lotte-innovate" in maas
    # A public body in no team runs its own network: KEPCO stays a buyer of energy storage.
    energy = _company_ids("energy storage,ESS,battery", top=5)
    assert "kepco" in energy


def test_a_public_body_runs_what_it_lists() -> None:
    # K-water runs the Eco Delta City smart farm; it does not sell one.
    data = json.loads(
        run("match", "--tech", "smart farm", "--type", "company", "--format", "json").stdout
    )
    rows = {row["id"]: row for row in [*data["results"], *data["peers"]]}
    assert "runs Smart farm — your 'smart farm'" in rows["k-water"]["reasons"]
    assert "does Smart farm — your 'smart farm'" in rows["green-plus"]["reasons"]


def test_projects_asking_only_for_a_domain_around_the_startup_are_said_to_be_weaker() -> None:
    # Energy storage and VPP: Haenam asks for energy storage; Busan (EV charging, energy),
    # Gimhae, Sejong and Suncheon only for the energy around it.
    args = ("match", "--tech", "energy storage,ESS,battery,virtual power plant", "--top", "5")
    result = run(*args)
    assert (
        "Only Haenam Solaseado regional-hub smart city asks for Energy storage or Virtual power"
        " plant itself; the other 4 ask for a domain around it: weaker leads"
    ) in " ".join(result.stdout.split())
    data = json.loads(run(*args, "--format", "json").stdout)
    listed = [row["id"] for row in data["results"]]
    assert "haenam-solaseado-2021" not in data["around"]
    assert set(data["around"]) == set(listed) - {"haenam-solaseado-2021"}
    # The way in speaks to both lines of work: storage (EV charging, close to it) and the
    # VPP (energy, which it serves).
    busan = next(row for row in data["results"] if row["id"] == "busan-eco-delta-city")
    assert "about EV charging and Energy for Busan Eco Delta City" in busan["next_step"]
    # Every project asks for drones itself in a drone list: nothing is said.
    drones = run("match", "--tech", "drones")
    assert "domain around" not in drones.stdout


def _company_ids(tech: str, top: int = 10) -> list[str]:
    """The ids of a company list for ``tech``, best first."""
    args = ("match", "--tech", tech, "--type", "company", "--top", str(top), "--format", "json")
    return [row["id"] for row in json.loads(run(*args).stdout)["results"]]


def test_a_rule_on_two_asked_sectors_is_said_once() -> None:
    # The IP-camera rule is recorded on both IoT and public safety.
    data = json.loads(run("match", "--tech", "IoT,CCTV", "--format", "json").stdout)
    texts = [caveat["text"] for caveat in data["caveats"]]
    cameras = [text for text in texts if "IP camera" in text]
    assert len(cameras) == 1
    assert len(texts) == len(set(texts))


def test_a_project_asking_for_the_technology_in_another_field_is_named_not_listed() -> None:
    args = ("match", "--tech", "blockchain,e-government")
    result = run(*args)
    listed, notes = result.stdout.split("\nNotes:\n")
    assert "Taebaek" not in listed
    assert "4 projects ask for your technology but not for Digital governance (Taebaek" in notes
    data = json.loads(run(*args, "--format", "json").stdout)
    assert "taebaek-2024" in data["outside_projects"]
    # The command the note suggests lists the projects it names.
    command = _suggested(result.stdout, "ask for your technology but not for")
    assert command[:3] == ["match", "--tech", "blockchain"]
    listed = json.loads(run(*command, "--format", "json").stdout)
    assert [row["id"] for row in listed["results"]] == data["outside_projects"][:5]
    assert "taebaek-2024" not in [row["id"] for row in data["results"]]
    # A company list names no projects.
    companies = run(*args, "--type", "company")
    assert "ask for your technology but not for" not in companies.stdout


def test_the_lead_who_is_also_in_the_project_company_says_so() -> None:
    # Since December 2024 Busan is built by Smart City Busan; LG CNS leads The 인 and is
    # one of the project company's named shareholders: one door, said as one.
    data = json.loads(run("match", "--tech", "IoT security", "--format", "json").stdout)
    busan = next(r for r in data["results"] if r["id"] == "busan-eco-delta-city")
    assert busan["next_step"].startswith(
        "Approach LG CNS, lead of The 인(人), also in Smart City Busan (the project company),"
    )


def test_traffic_video_analytics_get_the_camera_rules() -> None:
    data = json.loads(
        run("match", "--tech", "traffic AI,computer vision", "--format", "json").stdout
    )
    texts = " ".join(caveat["text"] for caveat in data["caveats"])
    assert "fixed CCTV in public places" in texts
    assert "pseudonymisation" in texts


def test_a_close_call_below_the_cut_is_named() -> None:
    # Autonomous shuttles: the two national pilots ask for autonomous vehicles but come
    # sixth and seventh (no open slot there, many focus sectors): named, not lost.
    args = ("match", "--tech", "autonomous shuttle,autonomous vehicles", "--top", "5")
    result = run(*args)
    assert "Just below the cut: Busan Eco Delta City national pilot smart city, Sejong 5-1" in (
        result.stdout
    )
    assert "(--top 7 lists them)" in result.stdout
    # Why they sit there: LG CNS in both teams works in autonomous vehicles, no gap is open.
    assert (
        "their teams already have a member doing what you do, so there is no gap to fill;"
        " come as its supplier or a specialist beside it"
    ) in result.stdout
    data = json.loads(run(*args, "--format", "json").stdout)
    assert len(data["results"]) == 5
    assert data["below"] == ["busan-eco-delta-city", "sejong-5-1"]
    assert data["below_done"] == data["below"]
    wider = json.loads(run(*args[:-1], "7", "--format", "json").stdout)
    assert [row["id"] for row in wider["results"]][5:] == data["below"]


def test_an_e_government_seller_gets_the_public_security_check() -> None:
    data = json.loads(run("match", "--tech", "e-government", "--format", "json").stdout)
    assert any("security conformity check" in caveat["text"] for caveat in data["caveats"])


def test_one_business_group_takes_one_row_of_a_company_list() -> None:
    # Hyundai Motor, Kia and 42dot: one row, the best one's, naming the others; the list
    # makes room for independent firms.
    args = ("match", "--tech", "maas,public transport", "--type", "company", "--top", "5")
    result = run(*args)
    assert "one business group (Hyundai Motor Group) with Kia and 42dot, folded into" in (
        " ".join(result.stdout.split())
    )
    rows = json.loads(run(*args, "--format", "json").stdout)["results"]
    assert len(rows) == 5
    hyundai = next(row for row in rows if row["id"] == "hyundai-motor")
    assert hyundai["also"] == ["kia", "42dot"]
    assert hyundai["group"] == "Hyundai Motor Group"
    assert not {"kia", "42dot"} & {row["id"] for row in rows}
    said = [e for e in hyundai["evidence"] if e["kind"] == "group"]
    assert said[0]["company"] == "hyundai-motor"
    # A mixed list keeps every firm's own row.
    catalog = load_catalog(REPO_DATA).catalog
    assert catalog is not None
    mixed = match(
        catalog,
        tech=["maas", "public transport"],
        filters=Filters(kinds=frozenset({Kind.COMPANY, Kind.OPPORTUNITY}), top=20),
    )
    assert {"kia", "hyundai-motor"} <= {m.id for m in mixed.results}


def test_members_around_a_gap_only_reported_are_said_to_be() -> None:
    data = json.loads(run("match", "--tech", "telemedicine", "--format", "json").stdout)
    sejong = next(r for r in data["results"] if r["id"] == "sejong-5-1")
    gap = next(reason for reason in sejong["reasons"] if reason.startswith("fills a gap"))
    assert "Healthconnect (reported)" in gap
    assert "LG CNS (reported)" not in gap


def test_the_project_company_building_the_services_is_the_fallback_door() -> None:
    # Haenam: Solaseado Smart City Co. builds and runs the smart services; the enterprise
    # city's developer builds the site.
    haenam = _row(PARKING_ROBOTS, "haenam-solaseado-2021")
    assert haenam["next_step"].startswith("Contact Solaseado Smart City Co.'s procurement")


def test_a_list_whose_partners_do_not_do_the_technology_says_so() -> None:
    # Drone delivery: the partners deliver or run logistics; the firms flying drones sell
    # them (Pablo Air, Doosan Mobility Innovation).
    args = ("match", "--tech", "드론,배송", "--type", "company")
    assert "No partner listed does Drones itself" in run(*args).stdout
    assert json.loads(run(*args, "--format", "json").stdout)["undone"] == ["Drones"]
    # Parking robots: LG CNS does robotics itself.
    parking = run("match", "--tech", "robots,smart parking", "--type", "company")
    assert "No partner listed does" not in parking.stdout


def test_a_role_cut_short_never_cuts_a_name_of_several_words() -> None:
    # Haenam's project company: "SK …" would read as the SK Group's energy arm.
    rows = _company_rows("energy storage,ESS,battery")
    said = " ".join(rows["solaseado-smart-city"]["reasons"])
    assert "joint venture of Boseong Industry and SK Securities" in said
    assert "SK …" not in said
