"""Render a match report as a table, JSON, CSV or Markdown. Renderers return strings.

The JSON field names are a stable interface for scripts:
``{"query": {"terms": [...], "unresolved": [...]}, "results": [...], "data_as_of": ...}``.
"""

from __future__ import annotations

import io
import json
import shlex
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kpartner.matching import MatchReport
from kpartner.query import Query
from kpartner.ranking import WEIGHTS
from kpartner.render_browse import Style, tidy
from kpartner.results import Evidence, EvidenceKind, Kind, Match
from kpartner.text import both_names, join_names, some

if TYPE_CHECKING:  # rich loads when a table is drawn: JSON and CSV do without it
    from rich.table import Table

    # pydantic's models: a catalog from the compiled cache holds their twins
    from kpartner.models import Source

BAR_WIDTH = 10
TABLE_REASONS = 2
CSV_SOURCES = 3  # the rest are in the JSON and Markdown reports and in `kpartner show`
COMPONENT_NAMES = tuple(dict.fromkeys(name for parts in WEIGHTS.values() for name in parts))
# The claims a table row leads with: what the team lacks, then what the project asks.
# A competitor already in the team decides whether to approach at all: said before the demand.
LEADING = (EvidenceKind.GAP, EvidenceKind.PEER, EvidenceKind.DEMAND, EvidenceKind.CAPABILITY)
# How an organisation's type reads under its name.
TYPE_WORDS = {
    "public-agency": "public agency",
    "university": "university",
    "research": "research institute",
    "spc": "project company",
    "sme": "SME",
    "startup": "startup",
    "real-estate": "real-estate company",
    "it-services": "IT services company",
}
# A company row leads with what the company does, then where it builds.
COMPANY_LEADING = (
    EvidenceKind.CAPABILITY,
    EvidenceKind.PEER,
    EvidenceKind.TEAM,
    EvidenceKind.HISTORY,  # a replaced or lost bid, said where no live team is
)


class MatchFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    MARKDOWN = "markdown"
    MD = "md"  # the short name shortlist --format and the .md extension use


EXTENSIONS = {
    ".md": MatchFormat.MARKDOWN,
    ".markdown": MatchFormat.MARKDOWN,
    ".json": MatchFormat.JSON,
    ".csv": MatchFormat.CSV,
}


def abroad_line(abroad: tuple[tuple[str, str], ...]) -> str:
    """Projects abroad that match: named, so the founder knows they are there."""
    cities = [city for _, city in abroad]
    names = some(cities)
    match_ = "project abroad also matches" if len(abroad) == 1 else "projects abroad also match"
    return (
        f"{len(abroad)} K-City Network {match_} ({names}): they go through a Korean partner"
        " first; add --abroad to list them."
    )


def research_line(names: tuple[str, ...]) -> str:
    shown = some(names)
    who = "university or institute works" if len(names) == 1 else "universities or institutes work"
    return (
        f"{len(names)} {who} in it too ({shown}): research and testing partners; add"
        " --research to list them."
    )


def outside_line(report: MatchReport) -> str:
    """Firms near the startup's technology that do not work in the field it names."""
    names = report.outside
    shown = some(names)
    fields = " or ".join(report.field_labels)
    terms = ",".join(report.technology_terms)
    # Every firm the technology alone reaches, so the ones named are surely among them.
    alone = (
        f": kpartner match --tech {shlex.quote(terms)} --type company --min-score 0"
        f" --top {max(report.companies, 1)}"
        if terms
        else ""
    )
    return (
        f"{len(names)} {'firm works' if len(names) == 1 else 'firms work'} in or near your"
        f" technology but not in {fields} ({shown}):"
        f" neither partners nor rivals there; ask for the technology alone to list them{alone}"
    )


OUTSIDE_SHOWN = 5  # projects the suggested command names, at most


def outside_projects_line(report: MatchReport) -> str:
    """Projects asking for the startup's technology for another field than it names."""
    names = [name for _, name in report.outside_projects]
    fields = " or ".join(report.field_labels)
    terms = ",".join(report.technology_terms)
    # The named projects themselves, asked about for the technology alone.
    ids = [id_ for id_, _ in report.outside_projects][:OUTSIDE_SHOWN]
    projects = "".join(f" --project {shlex.quote(id_)}" for id_ in ids)
    first = f" the first {len(ids)}" if len(names) > len(ids) else " them"
    alone = f": kpartner match --tech {shlex.quote(terms)}{projects} --min-score 0" if terms else ""
    return (
        f"{len(names)} {'project asks' if len(names) == 1 else 'projects ask'} for your"
        f" technology but not for {fields}"
        f" ({some(names, 2)}): leads on another need than yours, worth it only if you would"
        f" sell there; to see{first} for the technology alone{alone}"
    )


def group_lines(report: MatchReport) -> list[str]:
    """Rows of one business group, said once: a founder meets them as one door."""
    groups: dict[str, list[str]] = {}
    for match in [*report.results, *report.peers]:
        if match.group:
            groups.setdefault(match.group, []).append(match.name)
    return [
        f"{join_names(names)} belong to one business group ({group}): related doors, where one"
        " introduction often leads to the others"
        for group, names in groups.items()
        if len(names) > 1
    ]


def undone_line(report: MatchReport) -> str:
    """No partner listed does the startup's technology itself: the firms that do are peers."""
    what = " or ".join(report.undone)
    return (
        f"No partner listed does {what} itself: they integrate, operate or buy; the firms"
        " doing it sell it themselves (the peers)"
    )


def around_line(report: MatchReport) -> str:
    """Which of the projects listed ask only for a domain around what the startup typed."""
    what = " or ".join(report.typed_labels)
    projects = [m for m in report.results if m.kind in (Kind.OPPORTUNITY, Kind.PROJECT)]
    direct = [m.name for m in projects if m.id not in report.around]
    around = [m.name for m in projects if m.id in report.around]
    if not direct:
        return (
            f"No project listed asks for {what} itself: each asks for a domain around it,"
            " so these are weaker leads"
        )
    if len(direct) < len(around):
        verb = "ask" if len(direct) > 1 else "asks"
        return (
            f"Only {some(direct, 2)} {verb} for {what} itself; the other {len(around)} ask for"
            " a domain around it: weaker leads"
        )
    verb, lead = ("ask", "weaker leads") if len(around) > 1 else ("asks", "a weaker lead")
    return f"{some(around, 2)} {verb} only for a domain around {what}: {lead}"


def below_line(report: MatchReport) -> str:
    """The suggestions just after the list (which is full when there are any): a close
    call is worth a look."""
    done = set(report.below_done)
    every = len(done) == len(report.below)
    names = [
        name if every or id_ not in done else f"{name} (its team already does it)"
        for id_, name in report.below
    ]
    them = "them" if len(names) > 1 else "it"
    top = len(report.results) + len(names)
    line = f"Just below the cut: {some(names, 2)} (--top {top} lists {them})"
    if every:
        # Why a flagship pilot can sit there: its team has the work, so no gap to fill.
        teams = "their teams already have" if len(names) > 1 else "its team already has"
        line += (
            f": {teams} a member doing what you do, so there is no gap to fill; come as its"
            " supplier or a specialist beside it"
        )
    return line


def weaker_line(report: MatchReport) -> str:
    """The suggestions left out under the floor, the first few named."""
    names = [name for _, name in report.weaker_left]
    count = f"{report.weaker} weaker suggestion{'s' if report.weaker != 1 else ''}"
    shown = f" ({some(names, 2)})" if names else ""
    them = "them" if report.weaker != 1 else "it"
    return f"{count}{shown} under a third of the best score left out: --min-score 0 lists {them}"


def format_for(path: Path) -> MatchFormat:
    """The format ``--output FILE`` asks for by its extension; a table for any other."""
    return EXTENSIONS.get(path.suffix.casefold(), MatchFormat.TABLE)


def bar(score: float, width: int = BAR_WIDTH) -> str:
    """A small bar for a 0-100 score, in eighths of a block."""
    eighths = round(score / 100 * width * 8)
    full, rest = divmod(eighths, 8)
    return "█" * full + ("", "▏", "▎", "▍", "▌", "▋", "▊", "▉")[rest]


def display_name(match: Match) -> str:
    return both_names(match.name, match.name_ko)


def _shown(term: str, limit: int = 60) -> str:
    """A term as typed, on one line (a line break in it is written as an escape, so it
    cannot pose as a line of ours), cut short if someone pasted a whole page into --tech."""
    term = term.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")
    return term if len(term) <= limit else term[: limit - 1] + "…"


def query_lines(query: Query) -> list[str]:
    """One line per term: what it resolved to and how, or what it might have meant."""
    lines = []
    for term in query.terms:
        how = f"{term.how.value} {term.score:g}" if term.how == "fuzzy" else term.how.value
        lines.append(f"'{_shown(term.input)}' → {term.sector} ({how}, matched '{term.matched}')")
    for missing in query.unresolved:
        hint = (
            f"; did you mean {', '.join(repr(s) for s in missing.suggestions)}?"
            if missing.suggestions
            else ""
        )
        what = (
            "names more than one sector"
            if missing.ambiguous
            else "not a known technology or domain"
        )
        lines.append(f"'{_shown(missing.input)}' → {what}{hint}")
    return lines


def unresolved_line(query: Query) -> str:
    """The terms left out of the search, so the list is not read as an answer to them."""
    missing = []
    for term in query.unresolved:
        options = " or ".join(repr(s) for s in term.suggestions)
        hint = f" (did you mean {options}?)" if options and not term.ambiguous else ""
        hint = f" (names more than one sector: {options})" if term.ambiguous else hint
        missing.append(f"'{_shown(term.input)}'{hint}")
    return (
        f"not used: {', '.join(missing)}, not a known technology or domain ('kpartner"
        " sectors' lists every known term)"
    )


def render_table(report: MatchReport, style: Style) -> str:
    buffer = io.StringIO()
    console = style.console(buffer)
    # A row resting on a record more than a year old says how old: which calls to check first.
    stale = {(match.kind, match.id) for match in report.stale}
    if report.results:
        console.print(_table(report.results, style, stale))
    else:
        console.print(
            "No partner listed: every organisation doing this sells it itself (the peers below)."
        )
    if report.peers:
        console.print(
            "\nPeers — they sell what you sell (possible competitors, licensees or resellers;"
            " a score here says how close a firm is to what you sell, not how good a partner it"
            " would be):"
        )
        console.print(_table(report.peers, style, stale))
    from rich.text import Text  # plain text: a rule's or note's words are never markup

    rules = caveat_lines(report)
    if rules:
        console.print("\nRules to know before you go:")
        for line in rules:
            console.print(Text(f"- {line}"))
    if report.notes:
        console.print("\nNotes:")
        for line in report.notes:
            # Unwrapped: a note may end with a command to copy whole (so no full stop).
            console.print(Text(f"- {line.rstrip('.')}"), soft_wrap=True)
    return tidy(buffer.getvalue())


def caveat_lines(report: MatchReport) -> list[str]:
    """'Telemedicine: … (https://…, as of 2026-11-26)': each market rule for the asked sectors."""
    return [
        f"{label}: {caveat.text} ({caveat.source.url}, as of {caveat.as_of.isoformat()})"
        for _, label, caveat in report.caveats
    ]


def _table(matches: list[Match], style: Style, stale: set[tuple[Kind, str]]) -> Table:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(
        box=box.SIMPLE_HEAD if style.color else None,
        show_edge=False,
        pad_edge=False,
        header_style="bold" if style.color else "",
    )
    table.add_column("#", justify="right")
    table.add_column("Name", ratio=3, overflow="fold")
    table.add_column("Score", no_wrap=True)
    table.add_column("Why, and the way in", ratio=5, overflow="fold")
    for match in matches:
        score = Text(f"{match.score:5.1f} ")
        score.append(bar(match.score), style="green" if style.color else "")
        why = [f"- {reason}" for reason in leading_reasons(match)]
        why.append(f"→ {match.next_step}")
        name = _name_cell(match)
        if (match.kind, match.id) in stale:
            name += f"\noldest record {match.as_of.isoformat()}"
        table.add_row(str(match.rank), Text(name), score, Text("\n".join(why)))
    return table


def _name_cell(match: Match) -> str:
    """The name, then where and when: what a founder scans first."""
    lines = [display_name(match)]
    if match.kind is Kind.COMPANY:
        kind = match.company_type or ""
        group = f" · {match.group}" if match.group else ""
        lines.append(TYPE_WORDS.get(kind, f"{kind} company") + group)
        if not any("a" <= c.lower() <= "z" for c in match.name):
            # Not an omission: no page read gives one (the name as Korean press prints it).
            lines.append("no English name on record")
    elif match.project is not None:
        project = match.project
        year = f" · {project.year}" if project.year else ""
        lines.append(f"{project.city}{year} · {project.status.replace('-', ' ')}")
        if match.kind is Kind.CONSORTIUM:
            lines.append(f"consortium for {project.name}")
    return "\n".join(lines)


def leading_reasons(match: Match, limit: int = TABLE_REASONS) -> list[str]:
    """The row's strongest claims: gaps first, then what the project asks for."""
    kinds = COMPANY_LEADING if match.kind is Kind.COMPANY else LEADING
    gaps = {e.sector for e in match.evidence if e.kind is EvidenceKind.GAP}
    # "fills a gap: ... asks for Drones" already says the project asks for drones.
    said = [
        e
        for e in match.evidence
        if not e.loose and not (e.kind is EvidenceKind.DEMAND and e.sector in gaps)
    ]
    ordered = sorted((e for e in said if e.kind in kinds), key=lambda e: kinds.index(e.kind))
    claims = list(dict.fromkeys(e.text for e in ordered))
    # Outside the field the founder named: said right after the strongest claim, since it
    # is why the row ranks lower than that claim suggests.
    field = [e.text for e in match.evidence if e.kind is EvidenceKind.FIELD]
    # The group's other firms folded into the row: always said, or they would be lost.
    group = [e.text for e in match.evidence if e.kind is EvidenceKind.GROUP]
    return (claims[:1] + field + claims[1:])[:limit] + group


def evidence_data(item: Evidence) -> dict[str, Any]:
    """One claim for scripts: what it says and what it is about."""
    return {
        "kind": item.kind.value,
        "text": item.text,
        "sector": item.sector,
        "project": item.project,
        "consortium": item.consortium,
        "company": item.company,
    }


def source_data(source: Source) -> dict[str, Any]:
    return source.model_dump(mode="json", exclude_none=True)


def as_data(report: MatchReport) -> dict[str, Any]:
    return {
        "query": {
            "terms": [
                {
                    "input": term.input,
                    "sector": term.sector,
                    "how": term.how.value,
                    "score": term.score,
                    "matched": term.matched,
                }
                for term in report.query.terms
            ],
            "unresolved": [
                {
                    "input": missing.input,
                    "suggestions": list(missing.suggestions),
                    "ambiguous": missing.ambiguous,
                }
                for missing in report.query.unresolved
            ],
        },
        "results": [_result(match) for match in report.results],
        "peers": [_result(match) for match in report.peers],
        "data_as_of": report.data_as_of.isoformat(),
        "oldest_as_of": report.oldest_as_of.isoformat() if report.oldest_as_of else None,
        "stale": [match.id for match in report.stale],
        "unlisted": list(report.unlisted),
        "abroad": [project for project, _ in report.abroad],
        "research": list(report.research),
        "weaker": report.weaker,
        "weaker_left": [id_ for id_, _ in report.weaker_left],
        "below": [id_ for id_, _ in report.below],
        "below_done": list(report.below_done),
        "undone": list(report.undone),
        "around": list(report.around),
        "outside": list(report.outside),
        "outside_projects": [id_ for id_, _ in report.outside_projects],
        "caveats": [
            {
                "sector": sector,
                "text": caveat.text,
                "source": source_data(caveat.source),
                "as_of": caveat.as_of.isoformat(),
            }
            for sector, _, caveat in report.caveats
        ],
    }


def _result(match: Match) -> dict[str, Any]:
    project = match.project
    return {
        "rank": match.rank,
        "type": match.kind.value,
        "id": match.id,
        "name": match.name,
        "name_ko": match.name_ko,
        "score": match.score,
        "components": {
            component.name: {
                "value": round(component.value, 3),
                "weight": component.weight,
                "points": component.points,
            }
            for component in match.components
        },
        "stage": round(match.stage, 3),
        "project": (
            {
                "id": project.id,
                "name": project.name,
                "city": project.city,
                "year": project.year,
                "status": project.status,
                "status_date": project.status_date,
            }
            if project
            else None
        ),
        "company_type": match.company_type,
        "group": match.group,
        "also": list(match.also),
        "website": match.website,
        "relation": match.relation.value if match.relation else None,
        "as_of": match.as_of.isoformat(),
        "next_step": match.next_step,
        "reasons": list(match.reasons),
        "evidence": [evidence_data(item) for item in match.evidence],
        "sources": [source_data(source) for source in match.sources],
    }


def render_json(report: MatchReport, style: Style) -> str:
    del style
    return json.dumps(as_data(report), ensure_ascii=False, indent=2) + "\n"


def render_csv(report: MatchReport, style: Style) -> str:
    """UTF-8 with a byte-order mark, so Excel shows Hangul; one row per result."""
    import csv  # here: the other formats do without it

    del style
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(
        [
            "rank",
            "type",
            "id",
            "name",
            "name_ko",
            "score",
            *COMPONENT_NAMES,
            "project",
            "city",
            "year",
            "status",
            "status_date",
            "company_type",
            "group",
            "also",
            "website",
            "relation",
            "as_of",
            "next_step",
            "reasons",
            "sources",
        ]
    )
    for match in [*report.results, *report.peers]:
        points = {component.name: component.points for component in match.components}
        project = match.project
        writer.writerow(
            [
                match.rank,
                match.kind.value,
                match.id,
                match.name,
                match.name_ko or "",
                match.score,
                *(points.get(name, "") for name in COMPONENT_NAMES),
                project.id if project else "",
                project.city if project else "",
                project.year or "" if project else "",
                project.status if project else "",
                project.status_date if project else "",
                match.company_type or "",
                match.group or "",
                " ".join(match.also),
                match.website or "",
                match.relation.value if match.relation else "",
                match.as_of.isoformat(),
                match.next_step,
                " | ".join(match.reasons),
                _sources_cell(match),
            ]
        )
    return "\ufeff" + buffer.getvalue()


def _sources_cell(match: Match) -> str:
    """The first sources (the status, then the project's), and how many more there are: a
    cell of thirty addresses helps nobody; the JSON and Markdown reports list them all."""
    shown = [source_text(source) for source in match.sources[:CSV_SOURCES]]
    more = len(match.sources) - len(shown)
    if more:
        shown.append(f"+{more} more: kpartner show {match.id}")
    return " | ".join(shown)


def source_text(source: Source) -> str:
    """A source on one line: its address and, where the site gives only that, the article id."""
    return f"{source.url} ({source.article_id})" if source.article_id else source.url


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(report: MatchReport, style: Style) -> str:
    """A report a consultant can hand over: the query, a ranked table, then the why."""
    del style
    title = (
        f"# Partner suggestions for {_md(report.startup)}"
        if report.startup
        else "# Partner suggestions"
    )
    lines = [title, "", "**Your terms**", ""]
    lines += [f"- {_md(line)}" for line in query_lines(report.query)]
    lines += ["", "| # | Name | Type | Score | Next step |", "|---:|---|---|---:|---|"]
    lines += [
        f"| {m.rank} | {_md(display_name(m))} | {m.kind} | {m.score:.1f} | {_md(m.next_step)} |"
        for m in [*report.results, *report.peers]
    ]
    for match in [*report.results, *report.peers]:
        peer = " (peer)" if match.relation is not None and match.relation.value == "peer" else ""
        lines += [
            "",
            f"## {match.rank}. {_md(display_name(match))} — {match.kind}{peer}, {match.score:.1f}",
        ]
        parts = ", ".join(f"{c.name} {c.points:g}/{c.weight}" for c in match.components)
        stage = f", times stage {match.stage:g}" if match.stage != 1 else ""
        lines += ["", f"Score: {parts}{stage}", "", f"**Next step:** {_md(match.next_step)}", ""]
        lines += [f"- {_md(reason)}" for reason in match.reasons]
        lines += ["", "Sources:", ""]
        for source in match.sources:
            described = ", ".join(p for p in (source.publisher, source.published) if p)
            article = f" ({source.article_id})" if source.article_id else ""
            lines.append(f"- <{source.url}>{article}" + (f" — {described}" if described else ""))
    rules = caveat_lines(report)
    if rules:
        lines += ["", "## Rules to know before you go", ""]
        lines += [f"- {_md(line)}" for line in rules]
    if report.abroad:
        lines += ["", _md(abroad_line(report.abroad))]
    if report.research:
        lines += ["", _md(research_line(report.research))]
    if report.outside:
        lines += ["", _md(outside_line(report))]
    if report.outside_projects:
        lines += ["", _md(outside_projects_line(report))]
    if report.below:
        lines += ["", _md(below_line(report)) + "."]
    if report.undone:
        lines += ["", _md(undone_line(report)) + "."]
    if report.around:
        lines += ["", _md(around_line(report)) + "."]
    lines += [line for group in group_lines(report) for line in ("", _md(group) + ".")]
    if report.weaker:
        lines += ["", _md(weaker_line(report)) + "."]
    if report.unlisted:
        lines += [
            "",
            "Nobody in the catalog lists "
            + ", ".join(f"`{sector}`" for sector in report.unlisted)
            + " as such: the suggestions above work near it.",
        ]
    lines += ["", f"Data as of {report.data_as_of.isoformat()}. Generated by kpartner.", ""]
    return "\n".join(lines)


MATCH_FORMATS: dict[MatchFormat, Callable[[MatchReport, Style], str]] = {
    MatchFormat.TABLE: render_table,
    MatchFormat.JSON: render_json,
    MatchFormat.CSV: render_csv,
    MatchFormat.MARKDOWN: render_markdown,
    MatchFormat.MD: render_markdown,
}
