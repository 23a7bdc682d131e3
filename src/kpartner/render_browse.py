"""Turn listings, details and problems into text. Renderers return strings; they never print.

One registry per kind of output (``LISTING_FORMATS``), one ``Enum`` of names, so adding
a format is one function and one line.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # rich loads when a table is drawn: JSON and CSV do without it
    from rich.console import Console

    # the checks are loaded by validate, not by every renderer's user
    from kpartner.validation import ValidationReport
    from kpartner.views import Cell, Detail, Listing


@dataclass(frozen=True)
class Style:
    """How the terminal looks: colours and boxes only on a real terminal."""

    color: bool = False
    width: int = 100

    def console(self, buffer: io.StringIO) -> Console:
        from rich.console import Console

        return Console(
            file=buffer,
            width=self.width,
            force_terminal=self.color,
            no_color=not self.color,
            color_system="standard" if self.color else None,
            highlight=False,
            emoji=False,
            soft_wrap=False,
        )


class ListingFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"


def _cell_text(cell: Cell, limit: int | None = None) -> str:
    if cell is None:
        return ""
    if isinstance(cell, list):
        if limit is not None and len(cell) > limit + 1:
            return ", ".join(cell[:limit]) + f", +{len(cell) - limit} more"
        return ", ".join(cell)
    return str(cell)


def render_table(listing: Listing, style: Style) -> str:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    buffer = io.StringIO()
    table = Table(
        box=box.SIMPLE_HEAD if style.color else None,
        header_style="bold" if style.color else "",
        show_edge=False,
        pad_edge=False,
    )
    for column in listing.columns:
        table.add_column(column.header, overflow="fold")
    for row in listing.rows:
        table.add_row(
            *(Text(_cell_text(row[c.key], listing.table_list_items)) for c in listing.columns)
        )
    style.console(buffer).print(table)
    return tidy(buffer.getvalue())


def tidy(text: str) -> str:
    """Drop the padding rich leaves at line ends (it shows up in diffs and pipes)."""
    return "".join(line.rstrip() + "\n" for line in text.splitlines())


def render_json(listing: Listing, style: Style) -> str:
    del style
    return json.dumps(listing.rows, ensure_ascii=False, indent=2) + "\n"


def render_csv(listing: Listing, style: Style) -> str:
    import csv  # here: the other formats do without it

    del style
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([column.key for column in listing.columns])
    for row in listing.rows:
        writer.writerow([_cell_text(row[column.key]) for column in listing.columns])
    return buffer.getvalue()


LISTING_FORMATS: dict[ListingFormat, Callable[[Listing, Style], str]] = {
    ListingFormat.TABLE: render_table,
    ListingFormat.JSON: render_json,
    ListingFormat.CSV: render_csv,
}


class DetailFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


def render_detail_text(record: Detail, style: Style) -> str:
    from rich.table import Table
    from rich.text import Text

    buffer = io.StringIO()
    console = style.console(buffer)
    console.print(Text(f"{record.title}  ({record.kind})", style="bold" if style.color else ""))
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="cyan" if style.color else "", no_wrap=True)
    grid.add_column(overflow="fold")
    for label, value in record.fields:
        grid.add_row(label, Text(value))
    console.print(grid)
    for heading, lines in record.sections:
        console.print()
        console.print(Text(heading, style="bold" if style.color else ""))
        for line in lines:
            console.print(Text(f"  - {line}"), overflow="fold")
    return tidy(buffer.getvalue())


def render_detail_json(record: Detail, style: Style) -> str:
    del style
    payload = {"kind": record.kind, "id": record.id, **record.data}
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


DETAIL_FORMATS: dict[DetailFormat, Callable[[Detail, Style], str]] = {
    DetailFormat.TEXT: render_detail_text,
    DetailFormat.JSON: render_detail_json,
}


class ProblemFormat(StrEnum):
    TEXT = "text"
    GITHUB = "github"
    JSON = "json"


def render_problems_text(report: ValidationReport, style: Style) -> str:
    """``path:line:col: level [code] message``, one a line; the level coloured on a terminal."""
    from rich.text import Text

    from kpartner.problems import Level

    buffer = io.StringIO()
    console = style.console(buffer)
    for problem in report.problems:
        line = Text(f"{problem.file}:{problem.line}:{problem.column}: ")
        colour = "red" if problem.level is Level.ERROR else "yellow"
        line.append(str(problem.level), style=colour if style.color else "")
        line.append(f" [{problem.code}] {problem.message}")
        console.print(line, soft_wrap=True)
    return buffer.getvalue()


def _github_escape(text: str, *, property_value: bool = False) -> str:
    # The escaping GitHub's workflow commands require (see @actions/core toCommandValue).
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def render_problems_github(report: ValidationReport, style: Style) -> str:
    """GitHub Actions annotations: each problem shows on the line of the pull request."""
    from kpartner.problems import Level

    del style
    lines = []
    for problem in report.problems:
        command = "error" if problem.level is Level.ERROR else "warning"
        file = _github_escape(problem.file, property_value=True)
        title = _github_escape(f"kpartner {problem.code}", property_value=True)
        lines.append(
            f"::{command} file={file},line={problem.line},col={problem.column},title={title}"
            f"::{_github_escape(problem.message)}\n"
        )
    return "".join(lines)


def render_problems_json(report: ValidationReport, style: Style) -> str:
    del style
    payload = {
        "problems": [
            {
                "file": problem.file,
                "line": problem.line,
                "column": problem.column,
                "level": problem.level.value,
                "code": problem.code.value,
                "message": problem.message,
            }
            for problem in report.problems
        ],
        "files_checked": report.files_checked,
        "errors": report.errors,
        "warnings": report.warnings,
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


PROBLEM_FORMATS: dict[ProblemFormat, Callable[[ValidationReport, Style], str]] = {
    ProblemFormat.TEXT: render_problems_text,
    ProblemFormat.GITHUB: render_problems_github,
    ProblemFormat.JSON: render_problems_json,
}
