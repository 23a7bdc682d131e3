"""The command line: options in, a renderer chosen, text written, an exit code set.

Everything below this module returns values; only here is anything printed or exited.

Exit codes (the same for every command):
  0  done, something printed
  1  nothing found (no record matches, unknown id, nothing scored) or, for
     ``validate``, errors found (or warnings, with ``--strict``)
  2  usage error (unknown option, bad value, missing folder or file)
  3  the data in use is broken (run ``kpartner validate`` for every problem)
  4  internal error (a bug: please report it)
"""

# No `from __future__ import annotations` here: typer reads every command's annotations on
# each run, and would evaluate them again from strings each time (17 ms of a 105 ms match).
import contextlib
import datetime as dt
import errno
import os
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import typer
import typer.core

from kpartner.catalog import Catalog, FileKind, UnknownName, data_files
from kpartner.catalog_cache import load_catalog_cached
from kpartner.datadir import ENV_VAR, DataDirError, resolve_data_dir
from kpartner.enums import CompanyType, ProjectProgramme, SectorKind
from kpartner.inputs import InputError
from kpartner.matching import MatchReport, NoTermResolved, data_as_of, match
from kpartner.output import OutputError, check_output, write_all_atomically, write_atomically
from kpartner.ranking import Filters
from kpartner.render_browse import (
    DETAIL_FORMATS,
    LISTING_FORMATS,
    PROBLEM_FORMATS,
    DetailFormat,
    ListingFormat,
    ProblemFormat,
    Style,
)
from kpartner.render_match import (
    MATCH_FORMATS,
    MatchFormat,
    abroad_line,
    around_line,
    below_line,
    format_for,
    group_lines,
    outside_line,
    outside_projects_line,
    query_lines,
    research_line,
    undone_line,
    unresolved_line,
    weaker_line,
)
from kpartner.results import Kind
from kpartner.suggest import did_you_mean, suggest
from kpartner.text import escape_controls, escape_for_terminal, shorten

if TYPE_CHECKING:  # imported where used: a match run does not pay for them
    from kpartner.profile import Profile, ProfileFile
    from kpartner.render_shortlist import BatchInfo, ShortlistFormat
    from kpartner.shortlist import Outcome
    from kpartner.views import Listing

T = TypeVar("T")

EXIT_OK = 0
EXIT_NOTHING = 1
EXIT_USAGE = 2
EXIT_DATA = 3
EXIT_INTERNAL = 4

app = typer.Typer(
    name="kpartner",
    help=(
        "Find the right Korean partner for a smart-city project.\n\n"
        "A sourced catalog of Korea's smart-city projects, their consortia and companies.\n\n"
        "Exit codes: 0 done; 1 nothing found (validate: errors); 2 usage error; "
        "3 the data in use is broken; 4 internal error (a bug)."
    ),
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)

DataOption = Annotated[
    Path | None,
    typer.Option(
        "--data",
        help=f"Data folder with sectors.yaml, projects.yaml, companies.yaml "
        f"\\[default: ${ENV_VAR}, else the shipped data]",
        show_default=False,
        metavar="DIR",
        readable=False,  # checked by kpartner, with the same words as every other path
    ),
]


class _OnceCommand(typer.core.TyperCommand):
    """A command whose single-value options may be given once.

    ``--top 3 --top 5`` used to keep the last silently; a repeated one is now a usage
    error. (Repeatable options, ``--tech`` and ``--city`` among them, are lists.)
    """

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        single = [
            param
            for param in self.params
            if isinstance(param, typer.core.TyperOption)
            and not param.multiple
            and not param.is_flag
            and param.nargs == 1
        ]
        counts = dict.fromkeys((param.name for param in single), 0)
        owner = {opt: param for param in single for opt in param.opts}
        takes_value = {
            opt
            for param in self.params
            if isinstance(param, typer.core.TyperOption) and not param.is_flag
            for opt in param.opts
        }
        tokens = iter(args)
        for token in tokens:
            if token == "--":
                break
            name = token.split("=", 1)[0] if token.startswith("--") else token[:2]
            if name not in takes_value:
                continue
            param = owner.get(name)
            if param is not None and param.name is not None:
                counts[param.name] += 1
                if counts[param.name] > 1:
                    raise typer.BadParameter("given more than once; give it once", param=param)
            if token == name:  # the value is the next word
                next(tokens, None)
        return super().parse_args(ctx, args)


TODAY_VAR = "KPARTNER_TODAY"


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            typer.echo(f"kpartner {version('kpartner')}")
        except PackageNotFoundError:
            typer.echo("kpartner (not installed)")
        raise typer.Exit()


@app.callback()
def _root(
    show_version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    del show_version


def _note(message: str) -> None:
    """One line for the user on stderr: escaped, bounded, and never fatal to write.

    A message may quote what the user typed or what a file holds; control characters in
    it must not reach the terminal, and a 128 KB argument is not echoed whole.
    """
    try:
        if sys.stderr is not None:
            sys.stderr.write(escape_controls(message) + "\n")
            sys.stderr.flush()
    except (OSError, ValueError):
        pass  # a full or closed stderr: the exit code still tells


def _fail(message: str, code: int) -> NoReturn:
    _note(f"kpartner: {shorten(message, 500)}")
    raise typer.Exit(code)


def _not_blank(value: T) -> T:
    """An empty filter (``--city ''``) would match everything: refuse it instead."""
    values = value if isinstance(value, list) else [value]
    if any(isinstance(item, str) and not item.strip() for item in values):
        raise typer.BadParameter("must not be empty")
    return value


MIN_WIDTH = 60  # narrower terminals (some report 0) get this width; lines wrap instead


def _style() -> Style:
    """Colours only on a terminal and without NO_COLOR; a terminal's width, else a wide page."""
    stdout = sys.stdout
    tty = stdout is not None and stdout.isatty()
    # NO_COLOR counts only when set to something (no-color.org): an empty one is unset.
    color = tty and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit():
        width = int(columns)
    elif tty:
        try:
            width = os.get_terminal_size().columns
        except OSError:
            width = 0
    else:
        width = 160
    return Style(color=color, width=max(width, MIN_WIDTH))


def _emit(text: str, style: Style | None = None) -> None:
    """Write the command's output; a closed or full stdout is the user's to hear about.

    Control characters are escaped (only our own colour codes pass), so nothing from the
    data or the arguments can move the cursor, retitle the terminal or reorder text.
    """
    text = escape_for_terminal(text, keep_colours=style is not None and style.color)
    try:
        if sys.stdout is None:
            raise OSError("standard output is closed")
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader left (`| head`): stop writing quietly; the exit code stays the
        # command's own, as it would have been had the reader read on.
        _silence_stdout()
    except OSError as exc:
        _silence_stdout()
        _fail(f"cannot write the output: {exc.strerror or exc}", EXIT_USAGE)


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so the flush at exit does not fail a second time."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def _catalog(data: Path | None) -> Catalog:
    try:
        folder = resolve_data_dir(data)
    except DataDirError as exc:
        _fail(str(exc), EXIT_USAGE)
    result = load_catalog_cached(folder)
    if result.catalog is None:
        from kpartner.problems import Level

        errors = [p for p in result.problems if p.level is Level.ERROR]
        for problem in errors[:5]:
            _note(str(problem))
        more = f" ({len(errors) - 5} more)" if len(errors) > 5 else ""
        _fail(
            f"the data in {folder} has errors{more}; "
            f"run 'kpartner validate {folder}' to see them all",
            EXIT_DATA,
        )
    return result.catalog


def _print_listing(listing: "Listing", fmt: ListingFormat) -> None:
    if not listing.rows:
        _fail(f"no {listing.kind} match these filters", EXIT_NOTHING)
    style = _style()
    _emit(LISTING_FORMATS[fmt](listing, style), style)


FormatOption = Annotated[
    ListingFormat,
    typer.Option(
        "--format", "-f", help="Output format: table for people, json or csv for scripts."
    ),
]


@app.command(cls=_OnceCommand)
def projects(
    city: Annotated[
        str | None,
        typer.Option(
            help="Only projects in this city (part of the name is enough).", callback=_not_blank
        ),
    ] = None,
    programme: Annotated[ProjectProgramme | None, typer.Option(help="Only this programme.")] = None,
    sector: Annotated[
        str | None,
        typer.Option(
            help="Only projects focused on this sector (id, label or synonym, e.g. drones, 드론).",
            callback=_not_blank,
        ),
    ] = None,
    fmt: FormatOption = ListingFormat.TABLE,
    data: DataOption = None,
) -> None:
    """List the smart-city projects: city, programme, year, status and focus sectors.

    Examples:

      kpartner projects

      kpartner projects --programme national-pilot

      kpartner projects --sector mobility --format csv > projects.csv
    """
    from kpartner.views import project_listing

    catalog = _catalog(data)
    try:
        listing = project_listing(catalog, city=city, programme=programme, sector=sector)
    except UnknownName as exc:
        _fail(str(exc), EXIT_USAGE)
    _print_listing(listing, fmt)


@app.command(cls=_OnceCommand)
def companies(
    company_type: Annotated[
        CompanyType | None, typer.Option("--type", help="Only this type of organisation.")
    ] = None,
    sector: Annotated[
        str | None,
        typer.Option(
            help="Only companies with this capability (id, label or synonym).", callback=_not_blank
        ),
    ] = None,
    project: Annotated[
        str | None,
        typer.Option(
            help="Only members of this project's consortia (project id).", callback=_not_blank
        ),
    ] = None,
    fmt: FormatOption = ListingFormat.TABLE,
    data: DataOption = None,
) -> None:
    """List the companies and organisations, their capabilities and the consortia they joined.

    Examples:

      kpartner companies --type telecom

      kpartner companies --project busan-eco-delta-city

      kpartner companies --sector 핀테크 --format json
    """
    from kpartner.views import company_listing

    catalog = _catalog(data)
    try:
        listing = company_listing(
            catalog, company_type=company_type, sector=sector, project=project
        )
    except UnknownName as exc:
        _fail(str(exc), EXIT_USAGE)
    _print_listing(listing, fmt)


@app.command("sources", cls=_OnceCommand)
def sources_command(
    stale: Annotated[
        int | None,
        typer.Option(
            "--stale", min=0, metavar="DAYS", help="Only records whose as_of is older than DAYS."
        ),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since", metavar="YYYY-MM-DD", help="Only records whose as_of is on or after it."
        ),
    ] = None,
    fmt: FormatOption = ListingFormat.TABLE,
    data: DataOption = None,
) -> None:
    """How fresh the catalog is: every record's as_of and sources, oldest first.

    For curators deciding where to look next: old records, records that cite only a
    site's homepage, and what changed lately.

    Examples:

      kpartner sources --stale 365

      kpartner sources --since 2026-01-01 --format csv
    """
    try:
        since_date = dt.date.fromisoformat(since) if since is not None else None
    except ValueError:
        _fail(f"--since: expected a date as YYYY-MM-DD, got {since!r}", EXIT_USAGE)
    from kpartner.views import freshness_listing

    catalog = _catalog(data)
    listing = freshness_listing(catalog, _today(), stale_days=stale, since=since_date)
    _print_listing(listing, fmt)


@app.command(cls=_OnceCommand)
def sectors(
    kind: Annotated[
        SectorKind | None,
        typer.Option(help="Only technologies (what startups offer) or domains (what cities need)."),
    ] = None,
    fmt: FormatOption = ListingFormat.TABLE,
    data: DataOption = None,
) -> None:
    """List the sector taxonomy: synonyms in English and Korean, and the domains technologies serve.

    Examples:

      kpartner sectors

      kpartner sectors --kind technology --format csv
    """
    from kpartner.views import sector_listing

    _print_listing(sector_listing(_catalog(data), kind=kind), fmt)


@app.command(cls=_OnceCommand)
def show(
    record_id: Annotated[
        str,
        typer.Argument(
            metavar="ID", help="A project, consortium, company or sector id (or a company's name)."
        ),
    ],
    fmt: Annotated[
        DetailFormat, typer.Option("--format", "-f", help="text for people, json for scripts.")
    ] = DetailFormat.TEXT,
    data: DataOption = None,
) -> None:
    """Show one project, consortium, company or sector in full, with its sources and as-of date.

    Examples:

      kpartner show lg-cns

      kpartner show sejong-5-1

      kpartner show "LG U+" --format json
    """
    if not record_id.strip():
        _fail(
            "give an id, e.g. 'kpartner show lg-cns'; 'kpartner companies' lists them", EXIT_USAGE
        )
    from kpartner.views import detail

    catalog = _catalog(data)
    try:
        record = detail(catalog, record_id)
    except UnknownName as exc:
        _fail(str(exc), EXIT_NOTHING)
    style = _style()
    _emit(DETAIL_FORMATS[fmt](record, style), style)


@app.command("validate", cls=_OnceCommand)
def validate_command(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="PATH",
            readable=False,
            help="Data folders or single data files \\[default: the data in use].",
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[
        ProblemFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="text (path:line:col), github (annotations; the default when "
            "GITHUB_ACTIONS=true) or json.",
            show_default=False,
        ),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    max_age: Annotated[
        int | None,
        typer.Option(
            "--max-age", min=1, metavar="DAYS", help="Warn about records whose as_of is older."
        ),
    ] = None,
    data: DataOption = None,
) -> None:
    """Check data files: YAML syntax, duplicate keys, schema, references, sources and dates.

    Every problem is printed as path:line:col: level \\[code] message; a summary follows
    on stderr.

    Examples:

      kpartner validate

      kpartner validate data/ --strict

      kpartner validate data/projects.yaml --format github

    Exit codes: 0 clean (warnings allowed); 1 errors, or warnings with --strict;
    2 usage error (a PATH that does not exist or cannot be read).
    """
    from kpartner.validation import PathNotFound, validate_paths

    if paths:
        targets = list(paths)
    else:
        try:
            targets = [resolve_data_dir(data)]
        except DataDirError as exc:
            _fail(str(exc), EXIT_USAGE)
    try:
        report = validate_paths(targets, max_age_days=max_age)
    except PathNotFound as exc:
        _fail(str(exc), EXIT_USAGE)
    if fmt is None:
        in_actions = os.environ.get("GITHUB_ACTIONS") == "true"
        fmt = ProblemFormat.GITHUB if in_actions else ProblemFormat.TEXT
    style = _style()
    _emit(PROBLEM_FORMATS[fmt](report, style), style)
    files = f"{report.files_checked} file{'s' if report.files_checked != 1 else ''}"
    if report.problems:
        _note(
            f"{report.errors} error{'s' if report.errors != 1 else ''}, "
            f"{report.warnings} warning{'s' if report.warnings != 1 else ''} in {files}"
        )
    else:
        _note(f"{files} checked: no problems")
    if report.errors or (strict and report.warnings):
        raise typer.Exit(EXIT_NOTHING)


@app.command("schema", cls=_OnceCommand)
def schema_command(
    kind: Annotated[FileKind, typer.Argument(help="Which data file's schema.")],
) -> None:
    """Print the JSON Schema of a data file, generated from kpartner's models.

    Editors use it to complete and check the YAML as you type; the data files point at
    the committed copies in schemas/ with a '# yaml-language-server: $schema=' line.

    Examples:

      kpartner schema projects

      kpartner schema companies > companies.schema.json
    """
    from kpartner.json_schema import json_schema_text

    _emit(json_schema_text(kind))


# Options that match and team share, declared once.
TechOption = Annotated[
    list[str] | None,
    typer.Option(
        "--tech",
        "-t",
        metavar="TERMS",
        help="Your technologies, comma-separated or repeated, English or Korean "
        "(drones,5g / 드론,5G / UAV).",
    ),
]
ProfileOption = Annotated[
    Path | None,
    typer.Option(
        "--profile",
        "-p",
        help="A startup profile (YAML): see the README.",
        metavar="FILE",
        readable=False,
    ),
]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write the report to FILE instead of stdout.",
        metavar="FILE",
        readable=False,  # an output need not be readable, only writable
    ),
]


_KIND_WORDS = {
    **{kind.value: kind for kind in Kind},
    "opportunities": Kind.OPPORTUNITY,
    "companies": Kind.COMPANY,
    "consortia": Kind.CONSORTIUM,
    "consortiums": Kind.CONSORTIUM,
    "projects": Kind.PROJECT,
}


def _kinds(values: list[str] | None) -> list[str] | None:
    """'companies' is 'company': the plural is what people type."""
    for value in values or []:
        if value.strip().casefold() not in _KIND_WORDS:
            close = suggest(value, list(_KIND_WORDS))
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise typer.BadParameter(
                f"'{value}' is not one of {', '.join(k.value for k in Kind)}{hint}"
            )
    return values


@app.command("match", cls=_OnceCommand)
def match_command(
    tech: TechOption = None,
    describe: Annotated[
        str | None,
        typer.Option(
            "--describe",
            "-d",
            metavar="TEXT",
            help="A sentence about your startup; its terms are used.",
        ),
    ] = None,
    profile: ProfileOption = None,
    kinds: Annotated[
        list[str] | None,
        typer.Option(
            "--type",
            metavar="TYPE",
            help="What to list: opportunity (a project, its team and the way in; the default),"
            " or the flat lists company, consortium, project (repeatable; plurals work).",
            callback=_kinds,
        ),
    ] = None,
    abroad: Annotated[
        bool,
        typer.Option(
            "--abroad",
            help="List K-City Network projects abroad too (by default they are named only).",
        ),
    ] = False,
    research: Annotated[
        bool,
        typer.Option(
            "--research",
            help="List universities and research institutes among companies too (by default"
            " they are named only: they test and teach, they do not buy or integrate).",
        ),
    ] = False,
    project: Annotated[
        list[str] | None,
        typer.Option(
            "--project",
            metavar="ID",
            help="Only this project (id; repeatable).",
            callback=_not_blank,
        ),
    ] = None,
    city: Annotated[
        list[str] | None,
        typer.Option(
            "--city",
            metavar="CITY",
            help="Only projects in this city (repeatable).",
            callback=_not_blank,
        ),
    ] = None,
    top: Annotated[
        int, typer.Option("--top", min=1, metavar="N", help="How many suggestions to show.")
    ] = 10,
    min_score: Annotated[
        float | None,
        typer.Option(
            "--min-score",
            min=0,
            max=100,
            metavar="SCORE",
            help="Drop suggestions scoring less \\[default: a third of the best score;"
            " 0 lists every suggestion].",
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[
        MatchFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="table for people; json, csv (Excel) or markdown (md) to hand over "
            "\\[default: from --output's extension (.md, .csv, .json), else table]",
            show_default=False,
        ),
    ] = None,
    output: OutputOption = None,
    data: DataOption = None,
) -> None:
    """Suggest Korean partners for your technologies, ranked, each with its reasons and sources.

    Examples:

      kpartner match --tech drones,5g

      kpartner match --tech 드론,5G --type company --top 5

      kpartner match --describe "AI traffic signals for safer crossings" --city Daegu

      kpartner match --profile startup.yaml --format markdown --output shortlist.md

    Exit codes: 0 suggestions printed; 1 nothing scored above --min-score;
    2 usage error (no term recognised, unreadable profile, unknown option).
    """
    if output is not None:
        try:  # before any work: an output that is an input or a device is refused
            check_output(output, [profile] if profile else [])
        except OutputError as exc:
            _fail(str(exc), EXIT_USAGE)
    fmt = fmt or (format_for(output) if output is not None else MatchFormat.TABLE)
    terms = list(tech or [])
    texts = [describe] if describe else []
    filters = Filters(
        kinds=(
            frozenset(_KIND_WORDS[k.strip().casefold()] for k in kinds)
            if kinds
            else frozenset({Kind.OPPORTUNITY})
        ),
        projects=frozenset(project or []),
        cities=tuple(city or []),
        min_score=min_score or 0.0,
        relative_floor=Filters.relative_floor if min_score is None else 0.0,
        top=top,
        abroad=abroad,
        research=research,
    )
    startup = None
    read: ProfileFile | None = None
    if profile is not None:
        from kpartner.profile import apply as apply_profile

        read, loaded = _read_profile(profile)
        startup = loaded.name
        terms += loaded.technologies
        texts += [loaded.description] if loaded.description else []
        # The profile fills in what the command line leaves open; options given win.
        filters = apply_profile(loaded, filters)
    if not terms and not texts:
        _fail(
            'say what you offer: --tech drones,5g, --describe "..." or --profile FILE', EXIT_USAGE
        )
    catalog = _catalog(data)
    if read is not None and profile is not None:
        _check_profile_names(read, catalog, profile)
    if catalog.is_empty:
        _fail(
            f"nothing to match: the data in {catalog.data_dir} has no projects or companies",
            EXIT_NOTHING,
        )
    try:
        report = match(
            catalog,
            tech=terms,
            describe=" ".join(texts) or None,
            filters=filters,
            today=_today(),
        )
        report = replace(report, startup=startup)
    except NoTermResolved as exc:
        _no_term_resolved(exc)
    except UnknownName as exc:
        _fail(str(exc), EXIT_USAGE)
    # The terms as understood go to stderr, so stdout stays the report alone; with a
    # format for scripts only the terms that were not understood are worth a line.
    understood = len(report.query.terms)
    for line in query_lines(report.query)[0 if fmt is MatchFormat.TABLE else understood :]:
        _note(line)
    # What the list leaves out or cannot claim is part of the answer: in a table it follows
    # the list on stdout (and into an --output file), in JSON and CSV it is in the fields.
    notes: list[str] = []
    if report.unlisted:
        labels = ", ".join(catalog.sectors[s].label for s in report.unlisted)
        notes.append(f"nobody in the catalog lists {labels} as such: the suggestions work near it")
    elif Kind.COMPANY in filters.kinds and (report.results or report.peers):
        listed = {s for company in catalog.companies.values() for s in company.capabilities}
        missing = [catalog.sectors[s].label for s in report.query.sectors if s not in listed]
        if missing:
            notes.append(
                f"no company in the catalog lists {', '.join(missing)} itself:"
                " the companies listed work near it"
            )
    if fmt is MatchFormat.TABLE:
        notes += _table_notes(report)
    nothing = _nothing_found(report, filters, min_score or 0.0)
    # Nothing found: no table, and an existing --output file is left as it was.
    # Peers alone are an answer too: every company doing it sells it itself.
    found = bool(report.results or report.peers)
    if not found or fmt is not MatchFormat.TABLE:
        for line in notes:
            _note(line)
    if not found and (fmt is MatchFormat.TABLE or output is not None):
        _fail(nothing, EXIT_NOTHING)
    if fmt is MatchFormat.TABLE:
        report = replace(report, notes=tuple(notes))
    inputs = [*([profile] if profile else []), *data_files(catalog.data_dir)]
    style = _style()
    _write(MATCH_FORMATS[fmt](report, style), output, inputs, style)
    if not found:
        _fail(nothing, EXIT_NOTHING)


def _table_notes(report: MatchReport) -> list[str]:
    """The notes a table ends with: what was left out, what is close, how old the data is."""
    said: list[tuple[object, Callable[[MatchReport], str]]] = [
        (report.abroad, lambda r: abroad_line(r.abroad)),
        (report.research, lambda r: research_line(r.research)),
        (report.outside, outside_line),
        (report.outside_projects, outside_projects_line),
        (report.weaker, weaker_line),
        (report.below, below_line),
        (report.undone, undone_line),
        (report.around, around_line),
    ]
    notes = [line(report) for present, line in said if present]
    if report.query.unresolved:
        notes.insert(0, unresolved_line(report.query))
    notes += group_lines(report)
    if report.stale:
        rows = [*report.results, *report.peers]
        stale = [m for m in report.stale if m in rows]
        oldest = min(m.as_of for m in report.stale)
        notes.append(
            f"data as of {report.data_as_of} (its newest source); {len(stale)} of {len(rows)}"
            f" rows rely on records more than a year old on {report.today} (the oldest"
            f" {oldest}; each such row names its oldest record): check their sources before"
            " you call"
        )
    return notes


def _read_profile(path: Path) -> "tuple[ProfileFile, Profile]":
    """A startup profile that can be used, or a one-line reason and its problems (exit 2)."""
    from kpartner.profile import read_profile

    try:
        read = read_profile(path)
    except InputError as exc:
        _fail(f"cannot read the profile {path}: {exc.message}", EXIT_USAGE)
    if read.profile is None:
        for problem in read.problems:
            _note(str(problem))
        _fail(f"cannot use the profile {path}", EXIT_USAGE)
    return read, read.profile


def _check_profile_names(read: "ProfileFile", catalog: Catalog, path: Path) -> None:
    """Projects, cities and companies the profile names must exist, reported at their lines."""
    from kpartner.profile import unknown_names

    unknown = unknown_names(read, catalog)
    for problem in unknown:
        _note(str(problem))
    if unknown:
        _fail(f"cannot use the profile {path}", EXIT_USAGE)


def _no_term_resolved(exc: NoTermResolved) -> NoReturn:
    """Each term as read, then why nothing can be matched: the same for match and team."""
    for line in query_lines(exc.query):
        _note(line)
    _fail(
        "none of your terms names a known technology or domain; see 'kpartner sectors'",
        EXIT_USAGE,
    )


def _today() -> dt.date:
    """Today, or the date in KPARTNER_TODAY: a report run again later reads the same."""
    value = os.environ.get(TODAY_VAR, "").strip()
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        _fail(f"{TODAY_VAR}: expected a date as YYYY-MM-DD, got {value!r}", EXIT_USAGE)


@app.command("team", cls=_OnceCommand)
def team_command(
    tech: TechOption = None,
    project: Annotated[
        str | None,
        typer.Option(
            "--project",
            metavar="ID",
            help="The project to staff; omitted: the best opportunities, each with its team.",
            callback=_not_blank,
        ),
    ] = None,
    size: Annotated[
        int | None,
        typer.Option(
            "--size", min=0, metavar="N", help="At most N companies to recruit into a new team."
        ),
    ] = None,
    must: Annotated[
        list[str] | None,
        typer.Option(
            "--must",
            metavar="COMPANY",
            help="A company every new team includes (id; repeatable).",
        ),
    ] = None,
    exclude: Annotated[
        list[str] | None,
        typer.Option(
            "--exclude", metavar="COMPANY", help="A company never proposed (id; repeatable)."
        ),
    ] = None,
    profile: ProfileOption = None,
    top: Annotated[
        int,
        typer.Option("--top", min=1, metavar="N", help="Without --project: how many projects."),
    ] = 3,
    fmt: Annotated[
        MatchFormat,
        typer.Option("--format", "-f", help="table for people; json, csv or markdown."),
    ] = MatchFormat.TABLE,
    output: OutputOption = None,
    data: DataOption = None,
) -> None:
    """Propose the smallest team of Korean companies that, with you, covers a project.

    Examples:

      kpartner team --project busan-eco-delta-city --tech robots,ai

      kpartner team --project sejong-5-1 --tech ai,traffic --size 3 --format json

      kpartner team --tech robots,"smart parking" --top 2

    Exit codes: 0 teams printed; 1 nothing to propose (no live opportunity for your
    sectors, none of the project's focus sectors, or a completed project: a reference);
    2 usage error (no term recognised, unknown project or company, unreadable profile).
    """
    from kpartner.render_team import TEAM_FORMATS
    from kpartner.teambuilder import FinishedProject, NoProject, TeamOptions, build_teams

    if output is not None:
        try:
            check_output(output, [profile] if profile else [])
        except OutputError as exc:
            _fail(str(exc), EXIT_USAGE)
    clash = sorted(set(must or []) & set(exclude or []))
    if clash:
        _fail(f"--must and --exclude both name {', '.join(clash)}", EXIT_USAGE)
    terms = list(tech or [])
    texts: list[str] = []
    options = TeamOptions(
        size=size, must=tuple(must or []), exclude=frozenset(exclude or []), top=top
    )
    read: ProfileFile | None = None
    if profile is not None:
        read, loaded = _read_profile(profile)
        terms += loaded.technologies
        texts += [loaded.description] if loaded.description else []
        project = project or (loaded.projects[0] if len(loaded.projects) == 1 else None)
        options = replace(
            options,
            cities=tuple(loaded.cities),
            projects=frozenset(loaded.projects),
            include_types=frozenset(loaded.include_types),
            exclude_types=frozenset(loaded.exclude_types),
        )
    if not terms and not texts:
        _fail("say what you offer: --tech drones,5g or --profile FILE", EXIT_USAGE)
    catalog = _catalog(data)
    if read is not None and profile is not None:
        _check_profile_names(read, catalog, profile)
    try:
        report = build_teams(
            catalog,
            tech=terms,
            describe=" ".join(texts) or None,
            project=project,
            options=options,
            today=_today(),
        )
    except NoTermResolved as exc:
        _no_term_resolved(exc)
    except UnknownName as exc:
        _fail(str(exc), EXIT_USAGE)
    except (NoProject, FinishedProject) as exc:
        _fail(str(exc), EXIT_NOTHING)
    if report.single and not report.projects[0].startup:
        # Nothing of the project's focus is what the startup offers: no team to propose.
        for line in query_lines(report.query):
            _note(line)
        _fail(
            f"you bring none of {project}'s focus sectors, so there is no team to propose;"
            " 'kpartner match' lists the projects that ask for what you do",
            EXIT_NOTHING,
        )
    understood = len(report.query.terms)
    for line in query_lines(report.query)[0 if fmt is MatchFormat.TABLE else understood :]:
        _note(line)
    inputs = [*([profile] if profile else []), *data_files(catalog.data_dir)]
    style = _style()
    _write(TEAM_FORMATS[fmt](report, style), output, inputs, style)


@app.command("init", cls=_OnceCommand)
def init_command(
    path: Annotated[
        Path, typer.Argument(metavar="PROFILE.yaml", help="Where to write the template.")
    ],
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
) -> None:
    """Write a commented client-profile template to fill in.

    Examples:

      kpartner init client.yaml

      kpartner init startup.yaml --force

    Exit codes: 0 written; 2 the file exists (without --force) or cannot be written.
    """
    from kpartner.profile import TEMPLATE

    if path.exists() and not force:
        _fail(f"{path} exists; use --force to replace it", EXIT_USAGE)
    try:
        write_atomically(path, TEMPLATE)
    except OutputError as exc:
        _fail(str(exc), EXIT_USAGE)
    _note(f"wrote {path}: fill it in, then run 'kpartner shortlist {path} --out reports'")


@app.command("shortlist", cls=_OnceCommand)
def shortlist_command(
    profiles: Annotated[
        list[Path],
        typer.Argument(metavar="PROFILE", help="Client profiles (YAML).", readable=False),
    ],
    out: Annotated[
        Path,
        typer.Option("--out", metavar="DIR", help="Folder for the reports and the index."),
    ],
    formats: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMATS",
            help="Comma-separated: md (GitHub Markdown), html (one printable file), "
            "csv (Excel), json.",
        ),
    ] = "md,html",
    top: Annotated[
        int, typer.Option("--top", min=1, metavar="N", help="Opportunities per client.")
    ] = 10,
    force: Annotated[
        bool, typer.Option("--force", help="Replace reports already in --out.")
    ] = False,
    data: DataOption = None,
) -> None:
    """One report per client profile, and an index of the batch, to send to clients.

    Examples:

      kpartner shortlist startup.yaml --out reports

      kpartner shortlist startup.yaml --out reports --format html,csv --top 5

    Give several profiles (clients/*.yaml) for a batch: the data is loaded once.

    Exit codes: 0 every report written; 1 some profile gave no report or no opportunity
    (the others are written); 2 usage error (bad --format, a report would be replaced
    without --force, --out not a folder).
    """
    from kpartner.render_shortlist import BatchInfo
    from kpartner.shortlist import ClientReport, Failure

    chosen = _shortlist_formats(formats)
    if out.exists() and not out.is_dir():
        _fail(f"cannot write reports to {out}: not a folder", EXIT_USAGE)
    catalog = _catalog(data)
    today = dt.date.today()
    outcomes = _build_with_progress(catalog, profiles, top, today)
    info = BatchInfo(generated=today.isoformat(), data_as_of=data_as_of(catalog).isoformat())
    files = _planned_files(outcomes, chosen, out, info)
    existing = [path for path in files if path.exists() or path.is_symlink()]
    if existing and not force:
        names = ", ".join(path.name for path in existing[:5])
        more = f" and {len(existing) - 5} more" if len(existing) > 5 else ""
        _fail(
            f"{len(existing)} of the files are already in {out} ({names}{more}); "
            "use --force to replace them",
            EXIT_USAGE,
        )
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        _fail(f"cannot create {out}: {exc.strerror or exc}", EXIT_USAGE)
    inputs = [*profiles, *data_files(catalog.data_dir)]
    try:
        write_all_atomically(files, inputs)
    except OutputError as exc:
        _fail(str(exc), EXIT_USAGE)
    for outcome in outcomes:
        for warning in outcome.warnings if isinstance(outcome, ClientReport) else ():
            _note(warning)
    failed = [o for o in outcomes if isinstance(o, Failure)]
    empty = [o for o in outcomes if isinstance(o, ClientReport) and not o.leads]
    for failure in failed:
        for problem in failure.problems:
            _note(problem)
        _note(f"kpartner: no report for {failure.profile_path}")
    for report in empty:
        _note(f"kpartner: no opportunity found for {report.client} ({report.profile_path})")
    written = len(outcomes) - len(failed)
    _note(f"wrote {_plural(written, 'report')} and the index to {out}")
    if failed or empty:
        raise typer.Exit(EXIT_NOTHING)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _shortlist_formats(value: str) -> "list[ShortlistFormat]":
    from kpartner.render_shortlist import ShortlistFormat

    chosen: list[ShortlistFormat] = []
    for part in value.split(","):
        name = part.strip().casefold()
        try:
            fmt = ShortlistFormat(name)
        except ValueError:
            hint = did_you_mean(suggest(name, [f.value for f in ShortlistFormat]))
            _fail(f"unknown format '{part.strip()}' in --format{hint}", EXIT_USAGE)
        if fmt not in chosen:
            chosen.append(fmt)
    return chosen


def _build_with_progress(
    catalog: Catalog, profiles: list[Path], top: int, today: dt.date
) -> "list[Outcome]":
    """Every profile's report, with a progress bar on a terminal's stderr for a batch."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from kpartner.shortlist import build_batch

    batch = build_batch(catalog, profiles, top, today)
    show = len(profiles) > 1 and sys.stderr is not None and sys.stderr.isatty()
    if not show:
        return list(batch)
    with Progress(
        TextColumn("shortlists"),
        BarColumn(),
        MofNCompleteColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as progress:
        task = progress.add_task("shortlists", total=len(profiles))
        outcomes = []
        for outcome in batch:
            outcomes.append(outcome)
            progress.advance(task)
    return outcomes


def _planned_files(
    outcomes: "list[Outcome]", formats: "list[ShortlistFormat]", out: Path, info: "BatchInfo"
) -> dict[Path, str]:
    """Every file the batch writes, with its text: the reports, then the indexes."""
    from kpartner.render_shortlist import INDEX_FORMATS, REPORT_FORMATS
    from kpartner.shortlist import ClientReport, index_entries

    files: dict[Path, str] = {}
    reports = [o for o in outcomes if isinstance(o, ClientReport)]
    for report in reports:
        for fmt in formats:
            files[out / f"{report.stem}.{fmt.value}"] = REPORT_FORMATS[fmt](report)
    entries = index_entries(outcomes)
    for fmt in formats:
        files[out / f"index.{fmt.value}"] = INDEX_FORMATS[fmt](entries, info)
    return files


def _nothing_found(report: MatchReport, filters: Filters, min_score: float) -> str:
    if min_score > 0:
        return f"nothing scored {min_score:g} or more"
    if filters.kinds == {Kind.COMPANY} and not report.peers:
        sectors = ", ".join(term.sector for term in report.query.terms)
        return f"no company in the catalog works in or near {sectors}"
    return "nothing relevant to your terms within these filters"


def _write(text: str, output: Path | None, inputs: list[Path], style: Style) -> None:
    """The report to stdout, or to ``output`` atomically and never over an input."""
    if output is None:
        _emit(text, style)
        return
    try:
        write_atomically(output, text, inputs)
    except OutputError as exc:
        _fail(str(exc), EXIT_USAGE)
    _note(f"wrote {output}")


def _degrade_encodings() -> None:
    """Whatever the terminal's encoding, print what it can and replace the rest.

    ``PYTHONIOENCODING=ascii`` or ``LC_ALL=C`` would otherwise turn the first Hangul
    name, or a lone surrogate from an undecodable argument, into a crash.
    """
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(OSError, ValueError):
                reconfigure(errors="replace")


def _finish_output() -> int | None:
    """Flush stdout now, so that a full disk is an exit code and not a shutdown error."""
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
    except OSError as exc:
        _silence_stdout()
        _note(f"kpartner: cannot write the output: {exc.strerror or exc}")
        return EXIT_USAGE
    return None


def main() -> None:
    """Console-script entry point.

    Usage errors are one line (the offending text escaped and shortened) and exit 2; a
    bug must not greet a user with a traceback: it gets one line and exit code 4, unless
    KPARTNER_DEBUG is set.
    """
    _degrade_encodings()
    try:
        code = app(standalone_mode=False)
    except typer.Abort:
        _note("kpartner: aborted")
        code = 130
    except typer.TyperException as exc:  # click's usage errors, as typer ships them
        code = _usage_error(exc)
    except SystemExit as exc:
        # rich (drawing typer's help) exits 1 when the reader leaves early, as
        # `kpartner match --help | head -1` does; leaving early is no failure of ours.
        if not isinstance(exc.__context__, BrokenPipeError):
            raise
        _silence_stdout()
        code = EXIT_OK
    except BrokenPipeError:
        _silence_stdout()
        code = EXIT_OK
    except OSError as exc:
        if exc.errno not in _OUTPUT_ERRNOS or os.environ.get("KPARTNER_DEBUG"):
            _internal(exc)
        _silence_stdout()
        _note(f"kpartner: cannot write the output: {exc.strerror or exc}")
        code = EXIT_USAGE
    except Exception as exc:
        _internal(exc)
    failed = _finish_output()
    sys.exit(failed if failed is not None else (code if isinstance(code, int) else EXIT_OK))


def _usage_error(exc: typer.TyperException) -> int:
    """One line for a usage error: the message escaped and shortened, and where to look."""
    context = getattr(exc, "ctx", None)
    if type(exc).__name__ == "NoArgsIsHelpError":
        return EXIT_USAGE  # the help was printed when the error was made
    format_message = getattr(exc, "format_message", None)
    message = format_message() if callable(format_message) else str(exc)
    hint = f" (see '{context.command_path} --help')" if context is not None else ""
    _note(f"kpartner: {shorten(str(message), 300)}{hint}")
    code = getattr(exc, "exit_code", EXIT_USAGE)
    return code if isinstance(code, int) else EXIT_USAGE


_OUTPUT_ERRNOS = frozenset({errno.ENOSPC, errno.EIO, errno.EFBIG, errno.EDQUOT, errno.EPIPE})


def _internal(exc: BaseException) -> NoReturn:
    if os.environ.get("KPARTNER_DEBUG"):
        raise exc
    _note(
        f"kpartner: internal error: {type(exc).__name__}: {shorten(str(exc), 300)} "
        "(please report it; set KPARTNER_DEBUG=1 to see the traceback)"
    )
    _finish_output()
    sys.exit(EXIT_INTERNAL)
