"""The errata of the 2026-11 catalog audit stay fixed (issue 8), in the shipped data/.

One small test per erratum, named after it, so that an edit that brings one back fails
with a message that says which. The audit is data/README.md, "Audit of 2026-11: projects
and consortia".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from kpartner import load_catalog
from kpartner.catalog import Catalog
from kpartner.matching import match
from kpartner.models import (
    Consortium,
    ConsortiumStatus,
    ProjectProgramme,
    ProjectStatus,
    Source,
)
from kpartner.ranking import Filters
from kpartner.results import Kind

from .conftest import DATA as REPO_DATA


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    result = load_catalog(REPO_DATA)
    assert [str(p) for p in result.problems] == []
    assert result.catalog is not None
    return result.catalog


def consortium(catalog: Catalog, consortium_id: str) -> Consortium:
    _, found = catalog.consortia[consortium_id]
    return found


def member_ids(found: Consortium) -> set[str]:
    return {m.company for m in found.members}


def is_homepage(source: Source) -> bool:
    """A bare site address ("https://busan.com"), which a reader cannot open at the article."""
    parts = urlsplit(source.url)
    return parts.path in ("", "/") and not parts.query


def project_sources(catalog: Catalog) -> Iterator[Source]:
    for project in catalog.projects.values():
        yield project.status_source
        yield from project.sources
        yield from (event.source for event in project.timeline if event.source)
        for found in project.consortia:
            yield from found.sources


# --- §1 contradictions -------------------------------------------------------------------


def test_busan_pilot_korean_name_is_the_pilot_not_the_whole_new_town(catalog: Catalog) -> None:
    busan = catalog.projects["busan-eco-delta-city"]
    assert busan.name_ko != "부산 에코델타시티"
    assert busan.name_ko is not None
    assert "스마트시티" in busan.name_ko


def test_the_grand_members_are_named_and_it_was_replaced(catalog: Catalog) -> None:
    grand = consortium(catalog, "the-grand-busan")
    assert grand.status is ConsortiumStatus.REPLACED
    assert grand.date == "2021-05-17"
    assert grand.lead == "hanwha-energy"
    confirmed = {m.company for m in grand.members if m.confirmed}
    leads = {"hanwha-energy", "nh-investment-securities", "hanwha-general-insurance"}
    assert leads <= confirmed
    assert {"naver-cloud", "data-alliance", "wins", "autonomous-a2z", "clobot"} <= confirmed
    assert len(confirmed) == 25, "3 representative companies and 22 members"


def test_khnp_consortium_has_its_lead_members_and_loss(catalog: Catalog) -> None:
    khnp = consortium(catalog, "khnp-busan")
    assert khnp.lead == "khnp"
    assert {
        "lg-cns",
        "shinhan-financial-group",
        "kepco-kdn",
        "hanyang",
        "lg-uplus",
        "humax-mobility",
        "shinsegae-property",
        "nhn",
        "e8",
        "igis-asset-management",
    } <= member_ids(khnp)
    busan = catalog.projects["busan-eco-delta-city"]
    loss = [e for e in busan.timeline if e.date == "2020-12-01" and "KHNP" in e.event]
    assert loss, "the timeline names the KHNP consortium's loss of 2020-12-01"


def test_bucheon_2019_partners_are_not_filed_as_2020_main_stage(catalog: Catalog) -> None:
    bucheon = catalog.projects["bucheon-2019"]
    assert all("2020" not in c.name for c in bucheon.consortia)
    mou = consortium(catalog, "bucheon-2019-partners")
    assert mou.date is not None
    assert mou.date.startswith("2019")
    assert mou.lead == "data-alliance"
    assert {"kakao-mobility", "kepco-kdn", "modu-company", "udi", "lh", "radius-lab"} <= (
        member_ids(mou)
    )


def test_jeonju_names_hyundai_motor(catalog: Catalog) -> None:
    assert "hyundai-motor" in member_ids(consortium(catalog, "jeonju-2025-partners"))


def test_smart_village_homes_households_and_builders(catalog: Catalog) -> None:
    busan = catalog.projects["busan-eco-delta-city"]
    village = next(z for z in busan.zones if z.name == "Smart Village")
    assert village.description is not None
    assert "56" in village.description
    assert "54" in village.description
    builders = consortium(catalog, "busan-smart-village")
    assert {"k-water", "samsung-c-and-t"} <= member_ids(builders)
    assert "samsung-c-and-t" in catalog.companies


def test_sejong_l1_is_the_first_public_sale_not_the_first_homes_sold(catalog: Catalog) -> None:
    events = [e.event for e in catalog.projects["sejong-5-1"].timeline]
    assert not [e for e in events if "first homes sold" in e]
    l1 = next(e for e in events if "Block L1 (" in e)
    assert "public-sale" in l1
    assert any("L12" in e for e in events)
    assert any("L9" in e for e in events)


def test_chungbuk_main_stage_year_is_2022(catalog: Catalog) -> None:
    chungbuk = catalog.projects["chungbuk-2021"]
    assert any(e.date.startswith("2022") and "main stage" in e.event for e in chungbuk.timeline)
    assert not [n for n in chungbuk.notes if "year is not given" in n]


# --- §1 caveats and counts ---------------------------------------------------------------


def test_taean_hyundai_ec_is_a_caveat_not_a_confirmed_member(catalog: Catalog) -> None:
    taean = consortium(catalog, "taean-2023-partners")
    hyundai_ec = next(m for m in taean.members if m.company == "hyundai-ec")
    assert hyundai_ec.confirmed is False
    assert hyundai_ec.note is not None


@pytest.mark.parametrize(
    ("consortium_id", "unnamed"),
    [
        ("smart-city-busan-spc", 8),  # 11 private companies, 3 named
        ("daejeon-2019-partners", 4),  # 11 firms, 7 named
        ("ulsan-2023-partners", 3),  # 9 members, 6 named
        ("goyang-2023-partners", 2),  # 8 members, 6 named
    ],
)
def test_members_counted_but_not_named(catalog: Catalog, consortium_id: str, unnamed: int) -> None:
    assert consortium(catalog, consortium_id).unnamed_members == unnamed


def test_hub_partners_are_recorded(catalog: Catalog) -> None:
    assert {"aws", "dassault-systemes"} <= member_ids(consortium(catalog, "cheonan-2024-partners"))
    assert {"jinwoo-ats", "lx"} <= member_ids(consortium(catalog, "goyang-2023-partners"))
    assert "supermove" in member_ids(consortium(catalog, "ulsan-2023-partners"))


# --- §4 lifecycle ------------------------------------------------------------------------


def test_2019_preliminary_only_cities_did_not_advance(catalog: Catalog) -> None:
    for project_id in ("gwangju-2019", "suwon-2019", "changwon-2019"):
        assert catalog.projects[project_id].status is ProjectStatus.NOT_ADVANCED, project_id


def test_statuses_the_audit_gives(catalog: Catalog) -> None:
    ulsan = catalog.projects["ulsan-2023"]
    assert ulsan.status is ProjectStatus.OPERATING
    assert ulsan.status_date == "2025-12-29"
    assert catalog.projects["goyang-2023"].status is ProjectStatus.UNDER_WAY
    assert catalog.projects["taean-2023"].status is ProjectStatus.UNDER_WAY
    assert catalog.projects["gangneung-2020"].status is ProjectStatus.COMPLETED


def test_no_status_rests_on_a_homepage(catalog: Catalog) -> None:
    on_homepages = [p.id for p in catalog.projects.values() if is_homepage(p.status_source)]
    assert on_homepages == []


def test_every_timeline_event_cites_a_source(catalog: Catalog) -> None:
    unsourced = [
        (p.id, e.date) for p in catalog.projects.values() for e in p.timeline if e.source is None
    ]
    assert unsourced == []


# --- §2 addresses and §3 coverage --------------------------------------------------------


def test_at_most_15_percent_of_project_sources_are_homepages(catalog: Catalog) -> None:
    sources = list(project_sources(catalog))
    homepages = [s.url for s in sources if is_homepage(s)]
    assert len(homepages) <= 0.15 * len(sources), sorted(set(homepages))


def test_at_least_45_projects(catalog: Catalog) -> None:
    assert len(catalog.projects) >= 45


def test_coverage_the_audit_found_missing(catalog: Catalog) -> None:
    for project_id in (
        "haenam-solaseado-2021",
        "suncheon-2026",
        "andong-2026",
        "jecheon-2026",
        "smart-city-call-2026",
        "k-city-network",
        "k-city-gaziantep-2021",
    ):
        assert project_id in catalog.projects, project_id
    assert catalog.projects["k-city-network"].programme is ProjectProgramme.K_CITY_NETWORK
    assert "samsung-sds" in member_ids(consortium(catalog, "k-city-gaziantep-2021-partners"))


# --- second sample (2026-11-26): contradictions found by the fact-check --------------------


def test_kotra_centres_are_dated_not_the_2020_four_in_the_present(catalog: Catalog) -> None:
    """C1: the four centres of October 2020 became five (Riyadh 2021; Da Nang by 2022)."""
    secretariat = consortium(catalog, "k-city-network-secretariat")
    (kotra,) = [m for m in secretariat.members if m.company == "kotra"]
    assert kotra.role is not None
    for text in (kotra.role, catalog.companies["kotra"].description or ""):
        for word in ("2020", "Riyadh", "Da Nang"):
            assert word in text, text
    urls = {s.url for s in secretariat.sources}
    assert "https://etnews.com/20210622000081" in urls
    assert any("molit.go.kr" in url and "idx=3064" in url for url in urls)


def test_gaziantep_status_rests_on_a_page_that_states_it(catalog: Catalog) -> None:
    """C2: world-energy.org reports the selection of 2021-06-23, not a completion in 2021;
    MOLIT's portal reports the demonstration in progress on 2022-03-29 (issue 7)."""
    gaziantep = catalog.projects["k-city-gaziantep-2021"]
    assert "smartcity.go.kr/2022/03/29/" in gaziantep.status_source.url
    assert gaziantep.status is ProjectStatus.UNDER_WAY
    assert gaziantep.status_date == "2022-03-29"
    assert any(e.date == "2021-06-23" for e in gaziantep.timeline)
    assert str(gaziantep.as_of) == "2022-03-29"
    [team] = gaziantep.consortia
    assert str(team.as_of) == "2022-03-29", "no page supports the curation date"


# --- status follow-up (2026-11-26): statuses tell today's state ------------------------------

TODAY_YEAR = 2026
LIVE = {
    ProjectStatus.PLANNED,
    ProjectStatus.OPEN_CALL,
    ProjectStatus.SELECTED,
    ProjectStatus.UNDER_WAY,
}
# "to the end of 2022", "to run to 2023", "(to 2022)", "ending in 2022", "due March-October 2025"
DASHES = "\u2013-"  # en dash or hyphen
ENDS_IN = re.compile(
    r"(?:to the end of|to run to|runs? to|ran to|until|ends? in|ended in|ending in"
    rf"|due [A-Z][a-z]+[{DASHES}]|\bto)\s+(?:[A-Z][a-z]+ )?(\d{{4}})\b"
)
STOPPED = re.compile(r"(?<!bus )\b(?:stops|stopped|ended|was withdrawn)\b", re.IGNORECASE)


def ended_in(event: str) -> list[int]:
    """Past years a timeline event gives as the end of the funded work or of a service."""
    return [int(year) for year in ENDS_IN.findall(event) if int(year) < TODAY_YEAR]


def test_no_live_status_rests_on_a_timeline_that_shows_it_ended(catalog: Catalog) -> None:
    """A project whose own timeline says its funded stage ran to a past year is not a lead."""
    stale = [
        (p.id, p.status.value, e.date, e.event)
        for p in catalog.projects.values()
        if p.status in LIVE
        for e in p.timeline
        if ended_in(e.event) or STOPPED.search(e.event)
    ]
    assert stale == []


def test_no_operating_status_rests_on_a_stopped_service(catalog: Catalog) -> None:
    stopped = [
        (p.id, e.date, e.event)
        for p in catalog.projects.values()
        if p.status is ProjectStatus.OPERATING
        for e in p.timeline
        if STOPPED.search(e.event)
    ]
    assert stopped == []


def test_the_detector_sees_jejus_end() -> None:
    jeju = "Main stage runs from July 2021 to the end of 2022 (220억, 21 smart hubs)"
    assert ended_in(jeju) == [2022]
    assert ended_in("Selected for the main stage (to 2022)") == [2022]
    assert ended_in("Agreement ... for 14 services to 2030") == []
    assert STOPPED.search("the city stops I-MOD in Songdo from 2023")
    assert not STOPPED.search("DRT, smart bus stops, crossing safety")


@pytest.mark.parametrize(
    ("project_id", "status", "status_date"),
    [
        ("jeju-2020", ProjectStatus.COMPLETED, "2022-12"),  # main stage July 2021 to end of 2022
        ("incheon-2019", ProjectStatus.COMPLETED, "2022-12"),  # state-funded demo ended 2022
        ("bucheon-2019", ProjectStatus.COMPLETED, "2022"),  # 3 years from 2020
        ("daejeon-2019", ProjectStatus.COMPLETED, "2022"),
        ("busan-2020", ProjectStatus.COMPLETED, "2022"),  # 2021-22
        ("daegu-2021", ProjectStatus.COMPLETED, "2023"),  # 2022-23
        ("chuncheon-2021", ProjectStatus.COMPLETED, "2023"),
        ("chungbuk-2021", ProjectStatus.COMPLETED, "2023"),
        ("tongyeong-2020", ProjectStatus.COMPLETED, "2020"),  # one-year town main stage
        ("busan-suyeong-gu-2020", ProjectStatus.COMPLETED, "2020"),
        ("gongju-buyeo-2020", ProjectStatus.COMPLETED, "2020"),
        ("seoul-seongdong-gu-2020", ProjectStatus.OPERATING, "2020-08"),  # smart shelters
        ("wonju-2020", ProjectStatus.COMPLETED, "2021"),
        ("gwangyang-2020", ProjectStatus.COMPLETED, "2021"),
        ("seosan-2020", ProjectStatus.COMPLETED, "2021"),
        ("jecheon-solution-2024", ProjectStatus.COMPLETED, "2025-10-19"),
        ("gwangmyeong-2024", ProjectStatus.UNDER_WAY, "2026-01"),
    ],
)
def test_statuses_of_the_follow_up(
    catalog: Catalog, project_id: str, status: ProjectStatus, status_date: str
) -> None:
    project = catalog.projects[project_id]
    assert (project.status, project.status_date) == (status, status_date)
    assert project.notes, "the note says which page gives the end or the service"


def test_as_of_is_not_the_curation_date(catalog: Catalog) -> None:
    """as_of is the date of the newest source a record rests on, not the day it was edited."""
    curated = [
        p.id for p in catalog.projects.values() if str(p.as_of) in ("2026-11-25", "2026-11-26")
    ]
    assert curated == []


def test_third_sample_haenam_agency_role(catalog: Catalog) -> None:
    """The Jeonnam agency planned and says it runs the Haenam hub; the data hub and the
    Mokpo bus loop are its Mokpo project's (third sample, 2026-11-26)."""
    found = consortium(catalog, "haenam-solaseado-2021-partners")
    [agency] = [m for m in found.members if m.company == "jeonnam-information-culture-agency"]
    assert agency.role is not None
    assert "implementation plan" in agency.role
    assert "shuttle link with Mokpo" not in agency.role


# --- issue 7 curation (2026-11-26): what a company sells, where it is based, sector caveats --

CURATION_DATES = ("2026-11-25", "2026-11-26")
# LG U+ keeps `sells` unset (judged by its type, an operator): tests/test_validate.py injects a
# `sells` line after its capabilities to check the validator, which a second key would break.
SELLS_BY_TYPE = {"lg-uplus"}


def test_every_company_with_capabilities_says_what_it_sells(catalog: Catalog) -> None:
    unset = [
        c.id
        for c in catalog.companies.values()
        if c.capabilities and c.sells is None and c.id not in SELLS_BY_TYPE
    ]
    assert unset == []


@pytest.mark.parametrize(
    ("company_id", "sold"),
    [
        ("dassault-systemes", {"digital-twin"}),
        ("citylabs", {"ai", "traffic-management"}),
        ("pintel", {"ai", "traffic-management"}),
        ("pablo-air", {"drones", "non-contact-delivery"}),
        ("hyundai-motor", {"autonomous-vehicles", "smart-mobility"}),
        ("wins", {"cybersecurity"}),
        ("microsoft", {"cloud"}),
    ],
)
def test_product_firms_sell_their_line(catalog: Catalog, company_id: str, sold: set[str]) -> None:
    assert sold <= set(catalog.companies[company_id].sells or ())


@pytest.mark.parametrize(
    "company_id",
    [
        "lg-cns",  # integrator
        "sk-cc",
        "samsung-sds",
        "kt",  # operators
        "sk-telecom",
        "shinhan-bank",  # financiers
        "kb-financial-group",
        "hyundai-ec",  # builders
        "lh",  # public bodies, universities, hospitals, SPCs
        "k-water",
        "kaist",
        "sejong-cnu-hospital",
        "smart-city-busan",
    ],
)
def test_integrators_operators_builders_and_buyers_sell_nothing(
    catalog: Catalog, company_id: str
) -> None:
    assert catalog.companies[company_id].sells == []


@pytest.mark.parametrize(
    ("company_id", "country"),
    [
        ("microsoft", "US"),
        ("aws", "US"),
        ("nvidia", "US"),
        ("google-cloud-korea", "US"),
        ("dassault-systemes", "FR"),
        ("lg-cns", "KR"),
    ],
)
def test_headquarters_abroad(catalog: Catalog, company_id: str, country: str) -> None:
    assert catalog.companies[company_id].country == country


@pytest.mark.parametrize(
    "sector_id",
    [
        "telemedicine",
        "energy-storage",
        "drones",
        "autonomous-vehicles",
        "public-safety",
        "blockchain",
    ],
)
def test_regulated_sectors_carry_a_sourced_caveat(catalog: Catalog, sector_id: str) -> None:
    caveats = catalog.sectors[sector_id].caveats
    assert caveats, sector_id
    for caveat in caveats:
        assert not is_homepage(caveat.source), caveat.source.url
        assert str(caveat.as_of) <= "2026-11-26"
        if caveat.source.published is not None:
            # as_of is when the page said it, never the day it was curated
            assert str(caveat.as_of).startswith(str(caveat.source.published)[:7])


def test_telemedicine_caveat_names_the_pilot_and_the_2025_law(catalog: Catalog) -> None:
    text = " ".join(c.text for c in catalog.sectors["telemedicine"].caveats)
    assert "1 June 2023" in text
    assert "2 December 2025" in text


def test_no_note_says_capabilities_are_empty_where_there_are_some(catalog: Catalog) -> None:
    false = [
        c.id
        for c in catalog.companies.values()
        if c.capabilities
        for note in c.notes
        if "capabilities are left empty" in note
        or "capabilities are empty" in note
        or "the sources give none" in note
    ]
    assert false == []


def test_no_record_rests_on_the_curation_date(catalog: Catalog) -> None:
    """as_of is the date of the newest source a record rests on (companies and consortia too)."""
    curated = [c.id for c in catalog.companies.values() if str(c.as_of) in CURATION_DATES]
    curated += [f.id for _, f in catalog.consortia.values() if str(f.as_of) in CURATION_DATES]
    assert curated == []


def test_komir_does_smart_mining_education_not_the_test_site(catalog: Catalog) -> None:
    komir = catalog.companies["komir"]
    assert komir.capabilities == ["education"]
    [member] = [
        m for m in consortium(catalog, "taebaek-2024-partners").members if m.company == "komir"
    ]
    assert member.role is not None
    assert "education" in member.role


def test_hyundai_motor_is_linked_to_jeonju_and_says_so(catalog: Catalog) -> None:
    assert "hyundai-motor" in member_ids(consortium(catalog, "jeonju-2025-partners"))
    notes = " ".join(catalog.companies["hyundai-motor"].notes)
    assert "it is not linked" not in notes
    assert "Jeonju" in notes


def test_sejong_was_designated_in_2018(catalog: Catalog) -> None:
    sejong = catalog.projects["sejong-5-1"]
    assert sejong.year == 2018
    assert any(e.date == "2018-01-29" for e in sejong.timeline)


def test_ulaanbaatar_study_is_a_reference_not_a_lead(catalog: Catalog) -> None:
    study = catalog.projects["k-city-ulaanbaatar-2020"]
    assert study.status is ProjectStatus.COMPLETED
    assert study.status_date == "2022-10-12"
    assert any("completed by" in note for note in study.notes)


# --- reviews 7c and 12b: statuses, builders, capabilities, groups --------------------------


def test_pohang_operates_since_its_first_service_of_june_2023(catalog: Catalog) -> None:
    """Building began in August 2022; the DRT 'Taboso' carried residents from June 2023."""
    pohang = catalog.projects["pohang-2021"]
    assert pohang.status is ProjectStatus.OPERATING
    assert pohang.status_date == "2023-06"
    assert not is_homepage(pohang.status_source)
    assert {"2022-08", "2023-06", "2025-07-02"} <= {e.date for e in pohang.timeline}


def test_gwangmyeong_names_the_builders_a_page_names(catalog: Catalog) -> None:
    found = consortium(catalog, "gwangmyeong-2024-partners")
    assert member_ids(found) == {"kia", "woowa-brothers", "hanyang-university-erica"}
    assert found.lead is None, "no page read names a lead"
    assert all(m.role for m in found.members)
    assert catalog.companies["hanyang-university-erica"].type.value == "university"


@pytest.mark.parametrize(
    ("company_id", "sector_id"),
    [
        ("solaseado-smart-city", "energy-storage"),
        ("kepco", "energy-storage"),
        ("kepco-kdn", "energy-storage"),
        ("ls-electric", "energy-storage"),
    ],
)
def test_capabilities_the_reviews_found_missing(
    catalog: Catalog, company_id: str, sector_id: str
) -> None:
    company = catalog.companies[company_id]
    assert sector_id in company.capabilities
    assert set(company.sells or []) <= set(company.capabilities)
    assert any(sector_id in note for note in company.notes), "the note says which page"


def test_operators_of_storage_and_farms_do_not_sell_them(catalog: Catalog) -> None:
    for company_id in ("solaseado-smart-city", "kepco", "kepco-kdn"):
        assert catalog.companies[company_id].sells == [], company_id


def test_42dot_is_a_hyundai_motor_group_company(catalog: Catalog) -> None:
    company = catalog.companies["42dot"]
    assert company.group == "Hyundai Motor Group"
    assert company.parent == "hyundai-motor"
    assert company.type.value != "startup"
    assert str(company.as_of) >= "2022-08"


def test_kepco_kdn_is_a_public_body_of_the_kepco_group(catalog: Catalog) -> None:
    company = catalog.companies["kepco-kdn"]
    assert company.type.value == "public-agency"
    assert company.parent == "kepco"


def test_national_university_hospitals_are_public_bodies(catalog: Catalog) -> None:
    # Both are national university hospitals, other public institutions of the Ministry of
    # Education (cctoday.co.kr): a founder meets them as public buyers.
    for company_id in ("sejong-cnu-hospital", "chungbuk-national-university-hospital"):
        company = catalog.companies[company_id]
        assert company.type.value == "public-agency"
        assert any("cctoday.co.kr" in source.url for source in company.sources)


def test_members_named_only_in_a_preliminary_stage_say_so(catalog: Catalog) -> None:
    [caltex] = [
        m for m in consortium(catalog, "jeju-2020-partners").members if m.company == "gs-caltex"
    ]
    assert caltex.role is not None
    assert "preliminary stage" in caltex.role
    bucheon = consortium(catalog, "bucheon-2019-partners")
    for member in bucheon.members:
        said = f"{member.role or ''} {member.note or ''}"
        if member.company != "majimak-samsipbun":  # its note is a 2020 article on its service
            assert "preliminary stage" in said, member.company


def test_k_water_smart_farm_is_sourced_in_its_notes(catalog: Catalog) -> None:
    """The Smart Village farm is on record; the capability waits for tests/test_claims.py."""
    notes = " ".join(catalog.companies["k-water"].notes)
    assert "smart-farm" in notes
    assert "edaily" in notes


@pytest.mark.parametrize("consortium_id", ["daegu-2021-partners", "chuncheon-2021-partners"])
def test_2021_challenge_partners_are_named_for_the_preliminary_stage(
    catalog: Catalog, consortium_id: str
) -> None:
    for member in consortium(catalog, consortium_id).members:
        assert member.note is not None, member.company
        assert "preliminary stage" in member.note, member.company


# --- Gaps the expert reviewers named (branch data-gaps7): data/README.md, "Gaps named by
# expert reviewers". Five fields had no Korean organisation; each firm below rests on pages
# read, sells its own line (a startup in the field meets it as a peer) unless said, and no
# page placed it in a project of the catalog.

GAP_FIRMS: dict[str, tuple[set[str], set[str]]] = {
    # id: (capabilities, sells)
    "green-plus": ({"smart-farm"}, {"smart-farm"}),
    "farm8": ({"smart-farm"}, {"smart-farm"}),
    "the-wave-talk": ({"water-quality", "smart-sensors"}, {"water-quality", "smart-sensors"}),
    "daehan-gyejeon": ({"water-management"}, {"water-management"}),
    "maro-robot-tech": ({"robotics", "smart-parking"}, {"robotics", "smart-parking"}),
    "hl-robotics": ({"robotics", "smart-parking"}, {"robotics", "smart-parking"}),
    "hyundai-wia": ({"robotics", "smart-parking"}, {"robotics", "smart-parking"}),
    "coinplug": (
        {"blockchain", "digital-governance", "public-safety"},
        {"blockchain", "digital-governance"},
    ),
    "raonsecure": (
        {"digital-governance", "blockchain", "cybersecurity"},
        {"digital-governance", "blockchain", "cybersecurity"},
    ),
    "iconloop": ({"blockchain", "digital-governance"}, {"blockchain", "digital-governance"}),
    "h-energy": (
        {"virtual-power-plant", "smart-grid", "renewable-energy", "energy-storage"},
        {"virtual-power-plant"},
    ),
    "sixty-hertz": (
        {"virtual-power-plant", "smart-grid", "renewable-energy"},
        {"virtual-power-plant"},
    ),
    "ninewatt": ({"energy-storage"}, set()),
}


@pytest.mark.parametrize("company_id", sorted(GAP_FIRMS))
def test_gap_firms_do_and_sell_what_their_pages_say(catalog: Catalog, company_id: str) -> None:
    company = catalog.companies[company_id]
    capabilities, sells = GAP_FIRMS[company_id]
    assert set(company.capabilities) == capabilities
    assert company.sells is not None
    assert set(company.sells) == sells
    assert company.name_ko, "the Korean name as printed"
    assert company.country == "KR"
    for sector in capabilities:
        assert any(sector in note for note in company.notes), f"no note sources {sector}"


@pytest.mark.parametrize("company_id", sorted(GAP_FIRMS))
def test_gap_firms_rest_on_dated_article_pages(catalog: Catalog, company_id: str) -> None:
    company = catalog.companies[company_id]
    assert not [s.url for s in company.sources if is_homepage(s)]
    days = [s.published for s in company.sources if s.published and len(s.published) == 10]
    assert days, "at least one page with a day"
    assert str(company.as_of) == max(days), "as_of is the newest dated page, not today"


def test_gap_firms_are_in_no_team(catalog: Catalog) -> None:
    """No page read places any of them in a project of the catalog (Marorobotech's parking
    robot is Bucheon City's own project, not its smart-city challenge)."""
    members = {
        m.company
        for project in catalog.projects.values()
        for found in project.consortia
        for m in found.members
    }
    assert not members & set(GAP_FIRMS)
    for company_id in GAP_FIRMS:
        notes = " ".join(catalog.companies[company_id].notes)
        assert "role" in notes, company_id


@pytest.mark.parametrize(
    ("tech", "peers"),
    [
        (["smart farm"], {"green-plus", "farm8"}),
        # A water-meter maker is a rival of a smart-water-meter startup, not of a
        # water-quality one (a partner there).
        (["water quality", "smart water"], {"the-wave-talk"}),
        (["smart water"], {"the-wave-talk", "daehan-gyejeon"}),
        (["parking robot", "smart parking", "robots"], {"hl-robotics", "hyundai-wia"}),
        (["blockchain", "digital identity", "e-government"], {"coinplug", "raonsecure"}),
    ],
)
def test_a_startup_in_a_gap_field_meets_its_rivals_as_peers(
    catalog: Catalog, tech: list[str], peers: set[str]
) -> None:
    report = match(catalog, tech=tech, filters=Filters(kinds=frozenset({Kind.COMPANY}), top=None))
    found = {m.id for m in report.peers}
    assert peers <= found, found
    assert not peers & {m.id for m in report.results}


def test_storage_aggregators_are_partners_of_a_storage_startup(catalog: Catalog) -> None:
    """H Energy aggregates batteries and Ninewatt co-owns Goyang's shared ESS: neither sells
    storage, so a BESS startup meets them as partners."""
    report = match(
        catalog,
        tech=["energy storage", "ESS", "battery"],
        filters=Filters(kinds=frozenset({Kind.COMPANY}), top=None),
    )
    assert {"h-energy", "ninewatt"} <= {m.id for m in report.results}


def test_vpp_firms_are_peers_of_a_vpp_startup(catalog: Catalog) -> None:
    """H Energy and 식스티헤르츠 sell VPP platforms: a VPP startup meets them as peers."""
    report = match(
        catalog,
        tech=["virtual power plant"],
        filters=Filters(kinds=frozenset({Kind.COMPANY}), top=None),
    )
    assert {"h-energy", "sixty-hertz"} <= {m.id for m in report.peers}
    assert not {"h-energy", "sixty-hertz"} & {m.id for m in report.results}


def test_parkie_changed_hands_from_hl_mando_to_hl_robotics(catalog: Catalog) -> None:
    company = catalog.companies["hl-robotics"]
    assert company.group == "HL Group"
    assert "HL Mando" in (company.description or "")
    assert str(company.as_of) >= "2025-01"
