"""What the browse commands show, as plain values: listings (rows) and details (one record).

The renderers turn these into a table, JSON or CSV; nothing here prints.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from kpartner.catalog import Catalog, UnknownName, in_city, members_of
from kpartner.enums import CompanyType, ProjectProgramme, SectorKind
from kpartner.suggest import suggest
from kpartner.text import both_names, fold

if TYPE_CHECKING:  # pydantic's models: a catalog from the compiled cache holds their twins
    from kpartner.models import Company, Consortium, Project, Sector, Source, Sourced

Cell = str | int | None | list[str]


@dataclass(frozen=True)
class Column:
    key: str
    header: str


@dataclass(frozen=True)
class Listing:
    """Rows of one kind of record; lists stay lists so JSON keeps their structure."""

    kind: str
    columns: tuple[Column, ...]
    rows: list[dict[str, Cell]]
    table_list_items: int | None = 4  # a table shows this many items of a list, then "+N more"


@dataclass(frozen=True)
class Detail:
    """One record in full: a title, labelled fields, then titled sections of lines."""

    kind: str
    id: str
    title: str
    fields: list[tuple[str, str]]
    sections: list[tuple[str, list[str]]] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)


def _sector_filter(catalog: Catalog, term: str) -> set[str]:
    sector = catalog.sector_named(term)
    if sector is None:
        raise UnknownName("sector", term, suggest(term, list(catalog.sectors)))
    return catalog.with_subdomains(sector.id)


def project_listing(
    catalog: Catalog,
    city: str | None = None,
    programme: ProjectProgramme | None = None,
    sector: str | None = None,
) -> Listing:
    wanted = _sector_filter(catalog, sector) if sector else None
    if city and not any(in_city(project, city) for project in catalog.projects.values()):
        cities = list(dict.fromkeys(project.city for project in catalog.projects.values()))
        raise UnknownName("city", city, suggest(city, cities))
    rows: list[dict[str, Cell]] = []
    for project in catalog.projects.values():
        if city and not in_city(project, city):
            continue
        if programme and project.programme is not programme:
            continue
        if wanted is not None and wanted.isdisjoint(catalog.project_sectors[project.id]):
            continue
        rows.append(
            {
                "id": project.id,
                "name": project.name,
                "city": project.city,
                "programme": project.programme.value,
                "year": project.year,
                "status": project.status.value,
                "focus": list(project.focus),
            }
        )
    columns = ("id", "name", "city", "programme", "year", "status", "focus")
    return Listing("projects", tuple(Column(c, c.title()) for c in columns), rows)


def company_listing(
    catalog: Catalog,
    company_type: CompanyType | None = None,
    sector: str | None = None,
    project: str | None = None,
) -> Listing:
    wanted = _sector_filter(catalog, sector) if sector else None
    if project is not None and project not in catalog.projects:
        raise UnknownName("project", project, suggest(project, list(catalog.projects)))
    rows: list[dict[str, Cell]] = []
    for company in catalog.companies.values():
        memberships = catalog.memberships.get(company.id, [])
        if company_type and company.type is not company_type:
            continue
        if wanted is not None and wanted.isdisjoint(company.capabilities):
            continue
        if project and all(m.project.id != project for m in memberships):
            continue
        rows.append(
            {
                "id": company.id,
                "name": company.name,
                "name_ko": company.name_ko,
                "type": company.type.value,
                "capabilities": list(company.capabilities),
                "consortia": [
                    f"{m.consortium.id}{' (lead)' if m.is_lead else ''}" for m in memberships
                ],
            }
        )
    columns = [Column("id", "Id"), Column("name", "Name"), Column("name_ko", "Korean name")]
    columns += [Column("type", "Type"), Column("capabilities", "Capabilities")]
    columns += [Column("consortia", "Consortia")]
    return Listing("companies", tuple(columns), rows)


def freshness_listing(
    catalog: Catalog,
    today: dt.date,
    stale_days: int | None = None,
    since: dt.date | None = None,
) -> Listing:
    """Every sourced record, oldest first: where a curator should look next.

    ``stale_days`` keeps records whose ``as_of`` is older than that many days;
    ``since`` keeps records whose ``as_of`` is on or after a date (what changed lately).
    """
    rows: list[dict[str, Cell]] = []
    for record in catalog.sourced_records():
        age = (today - record.as_of).days
        if stale_days is not None and age <= stale_days:
            continue
        if since is not None and record.as_of < since:
            continue
        dates = [s.published for s in record.sources if s.published]
        rows.append(
            {
                "as_of": record.as_of.isoformat(),
                "age_days": age,
                "kind": _record_kind(record),
                "id": record.id,
                "name": record.name,
                "sources": len(record.sources),
                "homepages": sum(1 for s in record.sources if is_homepage(s.url)),
                "newest_source": max(dates) if dates else None,
            }
        )
    rows.sort(key=lambda row: (str(row["as_of"]), str(row["id"])))
    columns = (
        Column("as_of", "As of"),
        Column("age_days", "Age (days)"),
        Column("kind", "Kind"),
        Column("id", "Id"),
        Column("name", "Name"),
        Column("sources", "Sources"),
        Column("homepages", "Homepages"),
        Column("newest_source", "Newest source"),
    )
    return Listing("records", columns, rows)


def is_homepage(url: str) -> bool:
    """A bare site address ('https://www.donga.com/'): it does not say which article."""
    parts = urlsplit(url)
    return parts.path in ("", "/") and not parts.query


def _record_kind(record: Project | Consortium | Company) -> str:
    # By the class's name: a catalog from the compiled cache holds the models' twins.
    return {"Project": "project", "Consortium": "consortium"}.get(type(record).__name__, "company")


def sector_listing(catalog: Catalog, kind: SectorKind | None = None) -> Listing:
    rows: list[dict[str, Cell]] = [
        {
            "id": sector.id,
            "kind": sector.kind.value,
            "label": sector.label,
            "label_ko": sector.label_ko,
            "synonyms": list(sector.synonyms),
            "serves": list(sector.serves),
            "parent": sector.parent,
        }
        for sector in catalog.sectors.values()
        if kind is None or sector.kind is kind
    ]
    columns = [Column("id", "Id"), Column("kind", "Kind"), Column("label", "Label")]
    columns += [Column("label_ko", "Korean"), Column("synonyms", "Synonyms")]
    columns += [Column("serves", "Serves (domains)"), Column("parent", "Part of")]
    return Listing("sectors", tuple(columns), rows, table_list_items=None)


# --- one record in full -------------------------------------------------------------


def detail(catalog: Catalog, record_id: str) -> Detail:
    """The project, consortium, company or sector called ``record_id``."""
    if record_id in catalog.projects:
        return _project_detail(catalog, catalog.projects[record_id])
    if record_id in catalog.consortia:
        project, consortium = catalog.consortia[record_id]
        return _consortium_detail(catalog, project, consortium)
    if record_id in catalog.companies:
        return _company_detail(catalog, catalog.companies[record_id])
    if record_id in catalog.sectors:
        return _sector_detail(catalog, catalog.sectors[record_id])
    by_name = _id_by_name(catalog, record_id)
    if by_name is not None:
        return detail(catalog, by_name)
    # A word of a company's name ("LG") says more than a near-miss of a short id ("lh").
    close = _named_like(catalog, record_id) or suggest(record_id, catalog.all_ids())
    raise UnknownName("id", record_id, close)


def _named_like(catalog: Catalog, text: str, limit: int = 5) -> list[str]:
    """Ids of companies with a word in their name starting with ``text`` ("LG" → lg-cns, ...)."""
    key = text.strip().casefold()
    if len(key) < 2:
        return []
    return [
        company.id
        for company in catalog.companies.values()
        if any(
            word.startswith(key)
            for name in (company.name, company.name_ko, *company.aliases)
            for word in re.findall(r"\w+", (name or "").casefold())
        )
    ][:limit]


def _id_by_name(catalog: Catalog, name: str) -> str | None:
    """Let ``show "LG U+"`` work: a company's name or alias, or a sector's synonym."""
    key = fold(name)
    for company in catalog.companies.values():
        names = (company.name, company.name_ko, *company.aliases)
        if any(n and fold(n) == key for n in names):
            return company.id
    sector = catalog.sector_named(name)
    return sector.id if sector else None


def _name(record: Project | Consortium | Company) -> str:
    return both_names(record.name, record.name_ko)


def _company_label(catalog: Catalog, company_id: str) -> str:
    company = catalog.companies.get(company_id)
    return f"{_name(company)} [{company_id}]" if company else company_id


def _sector_labels(catalog: Catalog, ids: list[str]) -> str:
    return (
        ", ".join(f"{catalog.sectors[s].label} [{s}]" if s in catalog.sectors else s for s in ids)
        or "—"
    )


def format_source(source: Source) -> str:
    parts = [source.url]
    if source.article_id:
        parts.append(f"({source.article_id})")
    described = ", ".join(p for p in (source.publisher, source.title) if p)
    if described:
        parts.append(f"— {described}")
    parts.append(f"[{source.published or 'n.d.'}]")
    if source.note:
        parts.append(f"— {source.note}")
    return " ".join(parts)


def _provenance(record: Sourced) -> list[tuple[str, list[str]]]:
    sections = [("Sources", [format_source(source) for source in record.sources])]
    if record.notes:
        sections.insert(0, ("Notes", list(record.notes)))
    return sections


def _won(amount: int | None) -> str | None:
    if amount is None:
        return None
    eok = amount / 100_000_000
    return f"₩{amount:,} ({eok:,.4g}억)"


def _project_detail(catalog: Catalog, project: Project) -> Detail:
    fields = [
        ("Id", project.id),
        ("City", f"{project.city} ({project.city_ko})" if project.city_ko else project.city),
        ("Programme", project.programme.value),
        ("Year", str(project.year) if project.year else None),
        ("Status", project.status.value),
        ("Area", f"{project.area_m2:,.0f} m²" if project.area_m2 else None),
        ("Budget", _won(project.budget_krw)),
        ("State funding", _won(project.state_funding_krw)),
        ("Focus", _sector_labels(catalog, list(project.focus))),
        ("Summary", project.summary),
        ("As of", project.as_of.isoformat()),
    ]
    sections: list[tuple[str, list[str]]] = []
    if project.zones:
        sections.append(
            (
                "Zones",
                [
                    f"{zone.name}"
                    + (f", {zone.area_m2:,.0f} m²" if zone.area_m2 else "")
                    + (f": {zone.description}" if zone.description else "")
                    for zone in project.zones
                ],
            )
        )
    if project.consortia:
        sections.append(
            (
                "Consortia",
                [
                    f"{c.name} [{c.id}] — {c.status.value}{f' {c.date}' if c.date else ''}"
                    + (f", led by {_company_label(catalog, c.lead)}" if c.lead else "")
                    + _count(len(list(members_of(c))), "member")
                    for c in project.consortia
                ],
            )
        )
    if project.timeline:
        sections.append(("Timeline", [f"{e.date}  {e.event}" for e in project.timeline]))
    sections += _provenance(project)
    return Detail(
        "project",
        project.id,
        _name(project),
        _present(fields),
        sections,
        project.model_dump(mode="json", exclude_none=True),
    )


def _consortium_detail(catalog: Catalog, project: Project, consortium: Consortium) -> Detail:
    fields = [
        ("Id", consortium.id),
        ("Project", f"{_name(project)} [{project.id}]"),
        ("Status", consortium.status.value + (f" ({consortium.date})" if consortium.date else "")),
        ("Lead", _company_label(catalog, consortium.lead) if consortium.lead else None),
        ("As of", consortium.as_of.isoformat()),
    ]
    members = []
    for company_id, role, is_lead in members_of(consortium):
        line = _company_label(catalog, company_id) + (" — lead" if is_lead else "")
        line += f" — role: {role}" if role else ""
        note = next((m.note for m in consortium.members if m.company == company_id), None)
        line += f" ({note})" if note else ""
        members.append(line)
    sections = [("Members", members or ["none named in the sources"]), *_provenance(consortium)]
    data = consortium.model_dump(mode="json", exclude_none=True)
    data["project"] = project.id
    return Detail("consortium", consortium.id, _name(consortium), _present(fields), sections, data)


def _company_detail(catalog: Catalog, company: Company) -> Detail:
    parent = company.parent
    fields = [
        ("Id", company.id),
        ("Type", company.type.value),
        ("Aliases", ", ".join(company.aliases) or None),
        ("Group", company.group),
        ("Parent", _company_label(catalog, parent) if parent else None),
        ("Website", company.website),
        ("Does", company.description),
        ("Capabilities", _sector_labels(catalog, list(company.capabilities))),
        ("As of", company.as_of.isoformat()),
    ]
    memberships = catalog.memberships.get(company.id, [])
    lines = [
        f"{m.consortium.name} [{m.consortium.id}] for {m.project.name} [{m.project.id}]"
        f" — {m.consortium.status.value}{f' {m.consortium.date}' if m.consortium.date else ''}"
        + (" — lead" if m.is_lead else "")
        + (f" — role: {m.role}" if m.role else "")
        for m in memberships
    ]
    sections = [("Consortia", lines or ["none recorded"]), *_provenance(company)]
    data = company.model_dump(mode="json", exclude_none=True)
    data["consortia"] = [
        {"consortium": m.consortium.id, "project": m.project.id, "lead": m.is_lead, "role": m.role}
        for m in memberships
    ]
    return Detail("company", company.id, _name(company), _present(fields), sections, data)


def _sector_detail(catalog: Catalog, sector: Sector) -> Detail:
    served_by = [s.id for s in catalog.sectors.values() if sector.id in s.serves]
    fields = [
        ("Id", sector.id),
        ("Kind", sector.kind.value),
        ("Korean", sector.label_ko),
        ("Synonyms", ", ".join(sector.synonyms) or None),
        ("Serves", _sector_labels(catalog, list(sector.serves)) if sector.serves else None),
        ("Served by", _sector_labels(catalog, served_by) if served_by else None),
        ("Part of", _sector_labels(catalog, [sector.parent]) if sector.parent else None),
        ("About", sector.description),
    ]
    wanted = catalog.with_subdomains(sector.id)
    # A technology is wanted wherever a project asks for a domain it serves.
    asked_for = set(wanted)
    for domain in sector.serves:
        asked_for |= catalog.with_subdomains(domain)
    projects = [
        f"{p.name} [{p.id}]"
        for p in catalog.projects.values()
        if not asked_for.isdisjoint(catalog.project_sectors[p.id])
    ]
    companies = [
        f"{_name(c)} [{c.id}]"
        for c in catalog.companies.values()
        if not wanted.isdisjoint(c.capabilities)
    ]
    sections = [
        ("Projects asking for it (or for a domain it serves)", projects or ["none"]),
        ("Companies doing it", companies or ["none"]),
    ]
    data = sector.model_dump(mode="json", exclude_none=True)
    return Detail("sector", sector.id, sector.label, _present(fields), sections, data)


def _count(number: int, noun: str) -> str:
    return f", {number} {noun}{'' if number == 1 else 's'}"


def _present(fields: list[tuple[str, str | None]]) -> list[tuple[str, str]]:
    return [(label, value) for label, value in fields if value]
