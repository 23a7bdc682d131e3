"""Render a client's shortlist, and the batch's index, as Markdown, HTML, CSV or JSON.

Renderers take the values of ``shortlist.py`` and return strings. HTML goes through
Jinja2 templates (``templates/``) with autoescaping on, so a name in the data can never
become markup; Markdown escapes what GitHub would read as markup; CSV carries a
byte-order mark so Excel shows Hangul; JSON keeps ``match --format json``'s field names.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any

import jinja2

from kpartner.render_match import as_data
from kpartner.shortlist import ClientReport, IndexEntry, Lead, Member
from kpartner.text import both_names


class ShortlistFormat(StrEnum):
    MD = "md"
    HTML = "html"
    CSV = "csv"
    JSON = "json"


@dataclass(frozen=True)
class BatchInfo:
    """What the index says about the whole batch."""

    generated: str
    data_as_of: str


# -- Markdown ----------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def md(text: str) -> str:
    """Text as Markdown shows it literally: no emphasis, links, HTML or table breaks."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def spans(numbers: tuple[int, ...]) -> list[tuple[int, int]]:
    """(1, 2, 3, 5) → [(1, 3), (5, 5)]: reference numbers as runs, so 32 sources read short."""
    runs: list[tuple[int, int]] = []
    for n in numbers:
        if runs and n == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    return runs


def cited(numbers: tuple[int, ...]) -> str:
    """'references 1-3, 5' with an en dash (or 'reference 4')."""
    parts = [str(a) if a == b else f"{a}\u2013{b}" for a, b in spans(numbers)]
    word = "reference" if len(numbers) == 1 else "references"
    return f"{word} {', '.join(parts)}"


def member_line(member: Member) -> str:
    role = "lead" if member.lead else "member"
    if member.role:
        role += f", {member.role}"
    if not member.confirmed:
        role += ", reported, not confirmed"
    if member.excluded:
        role += ", already in talks with you"
    return f"{both_names(member.name, member.name_ko)} — {role}"


def where(lead: Lead) -> str:
    project = lead.match.project
    parts = [project.city if project else "", lead.programme]
    if project and project.year:
        parts.append(str(project.year))
    return " · ".join(p for p in parts if p)


def header_line(report: ClientReport) -> str:
    oldest = report.oldest_as_of.isoformat() if report.oldest_as_of else "—"
    return (
        f"Generated {report.generated.isoformat()} · data as of {report.data_as_of.isoformat()}"
        f" · oldest record relied on {oldest}"
    )


def render_markdown(report: ClientReport) -> str:
    lines = [f"# Korean smart-city partners for {md(report.client)}", ""]
    if report.contact:
        lines += [f"Prepared for {md(report.contact)}", ""]
    lines += [header_line(report), "", "## Summary", "", md(report.summary), ""]
    if report.notes:
        lines += [f"**Notes:** {md(report.notes)}", ""]
    if report.leads:
        lines += ["| # | Opportunity | Where | Status | Way in |", "|---:|---|---|---|---|"]
        lines += [
            f"| {lead.rank} | {md(both_names(lead.match.name, lead.match.name_ko))} "
            f"| {md(where(lead))} | {md(lead.status)} | {md(lead.way_in)} |"
            for lead in report.leads
        ]
        lines += ["", "## Opportunities"]
    for lead in report.leads:
        lines += ["", f"### {lead.rank}. {md(both_names(lead.match.name, lead.match.name_ko))}", ""]
        lines += [f"- **Where:** {md(where(lead))}", f"- **Status:** {md(lead.status)}"]
        lines.append(f"- **The way in:** {md(lead.way_in)}")
        for gap in lead.gaps:
            lines.append(f"- **The gap you fill:** {md(gap)}")
        for why in lead.why:
            lines.append(f"- **Why it fits:** {md(why)}")
        for team in lead.teams:
            lines.append(f"- **Team:** {md(team)}")
        lines += [f"  - {md(member_line(member))}" for member in lead.members]
        if lead.unnamed:
            lines.append(f"  - {lead.unnamed} more not named in any source")
        for caveat in lead.caveats:
            lines.append(f"- **Caveat:** {md(caveat)}")
        lines.append(f"- **Evidence:** [{cited(lead.references)}](#references)")
    if report.caveats:
        lines += ["", "## Caveats", ""]
        lines += [f"- {md(caveat)}" for caveat in report.caveats]
    if report.references:
        lines += ["", "## References", ""]
        for ref in report.references:
            label = f" — {md(ref.label)}" if ref.label else ""
            lines.append(f"{ref.number}. <{_md_url(ref.url)}>{label}")
    lines += ["", "---", ""]
    lines.append(f"Read as: {md(', '.join(report.terms))}.  ")
    if report.excluded:
        lines.append(f"Left out at the client's request: {md(', '.join(report.excluded))}.  ")
    lines += ["Prepared with kpartner from its sourced catalog of Korean smart-city projects.", ""]
    return "\n".join(lines)


def _md_url(url: str) -> str:
    """A URL inside <...>: the characters that would end it are percent-encoded."""
    return url.replace("<", "%3C").replace(">", "%3E").replace(" ", "%20")


def render_index_markdown(entries: list[IndexEntry], info: BatchInfo) -> str:
    lines = ["# Shortlists", "", f"Generated {info.generated} · data as of {info.data_as_of}", ""]
    lines += ["| Client | Report | Leads | Best opportunity | Problem |", "|---|---|---:|---|---|"]
    for entry in entries:
        report = f"[{entry.stem}.md](<{entry.stem}.md>)" if entry.stem else "—"
        lines.append(
            f"| {md(entry.client or str(entry.profile_path))} | {report} | {entry.leads} "
            f"| {md(entry.best or '—')} | {md(entry.problem or '')} |"
        )
    return "\n".join([*lines, ""])


# -- HTML --------------------------------------------------------------------------------


@cache
def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("kpartner", "templates"),
        autoescape=True,  # every value is escaped; nothing from the data is markup
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["member"] = member_line
    environment.filters["where"] = where
    environment.filters["spans"] = spans
    return environment


def render_html(report: ClientReport) -> str:
    template = _environment().get_template("report.html.j2")
    return template.render(report=report, header=header_line(report))


def render_index_html(entries: list[IndexEntry], info: BatchInfo) -> str:
    return _environment().get_template("index.html.j2").render(entries=entries, info=info)


# -- CSV ---------------------------------------------------------------------------------

CSV_COLUMNS = (
    "client",
    "rank",
    "id",
    "name",
    "name_ko",
    "city",
    "programme",
    "year",
    "status",
    "status_date",
    "score",
    "lead",
    "next_step",
    "gap",
    "team",
    "caveats",
    "as_of",
    "stale",
    "sources",
)


def _csv(rows: list[list[Any]], header: tuple[str, ...]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return "\ufeff" + buffer.getvalue()


def render_csv(report: ClientReport) -> str:
    """One row per lead, UTF-8 with a byte-order mark so Excel shows Hangul."""
    urls = {ref.number: ref.url for ref in report.references}
    rows = []
    for lead in report.leads:
        project = lead.match.project
        rows.append(
            [
                report.client,
                lead.rank,
                lead.match.id,
                lead.match.name,
                lead.match.name_ko or "",
                project.city if project else "",
                lead.programme,
                (project.year or "") if project else "",
                project.status if project else "",
                project.status_date if project else "",
                lead.match.score,
                lead.lead_company or "",
                lead.way_in,
                " | ".join(lead.gaps),
                " | ".join(member_line(m) for m in lead.members),
                " | ".join(lead.caveats),
                lead.match.as_of.isoformat(),
                "yes" if lead.stale else "no",
                " | ".join(urls[n] for n in lead.references),
            ]
        )
    return _csv(rows, CSV_COLUMNS)


INDEX_COLUMNS = ("client", "profile", "report", "leads", "best", "problem")


def _index_rows(entries: list[IndexEntry], extension: str) -> list[list[Any]]:
    return [
        [
            entry.client or "",
            str(entry.profile_path),
            f"{entry.stem}.{extension}" if entry.stem else "",
            entry.leads,
            entry.best or "",
            entry.problem or "",
        ]
        for entry in entries
    ]


def render_index_csv(entries: list[IndexEntry], info: BatchInfo) -> str:
    del info
    return _csv(_index_rows(entries, "csv"), INDEX_COLUMNS)


# -- JSON --------------------------------------------------------------------------------


def render_json(report: ClientReport) -> str:
    """``match --format json``'s fields, with the client and the report's own parts."""
    data: dict[str, Any] = {
        "client": {
            "name": report.client,
            "contact": report.contact,
            "notes": report.notes,
            "profile": str(report.profile_path),
            "excluded_companies": list(report.excluded),
        },
        "generated": report.generated.isoformat(),
        "summary": report.summary,
        **as_data(report.match_report),
        "opportunities": [
            {
                "rank": lead.rank,
                "id": lead.match.id,
                "programme": lead.programme,
                "status": lead.status,
                "next_step": lead.way_in,
                "gaps": list(lead.gaps),
                "why": list(lead.why),
                "teams": list(lead.teams),
                "members": [
                    {
                        "name": m.name,
                        "name_ko": m.name_ko,
                        "role": m.role,
                        "lead": m.lead,
                        "confirmed": m.confirmed,
                    }
                    for m in lead.members
                ],
                "unnamed_members": lead.unnamed,
                "caveats": list(lead.caveats),
                "references": list(lead.references),
            }
            for lead in report.leads
        ],
        "caveats": list(report.caveats),
        "references": [
            {"number": ref.number, "url": ref.url, "label": ref.label} for ref in report.references
        ],
    }
    # One line, written by the C encoder: indenting makes json fall back to pure Python,
    # a third of a batch of 100 reports. Scripts read it; `jq .` indents it for people.
    return json.dumps(data, ensure_ascii=False) + "\n"


def render_index_json(entries: list[IndexEntry], info: BatchInfo) -> str:
    data = {
        "generated": info.generated,
        "data_as_of": info.data_as_of,
        "reports": [
            dict(zip(INDEX_COLUMNS, row, strict=True)) for row in _index_rows(entries, "json")
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


REPORT_FORMATS: dict[ShortlistFormat, Callable[[ClientReport], str]] = {
    ShortlistFormat.MD: render_markdown,
    ShortlistFormat.HTML: render_html,
    ShortlistFormat.CSV: render_csv,
    ShortlistFormat.JSON: render_json,
}

INDEX_FORMATS: dict[ShortlistFormat, Callable[[list[IndexEntry], BatchInfo], str]] = {
    ShortlistFormat.MD: render_index_markdown,
    ShortlistFormat.HTML: render_index_html,
    ShortlistFormat.CSV: render_index_csv,
    ShortlistFormat.JSON: render_index_json,
}
