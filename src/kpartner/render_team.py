"""Render proposed teams as a table, JSON, CSV or Markdown. Renderers return strings.

The JSON is a stable interface for scripts: ``{"query": ..., "projects": [{"project":
{id, name, city, year, status}, "startup": {"sectors", "brings"}, "nobody": [...], "teams":
[{"kind": "join" | "new", "consortium": id | null, "members": [{"company", "brings",
"role", "evidence", "sources", ...}], "covered": [...], "uncovered": [...]}]}]}``, the
best team first. ``kpartner team --project ID --format json`` prints the one project's
object itself (no ``projects`` list).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

from kpartner.render_browse import Style, tidy
from kpartner.render_match import MatchFormat, evidence_data, source_data, source_text
from kpartner.taxonomy import Link
from kpartner.teambuilder import (
    Contribution,
    Member,
    ProjectTeams,
    ProposedTeam,
    TeamKind,
    TeamReport,
)
from kpartner.teamwords import names

TEAMS_SHOWN = 3  # in the table: the best teams of each project


def _member(member: Member) -> dict[str, Any]:
    return {
        "company": member.company.id,
        "name": member.company.name,
        "type": member.company.type.value,
        "brings": [c.sector for c in member.brings],
        "through": {c.sector: c.via for c in member.brings if c.via != c.sector},
        "linked": [c.sector for c in member.brings if not c.exact],
        "role": member.role,
        "in_consortium": member.in_consortium,
        "public_side": member.public,
        "foreign": member.foreign,
        "evidence": [evidence_data(e) for e in member.evidence],
        "sources": [source_data(s) for s in member.sources],
        "membership_sources": [source_data(s) for s in member.membership_sources],
        "capability_sources": [source_data(s) for s in member.capability_sources],
    }


def _team(team: ProposedTeam) -> dict[str, Any]:
    return {
        "kind": team.kind.value,
        "consortium": team.consortium.id if team.consortium else None,
        "startup_adds": list(team.startup_adds),
        "members": [_member(m) for m in team.members],
        "other_members": team.others,
        "idle_members": [c.id for c in team.idle],
        "competitors": [m.company.id for m in team.competitors],
        "approach": [m.company.id for m in (team.door, team.nearest) if m is not None],
        "next_stage": team.next_stage,
        "builders_unrecorded": team.unrecorded,
        "covered": list(team.covered),
        "uncovered": list(team.uncovered),
        "left_out_by_size": list(team.limited),
        "solver": {"exact": team.exact, "bound": round(team.bound, 4), "cost": team.cost},
        "next_step": team.next_step,
    }


def project_data(found: ProjectTeams, asked: list[str]) -> dict[str, Any]:
    ref = found.ref
    return {
        "project": {
            "id": ref.id,
            "name": ref.name,
            "city": ref.city,
            "year": ref.year,
            "status": ref.status,
        },
        # its own sectors, and the project's focus sectors they cover
        "startup": {
            "sectors": asked,
            "brings": [c.sector for c in found.startup],
            "through": {c.sector: c.via for c in found.startup if c.via != c.sector},
            "outside_focus": list(found.outside),
        },
        "focus": list(found.focus),
        "nobody": list(found.nobody),
        "teams": [_team(t) for t in found.teams],
    }


def as_data(report: TeamReport) -> dict[str, Any]:
    return {
        "query": {
            "terms": [
                {"input": t.input, "sector": t.sector, "how": t.how.value}
                for t in report.query.terms
            ],
            "sectors": report.query.sectors,
        },
        "projects": [project_data(p, report.query.sectors) for p in report.projects],
        "data_as_of": report.data_as_of.isoformat(),
    }


def render_json(report: TeamReport, style: Style) -> str:
    data: dict[str, Any] = as_data(report)
    if report.single:
        only = project_data(report.projects[0], report.query.sectors)
        data = {**only, "query": data["query"], "data_as_of": data["data_as_of"]}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _brings(member: Member, label: Callable[[str], str]) -> str:
    parts = []
    for brought in member.brings:
        text = label(brought.sector)
        if not brought.exact:
            text += f" (via {label(brought.via)})"
        parts.append(text)
    return ", ".join(parts) or "nothing the project asks beyond the rest"


def _team_title(team: ProposedTeam) -> str:
    if team.consortium is not None:
        if not team.startup_adds:
            return f"Join {team.consortium.name}? Its members already do what you bring"
        return f"Join {team.consortium.name}"
    if team.next_stage:
        return "Form a new team for the next call or stage"
    return "Form a new team"


def _how(brought: Contribution) -> str:
    """How a sector of yours reaches the focus sector: a narrower part of it, or serving it."""
    return "narrower" if brought.relation.link is Link.NARROWER else "serves it"


def _you_bring(found: ProjectTeams, label: Callable[[str], str]) -> str:
    parts = [
        label(c.sector) if c.via == c.sector else f"{label(c.via)} → {label(c.sector)} ({_how(c)})"
        for c in found.startup
    ]
    return ", ".join(parts) or "none of its focus sectors"


def _idle(team: ProposedTeam) -> str:
    count = len(team.idle)
    said = names([c.name for c in team.idle])
    return f"and {count} more member{'s' if count > 1 else ''} bringing no focus sector: {said}"


def _mark(member: Member) -> str:
    if not member.in_consortium:
        return "+"
    return "·" if member.public else " "


def render_table(report: TeamReport, style: Style) -> str:
    lines: list[str] = []
    for found in report.projects:
        ref = found.ref
        year = f" · {ref.year}" if ref.year else ""
        lines.append(f"{ref.name} ({ref.id})")
        lines.append(f"  {ref.city}{year} · {ref.status.replace('-', ' ')}")
        lines.append(f"  focus: {report.labelled(found.focus)}")
        lines.append(f"  you bring: {_you_bring(found, report.label)}")
        if found.outside:
            lines.append(f"  not in {ref.city}'s focus: {report.labelled(found.outside)}")
        if found.nobody:
            lines.append(f"  no company you could recruit covers: {report.labelled(found.nobody)}")
        for number, team in enumerate(found.teams[:TEAMS_SHOWN], 1):
            lines.append("")
            if team.kind is TeamKind.JOIN:
                solver = ""  # the consortium as it is: nothing solved
            elif team.exact:
                solver = " (optimal)"
            else:
                solver = f" (greedy, within {team.bound:.2f} times the optimum)"
            lines.append(f"  {number}. {_team_title(team)}{solver}")
            for member in team.members:
                lines.append(
                    f"   {_mark(member)} {member.company.name} [{member.company.id}]"
                    f" — {member.role}"
                )
                if not member.public:
                    lines.append(f"       brings {_brings(member, report.label)}")
                elif member.brings:
                    lines.append(f"       runs {_brings(member, report.label)}")
            if not team.members and not team.uncovered:
                lines.append("     nobody else needed: you bring what the others would")
            elif not team.members:
                lines.append("     no recruits within your --size limit")
            if team.idle:
                lines.append(f"     {_idle(team)}")
            if team.uncovered:
                lines.append(f"     uncovered: {report.labelled(team.uncovered)}")
            lines.append(f"     → {team.next_step}")
        hidden = len(found.teams) - TEAMS_SHOWN
        if hidden > 0:
            lines.append(f"  ({hidden} more team(s): --format json shows them all)")
        lines.append("")
    lines.append(
        "+ a company to recruit; · the client/public side (it runs what it lists);"
        " the others are in the consortium already"
    )
    return tidy("\n".join(lines) + "\n")


CSV_COLUMNS = (
    "project",
    "team",
    "kind",
    "consortium",
    "company",
    "name",
    "role",
    "in_consortium",
    "brings",
    "linked",
    "uncovered",
    "evidence",
    "sources",
)


def render_csv(report: TeamReport, style: Style) -> str:
    """One row per member of each team; UTF-8 with a BOM, so Excel shows Hangul."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for found in report.projects:
        for number, team in enumerate(found.teams, 1):
            if not team.members:  # the startup covers it alone: the team still has a row
                row: dict[str, object] = dict.fromkeys(CSV_COLUMNS, "")
                row.update(project=found.ref.id, team=number, kind=team.kind.value)
                row["uncovered"] = " ".join(team.uncovered)
                writer.writerow([row[column] for column in CSV_COLUMNS])
            for member in team.members:
                writer.writerow(
                    [
                        found.ref.id,
                        number,
                        team.kind.value,
                        team.consortium.id if team.consortium else "",
                        member.company.id,
                        member.company.name,
                        member.role,
                        "yes" if member.in_consortium else "no",
                        " ".join(c.sector for c in member.brings),
                        " ".join(c.sector for c in member.brings if not c.exact),
                        " ".join(team.uncovered),
                        " | ".join(e.text for e in member.evidence),
                        " ".join(s.url for s in member.sources),
                    ]
                )
    return "\ufeff" + buffer.getvalue()


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(report: TeamReport, style: Style) -> str:
    lines = ["# Proposed teams", ""]
    terms = ", ".join(dict.fromkeys(term.input for term in report.query.terms))
    lines.append(
        f"Your terms: {_md(terms)} (read as {report.labelled(report.query.sectors)})."
        f" Data as of {report.data_as_of}."
    )
    for found in report.projects:
        ref = found.ref
        lines += ["", f"## {_md(ref.name)} (`{ref.id}`)", ""]
        lines.append(f"{_md(ref.city)}, {ref.status.replace('-', ' ')}.")
        lines.append(f"You bring: {_md(_you_bring(found, report.label))}.")
        if found.outside:
            lines.append(f"Not in {_md(ref.city)}'s focus: {report.labelled(found.outside)}.")
        if found.nobody:
            lines.append(f"No company you could recruit covers: {report.labelled(found.nobody)}.")
        for number, team in enumerate(found.teams, 1):
            lines += ["", f"### {number}. {_md(_team_title(team))}", ""]
            # Each member's own sources, numbered once per team: who backs which claim.
            numbers: dict[str, int] = {}
            for member in team.members:
                for source in member.sources:
                    numbers.setdefault(source.url, len(numbers) + 1)
            listed = {s.url: s for m in team.members for s in m.sources}
            lines.append("| company | role | brings | evidence | sources |")
            lines.append("|---|---|---|---|---|")
            for member in team.members:
                cited = " ".join(
                    f"[{numbers[url]}]" for url in dict.fromkeys(s.url for s in member.sources)
                )
                mark = (
                    " (recruit)"
                    if not member.in_consortium
                    else " (client/public side)"
                    if member.public
                    else ""
                )
                lines.append(
                    f"| {_md(member.company.name)}{mark} | {_md(member.role)} "
                    f"| {_md(_brings(member, report.label))} "
                    f"| {_md('; '.join(e.text for e in member.evidence))} | {cited} |"
                )
            if team.idle:
                lines += ["", _md(_idle(team)[0].upper() + _idle(team)[1:]) + "."]
            if team.uncovered:
                lines += ["", f"Uncovered: {report.labelled(team.uncovered)}."]
            lines += ["", f"Next step: {_md(team.next_step)}"]
            if listed:
                lines += ["", "Sources:", ""]
                lines += [
                    f"{numbers[url]}. {_md(source_text(source))}" for url, source in listed.items()
                ]
    return "\n".join(lines) + "\n"


TEAM_FORMATS: dict[MatchFormat, Callable[[TeamReport, Style], str]] = {
    MatchFormat.TABLE: render_table,
    MatchFormat.JSON: render_json,
    MatchFormat.CSV: render_csv,
    MatchFormat.MARKDOWN: render_markdown,
}
