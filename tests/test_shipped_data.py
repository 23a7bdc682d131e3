"""The shipped catalog: loads clean, is sourced, and holds the records the fact sheet names."""

from __future__ import annotations

import datetime as dt

import pytest

from kpartner import load_catalog
from kpartner.catalog import Catalog
from kpartner.models import ConsortiumStatus

from .conftest import DATA as REPO_DATA


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    result = load_catalog(REPO_DATA)
    assert [str(p) for p in result.problems] == []
    assert result.catalog is not None
    return result.catalog


def test_every_record_is_sourced_and_dated(catalog: Catalog) -> None:
    for record in catalog.sourced_records():
        assert record.sources, record
        assert record.as_of <= dt.date.today()


def test_the_seed_technologies_are_in_the_taxonomy(catalog: Catalog) -> None:
    for term in ("drones", "5G", "blockchain", "robots", "AI", "autonomous vehicles", "IoT"):
        sector = catalog.sector_named(term)
        assert sector is not None, term
        assert sector.kind == "technology"
        assert sector.serves, f"{term} serves no domain"
    for term in ("드론", "블록체인", "인공지능", "자율주행", "사물인터넷"):
        assert catalog.sector_named(term) is not None, term


def test_sejong_bidding_outcome(catalog: Catalog) -> None:
    sejong = catalog.projects["sejong-5-1"]
    statuses = {c.id: c.status for c in sejong.consortia}
    assert statuses["sejong-o1"] is ConsortiumStatus.SELECTED
    assert statuses["hyundai-kt-sejong"] is ConsortiumStatus.LOST
    _, o1 = catalog.consortia["sejong-o1"]
    assert o1.lead == "lg-cns"
    members = {m.company for m in o1.members}
    assert {"lg-uplus", "kb-financial-group", "shinhan-financial-group", "42dot"} <= members


def test_busan_three_rounds_of_partners(catalog: Catalog) -> None:
    busan = catalog.projects["busan-eco-delta-city"]
    statuses = {c.id: c.status for c in busan.consortia}
    assert statuses["the-grand-busan"] is ConsortiumStatus.REPLACED
    assert statuses["khnp-busan"] is ConsortiumStatus.REPLACED
    assert statuses["the-in-busan"] is ConsortiumStatus.SELECTED
    assert "water-management" in busan.focus
    assert "robotics" in busan.focus


def test_timelines_are_in_date_order(catalog: Catalog) -> None:
    for project in catalog.projects.values():
        dates = [event.date for event in project.timeline]
        assert dates == sorted(dates), project.id


def test_challenge_projects_are_there(catalog: Catalog) -> None:
    cities = {project.city for project in catalog.projects.values()}
    for city in (
        "Gwangju",
        "Suwon",
        "Daejeon",
        "Gangneung",
        "Pohang",
        "Ulsan",
        "Jeonju",
        "Gimcheon",
    ):
        assert any(city in c for c in cities), city
    assert len(catalog.projects) >= 30


def test_company_aliases_are_one_company(catalog: Catalog) -> None:
    names: dict[str, str] = {}
    for company in catalog.companies.values():
        for name in (company.name, company.name_ko, *company.aliases):
            if name:
                assert names.setdefault(name.casefold(), company.id) == company.id, name
    assert names["lg u+"] == names["lg uplus"] == "lg-uplus"
