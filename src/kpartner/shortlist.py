"""Consultants' shortlists: client profiles in, what each client's report says, as values.

    from kpartner.shortlist import build_batch

    for outcome in build_batch(catalog, [Path("aerolink.yaml")], top=5, today=date.today()):
        ...  # a ClientReport, or a Failure naming the profile and its problems

One profile → one :class:`ClientReport`: its opportunities (a project, the team building
it, the way in, the gap the client fills), the caveats that apply, and every source once,
numbered. The renderers (``render_shortlist.py``) only lay these values out; the catalog is
loaded once by the caller and shared by the whole batch.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from kpartner.catalog import Catalog, UnknownName
from kpartner.inputs import InputError
from kpartner.matching import STALE_DAYS, MatchReport, NoTermResolved, match
from kpartner.models import Source
from kpartner.problems import Level, Problem
from kpartner.profile import Profile, apply, read_profile, unknown_names, unknown_terms
from kpartner.ranking import Filters
from kpartner.results import EvidenceKind, Kind, Match
from kpartner.teams import team_of
from kpartner.text import some

SUMMARY_LEADS = 3
NAME_LIMIT = 60  # characters of a client's name kept in its file name
# Names a report must not take: the batch's own index files.
RESERVED_STEMS = frozenset({"index"})


@dataclass(frozen=True, slots=True)
class Reference:
    number: int
    url: str
    label: str  # publisher, date, title or article id: what a reader sees beside the link


@dataclass(frozen=True, slots=True)
class Member:
    name: str
    name_ko: str | None
    role: str | None
    lead: bool
    confirmed: bool
    excluded: bool = False  # the client is already talking to this company


@dataclass(frozen=True)
class Lead:
    """One opportunity as the client reads it."""

    rank: int
    match: Match  # the match as ``kpartner match`` gives it (JSON uses its fields)
    programme: str  # in words: "national pilot"
    status: str  # in words, with its date: "under way since 2022-04-21"
    why: tuple[str, ...]  # what the project asks for that the client offers
    gaps: tuple[str, ...]  # what the team lacks and the client fills
    teams: tuple[str, ...]  # the consortia building it, one line each
    members: tuple[Member, ...]
    unnamed: int  # members the sources count but do not name
    way_in: str
    caveats: tuple[str, ...]
    references: tuple[int, ...]  # numbers into the report's references
    stale: bool  # relies on a record more than a year old

    @property
    def lead_company(self) -> str | None:
        return next((m.name for m in self.members if m.lead), None)


@dataclass(frozen=True)
class ClientReport:
    profile_path: Path
    stem: str  # the file name without its extension
    client: str
    contact: str | None
    notes: str | None
    generated: dt.date
    data_as_of: dt.date
    oldest_as_of: dt.date | None
    terms: tuple[str, ...]  # the sectors the client's terms were read as, by label
    excluded: tuple[str, ...]  # companies left out at the client's request (names)
    summary: str
    leads: tuple[Lead, ...]
    caveats: tuple[str, ...]
    references: tuple[Reference, ...]
    match_report: MatchReport  # for the JSON, which keeps ``match --format json``'s fields
    warnings: tuple[str, ...] = ()  # the profile's warnings at their lines, for stderr

    @property
    def best(self) -> Lead | None:
        return self.leads[0] if self.leads else None


@dataclass(frozen=True)
class Failure:
    """A profile that gave no report, and why (its problems at their lines)."""

    profile_path: Path
    problems: tuple[str, ...]


Outcome = ClientReport | Failure


@dataclass(frozen=True)
class IndexEntry:
    profile_path: Path
    client: str | None
    stem: str | None
    leads: int
    best: str | None
    problem: str | None  # the first problem, for a failed profile


def build_batch(
    catalog: Catalog, paths: Iterable[Path], top: int, today: dt.date
) -> Iterator[Outcome]:
    """One outcome per profile, in the order given, with unique file names.

    A bad profile is a :class:`Failure`; the others are unaffected.
    """
    taken: set[str] = set()
    for path in paths:
        outcome = build_report(catalog, path, top, today, taken)
        if isinstance(outcome, ClientReport):
            taken.add(outcome.stem.casefold())
        yield outcome


def build_report(
    catalog: Catalog, path: Path, top: int, today: dt.date, taken: set[str] | None = None
) -> Outcome:
    try:
        read = read_profile(path)
    except InputError as exc:
        return Failure(path, (f"{path}: {exc.message}",))
    problems = list(read.problems)
    problems += unknown_names(read, catalog)
    problems += unknown_terms(read, catalog)
    errors = [p for p in problems if p.level is Level.ERROR]
    profile = read.profile
    if errors or profile is None:
        return Failure(path, tuple(str(p) for p in errors or problems))
    if not profile.technologies and not profile.description:
        return Failure(path, (f"{path}: say what the client offers: technologies or description",))
    filters = apply(profile, Filters(kinds=frozenset({Kind.OPPORTUNITY}), top=top))
    try:
        report = match(
            catalog,
            tech=list(profile.technologies),
            describe=profile.description,
            filters=filters,
            today=today,
        )
    except NoTermResolved:
        said = tuple(str(p) for p in problems)
        return Failure(
            path, (*said, f"{path}: none of the terms names a known technology or domain")
        )
    except UnknownName as exc:
        return Failure(path, (f"{path}: {exc}",))
    report = replace(report, startup=profile.name)
    client = profile.name or path.stem
    return _report(catalog, path, profile, client, report, problems, taken or set())


def _report(
    catalog: Catalog,
    path: Path,
    profile: Profile,
    client: str,
    report: MatchReport,
    warnings: list[Problem],
    taken: set[str],
) -> ClientReport:
    numbers: dict[tuple[str, str | None], int] = {}
    references: list[Reference] = []
    leads = []
    for result in report.results:
        cited = []
        for source in result.sources:
            key = (source.url, source.article_id)
            if key not in numbers:
                numbers[key] = len(numbers) + 1
                references.append(Reference(numbers[key], source.url, _label(source)))
            cited.append(numbers[key])
        excluded = frozenset(profile.exclude_companies)
        leads.append(_lead(catalog, result, tuple(cited), report.today, excluded))
    return ClientReport(
        profile_path=path,
        stem=file_stem(client, taken),
        client=client,
        contact=profile.contact,
        notes=profile.notes,
        generated=report.today,
        data_as_of=report.data_as_of,
        oldest_as_of=min((lead.match.as_of for lead in leads), default=None),
        terms=tuple(
            dict.fromkeys(_sector_label(catalog, term.sector) for term in report.query.terms)
        ),
        excluded=tuple(
            catalog.companies[c].name for c in profile.exclude_companies if c in catalog.companies
        ),
        summary=_summary(client, leads),
        leads=tuple(leads),
        caveats=tuple(_caveats(leads, report)),
        references=tuple(references),
        match_report=report,
        warnings=tuple(str(problem) for problem in warnings),
    )


def _lead(
    catalog: Catalog,
    result: Match,
    cited: tuple[int, ...],
    today: dt.date,
    excluded: frozenset[str],
) -> Lead:
    project = catalog.projects[result.id]
    team = team_of(catalog, project)
    members = tuple(
        Member(
            m.company.name,
            m.company.name_ko,
            m.role,
            m.is_lead,
            m.confirmed,
            m.company.id in excluded,
        )
        for m in team.members
    )
    texts = {kind: [e.text for e in result.evidence if e.kind is kind] for kind in EvidenceKind}
    caveats = [_strip(text, "caveat: ") for text in texts[EvidenceKind.CAVEAT]]
    unconfirmed = [m.name for m in members if not m.confirmed]
    if unconfirmed:
        caveats.append(f"reported by some sources only, not confirmed: {', '.join(unconfirmed)}")
    if team.unnamed:
        caveats.append(f"{_count(team.unnamed, 'member')} of the team not named in any source")
    stale = (today - result.as_of).days > STALE_DAYS
    if stale:
        caveats.append(f"relies on records last confirmed {result.as_of.isoformat()}")
    # "Why it fits" leaves out what "the gap you fill" already says.
    gap_sectors = {e.sector for e in result.evidence if e.kind is EvidenceKind.GAP}
    why = [
        _plain_demand(e.text)
        for e in result.evidence
        if e.kind is EvidenceKind.DEMAND and e.sector not in gap_sectors
    ]
    status = project.status.value.replace("-", " ")
    if project.deadline:
        status = f"{status}, deadline {project.deadline}"
    return Lead(
        rank=result.rank,
        match=result,
        programme=project.programme.value.replace("-", " "),
        status=f"{status} since {project.status_date}",
        why=tuple(dict.fromkeys(why)),
        gaps=tuple(_strip(text, "fills a gap: ") for text in texts[EvidenceKind.GAP]),
        teams=tuple(_strip(text, "team: ") for text in texts[EvidenceKind.TEAM]),
        members=members,
        unnamed=team.unnamed,
        way_in=result.next_step,
        caveats=tuple(caveats),
        references=cited,
        stale=stale,
    )


def _summary(client: str, leads: list[Lead]) -> str:
    """The three best opportunities and why, in a paragraph a client reads first."""
    if not leads:
        return f"No opportunity in the catalog matches what {client} offers within its filters."
    best = leads[:SUMMARY_LEADS]
    count = "the best opportunity is" if len(best) == 1 else f"the {len(best)} best are"
    parts = []
    for lead in best:
        project = lead.match.project
        where = f"{project.city}, {lead.status}" if project else lead.status
        reason = lead.gaps[0] if lead.gaps else (lead.why[0] if lead.why else "")
        because = f": {reason}" if reason else ""
        parts.append(f"{lead.match.name} ({where}){because}. {lead.way_in}")
    found = _count(len(leads), "opportunity", "opportunities")
    return f"Of {found} for {client}, {count}: " + " ".join(
        f"({n}) {part}" for n, part in enumerate(parts, start=1)
    )


def _caveats(leads: list[Lead], report: MatchReport) -> list[str]:
    """What the whole report must be read with, grouped by kind, each lead named once.

    The notes in the data stay with their opportunity; here are the kinds of doubt a
    reader weighs across the report.
    """
    found = []
    unconfirmed = [
        f"{lead.match.name} ({', '.join(m.name for m in lead.members if not m.confirmed)})"
        for lead in leads
        if any(not m.confirmed for m in lead.members)
    ]
    if unconfirmed:
        found.append(
            "Team members reported by some sources only, not confirmed: "
            + "; ".join(unconfirmed)
            + ". Confirm their role before relying on them."
        )
    unnamed = [f"{lead.match.name} ({lead.unnamed})" for lead in leads if lead.unnamed]
    if unnamed:
        found.append(
            "Team members counted by the sources but not named: " + "; ".join(unnamed) + "."
        )
    stale = [f"{lead.match.name} ({lead.match.as_of.isoformat()})" for lead in leads if lead.stale]
    if stale:
        found.append(
            "Records more than a year old: "
            + "; ".join(stale)
            + ". Check their sources before you call."
        )
    for missing in report.query.unresolved:
        hint = (
            f" (did you mean {', '.join(repr(s) for s in missing.suggestions)}?)"
            if missing.suggestions
            else ""
        )
        found.append(f"The term '{missing.input}' was not understood{hint}; it played no part.")
    if report.weaker:
        names = [name for _, name in report.weaker_left]
        found.append(
            f"{_count(report.weaker, 'weaker opportunity', 'weaker opportunities')}, scoring"
            f" under a third of the best, left out: {some(names, sep='; ')}."
        )
    if report.below:
        found.append(
            "Just below the cut, worth a look: "
            + "; ".join(
                f"{name} (its team already has a member doing this: no gap; come as its"
                " supplier or a specialist beside it)"
                if id_ in report.below_done
                else name
                for id_, name in report.below
            )
            + "."
        )
    if report.outside_projects:
        names = [name for _, name in report.outside_projects]
        fields = " or ".join(report.field_labels)
        found.append(
            f"Asking for the client's technology but not for {fields}, so left out: leads on"
            f" another need, worth it only if the client would sell there:"
            f" {some(names, sep='; ')}."
        )
    # The market's own rules for the client's sectors, each with where it was read.
    found += [
        f"Rule to know ({label}): {rule.text} (source: {rule.source.url},"
        f" as of {rule.as_of.isoformat()})"
        for _, label, rule in report.caveats
    ]
    return found


def file_stem(client: str, taken: set[str]) -> str:
    """A safe, unique file name for a client: letters (Hangul too), digits and hyphens.

    No path separators, dots, spaces or control characters survive; the batch's index
    names are not taken; a clash gets -2, -3, ... (compared case-blind, as macOS does).
    """
    text = unicodedata.normalize("NFKC", client).casefold()
    stem = re.sub(r"[^\w]+|_+", "-", text).strip("-")[:NAME_LIMIT].strip("-") or "client"
    candidate, n = stem, 1
    while candidate in taken or candidate in RESERVED_STEMS:
        n += 1
        candidate = f"{stem}-{n}"
    return candidate


def index_entries(outcomes: Iterable[Outcome]) -> list[IndexEntry]:
    entries = []
    for outcome in outcomes:
        if isinstance(outcome, Failure):
            problem = outcome.problems[0] if outcome.problems else "cannot be used"
            entries.append(IndexEntry(outcome.profile_path, None, None, 0, None, problem))
        else:
            best = outcome.best
            entries.append(
                IndexEntry(
                    outcome.profile_path,
                    outcome.client,
                    outcome.stem,
                    len(outcome.leads),
                    best.match.name if best else None,
                    None if outcome.leads else "no opportunity found",
                )
            )
    return entries


def _label(source: Source) -> str:
    parts = [p for p in (source.publisher, source.published) if p]
    if source.title:
        parts.insert(0, source.title)
    if source.article_id:
        parts.append(f"article {source.article_id}")
    return ", ".join(parts)


def _sector_label(catalog: Catalog, sector: str) -> str:
    record = catalog.sectors.get(sector)
    return record.label if record is not None else sector


def _plain_demand(text: str) -> str:
    """'the project asks for X — your 'x'' → 'the project asks for X'."""
    return text.split(" — your ", 1)[0]


def _strip(text: str, prefix: str) -> str:
    return text[len(prefix) :] if text.startswith(prefix) else text


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"
